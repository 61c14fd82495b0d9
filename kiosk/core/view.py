"""What the screens are drawn from: the `View` the core builds from `AppState`. A screen gets
this value and nothing else (never the session, never a flow's own value), and the agent
console mirrors it to the second screen (kiosk/core/values.py writes it)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.devices import DeviceKind
from kiosk.core.printing import PrinterView, PrintView
from kiosk.core.receipt import Receipt
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import AppState, Connectivity, FlowView, Overlay, ScreenName
from kiosk.settings.models import AccessibilitySettings

SEARCH_KEY = "home.search"
"""The session value the home screen's search is kept under."""


@dataclass(frozen=True)
class View:
    """One frame's worth of what the station shows."""

    screen: ScreenName
    overlay: Overlay | None
    language: str
    languages: tuple[str, ...]
    accessibility: AccessibilitySettings
    connectivity: Connectivity
    #: someone is using the station (a session is open)
    in_session: bool
    #: Back leads somewhere
    can_go_back: bool
    #: seconds left before the session ends, while the inactivity warning is up
    warning_remaining_s: int | None
    #: required devices that are not ready (the out-of-order screen says which)
    failing_devices: tuple[DeviceKind, ...]
    printer: PrinterView
    printing: PrintView
    #: the session's receipt, for the receipt panel (its number is private)
    receipt: Receipt | None
    #: the active flow: its screen, step and what its screen shows
    flow: FlowView | None
    #: the words typed in the home screen's search
    search: str = ""
    #: a headset is in the jack (speech may then read private information)
    headset: bool = False


def view_of(state: AppState) -> View:
    """The view of `state`."""
    selection = select_screen(state)
    session = state.session
    return View(
        screen=selection.screen, overlay=selection.overlay, language=state.language,
        languages=state.languages, accessibility=state.accessibility,
        connectivity=state.connectivity, in_session=session is not None,
        can_go_back=len(state.nav) > 1, warning_remaining_s=state.warning_remaining_s,
        failing_devices=state.failing_devices, printer=state.printer,
        printing=state.printing, receipt=session.receipt if session else None,
        flow=state.flow, search=session.get(SEARCH_KEY) if session else "",
        headset=state.headset,
    )
