"""Staff at the station, as the core knows them (docs/assisted-mode.md): the badge on the reader
(its number, role and how many PIN digits are typed, never its UID, key or digits), the
facilitator's assisted session with the visitor's consent to be typed for and the facilitator's
private note, the technician's maintenance visit, and the facilitation statistics. All frozen
values of `AppState`.

The badge terminal runs on a thread of the shell (kiosk/shell/agent_badges.py); what it decides
arrives here as a `StaffBadge`, and the core turns it into the desk's state: a facilitator
signed in on a `desk-assisted` station opens the assisted session, a technician opens
maintenance, a badge taken off closes either, the visitor's session untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kiosk.core.badge_auth import (
    MAX_PIN_FAILURES,
    BadgeAuth,
    EnteringPin,
    LockedOut,
    PinError,
    SignedIn,
    attempts_left,
)
from kiosk.core.badges import Role
from kiosk.core.effects import Effect
from kiosk.core.receipt import Receipt

# -- the badge on the reader -------------------------------------------------------------------


class StaffPhase(StrEnum):
    """Where the badge on the reader stands, as far as the screens are concerned. A badge whose
    challenge is under way, or that was refused (a visitor's own card, a clone), shows nothing:
    the visitor's screen stays as it was."""

    NONE = "none"
    PIN = "pin"
    LOCKED_OUT = "locked-out"
    SIGNED_IN = "signed-in"


@dataclass(frozen=True)
class StaffBadge:
    """The badge on the reader, as screens may show it: its number and role, how many digits of
    the PIN are typed (a masked field shows that many dots), what went wrong with the last PIN,
    the tries left, and, locked out, the seconds left."""

    phase: StaffPhase = StaffPhase.NONE
    badge_id: str = ""
    role: Role | None = None
    typed: int = 0
    error: PinError | None = None
    attempts_left: int = MAX_PIN_FAILURES
    locked_s: int = 0


NO_BADGE = StaffBadge()


def staff_of(auth: BadgeAuth, now: float) -> StaffBadge:
    """What the screens may know of badge authentication's state at `now`."""
    phase = auth.phase
    if isinstance(phase, EnteringPin):
        return StaffBadge(StaffPhase.PIN, phase.badge_id, phase.role, phase.typed, phase.error,
                          attempts_left(auth, phase.badge_id))
    if isinstance(phase, SignedIn):
        return StaffBadge(StaffPhase.SIGNED_IN, phase.badge_id, phase.role)
    if isinstance(phase, LockedOut):
        role = next((b.role for b in auth.policy.badges.values()
                     if b.badge_id == phase.badge_id), None)
        return StaffBadge(StaffPhase.LOCKED_OUT, phase.badge_id, role, attempts_left=0,
                          locked_s=max(1, math.ceil(phase.until - now)))
    return NO_BADGE


def opens_here(role: Role | None, assisted_desk: bool) -> bool:
    """Whether a badge of `role` opens anything at this station: a technician's opens
    maintenance anywhere; a facilitator's opens the assisted session of a `desk-assisted`
    station only (elsewhere there is no second screen)."""
    return role is Role.TECHNICIAN or (role is Role.FACILITATOR and assisted_desk)


# -- the assisted session ----------------------------------------------------------------------


class Consent(StrEnum):
    """Whether the visitor lets the facilitator type for them (asked on their screen)."""

    NONE = "none"
    ASKED = "asked"
    GIVEN = "given"


class AssistEnd(StrEnum):
    """Why an assisted session ended."""

    CLOSED = "closed"  # the facilitator closed it with an outcome
    SIGNED_OUT = "signed-out"  # the facilitator signed out at the console
    REMOVED = "removed"  # the badge was taken off the reader
    IDLE = "idle"  # nothing from the console for `badges.idle_s`


@dataclass(frozen=True)
class AssistedSession:
    """A facilitator signed in at the desk: who (their badge's number), since when (clock
    seconds), the whole minutes since, the visitor's consent, and the facilitator's private
    note. The note is about the visitor: it never reaches the visitor's screen, a log line or
    the disk, and goes when the visitor's session ends or the assisted session does."""

    facilitator: str
    started_at: float
    minutes: int = 0
    consent: Consent = Consent.NONE
    note: str = field(default="", repr=False)


class Result(StrEnum):
    """How the procedure the facilitator helped with ended."""

    DONE = "done"
    PARTLY_DONE = "partly-done"
    NOT_DONE = "not-done"
    REDIRECTED = "redirected"


OTHER_PROCEDURE = "other"
"""The procedure of an assisted session that was about none of the station's flows."""
MAX_MINUTES = 600
"""The longest assisted session an outcome may say: a working day's ten hours."""


@dataclass(frozen=True)
class Outcome:
    """What an assisted session achieved, for the facilitation statistics: the procedure (a
    flow's name, or "other"), its result and the minutes spent. Identifiers and a number only,
    so that it can be logged and counted."""

    procedure: str
    result: Result
    minutes: int


@dataclass(frozen=True)
class FacilitationStats:
    """Facilitation since the station started: the counts a heartbeat carries (cumulative since
    the process started, as every usage counter of kiosk/core/fleet.py)."""

    sessions: int = 0
    minutes: int = 0
    #: assisted sessions that ended without an outcome (badge taken off, idle, signed out),
    #: and their minutes as the clock counted them
    unclosed: int = 0
    unclosed_minutes: int = 0
    results: tuple[tuple[str, int], ...] = ()
    procedures: tuple[tuple[str, int], ...] = ()

    def closed(self, outcome: Outcome) -> FacilitationStats:
        """The statistics with one more session closed with `outcome`."""
        return replace(self, sessions=self.sessions + 1, minutes=self.minutes + outcome.minutes,
                       results=_count(self.results, outcome.result.value),
                       procedures=_count(self.procedures, outcome.procedure))

    def counts(self) -> dict[str, int]:
        """Every count as a plain name → number mapping, for the heartbeat's usage counters."""
        return {"assisted_sessions": self.sessions, "assisted_minutes": self.minutes,
                "assisted_unclosed": self.unclosed,
                "assisted_unclosed_minutes": self.unclosed_minutes,
                **{f"assisted_result.{k}": v for k, v in self.results},
                **{f"assisted_procedure.{k}": v for k, v in self.procedures}}


def _count(counts: tuple[tuple[str, int], ...], key: str) -> tuple[tuple[str, int], ...]:
    found = dict(counts)
    found[key] = found.get(key, 0) + 1
    return tuple(sorted(found.items()))


# -- the maintenance visit ---------------------------------------------------------------------


class Check(StrEnum):
    """What a technician can try from the maintenance screen."""

    PRINT = "print"
    CARD = "card"
    CENTRAL = "central"


class CheckStatus(StrEnum):
    """Where a check stands."""

    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class CheckResult:
    """A check's result: a machine-readable reason when it failed, and how long it took."""

    status: CheckStatus
    reason: str = ""
    ms: int = 0


@dataclass(frozen=True)
class RecentEvent:
    """An event the station recorded, as maintenance shows it: when (the station's local
    time), its level and its type. Never its fields."""

    at: str
    level: str
    event: str


@dataclass(frozen=True)
class StationFacts:
    """What maintenance reads of the running station: the recent events, and the version of
    the configuration in force (the one its heartbeats report)."""

    events: tuple[RecentEvent, ...] = ()
    config_version: str = ""


@dataclass(frozen=True)
class MaintenanceVisit:
    """A technician signed in: who, the checks run and their results, the station's facts
    last read, and whether a restart was asked for."""

    technician: str
    checks: tuple[tuple[Check, CheckResult], ...] = ()
    events: tuple[RecentEvent, ...] = ()
    config_version: str = ""
    restarting: bool = False

    def result(self, check: Check) -> CheckResult | None:
        """The last result of `check`, if it was run."""
        return dict(self.checks).get(check)

    def with_result(self, check: Check, result: CheckResult) -> MaintenanceVisit:
        """The visit with `check`'s result replaced."""
        kept = tuple((c, r) for c, r in self.checks if c is not check)
        return replace(self, checks=(*kept, (check, result)))


# -- effects: what the shell does for staff ----------------------------------------------------


@dataclass(frozen=True)
class StaffEffect(Effect):
    """An effect asked for by a staff member, not by a visitor's flow: its outcome comes back
    to the maintenance visit (session_id is "": it belongs to no visitor)."""


@dataclass(frozen=True)
class PrintTest(StaffEffect):
    """Print a test receipt on the station's printer and follow the job."""

    receipt: Receipt | None = None


@dataclass(frozen=True)
class CardTest(StaffEffect):
    """Challenge the badge on the reader again with a fresh nonce and check its proof."""


@dataclass(frozen=True)
class CentralTest(StaffEffect):
    """Read the central systems' catalogue, as a visitor's "Find a service" does."""


@dataclass(frozen=True)
class ReadStationFacts(StaffEffect):
    """Read the types of the events the station recorded last, and its configuration's
    version (a `StationFacts`)."""


@dataclass(frozen=True)
class RestartStation(StaffEffect):
    """Stop the station cleanly; its service manager starts it again."""


CHECK_EFFECTS: dict[Check, type[StaffEffect]] = {
    Check.PRINT: PrintTest, Check.CARD: CardTest, Check.CENTRAL: CentralTest}


# -- the whole ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssistState:
    """Staff at the station: the badge on the reader, the assisted session or the maintenance
    visit it opened, the facilitation statistics, and how badges are checked (for
    maintenance)."""

    staff: StaffBadge = NO_BADGE
    assisted: AssistedSession | None = None
    maintenance: MaintenanceVisit | None = None
    stats: FacilitationStats = FacilitationStats()
    #: legacy badges get in on their UID and PIN alone (docs/badges.md): maintenance says so
    uid_only_allowed: bool = False

    def visitor_left(self) -> AssistState:
        """What stays when the visitor's session ends: the consent they gave and the note
        about them go; the facilitator stays signed in for the next visitor."""
        if self.assisted is None:
            return self
        return replace(self, assisted=replace(self.assisted, consent=Consent.NONE, note=""))
