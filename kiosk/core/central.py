"""The ports to the city's central systems, in a neutral vocabulary.

Services and their form fields, request submission and tracking, appointment slots and bookings
(modelled on FHIR Schedule/Slot/Appointment and the Open Forms appointment interface), survey
answers (the fleet's port is `kiosk/core/fleet.py`). Adapters (`kiosk/adapters/`) translate
Open311 GeoReport v2 and Publik w.c.s./Chrono to and from these types; nothing here knows
either protocol.

Adapters raise `CentralError` for everything that can go wrong on the way (network, time limit,
refusal, a malformed answer); they never let an HTTP or parsing exception escape. Each error says
what happened (`CentralFailure`), whether the call may have taken effect at the central
(`CallOutcome`), and, for the log, which central, which endpoint and a short reason
(docs/central-systems.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from kiosk.core.events import Ident, Loggable

# -- errors ---------------------------------------------------------------------------------


class CentralFailure(StrEnum):
    """Why a call to a central system did not give an answer the kiosk can use."""

    UNREACHABLE = "unreachable"  # no connection, connection dropped
    TIMEOUT = "timeout"  # no answer within the time limit
    SERVER_ERROR = "server-error"  # 5xx: try again later
    REJECTED = "rejected"  # 4xx other than 404: the request itself is wrong (do not retry)
    NOT_FOUND = "not-found"  # 404: an unknown number, service or slot
    UNAUTHORISED = "unauthorised"  # 401/403: wrong key or signature (a configuration error)
    CONFLICT = "conflict"  # the slot was taken, the booking already cancelled
    MALFORMED = "malformed"  # an answer that is not what the contract says (or too big)
    #: a submission was sent, its answer was lost, and the central offers no way to tell
    #: whether it took it: a person must look (the outbox keeps it for a technician)
    UNCERTAIN = "uncertain"


RETRYABLE = frozenset({CentralFailure.UNREACHABLE, CentralFailure.TIMEOUT,
                       CentralFailure.SERVER_ERROR})
"""Failures after which the same submission may be sent again (with the same idempotency key)."""


class CallOutcome(StrEnum):
    """What a failed call did at the central, as far as the kiosk can tell. It decides whether
    a submission may simply be sent again: a central that does not honour idempotency keys
    would store it twice after an UNKNOWN outcome, so the request is looked up first."""

    NOT_SENT = "not-sent"  # refused before anything was sent (no connection, bad URL)
    ANSWERED = "answered"  # the central answered, and the answer says it did nothing (4xx)
    #: sent, and the answer was lost, late, unreadable or a 5xx: the central may have taken it
    UNKNOWN = "unknown"


#: The longest reason kept for a log line (a short code, never a value received).
MAX_REASON = 48


class CentralError(Exception):
    """A central call that failed. The message never holds personal data or secrets.

    `central` ("open311", "wcs", "chrono", "fleet"), `endpoint` (a path template such as
    "requests/{id}", never a number) and `reason` (a short code such as "http-502" or
    "not-json") go to the log; `outcome` says whether the call may have taken effect (the
    cautious UNKNOWN unless the raiser knows better)."""

    def __init__(self, failure: CentralFailure, detail: str = "", *,
                 outcome: CallOutcome = CallOutcome.UNKNOWN, central: str = "",
                 endpoint: str = "", reason: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail
        self.outcome = outcome
        self.central = central
        self.endpoint = endpoint
        self.reason = reason_code(reason)

    @property
    def retryable(self) -> bool:
        """Whether sending the same thing again later may succeed."""
        return self.failure in RETRYABLE

    def log_fields(self) -> dict[str, Loggable]:
        """What a log line says about this failure: its kind, what the call did, and which
        central, endpoint and reason when known (identifiers only: `kiosk.core.events`)."""
        fields: dict[str, Loggable] = {"failure": self.failure, "outcome": self.outcome}
        for name in ("central", "endpoint", "reason"):
            value = getattr(self, name)
            if value:
                fields[name] = Ident(value)
        return fields


def reason_code(text: str) -> str:
    """`text` as a short code for a log line: lower case, words joined by dashes."""
    words = "".join(c if c.isascii() and (c.isalnum() or c in "{}/._") else " "
                    for c in text.lower()).split()
    return "-".join(words)[:MAX_REASON]


# -- services and forms ---------------------------------------------------------------------


class ServiceKind(StrEnum):
    """What a service lets a person do."""

    REQUEST = "request"  # a request or street report (Open311 service, w.c.s. formdef)
    APPOINTMENT = "appointment"  # a booking (Chrono agenda)


class Tracking(StrEnum):
    """What number a request gets (Open311 service `type`)."""

    NUMBER = "number"  # realtime: the number comes back with the submission
    DEFERRED = "deferred"  # batch: a token now, the number later (tokens/{token})
    NONE = "none"  # blackbox: no number at all; the person is told so


class FieldType(StrEnum):
    """Form field types, the union of Open311 datatypes and the w.c.s. fields the kiosk shows."""

    TEXT = "text"  # one line (Open311 string, w.c.s. string)
    LONG_TEXT = "long_text"  # several lines (Open311 text, w.c.s. text)
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"  # one of (Open311 singlevaluelist, w.c.s. item)
    MULTI_CHOICE = "multi_choice"  # several of (Open311 multivaluelist, w.c.s. items)
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Choice:
    """One value a choice field offers."""

    key: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One question of a service's form, in the order it is asked."""

    code: str
    label: str
    type: FieldType
    required: bool = False
    order: int = 0
    help: str = ""
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Service:
    """Something the city offers. `id` is namespaced by its source ("open311:001",
    "wcs:encombrants", "chrono:passeport-cni") so that two systems never collide."""

    id: str
    name: str
    kind: ServiceKind
    description: str = ""
    group: str = ""
    keywords: tuple[str, ...] = ()
    tracking: Tracking = Tracking.NUMBER
    has_form: bool = False


