"""The one pure function that picks what is on screen from `AppState`, guard by guard
(docs/architecture.md, rule 2). Screens never navigate on their own: they send intents, the core
changes the state, and this function says what to show."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.state import AppState, Overlay, ScreenName


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
        return Selection(ScreenName.OUT_OF_ORDER, overlay)
    if state.session is None:
        return Selection(ScreenName.ATTRACT)
    screen = state.nav[-1] if state.nav else ScreenName.HOME
    if screen is ScreenName.FLOW:
        screen = state.flow.screen if state.flow is not None else ScreenName.HOME
    return Selection(screen, overlay)
