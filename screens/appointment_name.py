"""Appointment: the name of the person coming (required), as on their ID. The keyboard types
into the field; Enter (or OK) goes on."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import AppointmentContent, EnterName
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["AppointmentNameScreen", "KeyboardDock"]


class AppointmentNameScreen(FlowScreen):
    """Who is the appointment for?"""

    def show(self, view: View) -> None:
        """Keep the field as the person left it; empty it when the session ends."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        self.ids.name.keep(flow.name_text if flow is not None else None)

    def go_on(self) -> None:
        """Check the name (in the core) and go on."""
        send(EnterName(self.ids.name.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.name


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
