"""What keeps the station's memory, which holds what people typed during their session, from
leaving the process: a native crash (SDL, Mesa, a C extension) would otherwise write all of it
to a core file on disk, and any other process of the same user could read it through ptrace
(docs/architecture.md rule 4: personal data never reaches a crash report or disk outside
the outbox)."""

from __future__ import annotations

import ctypes
import resource

# linux/prctl.h (prctl(2)).
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def _prctl(option: int, value: int = 0) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    result = int(libc.prctl(option, value, 0, 0, 0))
    if result < 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")
    return result


def seal() -> None:
    """No core file, whatever the system's settings, and no ptrace by the station's user.
    Nothing in the app undoes either: they hold for the life of the process."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _prctl(PR_SET_DUMPABLE, 0)


def is_sealed() -> bool:
    """Whether `seal` has run in this process."""
    return resource.getrlimit(resource.RLIMIT_CORE) == (0, 0) and _prctl(PR_GET_DUMPABLE) == 0
