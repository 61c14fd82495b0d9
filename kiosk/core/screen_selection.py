"""The one pure function that picks what is on screen from `AppState`, guard by guard
(docs/architecture.md, rule 2). Screens never navigate on their own: they send intents, the
core changes the state, and this function says what to show."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.state import AppState, Overlay, ScreenName, Screens


@dataclass(frozen=True)
class Selection:
    """The screen to show and what, if anything, lies over it."""

    screen: ScreenName
    overlay: Overlay | None = None


def select_screen(state: AppState) -> Selection:
    """What the station shows for `state`."""
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
