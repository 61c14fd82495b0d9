"""The citizen session: what one person entrusted to the station, and its inactivity timer.

Everything personal lives in `CitizenSession` and nowhere else in the core, so that ending a
session is one `wipe()` and dropping one reference.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.clock import Clock
from kiosk.core.events import Ident

if TYPE_CHECKING:
    from kiosk.core.receipt import Receipt


class EndReason(StrEnum):
    """Why a session ended."""

    TIMEOUT = "timeout"
    FINISHED = "finished"


class CitizenSession:
    """One person's session. Holds personal data; never logged, never written to disk."""

    __slots__ = ("__weakref__", "_data", "flow", "id", "receipt", "started_at")

    def __init__(self, started_at: float) -> None:
        #: random, short, not derived from anything about the person: safe to log
        self.id = Ident(secrets.token_hex(6))
        self.started_at = started_at
        self._data: dict[str, str] = {}
        #: the active flow's value (a kiosk.core.flows.base.Flow), holding what was entered
        self.flow: object | None = None
        #: the last receipt of this session, for "Print again" (its number is private)
        self.receipt: Receipt | None = None

    def get(self, key: str) -> str:
        """A value the person entered, or "" when there is none."""
        return self._data.get(key, "")

    def put(self, key: str, value: str) -> None:
        """Keep a value the person entered, for the rest of this session only."""
        if value:
            self._data[key] = value
        else:
            self._data.pop(key, None)

    def wipe(self) -> None:
        """Drop everything the person entered."""
        self._data.clear()
        self.flow = None
        self.receipt = None


class IdlePhase(StrEnum):
    """Where a session stands with respect to inactivity."""

    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass(frozen=True)
class IdleStatus:
    """The phase and, during the warning, the whole seconds left."""

    phase: IdlePhase
    remaining_s: int | None = None


class IdleTimer:
    """Inactivity rule of docs/accessibility.md E1–E3: after `idle_s` without activity a warning
    stays `warning_s`; during the warning only an explicit "continue" extends the session,
    as many times as the person wants."""

    def __init__(self, clock: Clock, idle_s: float, warning_s: float) -> None:
        self._clock = clock
        self.idle_s = idle_s
        self.warning_s = warning_s
        self._last_activity = clock()

    def activity(self) -> None:
        """A touch or a key: restarts the idle count unless the warning is already up."""
        if self.status().phase is IdlePhase.ACTIVE:
            self._last_activity = self._clock()

    def extend(self) -> None:
        """The person answered the warning (or did something that proves presence)."""
        self._last_activity = self._clock()

    def status(self) -> IdleStatus:
        """The phase now."""
        idle = self._clock() - self._last_activity
        if idle < self.idle_s:
            return IdleStatus(IdlePhase.ACTIVE)
        left = self.idle_s + self.warning_s - idle
        if left > 0:
            return IdleStatus(IdlePhase.WARNING, remaining_s=max(1, int(left + 0.999)))
        return IdleStatus(IdlePhase.EXPIRED)
