"""From the scanner to the core: each code read becomes a `CodeScanned` intent (a receipt's QR
code opens tracking, or answers the step that waits for one), on the UI thread.

A keyboard-wedge scanner types into the window like a keyboard: its characters are fed to the
wedge discriminator before any text field sees them, and what turns out to be typing is given
back to the focused widget as it was typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from devices.wedge_scanner import WedgeScanner
from kiosk.core.devices import Scanner
from kiosk.core.flows.base import CodeScanned

# SDL key codes that are not text but end a burst of typing: backspace, tab, escape, delete,
# the arrows, insert, home, end, page up and down (kivy/core/window/__init__.py, keycodes).
NOT_TEXT_KEYS = frozenset({8, 9, 27, 127, 273, 274, 275, 276, 277, 278, 279, 280, 281})
ENTER_KEYS = frozenset({13, 271})  # enter, numpad enter


class ScannerLink:
    """Polls the scanner on the UI tick; in wedge mode, also sits in front of text input."""

    def __init__(self, scanner: Scanner, dispatch: Callable[[CodeScanned], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._scanner = scanner
        self._dispatch = dispatch
        self._clock = clock
        self._wedge = scanner if isinstance(scanner, WedgeScanner) else None
        self._window: Any = None
        self._replaying = False

    def attach(self, window: Any) -> None:
        """Bind to the window's text input (bound last, so it runs before Kivy's own
        handler and a swallowed character never reaches a field)."""
        if self._wedge is None:
            return
        self._window = window
        self._wedge.set_typing_sink(self._type_back)
        window.bind(on_textinput=self._on_textinput)

    def poll(self) -> None:
        """Hand every code read since the last tick to the core."""
        if self._wedge is not None:
            self._wedge.tick(self._clock())
        for _ in range(8):  # a few at most per tick: the queue never holds more
            code = self._scanner.read()
            if code is None:
                return
            self._dispatch(CodeScanned(code))

    def key_down(self, key: int) -> bool:
        """A key-down before the shell's own handling; True when it ended a scan."""
        if self._wedge is None:
            return False
        now = self._clock()
        if key in ENTER_KEYS and self._wedge.feed("\r", now):
            return True
        if key in NOT_TEXT_KEYS:
            self._wedge.interrupt(now)
        return False

    def _on_textinput(self, _window: Any, text: str) -> bool:
        if self._wedge is None or self._replaying:
            return False
        now = self._clock()
        return all([self._wedge.feed(char, now) for char in text])

    def _type_back(self, text: str) -> None:
        """Characters held while deciding, given back to the focused widget as typing."""
        if self._window is None:
            return
        self._replaying = True
        try:
            self._window.dispatch("on_textinput", text)
        finally:
            self._replaying = False
