"""The citizen session: what one person entrusted to the station, and its inactivity timer.

Everything personal lives in `CitizenSession` and nowhere else in the core, so that ending a
session is dropping one reference.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.clock import Clock
from kiosk.core.events import Ident

if TYPE_CHECKING:
    from kiosk.core.flows.base import Flow
    from kiosk.core.receipt import Receipt


class EndReason(StrEnum):
    """Why a session ended."""

    TIMEOUT = "timeout"
    FINISHED = "finished"


@dataclass(frozen=True, repr=False)
class CitizenSession:
    """One person's session: what they entered and the flow they are in. A value like the
    state that holds it: every change makes a new session, and ending the session drops the
    last reference to it. Never logged (its repr shows the id only), never written to disk."""

    #: random, short, not derived from anything about the person: safe to log
    id: Ident
    started_at: float
    #: values the person entered outside any flow (the home screen's search), by key
    values: tuple[tuple[str, str], ...] = ()
    #: the active flow's value (a kiosk.core.flows.base.Flow), holding what was entered
    flow: Flow | None = None
    #: the last receipt of this session, for "Print again" (its number is private)
    receipt: Receipt | None = None

    @staticmethod
    def begin(started_at: float) -> CitizenSession:
        """A new session with a fresh random id."""
        return CitizenSession(Ident(secrets.token_hex(6)), started_at)

    def get(self, key: str) -> str:
        """A value the person entered, or "" when there is none."""
        return dict(self.values).get(key, "")

    def put(self, key: str, value: str) -> CitizenSession:
        """The session with `value` kept under `key` (dropped when empty)."""
        kept = tuple((k, v) for k, v in self.values if k != key)
        return replace(self, values=(*kept, (key, value)) if value else kept)

    def cleared(self) -> CitizenSession:
        """The same session with nothing the person entered ("Start again")."""
        return CitizenSession(self.id, self.started_at)

    def __repr__(self) -> str:
        return f"CitizenSession(id={self.id!r})"


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
