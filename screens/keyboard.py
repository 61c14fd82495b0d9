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
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from screens.widgets import KioskButton

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
LETTERS = "ABC"
SPACE = " "


class KeyButton(KioskButton):
    """One key; `value` is what it types. Keys take part in keyboard and switch navigation
    (docs/accessibility.md F2: Move reaches every control), but a touched key does not take
    the focus, so the field being typed into keeps its cursor."""

    value = StringProperty("")

    def on_touch_down(self, touch: Any) -> bool:
        """Pressed as a button, without FocusBehavior's taking of the focus."""
        return bool(super(FocusBehavior, self).on_touch_down(touch))


class OnScreenKeyboard(GridLayout):
    """Types into `target` (a TextInput). `numeric` gives the 12-key pad."""

    target = ObjectProperty(None, allownone=True)
    numeric = BooleanProperty(False)
    shift = BooleanProperty(False)
    signs = BooleanProperty(False)
    key_size = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(numeric=self._rebuild, signs=self._rebuild, shift=self._relabel)
        App.get_running_app().bind(lang=self._relabel)
        self._rebuild()

    def _key_rows(self) -> list[list[str]]:
        if self.numeric:
            return [list(r) for r in NUMPAD_ROWS] + [[BACKSPACE, "0", "OK"], [LETTERS]]
        letters = SIGN_ROWS if self.signs else AZERTY_ROWS
        rows = [list(r) for r in letters]
        rows.append(["⇧", "123" if not self.signs else "abc", SPACE, BACKSPACE, "OK"])
        return rows

    def _rebuild(self, *_args: Any) -> None:
        self.clear_widgets()
        rows = self._key_rows()
        self.cols = max(len(r) for r in rows)
        for row in rows:
            for value in row:
                key = KeyButton(value=value, role=f"key.{value}")
                key.bind(on_release=self._pressed)
                self.add_widget(key)
            for _ in range(self.cols - len(row)):
                self.add_widget(Widget())  # an empty cell: nothing to see, nothing to focus
        self._relabel()

    def _relabel(self, *_args: Any) -> None:
        lang = App.get_running_app().lang
        for key in self.children:
            if not isinstance(key, KeyButton):
                continue
            value = key.value
            if value == SPACE:
                key.text = translate("keyboard.space", lang)
            elif value == "OK":
                key.text = translate("keyboard.ok", lang)
            else:
                key.text = value.upper() if self.shift and value.isalpha() else value

    def _pressed(self, key: KeyButton) -> None:
        target = self.target
        value = key.value
        if value == "⇧":
            self.shift = not self.shift
            return
        if value in ("123", "abc"):
            self.signs = not self.signs
            return
        if value == LETTERS:
            self.numeric = False
            return
        if target is None:
            return
        if value == BACKSPACE:
            target.do_backspace()
        elif value == "OK":
            target.dispatch("on_text_validate")
        else:
            target.insert_text(value.upper() if self.shift else value)
            self.shift = False


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
