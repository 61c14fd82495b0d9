"""What the visitor's screen and the maintenance screen are drawn from, of the staff at the
station: the banner saying a facilitator is helping (and whether the visitor lets them type),
and the maintenance visit with every device's health. Never the facilitator's note."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.assist import Consent, MaintenanceVisit
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.state import AppState


@dataclass(frozen=True)
class HelpBanner:
    """"A facilitator is helping you": who (their badge's number) and where the visitor's
    consent to be typed for stands."""

    facilitator: str
    consent: Consent


def help_banner(state: AppState) -> HelpBanner | None:
    """The banner of the visitor's screens while a facilitator is signed in."""
    assisted = state.assist.assisted
    if assisted is None:
        return None
    return HelpBanner(assisted.facilitator, assisted.consent)


@dataclass(frozen=True)
class MaintenanceView:
    """The maintenance screen: the visit (with the configuration's version as the station
    read it), every device's last reading (in the order of the device kinds), and whether
    legacy badges get in on their UID alone (flagged wherever the station reports its health,
    docs/badges.md)."""

    visit: MaintenanceVisit
    devices: tuple[tuple[DeviceKind, DeviceHealth], ...]
    uid_only_allowed: bool = False


def maintenance_view(state: AppState) -> MaintenanceView | None:
    """The maintenance screen's view, while a technician is signed in."""
    visit = state.assist.maintenance
    if visit is None:
        return None
    devices = tuple((kind, state.health(kind)) for kind in DeviceKind)
    return MaintenanceView(visit, devices, state.assist.uid_only_allowed)
