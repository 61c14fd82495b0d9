"""Keys and switches at the window, before any widget sees them: a switch interface's "move"
and "select" (or Tab and Enter) move the focus through the screen's controls in reading order
and choose the focused one; bounces and held keys are dropped (kiosk/core/keys.py decides,
docs/accessibility.md F2, F7, F8); with one switch, the focus can move on by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Keyboard
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.core.keys import KeyAction, KeyFilter
from kiosk.settings.models import InputSettings

# How long a key-chosen button shows as pressed before it acts, as after a touch.
PRESS_S = 0.05
# The keyboard's own Enter keys: in a field of several lines they start a new line.
TYPED_ENTER = frozenset({"enter", "numpadenter"})
NAMES = {code: name for name, code in Keyboard.keycodes.items()}


class KeyInput:
    """What the window does with switch keys. `focused` gives the widgets that have focus,
    `first` the control a screen starts its focus on, `focus` gives focus to one."""

    def __init__(self, settings: InputSettings, focused: Callable[[], Iterator[Widget]],
                 first: Callable[[], Widget | None], focus: Callable[[Widget | None], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._filter = KeyFilter(settings)
        self._focused = focused
        self._first = first
        self._focus = focus
        self._clock = clock
        #: the last key down was dropped: the text it would type is dropped too
        self.swallowing = False
        self._scan = (Clock.schedule_interval(self._scan_on, settings.auto_scan_s)
                      if settings.auto_scan_s else None)
        self.scanning = False

    @staticmethod
    def name(key: int, codepoint: str | None = None) -> str:
        """Kivy's name of a key code ("tab", "enter", "f13", "a", "1")."""
        return NAMES.get(key) or (codepoint or "").lower()

    def down(self, key: int, codepoint: str | None, modifiers: list[str]) -> bool:
        """A key went down; True when it is used up here."""
        name = self.name(key, codepoint)
        action = self._filter.down(name, self._clock(), frozenset(modifiers))
        if action is KeyAction.SELECT and name in TYPED_ENTER and self._writing():
            action = KeyAction.PASS  # Enter in a field of several lines is a new line
        self.swallowing = action is KeyAction.IGNORE
        if action in (KeyAction.MOVE, KeyAction.SELECT):
            self.scanning = True
        match action:
            case KeyAction.IGNORE:
                return True
            case KeyAction.MOVE:
                self.move()
                return True
            case KeyAction.SELECT:
                self.select()
                return True
        return False

    def _writing(self) -> bool:
        current: Any = next(self._focused(), None)
        return isinstance(current, TextInput) and bool(current.multiline)

    def up(self, key: int) -> None:
        """The key was released."""
        self._filter.up(self.name(key))

    def move(self) -> None:
        """The focus to the next control in reading order, wrapping at the end (no trap:
        docs/accessibility.md F3); with none focused, to the screen's first."""
        current = next(self._focused(), None)
        following = current.get_focus_next() if current is not None else None
        self._focus(following if following is not None else self._first())

    def select(self) -> None:
        """Choose the focused control, as a touch would; with none focused, focus the first."""
        current: Any = next(self._focused(), None)
        if current is None:
            self._focus(self._first())
        elif isinstance(current, TextInput):
            current.dispatch("on_text_validate")
        elif hasattr(current, "trigger_action"):
            current.trigger_action(duration=PRESS_S)

    def _scan_on(self, _dt: float) -> None:
        """One switch: once the person has pressed a key, the focus moves on by itself."""
        if self.scanning:
            self.move()

    def stop_scanning(self) -> None:
        """A touch, or the end of a session: the focus stays where it is."""
        self.scanning = False
