"""`AppState`: the one value every screen is drawn from (docs/architecture.md, rule 2).

A state is a value: frozen, compared by content, never changed in place. Whatever happens (a
touch, an answer from the central, a second passing) the core builds a new state and hands it
on; the agent console can mirror it because it serialises whole (kiosk/core/values.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from kiosk.core.devices import UNKNOWN_HEALTH, DeviceHealth, DeviceKind
from kiosk.core.printing import PrinterView, PrintView, printer_view
from kiosk.core.session import CitizenSession
from kiosk.settings.models import AccessibilitySettings

ScreenName = str
"""A screen is named by its module in `screens/` (the class is the name in CamelCase, ending
in `Screen`): `tracking_entry` is `screens.tracking_entry.TrackingEntryScreen`."""

FlowName = str
"""A flow is named by its descriptor (kiosk/core/flows/base.py, `FlowSpec.name`)."""


class Screens(StrEnum):
    """The screens of the station itself, outside any flow (the flows name their own)."""

    OUT_OF_ORDER = "out_of_order"
    ATTRACT = "attract"
    HOME = "home"
    HELP = "help"
    #: not a screen: "the current step of the active flow" in the navigation stack
    FLOW = "flow"


@dataclass(frozen=True)
class FlowView:
    """Where a flow stands, as its screens show it: the screen of its current step, "step 2
    of 4", whether it waits for an answer, the message key of a problem, and `content`: what
    that screen shows, built by the flow (a frozen value of the flow's module). Screens read
    this and never the flow's own value."""

    name: FlowName
    screen: ScreenName
    step: int
    steps: int
    busy: bool = False
    problem: str = ""
    #: values the problem's message needs (a field's label, an example), never personal
    problem_args: tuple[tuple[str, str], ...] = ()
    content: object = None


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
    connectivity: Connectivity = Connectivity.ONLINE
    #: the printing of the session's receipt (the receipt itself stays in the session)
    printing: PrintView = field(default_factory=PrintView)
    #: a headset is in the jack: only then is private information read aloud
    #: (docs/accessibility.md H7)
    headset: bool = False

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

    @cached_property
    def flow(self) -> FlowView | None:
        """The active flow's view, if a flow is active (built once per state value)."""
        session = self.session
        return session.flow.view() if session is not None and session.flow is not None else None


def freeze_devices(devices: Mapping[DeviceKind, DeviceHealth]) -> Mapping[DeviceKind, DeviceHealth]:
    """A read-only copy, so that a state value never changes under a reader."""
    return MappingProxyType(dict(devices))
