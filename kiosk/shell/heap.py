"""Giving a session's memory back to the system once its screens are gone.

The screens a session built are dropped when it ends, but glibc keeps the pages they freed in
its heaps for reuse. Measured here (tests/benchmarks/session_memory.py), a station that runs one
flow per session settles about 7 MiB higher without `malloc_trim(3)` than with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import cache


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
