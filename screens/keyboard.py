"""On-screen keyboards: AZERTY with the French accents, and a 12-key numeric pad.

Keys are at least 20 mm on the configured panel (docs/accessibility.md B5) and act on release like
every button. A keyboard types into one target field, so the text never passes through the
system clipboard or a global key handler; typing is "activity" for the inactivity timer.

A screen holds a `KeyboardDock`, not a keyboard: the window has one AZERTY keyboard and one
numeric pad, and the dock of the screen being shown takes the one it needs. Fifty keys per
screen that types were the largest part of the app's memory.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.geometry import MIN_TARGET_MM
from kiosk.core.i18n import translate
from kiosk.core.tokens import KEY_GAP_MM, KEY_PAD_MM
from screens.app_followers import follow_app
from screens.field_pages import FieldPages
from screens.measure import one_line_width, text_width
from screens.widgets import FlowRow, KioskButton

# French AZERTY (NF Z71-300 letter rows), the accents that rows of a physical AZERTY give with
# the number row, and the signs an address or an e-mail needs.
AZERTY_ROWS = (
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn'-@.",
    "éèêàçùôîë,",
)
# The same letters on four rows, the accents at the rows' ends and the word keys beside them,
# for a body band too low for five rows of keys (a seated desk): thirteen keys wide at most,
# keys over 20 mm wide on the desk's 299 mm (docs/accessibility.md B5).
# The two upper rows thirteen keys, so that the last row keeps five keys beside its three
# word keys: at XL their words take the width of three letter keys each.
COMPACT_ROWS = (
    ("a", "z", "e", "r", "t", "y", "u", "i", "o", "p", "é", "è", "ê"),
    ("q", "s", "d", "f", "g", "h", "j", "k", "l", "m", "à", "ù", "ç"),
    ("⇧", "w", "x", "c", "v", "b", "n", "'", "-", ",", "⌫"),
    ("123", "ô", "î", "ë", "@", ".", " ", "OK"),
)
# How many letter keys wide the word keys are on the four rows: each row thirteen keys wide.
COMPACT_SPANS = {"⇧": 1.5, "⌫": 2.5, "123": 2.0, " ": 3.0, "OK": 3.0}
SIGN_ROWS = (
    "1234567890",
    "+/()&_:;!?",
    "#*=€%\"«»°'",
)
# docs/accessibility.md B5: 12-key ascending phone layout, 1-2-3 on top and 5 in the centre.
NUMPAD_ROWS = ("123", "456", "789")
BACKSPACE = "⌫"
SHIFT = "⇧"
LETTERS = "ABC"
SIGNS = "123"
LOWER = "abc"
SPACE = " "
OK = "OK"
# What a word key shows where its row cannot hold its words at the size asked: the sign
# every phone's keyboard shows (DejaVu Sans draws them, kiosk/core/typeface.py); speech says
# the key's words all the same (kiosk/core/speech.py KEY_NAMES).
SIGN_LABELS = {"⌫": "⌫", "⇧": "⇧", " ": "␣", "OK": "OK"}
# The word row on two rows: shift, the page key and space above, delete and validate below.
SPLIT_AT = 3
# docs/accessibility.md B5: keys at least 20 mm both ways.
MIN_KEY_MM = MIN_TARGET_MM
# The narrowest column of choices beside a keyboard: a choice's pictogram and a few words at
# the person's size (docs/visual-design.md, "One question per screen").
MIN_COLUMN_MM = 100.0
# Keys that say what they do in words (None: the page keys, which show their value, "123",
# "abc", "ABC", as a phone's do, and are said in words, kiosk/core/speech.py KEY_NAMES), with
# their pictogram (the text face has no ⌫ or ⇧), and how many letter keys wide they are on the
# letters' last row. At XL standing at a desk, "Signes" and "Lettres" left no room in one row
# for "Effacer" and "Valider" at the size asked (docs/accessibility.md C2).
WORD_KEYS: dict[str, tuple[str | None, str, float]] = {
    BACKSPACE: ("keyboard.delete", "backspace", 2.0),
    SHIFT: ("keyboard.shift", "shift", 1.5),
    SIGNS: (None, "", 1.5),
    LOWER: (None, "", 1.5),
    LETTERS: (None, "keyboard", 1.0),
    SPACE: ("keyboard.space", "space_bar", 3.0),
    OK: ("keyboard.ok", "check", 2.0),
}


class KeyButton(KioskButton):
    """One key; `value` is what it types. Keys take part in keyboard and switch navigation
    (docs/accessibility.md F2: Move reaches every control), but a touched key does not take
    the focus, so the field being typed into keeps its cursor. Its words are centred, its
    pictogram (a word key's) beside them."""

    value = StringProperty("")
    #: its height when its keyboard sets one (OnScreenKeyboard.key_size), else the app's
    key_size = NumericProperty(0)
    #: the largest font its words hold in at its width (0: no limit); a word key's in a row
    #: too narrow for the words at their size (OnScreenKeyboard._fit_words)
    most_font = NumericProperty(0)

    def target(self) -> Any:
        """The field this key types into: its keyboard's target (keys sit in rows of it)."""
        parent = self.parent
        while parent is not None and not isinstance(parent, OnScreenKeyboard):
            parent = parent.parent
        return None if parent is None else parent.target

    def on_touch_down(self, touch: Any) -> bool:
        """Pressed as a button, without FocusBehavior's taking of the focus."""
        return bool(super(FocusBehavior, self).on_touch_down(touch))


class OnScreenKeyboard(BoxLayout):
    """Types into `target` (a TextInput). `numeric` gives the 12-key pad."""

    target = ObjectProperty(None, allownone=True)
    numeric = BooleanProperty(False)
    shift = BooleanProperty(False)
    signs = BooleanProperty(False)
    #: the letters on four rows (COMPACT_ROWS) instead of five
    compact = BooleanProperty(False)
    #: the letters' word keys on two rows of their own, where one row cannot hold their words
    #: whole (`words_row_width`)
    split = BooleanProperty(False)
    #: the keys' height, 20 mm at least (docs/accessibility.md B5); the app's when 0
    key_size = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        #: keys and rows built for a page with more of them, kept for the next such page
        self._spare_keys: list[KeyButton] = []
        self._spare_rows: list[KeyRow] = []
        self._refit_words = Clock.create_trigger(self._fit_words, -1)
        super().__init__(**kwargs)
        self.bind(numeric=self._rebuild, signs=self._rebuild, compact=self._rebuild,
                  split=self._rebuild, shift=self._relabel, key_size=self._size_keys)
        follow_app(App.get_running_app(), "lang", self, "_relabel")
        self._rebuild()

    def _key_rows(self) -> list[list[str]]:
        if self.numeric:
            return [list(r) for r in NUMPAD_ROWS] + [[BACKSPACE, "0", OK], [LETTERS]]
        if self.compact and not self.signs:
            return [list(r) for r in COMPACT_ROWS]
        letters = SIGN_ROWS if self.signs else AZERTY_ROWS
        rows = [list(r) for r in letters]
        words = word_row(self.signs)
        if self.split:
            rows += [words[:SPLIT_AT], words[SPLIT_AT:]]
        else:
            rows.append(words)
        return rows

    def keys(self) -> list[KeyButton]:
        """Every key, row by row."""
        return [key for row in reversed(self.children) for key in reversed(row.children)
                if isinstance(key, KeyButton)]

    def _rebuild(self, *_args: Any) -> None:
        """Lay out the keys of the page shown. A page turned ("123", "abc") or the letters on
        four rows instead of five change what the keys type and where they stand, not the
        keys: those already built are given their new values, the word keys keep theirs (and
        the page key its focus), and a key is built only for a page with more keys than any
        before it (docs/performance.md, "A screen's build")."""
        pages = self._key_rows()
        values = [value for row in pages for value in row]
        keys = reuse_keys(self.keys() + self._spare_keys, values)
        rows = list(reversed(self.children)) + self._spare_rows
        self.clear_widgets()
        for row in rows:
            row.clear_widgets()
        made = iter(keys)
        for index, row_values in enumerate(pages):
            if index >= len(rows):
                rows.append(KeyRow())
                rows[index].bind(width=self._refit_words)
            row = rows[index]
            for value in row_values:
                key = next(made)
                if key is None:
                    key = KeyButton()
                    key.bind(on_release=self._pressed, font_size=self._refit_words,
                             text=self._refit_words, min_height=self._refit_words)
                key.value, key.role, key.size_hint_x = value, f"key.{value}", self._span(value)
                key.kind = "primary" if value == OK else "secondary"
                row.add_widget(key)
            self.add_widget(row)
        self._spare_keys = [key for key in keys[len(values):] if key is not None]
        self._spare_rows = rows[len(pages):]
        self._size_keys()
        self._relabel()
        self._refit_words()

    def _span(self, value: str) -> float:
        """How many letter keys wide the key of `value` is: on the pad every key is one
        column; on the letters, word keys are wider."""
        word = WORD_KEYS.get(value)
        if self.numeric or word is None:
            return 1.0
        if self.compact and not self.signs:
            return COMPACT_SPANS[value]
        return word[2]

    def _size_keys(self, *_args: Any) -> None:
        for key in self.keys():
            key.key_size = self.key_size

    def _relabel(self, *_args: Any) -> None:
        lang = App.get_running_app().lang
        for key in self.keys():
            value = key.value
            if value in WORD_KEYS:
                key.text = key_label(value, lang)
            else:
                key.text = value.upper() if self.shift and value.isalpha() else value

    def _fit_words(self, *_args: Any) -> None:
        """Word keys ("Effacer", "Valider") as wide as their words need where their share of
        the row is narrower, the room left shared equally: at XL the words are as large as
        the farthest text needs (docs/accessibility.md C2) and never break in a key. Where
        the row cannot hold them so, the keys that save the most show their sign instead
        ("⌫" for "Effacer", `SIGN_LABELS`), as large as the letters; where even the signs do
        not fit, each key keeps its share and its words come down to it."""
        lang = App.get_running_app().lang
        for row in self.children:
            keys = [k for k in reversed(row.children) if isinstance(k, KeyButton)]
            if not any(k.value in WORD_KEYS for k in keys) or row.width <= 0:
                continue
            labels = [key_label(k.value, lang) if k.value in WORD_KEYS else k.text
                      for k in keys]
            room = row.width - row.spacing * (len(keys) - 1)
            while sum(_least_widths(keys, labels)) > room:
                savings = [(key_width(label, k.font_name, k.min_height)
                            - key_width(SIGN_LABELS[k.value], k.font_name, k.min_height), i)
                           for i, (k, label) in enumerate(zip(keys, labels, strict=True))
                           if k.value in SIGN_LABELS and label != SIGN_LABELS[k.value]]
                if not savings:
                    break
                _saved, index = max(savings)
                labels[index] = SIGN_LABELS[keys[index].value]
            for key, label in zip(keys, labels, strict=True):
                key.text = label
            self._share_row(keys, room)

    def _share_row(self, keys: list[KeyButton], room: float) -> None:
        """The keys' widths in a row with `room` for them, as `_fit_words` says."""
        app: Any = App.get_running_app()
        spans = [self._span(k.value) for k in keys]
        unit = room / sum(spans)
        labels = [k.text for k in keys]
        needs = [key_width(label, k.font_name, k.min_height)
                 for k, label in zip(keys, labels, strict=True)]
        least = _least_widths(keys, labels)
        widths = [span * unit for span in spans]
        if sum(least) <= room and any(n > w for n, w in zip(needs, widths, strict=True)):
            share = (room - sum(least)) / len(keys)
            widths = [need + share for need in least]
        pads = app.mm(2 * KEY_PAD_MM) + 2
        for key, width, need in zip(keys, widths, needs, strict=True):
            key.size_hint_x = width / unit
            font = app.key_font(app.text_size, len(key.text) == 1, key.min_height)
            key.most_font = (_held_font(key, font, width - pads)
                             if key.value in WORD_KEYS and need > width else 0.0)

    def _pressed(self, key: KeyButton) -> None:
        target = self.target
        value = key.value
        if value == SHIFT:
            self.shift = not self.shift
            return
        if value in (SIGNS, LOWER):
            self.signs = not self.signs
            return
        if value == LETTERS:
            self.numeric = False
            return
        if target is None:
            return
        if value == BACKSPACE:
            target.do_backspace()
        elif value == OK:
            target.dispatch("on_text_validate")
        else:
            target.insert_text(value.upper() if self.shift else value)
            self.shift = False


def key_width(label: str, font_name: str, key_height: float = 0.0) -> float:
    """How wide a key must be for `label` at the size its keys set it (a letter or a sign
    larger than words, kiosk/shell/app.py `key_font`), `key_height` high (0: the app's)."""
    app: Any = App.get_running_app()
    font = app.key_font(app.text_size, len(label) == 1, key_height or app.key_height)
    return key_need(label, font, font_name)


def _least_widths(keys: list[KeyButton], labels: list[str]) -> list[float]:
    """The least width of each key for its label: a word key its words', a letter's key its
    letter's and 20 mm at least (docs/accessibility.md B5)."""
    app: Any = App.get_running_app()
    widths = [key_width(label, k.font_name, k.min_height)
              for k, label in zip(keys, labels, strict=True)]
    return [width if k.value in WORD_KEYS else max(width, app.mm(MIN_KEY_MM) + 1)
            for k, width in zip(keys, widths, strict=True)]


def key_need(text: str, font: float, font_name: str) -> float:
    """How wide a key must be for its words on one line at `font`, inside its padding (and a
    pixel each side for rounding)."""
    app: Any = App.get_running_app()
    return float(text_width(text, font, font_name, True) + app.mm(2 * KEY_PAD_MM) + 2)


def key_label(value: str, lang: str) -> str:
    """What a word key says: its words in `lang`, or its value (a page key)."""
    msgid = WORD_KEYS[value][0]
    return value if msgid is None else translate(msgid, lang)


def word_row(signs: bool) -> list[str]:
    """The letters' row of word keys: the page key says "123" on the letters, "abc" on the
    signs."""
    return [SHIFT, LOWER if signs else SIGNS, SPACE, BACKSPACE, OK]


def words_row_width(numeric: bool, lang: str) -> float:
    """How wide the keyboard's row of word keys must be for their words whole on one line, on
    either page, at the size its keys set them in `lang`, its letter keys 20 mm wide
    (docs/accessibility.md B5): at XL the words are as large as the farthest text needs (C2),
    and beside a field on a seated totem, five of them do not fit the width of ten letters."""
    app: Any = App.get_running_app()
    gap = app.mm(KEY_GAP_MM)
    pages = [[BACKSPACE, "0", OK]] if numeric else [word_row(False), word_row(True)]
    return max(sum(key_width(key_label(v, lang), app.key_font_name)
                   if v in WORD_KEYS else app.mm(MIN_KEY_MM) + 1 for v in values)
               + gap * (len(values) - 1) for values in pages)


def _held_font(key: KeyButton, font: float, room: float) -> float:
    """The largest font, below `font`, at which the key's words hold in `room` on one line:
    in proportion to their width, then a step smaller while the glyphs as rendered (hinted
    to the pixel) are still wider."""
    size = font * room / max(1.0, text_width(key.text, font, key.font_name, True))
    while size > 1 and text_width(key.text, size, key.font_name, True) > room:
        size *= 0.95
    return size


class KeyRow(BoxLayout):
    """One row of keys."""


def _slot(value: str) -> str:
    """What a key is for across pages: the page key ("123" on the letters, "abc" on the signs)
    stays one key."""
    return "page" if value in (SIGNS, LOWER) else value


def reuse_keys(built: list[KeyButton], values: list[str]) -> list[KeyButton | None]:
    """The keys already `built` given to the `values` of a page, in order (None where one is
    to be built), then those left over: a key keeps its value where the page has it (the word
    keys, the page key), the others take the rest in order."""
    by_slot: dict[str, list[KeyButton]] = {}
    for key in built:
        by_slot.setdefault(_slot(key.value), []).append(key)
    given: list[KeyButton | None] = [
        by_slot[_slot(value)].pop(0) if by_slot.get(_slot(value)) else None for value in values]
    taken = {id(key) for key in given if key is not None}
    rest = iter([key for key in built if id(key) not in taken])
    given = [key if key is not None else next(rest, None) for key in given]
    return given + list(rest)


_SHARED: dict[bool, OnScreenKeyboard] = {}


def shared_keyboard(numeric: bool) -> OnScreenKeyboard:
    """The window's one keyboard of this kind (built on first use)."""
    if numeric not in _SHARED:
        _SHARED[numeric] = OnScreenKeyboard(numeric=numeric)
    return _SHARED[numeric]


class KeyboardDock(BoxLayout):
    """Where a screen shows the on-screen keyboard, when `shown`: it types into `target`,
    starting on the numeric pad when `numeric`. `take` (on showing the screen) moves the
    shared keyboard here; a hidden dock takes no room and builds nothing."""

    target = ObjectProperty(None, allownone=True)
    numeric = BooleanProperty(False)
    shown = BooleanProperty(True)
    #: the keyboard's letters on four rows, and its keys' height (0: the app's), as the
    #: TypingArea that holds the dock finds room for them
    compact = BooleanProperty(False)
    key_size = NumericProperty(0)
    #: the word keys on two rows (OnScreenKeyboard.split)
    split = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self.keyboard: OnScreenKeyboard | None = None
        super().__init__(**kwargs)
        self.bind(target=self._forward, numeric=self._retake, shown=self._retake,
                  compact=self._shape, key_size=self._shape, split=self._shape)

    def take(self) -> None:
        """Hold the shared keyboard of the kind this field needs, reset to its first page."""
        if not self.shown:
            self.release()
            return
        keyboard = shared_keyboard(self.numeric)
        if keyboard.parent is not self:
            self.release()
            if isinstance(keyboard.parent, KeyboardDock):
                keyboard.parent.release()
            self.add_widget(keyboard)
            self.keyboard = keyboard
            keyboard.bind(height=self._fit)
        keyboard.numeric, keyboard.signs, keyboard.shift = self.numeric, False, False
        keyboard.target = self.target
        self._shape()
        self._fit()

    def _shape(self, *_args: Any) -> None:
        if self.keyboard is not None:
            self.keyboard.compact = self.compact
            self.keyboard.split = self.split
            self.keyboard.key_size = self.key_size

    def release(self) -> None:
        """Give the keyboard back: it is no longer shown here."""
        if self.keyboard is not None:
            self.keyboard.unbind(height=self._fit)
            self.keyboard.target = None
            self.remove_widget(self.keyboard)
            self.keyboard = None
        self._fit()

    def _fit(self, *_args: Any) -> None:
        # A dock that holds no keyboard (a hidden one, as on a desk) takes no room.
        self.height = self.keyboard.height if self.keyboard is not None else 0

    def _retake(self, *_args: Any) -> None:
        if self.keyboard is not None or (self.shown and self.get_root_window() is not None):
            self.take()

    def _forward(self, *_args: Any) -> None:
        if self.keyboard is not None:
            self.keyboard.target = self.target


class TypingArea(BoxLayout):
    """The controls of a step that types (a FlowList) and its `KeyboardDock`: the keyboard
    below the controls where the body band has the height for both, else beside them (the
    seated totem, the largest text), so that nothing leaves the reach band."""

    #: the keyboard's share of the width when it stands beside the controls, at least; the
    #: keypad's three columns need less, and the controls' words wrap less beside it
    BESIDE_SHARE = 0.58
    KEYPAD_BESIDE_SHARE = 0.4
    #: the pad widens for its word keys' words up to this share: the controls keep the rest
    KEYPAD_WIDEST_SHARE = 0.5

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._arrange = Clock.create_trigger(self._place, -1)
        self.bind(size=self._arrange)
        # The word keys' words decide whether they take two rows.
        follow_app(App.get_running_app(), "lang", self, "_arrange")
        #: the controls' fields one at a time, when they do not fit with the keyboard
        self.pages: FieldPages | None = None
        #: the room (size, text size) the paging was decided for
        self._paged_for: tuple[object, ...] = ()
        #: the keyboard beside the controls as narrow as its keys allow
        self._narrow = False

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Watch the heights that decide the arrangement."""
        super().add_widget(widget, *args, **kwargs)
        widget.bind(height=self._arrange)
        if isinstance(widget, KeyboardDock):
            widget.bind(shown=self._arrange)
        self._arrange()

    def _parts(self) -> tuple[Widget | None, KeyboardDock | None]:
        controls = next((w for w in self.children if not isinstance(w, KeyboardDock)), None)
        dock = next((w for w in self.children if isinstance(w, KeyboardDock)), None)
        return controls, dock

    def _place(self, *_args: Any) -> None:
        controls, dock = self._parts()
        if controls is None or dock is None:
            return
        app: Any = App.get_running_app()
        keyboard_h = keyboard_height(dock.numeric, False, app.key_height) if dock.shown else 0.0
        # Beside the controls, the keys keep their 20 mm (docs/accessibility.md B5).
        columns = len(NUMPAD_ROWS[0]) if dock.numeric else len(AZERTY_ROWS[0])
        narrowest = app.mm(columns * MIN_KEY_MM + (columns - 1) * KEY_GAP_MM) + columns
        room = max(self.width - self.spacing, 1.0)
        # The pad's "Effacer" and "Valider" whole (the letters' take a second row), as long
        # as the controls keep half the room: else the pad as narrow as its keys allow, its
        # word keys showing their signs (`SIGN_LABELS`).
        words = words_row_width(True, app.lang) if dock.numeric else math.inf
        if words <= room * self.KEYPAD_WIDEST_SHARE:
            narrowest = max(narrowest, words)
        # Narrower only for the letters: the pad's word keys ("Effacer") need its share.
        least = self.KEYPAD_BESIDE_SHARE if dock.numeric else (
            0.0 if self._narrow else self.BESIDE_SHARE)
        beside_share = min(1.0, max(least, narrowest / room))
        column = (1.0 - beside_share) * room
        below = self._below(controls, keyboard_h, column)
        stretches = hasattr(controls, "least_height")  # a search: it has its own ways
        compact, key_size = False, 0.0
        if not below and column < app.mm(MIN_COLUMN_MM) and not stretches:
            # No column for the controls beside the keys (a desk): the keyboard below them,
            # its keys as high as the room lets them be down to 20 mm, on four rows when
            # five do not fit.
            below = True
            free = self.height - self.spacing - controls.height
            compact, key_size = fitted_keys(dock.numeric, free, app.key_height,
                                            app.mm(MIN_KEY_MM), app.mm(KEY_GAP_MM))
            keyboard_h = keyboard_height(dock.numeric, compact, key_size)
        split = self._split(controls, dock, below, compact, beside_share * room)
        if split:
            keyboard_h = keyboard_height(False, False, app.key_height, split=True)
        dock.compact, dock.key_size, dock.split = compact, key_size, split
        self.orientation = "vertical" if below else "horizontal"
        share = 1.0 if below else beside_share
        controls.size_hint_x = 1.0 if below else 1.0 - share
        dock.size_hint_x = share
        controls.pos_hint = dock.pos_hint = {"top": 1}
        width = room if below else column
        for widget in controls.walk(restrict=True):
            if isinstance(widget, FlowRow):
                # A narrow column: its buttons one under the other, unless each has the room
                # for its longest word (docs/visual-design.md: a word never breaks).
                widget.stacked = not below and not words_fit(widget, width)
                share_by_words(widget, width)
        self.do_layout()
        # The controls' own widths now, not at their next frame: their heights (a button's
        # words wrapped at the new width) decide the next arrangement.
        controls.do_layout()
        self._page(controls, below, keyboard_h)

    def _page(self, controls: Widget, below: bool, keyboard_h: float) -> None:
        """When the controls do not fit beside or above the keyboard: first the keyboard
        beside them as narrow as its 20 mm keys allow, then one field at a time
        (docs/visual-design.md, "One question per screen"); all as written in a new room.
        Below the keyboard, the pager stands beside the field: the keyboard leaves no row."""
        if self.pages is None or self.pages.column is not controls:
            self.pages = FieldPages(controls)
        pages = self.pages
        app: Any = App.get_running_app()
        room = (round(self.width), round(self.height), app.text_size)
        if room != self._paged_for:
            self._paged_for = room
            if pages.paged or self._narrow:
                pages.page(False)
                self._narrow = False
                self._arrange()
                return
        needed = controls.height + (self.spacing + keyboard_h if below else 0.0)
        dock_numeric = bool(getattr(self._parts()[1], "numeric", False))
        if needed > self.height + 0.5 and not pages.paged:
            if not below and not self._narrow and not dock_numeric:
                self._narrow = True
                self._arrange()
            elif pages.can_page:
                pages.page(True, inline=below)
        elif pages.paged:
            pages.page(True, inline=below)
            pages.relabel()

    def _split(self, controls: Widget, dock: KeyboardDock, below: bool, compact: bool,
               beside: float) -> bool:
        """Whether the letters' word keys take two rows: where one row of the keyboard's width
        cannot hold their words whole and the room has the height for the sixth row."""
        if dock.numeric or compact or not dock.shown:
            return False
        app: Any = App.get_running_app()
        if words_row_width(False, app.lang) <= (self.width if below else beside):
            return False
        keys_h = keyboard_height(False, False, app.key_height, split=True)
        needed = controls.height + self.spacing + keys_h if below else keys_h
        return needed <= self.height + 0.5

    def _below(self, controls: Widget, keyboard_h: float, column: float) -> bool:
        """Whether the keyboard goes below the controls. Controls that stretch (a search and
        its choices, `SearchColumn`) say the least they need and what they need to show their
        choices too: below when the choices fit there, else beside when they fit in a column
        wide enough, else below with the least."""
        app: Any = App.get_running_app()
        least = float(getattr(controls, "least_height", controls.height))
        ideal = float(getattr(controls, "ideal_height", least))
        if ideal + self.spacing + keyboard_h <= self.height + 0.5:
            return True
        if ideal > least:
            if ideal <= self.height and column >= app.mm(MIN_COLUMN_MM):
                return False
            return least + self.spacing + keyboard_h <= self.height + 0.5
        return False


def words_fit(row: Widget, width: float) -> bool:
    """Whether the buttons of `row` side by side in `width` each hold their longest word."""
    buttons = [w for w in row.children if isinstance(w, KioskButton)]
    if len(buttons) != len(row.children) or not buttons:
        return False
    share = (width - row.spacing * (len(buttons) - 1)) / len(buttons)
    return all(one_line_width(word, b.font_size, b.font_name, b.icon) <= share
               for b in buttons for word in b.text.split())


def share_by_words(row: Widget, width: float) -> None:
    """Buttons side by side share `width` equally, or, where one would wrap its words and
    each can hold them on one line, as their words need: the row keeps one line's height."""
    buttons = [w for w in row.children if isinstance(w, KioskButton)]
    if len(buttons) != len(row.children) or not buttons:
        return
    room = width - row.spacing * (len(buttons) - 1)
    needs = [one_line_width(b.text, b.font_size, b.font_name, b.icon) for b in buttons]
    fair = room / len(buttons)
    by_words = not row.stacked and max(needs) > fair and sum(needs) <= room
    for button, need in zip(buttons, needs, strict=True):
        button.size_hint_x = need if by_words else 1


def key_rows(numeric: bool, compact: bool, split: bool = False) -> int:
    """How many rows of keys the keyboard has: the pad's five, the letters' five or four, six
    with the word keys on two rows."""
    if numeric:
        return len(NUMPAD_ROWS) + 2
    return len(COMPACT_ROWS) if compact else len(AZERTY_ROWS) + (2 if split else 1)


def keyboard_height(numeric: bool, compact: bool, key: float, gap: float | None = None,
                    split: bool = False) -> float:
    """The keyboard's height with keys `key` high (pixels)."""
    if gap is None:
        gap = App.get_running_app().mm(KEY_GAP_MM)
    rows = key_rows(numeric, compact, split)
    return rows * key + (rows - 1) * gap


def fitted_keys(numeric: bool, free: float, largest: float, smallest: float,
                gap: float) -> tuple[bool, float]:
    """The keyboard for a height `free`: (on four rows, its keys' height), the keys as high as
    fits between `smallest` (20 mm, docs/accessibility.md B5) and `largest`, on five rows
    when they fit, else on four (the pad keeps its five)."""
    for compact in ((False,) if numeric else (False, True)):
        rows = key_rows(numeric, compact)
        key = (free - (rows - 1) * gap) / rows
        if key >= smallest:
            return compact, min(largest, key)
    return not numeric, smallest


def take_keyboards(view: Widget) -> None:
    """Give the docks of the view being shown their keyboard."""
    for widget in view.walk(restrict=True):
        if isinstance(widget, KeyboardDock):
            widget.take()


def release_keyboards(view: Widget) -> None:
    """Take the shared keyboards back from a view about to be dropped: a keyboard left in it
    would keep the whole view alive, and type into its field."""
    for widget in view.walk(restrict=True):
        if isinstance(widget, KeyboardDock):
            widget.release()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
