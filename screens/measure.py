"""Widths measured from words at their font, for widgets that must hold them on one line.

Kept apart from the widgets' modules so that their kv rules can import it while those modules
are still being loaded."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.core.text import Label as CoreLabel

from kiosk.core.tokens import PAD_MM, PAD_X_MM


def one_line_width(text: str, font_size: float, font_name: str, icon: str) -> float:
    """How wide a button must be to hold `text` on one line, bold, beside its pictogram."""
    app: Any = App.get_running_app()
    words = CoreLabel(text=text, font_size=font_size, font_name=font_name, bold=True)
    words.refresh()
    pictogram = app.icon_font(font_size) + app.mm(PAD_MM) if icon else 0.0
    # The padding at both ends, and a pixel each side for rounding.
    return float(words.content_width + pictogram + 2 * app.mm(PAD_X_MM) + 2)


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


def _width(text: str, font_size: float, font_name: str, bold: bool) -> float:
    label = CoreLabel(text=text, font_size=font_size, font_name=font_name, bold=bold)
    label.refresh()
    return float(label.content_width)


def break_after_hyphens(text: str, width: float, font_size: float, font_name: str,
                        bold: bool) -> str:
    """`text` with a line break after a hyphen wherever a hyphenated word is wider than
    `width`: Kivy breaks such a word between any two letters ("Villeneuve-sur-L / oire"), a
    name is better read broken where it is joined ("Villeneuve-sur- / Loire")."""
    if width <= 0 or font_size <= 0:
        return text
    words = []
    for word in text.split(" "):
        if "-" not in word or _width(word, font_size, font_name, bold) <= width:
            words.append(word)
            continue
        parts = [p + "-" for p in word.split("-")[:-1]] + [word.split("-")[-1]]
        lines = [parts[0]]
        for part in parts[1:]:
            if _width(lines[-1] + part, font_size, font_name, bold) <= width:
                lines[-1] += part
            else:
                lines.append(part)
        words.append("\n".join(lines))
    return " ".join(words)
