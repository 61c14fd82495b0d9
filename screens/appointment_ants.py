"""Appointment, passport or ID card: the ANTS pre-application number. Its form (10 letters and
digits) and an example are shown before anything is typed; it is checked before anything is
sent, and a refused number stays in the field to be corrected."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import ANTS_EXAMPLE, AppointmentFlow, EnterAnts
from kiosk.core.state import AppState
from screens.booking_widgets import active_flow
from screens.flow_screen import FlowScreen
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["ANTS_EXAMPLE", "AppointmentAntsScreen", "KeyboardDock"]  # used in the .kv


class AppointmentAntsScreen(FlowScreen):
    """What is your pre-application number?"""

    def show_state(self, state: AppState) -> None:
        """Keep the field as the person left it; empty it when the session ends."""
        super().show_state(state)
        flow = active_flow(state, AppointmentFlow)
        self.ids.ants.keep(flow.ants_text if flow is not None else None)

    def go_on(self) -> None:
        """Check the number (in the core) and go on."""
        send(EnterAnts(self.ids.ants.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.ants


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
