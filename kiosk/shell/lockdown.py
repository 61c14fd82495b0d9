"""Keys a passer-by could use to leave or break the app, and what becomes of them
(docs/kivy.md §1): they are swallowed before any widget sees them."""

from __future__ import annotations

from collections.abc import Iterable

# Kivy keycodes (SDL2): kivy/core/window/__init__.py Keyboard.keycodes.
ESCAPE = 27
TAB = 9
F1 = 282
F4 = 285
F11 = 292
F12 = 293
LETTER_KEYS_UNDER_CTRL = {ord(c) for c in "qwcehfnrtpdl"}
"""Ctrl+Q/W/C (quit, close, interrupt), Ctrl+E (Kivy inspector), and the browser-like chords
people try (find, new, reload, print...): none means anything in the kiosk."""
ALWAYS_BLOCKED = {F1, F11, F12}
"""F1 opens Kivy's settings panel; F11/F12 are Kivy's keybinding/screenshot module keys."""


def is_blocked(key: int, modifiers: Iterable[str]) -> bool:
    """Whether a key press must never reach the app's widgets or Kivy's own handlers."""
    mods = set(modifiers)
    if key in ALWAYS_BLOCKED or key == ESCAPE:
        return True
    if "alt" in mods and key == F4:
        return True
    return bool(mods & {"ctrl", "meta"}) and key in LETTER_KEYS_UNDER_CTRL
