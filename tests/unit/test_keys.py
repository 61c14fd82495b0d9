"""Switch keys before any widget sees them (kiosk/core/keys.py): move and select keys as the
configuration names them, bounces dropped up to the debounce time (EN 301 549 5.8, tested as
docs/accessibility.md F8 says: two presses 0.4 s apart with 0.5 s set, the second ignored), and
a held key never repeating unless a repeat delay is set (5.7)."""

from __future__ import annotations

import pytest

from kiosk.core.keys import KeyAction, KeyFilter
from kiosk.settings.models import InputSettings


def press(keys: KeyFilter, name: str, at: float, mods: frozenset[str] = frozenset()
          ) -> KeyAction:
    action = keys.down(name, at, mods)
    keys.up(name)
    return action


def test_tab_moves_enter_selects_and_other_keys_pass():
    keys = KeyFilter(InputSettings())
    assert press(keys, "tab", 0) is KeyAction.MOVE
    assert press(keys, "enter", 1) is KeyAction.SELECT
    assert press(keys, "numpadenter", 2) is KeyAction.SELECT
    assert press(keys, "a", 3) is KeyAction.PASS
    assert press(keys, "escape", 4) is KeyAction.PASS
    assert press(keys, "tab", 5, frozenset({"shift"})) is KeyAction.PASS, "Shift+Tab goes back"


def test_a_switch_interface_s_keys_are_taken_as_configured():
    keys = KeyFilter(InputSettings(move_keys=("spacebar",), select_keys=("1",)))
    assert press(keys, "spacebar", 0) is KeyAction.MOVE
    assert press(keys, "1", 1) is KeyAction.SELECT
    assert press(keys, "tab", 2) is KeyAction.PASS


def test_a_bounce_inside_the_debounce_time_is_ignored():
    keys = KeyFilter(InputSettings(debounce_s=0.5))
    assert press(keys, "tab", 10.0) is KeyAction.MOVE
    assert press(keys, "tab", 10.4) is KeyAction.IGNORE
    assert press(keys, "tab", 10.95) is KeyAction.MOVE, "counted from the last press kept"
    assert press(keys, "enter", 11.0) is KeyAction.SELECT, "another key is another press"
    assert press(keys, "b", 11.1) is KeyAction.PASS
    assert press(keys, "b", 11.2) is KeyAction.IGNORE, "a typed letter bounces too"


def test_without_debounce_every_press_counts():
    keys = KeyFilter(InputSettings())
    assert [press(keys, "tab", t / 100) for t in range(3)] == [KeyAction.MOVE] * 3


def test_a_held_key_does_not_repeat_unless_a_delay_is_set():
    keys = KeyFilter(InputSettings())
    assert keys.down("tab", 0.0, frozenset()) is KeyAction.MOVE
    assert keys.down("tab", 0.6, frozenset()) is KeyAction.IGNORE
    assert keys.down("tab", 5.0, frozenset()) is KeyAction.IGNORE
    keys.up("tab")
    repeating = KeyFilter(InputSettings(repeat_delay_s=2.0))
    assert repeating.down("tab", 0.0, frozenset()) is KeyAction.MOVE
    assert repeating.down("tab", 1.0, frozenset()) is KeyAction.IGNORE
    assert repeating.down("tab", 2.5, frozenset()) is KeyAction.MOVE


def test_a_key_cannot_both_move_and_select():
    with pytest.raises(ValueError, match="cannot both move and select"):
        InputSettings(move_keys=("enter",), select_keys=("enter",))
