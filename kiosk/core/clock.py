"""Time as the core sees it: a callable returning seconds, injectable for tests and demos."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


def monotonic_clock() -> float:
    """The real clock: monotonic, so that a change of the wall clock never ends a session."""
    return time.monotonic()


class ManualClock:
    """A clock that only moves when told to: tests and the scripted demo use it to reach the
    inactivity warning without waiting minutes."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.now += seconds
