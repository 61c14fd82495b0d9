"""On-screen keyboards: AZERTY with the French accents, and a 12-key numeric pad.

Keys are at least 20 mm on the configured panel (docs/accessibility.md B5) and act on release like
every button. A keyboard types into one target field, so the text never passes through the
system clipboard or a global key handler; typing is "activity" for the inactivity timer.

A screen holds a `KeyboardDock`, not a keyboard: the window has one AZERTY keyboard and one
numeric pad, and the dock of the screen being shown takes the one it needs. Fifty keys per
screen that types were the largest part of the app's memory.
"""

from __future__ import annotations

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
from kiosk.core.tokens import KEY_GAP_MM
from screens.app_followers import follow_app
from screens.widgets import FlowRow, KioskButton

# French AZERTY (NF Z71-300 letter rows), the accents that rows of a physical AZERTY give with
# the number row, and the signs an address or an e-mail needs.
AZERTY_ROWS = (
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn'-@.",
    "éèêàçùôîë,",
)
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
# docs/accessibility.md B5: keys at least 20 mm both ways.
MIN_KEY_MM = MIN_TARGET_MM
# Keys that say what they do in words, with their pictogram (the text face has no ⌫ or ⇧),
# and how many letter keys wide they are on the letters' last row.
WORD_KEYS = {
    BACKSPACE: ("keyboard.delete", "backspace", 2.0),
    SHIFT: ("keyboard.shift", "shift", 1.5),
    SIGNS: ("keyboard.signs", "", 1.5),
    LOWER: ("keyboard.letters", "", 1.5),
    LETTERS: ("keyboard.letters", "keyboard", 1.0),
    SPACE: ("keyboard.space", "space_bar", 3.0),
    OK: ("keyboard.ok", "check", 2.0),
}


class KeyButton(KioskButton):
    """One key; `value` is what it types. Keys take part in keyboard and switch navigation
    (docs/accessibility.md F2: Move reaches every control), but a touched key does not take
    the focus, so the field being typed into keeps its cursor. Its words are centred, its
    pictogram (a word key's) beside them."""

    value = StringProperty("")

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
    key_size = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(numeric=self._rebuild, signs=self._rebuild, shift=self._relabel)
        follow_app(App.get_running_app(), "lang", self, "_relabel")
        self._rebuild()

    def _key_rows(self) -> list[list[str]]:
        if self.numeric:
            return [list(r) for r in NUMPAD_ROWS] + [[BACKSPACE, "0", OK], [LETTERS]]
        letters = SIGN_ROWS if self.signs else AZERTY_ROWS
        rows = [list(r) for r in letters]
        rows.append([SHIFT, LOWER if self.signs else SIGNS, SPACE, BACKSPACE, OK])
        return rows

    def keys(self) -> list[KeyButton]:
        """Every key, row by row."""
        return [key for row in reversed(self.children) for key in reversed(row.children)
                if isinstance(key, KeyButton)]

    def _rebuild(self, *_args: Any) -> None:
        self.clear_widgets()
        for values in self._key_rows():
            row = KeyRow()
            for value in values:
                word = WORD_KEYS.get(value)
                # On the pad every key is one column; on the letters, word keys are wider.
                span = 1.0 if self.numeric or word is None else word[2]
                key = KeyButton(value=value, role=f"key.{value}", size_hint_x=span,
                                kind="primary" if value == OK else "secondary")
                key.bind(on_release=self._pressed)
                row.add_widget(key)
            self.add_widget(row)
        self._relabel()

    def _relabel(self, *_args: Any) -> None:
        lang = App.get_running_app().lang
        for key in self.keys():
            value = key.value
            word = WORD_KEYS.get(value)
            if word is not None:
                key.text = translate(word[0], lang) if value != LETTERS else LETTERS
            else:
                key.text = value.upper() if self.shift and value.isalpha() else value

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


class KeyRow(BoxLayout):
    """One row of keys."""


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

    def __init__(self, **kwargs: Any) -> None:
        self.keyboard: OnScreenKeyboard | None = None
        super().__init__(**kwargs)
        self.bind(target=self._forward, numeric=self._retake, shown=self._retake)

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
        self._fit()

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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._arrange = Clock.create_trigger(self._place, -1)
        self.bind(size=self._arrange)

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
        keyboard_h = shared_keyboard(dock.numeric).height if dock.shown else 0.0
        below = controls.height + self.spacing + keyboard_h <= self.height + 0.5
        self.orientation = "vertical" if below else "horizontal"
        # Beside the controls, the keys keep their 20 mm (docs/accessibility.md B5).
        app: Any = App.get_running_app()
        columns = len(NUMPAD_ROWS[0]) if dock.numeric else len(AZERTY_ROWS[0])
        narrowest = app.mm(columns * MIN_KEY_MM + (columns - 1) * KEY_GAP_MM) + columns
        room = max(self.width - self.spacing, 1.0)
        least = self.KEYPAD_BESIDE_SHARE if dock.numeric else self.BESIDE_SHARE
        share = 1.0 if below else min(1.0, max(least, narrowest / room))
        controls.size_hint_x = 1.0 if below else 1.0 - share
        dock.size_hint_x = share
        controls.pos_hint = dock.pos_hint = {"top": 1}
        for widget in controls.walk(restrict=True):
            if isinstance(widget, FlowRow):
                widget.stacked = not below  # a narrow column: its buttons one under the other
        self.do_layout()


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
