"""Unit tests of the key lockdown rule (`kiosk.shell.lockdown`, a pure module).

They prove that the keys a passer-by could use to leave or break the app (Escape, F1, F11, F12,
Alt+F4, Ctrl+Q/W/C/E) are swallowed, while the keys a person needs to type and move around
(letters, Tab, Enter, F4 alone, Ctrl+Tab) still reach the widgets.
"""

import pytest

from kiosk.shell.lockdown import ESCAPE, F1, F4, F11, F12, TAB, is_blocked

ENTER = 13


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (ESCAPE, []),
        (ESCAPE, ["shift"]),
        (F1, []),
        (F11, []),
        (F12, []),
        (F4, ["alt"]),
        (ord("q"), ["ctrl"]),
        (ord("w"), ["ctrl"]),
        (ord("c"), ["ctrl"]),
        (ord("e"), ["ctrl"]),
        (ord("q"), ["ctrl", "numlock"]),  # a lit NumLock does not open a way out
        (ord("q"), ["meta"]),
    ],
)
def test_ways_out_are_blocked(key, modifiers):
    assert is_blocked(key, modifiers) is True


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (ord("q"), []),
        (ord("w"), []),
        (ord("e"), ["shift"]),
        (ord("a"), []),
        (TAB, []),
        (TAB, ["shift"]),
        (ENTER, []),
        (ENTER, ["numlock"]),
        (F4, []),
        (TAB, ["ctrl"]),
    ],
)
def test_typing_and_moving_around_are_not_blocked(key, modifiers):
    assert is_blocked(key, modifiers) is False


def test_keycodes_are_kivy_sdl2_ones():
    assert (ESCAPE, TAB, F1, F4, F11, F12) == (27, 9, 282, 285, 292, 293)
