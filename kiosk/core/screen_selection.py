"""The one pure function that picks what is on screen from `AppState`, guard by guard
(docs/architecture.md, rule 2). Screens never navigate on their own: they send intents, the
core changes the state, and this function says what to show."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.assist import StaffPhase
from kiosk.core.state import AppState, Overlay, ScreenName, Screens


@dataclass(frozen=True)
class Selection:
    """The screen to show and what, if anything, lies over it."""

    screen: ScreenName
    overlay: Overlay | None = None


def select_screen(state: AppState) -> Selection:
    """What the station shows for `state`."""
    staff = staff_screen(state)
    if staff is not None:
        # Before everything, out of order or not: a technician is who puts the station back in
        # order, and the visitor's session waits underneath (docs/assisted-mode.md).
        return Selection(staff)
    overlay = Overlay.IDLE_WARNING if state.warning_remaining_s is not None else None
    if state.failing_devices:
        # A session survives a device blink: it resumes when the device is back.
        return Selection(Screens.OUT_OF_ORDER, overlay)
    if overlay is None and state.accessibility_panel and state.session is not None:
        # Under the inactivity warning, which comes first, the panel waits to show again.
        overlay = Overlay.ACCESSIBILITY
    if state.session is None:
        return Selection(Screens.ATTRACT)
    screen = state.nav[-1] if state.nav else Screens.HOME
    if screen == Screens.FLOW:
        flow = state.flow
        screen = flow.screen if flow is not None else Screens.HOME
    return Selection(screen, overlay)


def staff_screen(state: AppState) -> ScreenName | None:
    """The PIN screen while a staff badge that opens something here waits for its PIN (or is
    locked out), maintenance while a technician is signed in; otherwise none."""
    assist = state.assist
    if assist.staff.phase in (StaffPhase.PIN, StaffPhase.LOCKED_OUT):
        return Screens.STAFF_PIN
    if assist.maintenance is not None:
        return Screens.MAINTENANCE
    return None


def select_console(state: AppState) -> ScreenName:
    """What the facilitator's console shows: the visitor's step and the desk's tools while a
    facilitator is signed in, otherwise an invitation to badge in (and nothing of the visitor)."""
    return Screens.AGENT_DESK if state.assist.assisted is not None else Screens.AGENT_LOCKED
