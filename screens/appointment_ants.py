"""Appointment, passport or ID card: the ANTS pre-application number. Its form (10 letters and
digits) and an example are shown before anything is typed; it is checked before anything is
sent, and a refused number stays in the field to be corrected."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import ANTS_EXAMPLE, AppointmentContent, EnterAnts
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["ANTS_EXAMPLE", "AppointmentAntsScreen", "KeyboardDock"]  # used in the .kv


class AppointmentAntsScreen(FlowScreen):
    """What is your pre-application number?"""

    def show(self, view: View) -> None:
        """Keep the field as the person left it; empty it when the session ends."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        self.ids.ants.keep(flow.ants_text if flow is not None else None)

    def go_on(self) -> None:
        """Check the number (in the core) and go on."""
        send(EnterAnts(self.ids.ants.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.ants


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
