"""What happens to an exception raised in a Kivy callback: it is logged without its message or
local values (they may hold what a person typed), and the app keeps running (docs/kivy.md §1:
otherwise any uncaught exception ends `run()`)."""

from __future__ import annotations

import logging
import traceback

from kivy.base import ExceptionHandler, ExceptionManager

from kiosk.core.events import EventType, Ident, record

# Frames kept in the log line: enough to find the bug, short enough for one journald line.
FRAMES_KEPT = 6


def describe(error: BaseException) -> str:
    """Type and code locations only: `file:line in function` for the innermost frames."""
    frames = traceback.extract_tb(error.__traceback__)[-FRAMES_KEPT:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}"
                        for f in reversed(frames))
    return f"{type(error).__name__} at {where}"


class CrashGuard(ExceptionHandler):
    """Logs and passes; counts what it caught so that tests and health checks can see it."""

    def __init__(self) -> None:
        super().__init__()
        self.caught = 0

    def handle_exception(self, inst: BaseException) -> int:
        """Keep the app alive (KeyboardInterrupt and SystemExit still end it)."""
        if isinstance(inst, KeyboardInterrupt | SystemExit):
            return ExceptionManager.RAISE
        self.caught += 1
        record(EventType.APP_CALLBACK_ERROR, logging.ERROR, where=Ident(describe(inst)))
        return ExceptionManager.PASS


def install() -> CrashGuard:
    """Register the guard with Kivy."""
    guard = CrashGuard()
    ExceptionManager.add_handler(guard)
    return guard
