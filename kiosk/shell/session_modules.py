"""The libraries a session may need and an idle station does not: loaded once the first
session has begun, a few at a time while the visitor reads the home screen.

An idle station draws no receipt, no QR code and no date: Pillow and qrcode (the receipt's
drawing and the code on screen, about 6 MiB with the libraries Pillow maps) and Babel (dates
and numbers in words, 1.2 MiB without its locale data) are not loaded at start
(docs/performance.md, "What an idle station holds"). The code that uses them imports them
where it needs them, so nothing depends on this module having run; it only makes sure that a
visitor never waits for an import, as the build-ahead makes sure that no visitor waits for a
screen's build (kiosk/shell/app.py, BUILD_AHEAD_S). Once loaded they stay: the next sessions
find them loaded.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

#: Loaded in this order, one a step; each takes 5–15 ms on the 2-core test machines.
SESSION_MODULES = ("PIL.Image", "qrcode", "kiosk.receipts", "babel.dates", "babel.numbers")
#: After the session's first screen is drawn, like the build-ahead, and between steps.
STEP_S = 0.15

Schedule = Callable[[Callable[[float], None], float], object]


class SessionModules:
    """Loads SESSION_MODULES on the UI thread, one per clock step, once per process."""

    def __init__(self, schedule: Schedule, modules: tuple[str, ...] = SESSION_MODULES) -> None:
        self._schedule = schedule
        self._waiting = [m for m in modules if m not in sys.modules]
        self._started = False

    @property
    def loaded(self) -> bool:
        """Whether every module is loaded."""
        return not self._waiting

    def load_soon(self) -> None:
        """Start loading, if not started yet (a session has begun)."""
        if self._started or not self._waiting:
            return
        self._started = True
        self._schedule(self._step, STEP_S)

    def _step(self, _dt: float) -> None:
        importlib.import_module(self._waiting.pop(0))
        if self._waiting:
            self._schedule(self._step, STEP_S)
