"""The codes a real scanner has read and the station has not taken yet.

Shared by the evdev and keyboard-wedge scanners: `put` from the thread or key handler that
assembles codes, `get` from `Scanner.read()`, which must never block.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_PENDING_CODES = 8
"""A person scans one receipt at a time; more unread codes than this means nobody is reading
them, and only the newest matter (bounded memory: docs/architecture.md, "memory that grows
over weeks")."""

CODE_TTL_S = 30.0
"""A scan answers the screen in front of the person who made it. One that nobody took within
30 s (fifteen device polls at the default 2 s) was made for a screen that has gone, maybe by
someone who has left: it is dropped rather than acted on later (docs/architecture.md, rule 4)."""


class CodeQueue:
    """Thread-safe, bounded, and forgetful of stale codes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 max_codes: int = MAX_PENDING_CODES, ttl_s: float = CODE_TTL_S) -> None:
        self._clock = clock
        self._ttl_s = ttl_s
        self._codes: deque[tuple[float, str]] = deque(maxlen=max_codes)
        self._lock = threading.Lock()

    def put(self, code: str) -> None:
        """Keep a code (the oldest goes when the queue is full)."""
        with self._lock:
            self._codes.append((self._clock(), code))

    def get(self) -> str | None:
        """The oldest code still fresh, removed; None when there is none."""
        now = self._clock()
        with self._lock:
            while self._codes:
                at, code = self._codes.popleft()
                if now - at <= self._ttl_s:
                    return code
        return None
