"""`AppState`: the one value every screen is drawn from (docs/architecture.md, rule 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from kiosk.core.devices import UNKNOWN_HEALTH, DeviceHealth, DeviceKind
from kiosk.core.printing import PrinterView, PrintView, printer_view
from kiosk.core.session import CitizenSession
from kiosk.settings.models import AccessibilitySettings


class ScreenName(StrEnum):
    """The screens of the app; each is one module and one .kv file in `screens/`."""

    OUT_OF_ORDER = "out_of_order"
    ATTRACT = "attract"
    HOME = "home"
    HELP = "help"
    SERVICES = "services"
    TRACKING_ENTRY = "tracking_entry"
    TRACKING_RESULT = "tracking_result"
    REQUEST_SERVICE = "request_service"
    REQUEST_FIELD = "request_field"
    REQUEST_PLACE = "request_place"
    REQUEST_CONTACT = "request_contact"
    REQUEST_SUMMARY = "request_summary"
    REQUEST_DONE = "request_done"
    APPOINTMENT_PROCEDURE = "appointment_procedure"
    APPOINTMENT_ANTS = "appointment_ants"
    APPOINTMENT_DOCUMENTS = "appointment_documents"
    #: the day and time screens serve a new booking and a move alike
    APPOINTMENT_DAY = "appointment_day"
    APPOINTMENT_SLOT = "appointment_slot"
    APPOINTMENT_NAME = "appointment_name"
    APPOINTMENT_CONTACT = "appointment_contact"
    APPOINTMENT_SUMMARY = "appointment_summary"
    APPOINTMENT_DONE = "appointment_done"
    BOOKING_FIND = "booking_find"
    BOOKING_DETAIL = "booking_detail"
    BOOKING_VERIFY = "booking_verify"
    BOOKING_CANCEL = "booking_cancel"
    BOOKING_MOVE = "booking_move"
    BOOKING_DONE = "booking_done"
    SURVEY_OVERALL = "survey_overall"
    SURVEY_CLARITY = "survey_clarity"
    SURVEY_HELP = "survey_help"
    SURVEY_THANKS = "survey_thanks"
    PLACES_LIST = "places_list"
    PLACES_DETAIL = "places_detail"
    #: not a screen: "the current step of the active flow" in the navigation stack
    FLOW = "flow"


class FlowName(StrEnum):
    """The flows a person can go through."""

    TRACKING = "tracking"
    REQUEST = "request"
    APPOINTMENT = "appointment"
    MANAGE_BOOKING = "manage_booking"
    SURVEY = "survey"
    SERVICES = "services"
    PLACES = "places"


@dataclass(frozen=True)
class FlowView:
    """Where a flow stands, without anything personal: the screen of its current step,
    "step 2 of 4", whether it waits for an answer, and the message key of a problem."""

    name: FlowName
    screen: ScreenName
    step: int
    steps: int
    busy: bool = False
    problem: str = ""
    #: values the problem's message needs (a field's label, an example), never personal
    problem_args: tuple[tuple[str, str], ...] = ()


class Connectivity(StrEnum):
    """How the station reaches the city's central systems, as the outbox sender sees it."""

    ONLINE = "online"  # recent calls answered
    DEGRADED = "degraded"  # some calls fail or are slow: submissions may wait in the outbox
    OFFLINE = "offline"  # nothing answers: submissions wait; bookings are not offered


class Overlay(StrEnum):
    """What may be shown over a screen."""

    IDLE_WARNING = "idle_warning"


@dataclass(frozen=True)
class AppState:
    """Device readiness, the citizen session, its navigation and its settings."""

    devices: Mapping[DeviceKind, DeviceHealth]
    required_devices: frozenset[DeviceKind]
    language: str
    accessibility: AccessibilitySettings
    session: CitizenSession | None = None
    #: screens opened in this session, the current one last (empty without a session)
    nav: tuple[ScreenName, ...] = ()
    #: seconds left before the session ends, while the inactivity warning is up
    warning_remaining_s: int | None = None
    #: languages offered, in order
    languages: tuple[str, ...] = field(default=("fr", "en"))
    #: bumped whenever what the session holds changes, so that a new state is a new value
    session_rev: int = 0
    connectivity: Connectivity = Connectivity.ONLINE
    #: the active flow, if any (its personal data stays in the session)
    flow: FlowView | None = None
    #: the printing of the session's receipt (the receipt itself stays in the session)
    printing: PrintView = field(default_factory=PrintView)

    def health(self, kind: DeviceKind) -> DeviceHealth:
        """A device's last known health."""
        return self.devices.get(kind, UNKNOWN_HEALTH)

    @property
    def printer(self) -> PrinterView:
        """Whether a receipt can be printed now (print buttons are shown only then)."""
        return printer_view(self.health(DeviceKind.PRINTER))

    @property
    def failing_devices(self) -> tuple[DeviceKind, ...]:
        """Required devices that are not ready, in a stable order."""
        required = self.required_devices
        return tuple(k for k in DeviceKind if k in required and not self.health(k).ready)


def freeze_devices(devices: Mapping[DeviceKind, DeviceHealth]) -> Mapping[DeviceKind, DeviceHealth]:
    """A read-only copy, so that a state value never changes under a reader."""
    return MappingProxyType(dict(devices))
