"""Widths measured from words at their font, for widgets that must hold them on one line.

Kept apart from the widgets' modules so that their kv rules can import it while those modules
are still being loaded."""

from __future__ import annotations

import re
from typing import Any

from kivy.app import App
from kivy.cache import Cache
from kivy.core.text import Label as CoreLabel

from kiosk.core.tokens import PAD_MM, PAD_X_MM

#: Kivy's cache of words' widths on one line, by text, size, font and weight. A screen's rows
#: measure the same words at every arrangement (the bar's five at each screen shown, a pager's
#: at each page), and each measure renders the words (docs/performance.md, "A screen's
#: build"). It holds the words of controls and of place names; the app empties it with the
#: other text caches when a session ends (kiosk/shell/app.py, TEXT_CACHES).
WIDTHS = "kiosk.text_width"
#: enough for every screen's words in the three languages at every text size; past it, the
#: cache starts again empty (Kivy's own limit sorts every entry at each one added)
WIDTHS_KEPT = 4000
Cache.register(WIDTHS)
#: where Kivy breaks a line: at spaces and new lines, never at a no-break space (U+00A0,
#: U+202F): a word wider than its line is broken between two letters, or shortened
WORD_BREAKS = re.compile("[ \t\n]+")
#: widths added since the cache last started again empty here
_added = [0]


def text_width(text: str, font_size: float, font_name: str, bold: bool) -> float:
    """How wide `text` is on one line at this font, measured once."""
    key = (text, float(font_size), font_name, bool(bold))
    width = Cache.get(WIDTHS, key)
    if width is None:
        width = rendered_width(text, font_size, font_name, bold)
        if _added[0] >= WIDTHS_KEPT:  # counted since the last start here: at most this many
            Cache.remove(WIDTHS)
            _added[0] = 0
        Cache.append(WIDTHS, key, width)
        _added[0] += 1
    return float(width)


def rendered_width(text: str, font_size: float, font_name: str, bold: bool) -> float:
    """How wide `text` is on one line, rendered now."""
    label = CoreLabel(text=text, font_size=font_size, font_name=font_name, bold=bold)
    label.refresh()
    return float(label.content_width)


def one_line_width(text: str, font_size: float, font_name: str, icon: str) -> float:
    """How wide a button must be to hold `text` on one line, bold, beside its pictogram."""
    app: Any = App.get_running_app()
    pictogram = app.icon_font(font_size) + app.mm(PAD_MM) if icon else 0.0
    # The padding at both ends, and a pixel each side for rounding.
    return float(text_width(text, font_size, font_name, True) + pictogram
                 + 2 * app.mm(PAD_X_MM) + 2)


def longest_word_width(text: str, font_size: float, font_name: str, icon: str) -> float:
    """How wide a button must be to hold the longest of its words on one line (Kivy breaks a
    line at spaces only: a wider word is broken between two letters)."""
    return max((one_line_width(word, font_size, font_name, icon) for word in words_of(text)),
               default=0.0)


def settle_pictogram(button: Any) -> None:
    """Render a button's pictogram now. A KioskButton renders it on the next frame, and until
    then its words wrap as if it took no room: measured before that frame, a choice beside its
    pictogram comes out a line shorter than it is once laid out, and its list overflows."""
    if getattr(button, "shown_icon", "") and hasattr(button, "refresh_icon"):
        button.refresh_icon()


def change_button_width(text: str, font_size: float, font_name: str, icon: str) -> float:
    """A "Change" button is as wide as its words on one line, and at least 45 mm: a word is
    never broken at the largest size."""
    app: Any = App.get_running_app()
    return float(max(app.mm(45), one_line_width(text, font_size, font_name, icon)))


def break_after_hyphens(text: str, width: float, font_size: float, font_name: str,
                        bold: bool) -> str:
    """`text` with a line break after a hyphen wherever a hyphenated word is wider than
    `width`: Kivy breaks such a word between any two letters ("Villeneuve-sur-L / oire"), a
    name is better read broken where it is joined ("Villeneuve-sur- / Loire")."""
    if width <= 0 or font_size <= 0:
        return text
    words = []
    for word in text.split(" "):
        if "-" not in word or text_width(word, font_size, font_name, bold) <= width:
            words.append(word)
            continue
        parts = [p + "-" for p in word.split("-")[:-1]] + [word.split("-")[-1]]
        lines = [parts[0]]
        for part in parts[1:]:
            if text_width(lines[-1] + part, font_size, font_name, bold) <= width:
                lines[-1] += part
            else:
                lines.append(part)
        words.append("\n".join(lines))
    return " ".join(words)


def words_of(text: str) -> list[str]:
    """The words Kivy keeps whole on a line."""
    return [word for word in WORD_BREAKS.split(text) if word]
