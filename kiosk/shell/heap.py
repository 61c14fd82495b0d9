"""Giving a session's memory back to the system once its screens are gone, and keeping the
collector's full passes out of the session.

The screens a session built are dropped when it ends, but glibc keeps the pages they freed in
its heaps for reuse. Measured here (tests/benchmarks/session_memory.py), a station that runs one
flow per session settles about 7 MiB higher without `malloc_trim(3)` than with it.

A session's objects live until it ends: its screens are kept until then, and dropped all at
once. A full pass of the garbage collector during the session walks all of them (some 15 000
per screen built) and finds almost nothing to free; it came in the middle of a screen's build
or a tap's answer, 50 to 200 ms of it (docs/performance.md, "A screen's build"). The station
collects everything itself when the session ends (`release_free_memory`); during it, the full
pass waits for many more young passes than Python's default.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import cache

#: Young passes (of the middle generation) before a full one: Python's default is 10, about
#: one full pass for every three screens built; 100 is more young passes than a session
#: through every screen makes, and still bounds what a session that keeps dropping long-lived
#: objects can pile up before the collector walks them.
FULL_PASS_AFTER = 100


def pace_collections() -> None:
    """Let the collector's full pass wait for `FULL_PASS_AFTER` young passes, the young
    generations' own thresholds kept."""
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)  # glibc only (malloc_trim(3))
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Collect unreachable cycles, then hand free heap pages back to the system. Returns
    whether the C library could (False where it has no `malloc_trim`, as with musl)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