@dataclass(frozen=True)
class ServiceForm:
    """A service with the questions it asks."""

    service: Service
    fields: tuple[FormField, ...]


# -- requests -------------------------------------------------------------------------------

Answer = str | tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where a request is about: a position, an address, or both."""

    lat: float | None = None
    long: float | None = None
    address: str = ""


@dataclass(frozen=True)
class Contact:
    """How the city can reach the person (all optional)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RequestSubmission:
    """A request as the person confirmed it. `station_ref` is the station's own reference,
    sent along so that the back office can find the request from the receipt."""

    service_id: str
    answers: Mapping[str, Answer]
    place: Place
    station_id: str
    station_ref: str
    description: str = ""
    contact: Contact = field(default_factory=Contact)


class SubmissionOutcome(StrEnum):
    """What the central said about a submission."""

    NUMBERED = "numbered"  # accepted, with the tracking number
    PENDING = "pending"  # accepted; the number will come (batch token)
    UNNUMBERED = "unnumbered"  # accepted; this service gives no number (blackbox)


@dataclass(frozen=True)
class SubmissionResult:
    """The central's answer to a submission."""

    outcome: SubmissionOutcome
    number: str | None = None
    token: str | None = None
    notice: str = ""


class RequestStatus(StrEnum):
    """Where a request stands, in the words the kiosk shows (Open311 open/closed, mySociety's
    additional states, w.c.s. workflow statuses are mapped onto these)."""

    #: still in this station's outbox, not yet at the central (a station reference)
    QUEUED = "queued"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CLOSED = "closed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class StatusStep:
    """One step of a request's history."""

    at: datetime
    status: RequestStatus
    note: str = ""


@dataclass(frozen=True)
class RequestReport:
    """A request found by its number."""

    number: str
    service_name: str
    status: RequestStatus
    history: tuple[StatusStep, ...] = ()
    submitted_at: datetime | None = None


# -- appointments (FHIR Schedule / Slot / Appointment) ---------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A bookable thing at a place (a Chrono agenda with one meeting type)."""

    id: str
    name: str
    place: str = ""
    duration_min: int = 0
    #: ANTS passport/ID card appointments need the pre-application number
    needs_ants_number: bool = False


class SlotStatus(StrEnum):
    """FHIR Slot.status, the values the kiosk uses."""

    FREE = "free"
    BUSY = "busy"


