"""Appointment: how the city may reach the person (a phone for a reminder, an e-mail for a
confirmation), both optional and checked when given. One on-screen keyboard types into the
field last touched: the number pad for the phone, the letters for the e-mail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import AppointmentContent, EnterContact
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["AppointmentContactScreen", "KeyboardDock"]


class AppointmentContactScreen(FlowScreen):
    """How can the city reach you?"""

    def show(self, view: View) -> None:
        """Keep the fields as the person left them; empty them when the session ends."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        self.ids.phone.keep(flow.phone_text if flow is not None else None)
        self.ids.email.keep(flow.email_text if flow is not None else None)

    def typing_into(self, field: Any) -> None:
        """The on-screen keyboard follows the field that has the focus."""
        keyboard = self.ids.keyboard
        keyboard.target = field
        keyboard.numeric = field == self.ids.phone

    def go_on(self) -> None:
        """Check the contact (in the core) and go on to the summary."""
        send(EnterContact(self.ids.phone.text, self.ids.email.text))

    def next_field(self, field: Any) -> None:
        """Enter in the phone goes to the e-mail; in the e-mail, it goes on."""
        if field == self.ids.phone:
            self.ids.email.focus = True
        else:
            self.go_on()

    def first_focus(self) -> Widget | None:
        """The phone first."""
        return self.ids.phone


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
