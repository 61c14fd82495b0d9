"""What a key press means for people who move and choose with keys or switches, before any
widget sees it: move the focus on, choose the focused control, pass it on, or ignore it.

A switch interface is a keyboard to the station: its "move" and "select" switches send keys
the configuration names (docs/accessibility.md F2). A press too soon after the same key is
ignored (tremor, F8), and so is a key held down, unless it repeats after a delay set for
someone who needs it (F7). Pure: the caller gives the time of every press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.settings.models import InputSettings


class KeyAction(StrEnum):
    """What becomes of a key press."""

    PASS = "pass"
    """Not a switch key: the lock-down and the focused widget handle it."""
    MOVE = "move"
    SELECT = "select"
    IGNORE = "ignore"
    """A bounce or a repeat: nothing happens."""


@dataclass
class KeyFilter:
    """Turns key presses into actions, remembering what is held and when each key was last
    pressed."""

    settings: InputSettings
    _held: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _repeating: set[str] = field(default_factory=set)

    def down(self, key: str, now: float, modifiers: frozenset[str] = frozenset()) -> KeyAction:
        """A key went down (a repeat of a held key comes as another down, without an up)."""
        if key in self._held:
            return self._repeat(key, now)
        self._held[key] = now
        if self.settings.debounce_s and now - self._last.get(key, float("-inf")) < (
                self.settings.debounce_s):
            return KeyAction.IGNORE
        self._last[key] = now
        return self._meaning(key, modifiers)

    def up(self, key: str) -> None:
        """The key was released."""
        self._held.pop(key, None)
        self._repeating.discard(key)

    def _repeat(self, key: str, now: float) -> KeyAction:
        delay = self.settings.repeat_delay_s
        if not delay or now - self._held[key] < delay:
            return KeyAction.IGNORE
        self._repeating.add(key)
        return self._meaning(key, frozenset())

    def _meaning(self, key: str, modifiers: frozenset[str]) -> KeyAction:
        if modifiers & {"ctrl", "alt", "meta", "shift"}:
            return KeyAction.PASS  # Shift+Tab goes back; chords are the lock-down's
        if key in self.settings.move_keys:
            return KeyAction.MOVE
        if key in self.settings.select_keys:
            return KeyAction.SELECT
        return KeyAction.PASS