@dataclass(frozen=True)
class Slot:
    """A time that can be booked."""

    id: str
    schedule_id: str
    start: datetime
    end: datetime
    status: SlotStatus = SlotStatus.FREE


@dataclass(frozen=True)
class BookingRequest:
    """A booking as the person confirmed it."""

    slot: Slot
    name: str
    station_id: str
    station_ref: str
    phone: str = ""
    email: str = ""
    ants_number: str = ""
    documents: int = 1


class AppointmentStatus(StrEnum):
    """FHIR Appointment.status, the values the kiosk uses."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Holder:
    """Who a booking is for, as the central keeps it. Moving a booking books the new slot
    under the same name and ANTS number; it is never shown (anyone can type a reference)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    ants_number: str = ""
    documents: int = 1


@dataclass(frozen=True)
class Appointment:
    """A booking. `links` keeps the URLs the central returned for it (Chrono's `api.*`), so
    that an adapter follows them instead of building paths. `holder` is filled when a booking
    is looked up; it is personal, so it never goes into a repr, a comparison or the outbox."""

    id: str
    schedule_id: str
    start: datetime
    end: datetime
    status: AppointmentStatus
    links: Mapping[str, str] = field(default_factory=dict)
    holder: Holder | None = field(default=None, compare=False, repr=False)


# -- survey ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswer:
    """The three optional questions aligned with the State's "Je donne mon avis": overall
    (faces scored 0/5/10), clarity (1–5), help received; any may be missing."""

    flow: str
    station_id: str
    station_ref: str
    overall: int | None = None
    clarity: int | None = None
    help_received: str | None = None


# -- ports -----------------------------------------------------------------------------------


@runtime_checkable
class ServiceCatalogue(Protocol):
    """The services a central offers."""

    def services(self) -> Sequence[Service]:
        """Every service, in the central's order."""
        ...

    def form(self, service_id: str) -> ServiceForm:
        """A service's questions (none for a service without a form)."""
        ...


@runtime_checkable
class RequestDesk(Protocol):
    """Where requests are submitted."""

    def submit(self, submission: RequestSubmission, idempotency_key: str) -> SubmissionResult:
        """Send a request; the same key sent again must not create a second request."""
        ...

    def number_for(self, token: str) -> str | None:
        """The number of a request accepted with a token, once the central has one."""
        ...


@runtime_checkable
class RequestSearch(Protocol):
    """Where a request this station sent can be looked for. A central that does not honour
    idempotency keys stores a submission twice when it is sent again after an answer was lost;
    the outbox looks for it first (docs/central-systems.md)."""

    def find(self, submission: RequestSubmission, since: datetime) -> SubmissionResult | None:
        """The request as the central holds it, found by what the station wrote into it (its
        station reference, its service) among those received since `since`; None when the
        central has none. CentralError(UNCERTAIN) when the central cannot tell (a service
        whose requests are not listed); other CentralErrors when it did not answer."""
        ...


@runtime_checkable
class RequestTracker(Protocol):
    """Where requests are looked up by number."""

    def report(self, number: str) -> RequestReport | None:
        """The request with this number, or None when the central knows no such number."""
        ...


@runtime_checkable
class AppointmentBook(Protocol):
    """Where appointments are booked, moved and cancelled."""

    def schedules(self) -> Sequence[Schedule]:
        """What can be booked."""
        ...

    def free_slots(self, schedule_id: str, start: date, end: date) -> Sequence[Slot]:
        """Free slots from `start` to `end` (end excluded)."""
        ...

    def book(self, request: BookingRequest, idempotency_key: str) -> Appointment:
        """Book a slot; CentralError(CONFLICT) when it was taken meanwhile."""
        ...

    def appointment(self, appointment_id: str) -> Appointment | None:
        """A booking by its reference, or None when there is none."""
        ...

    def cancel(self, appointment: Appointment, idempotency_key: str) -> Appointment:
        """Cancel a booking; cancelling twice is not an error."""
        ...


@runtime_checkable
class SurveySink(Protocol):
    """Where satisfaction answers go."""

    def send(self, answer: SurveyAnswer, idempotency_key: str) -> str:
        """Send one set of answers; returns the central's reference for it."""
        ...
