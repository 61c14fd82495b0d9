"""Moving or cancelling, step 1: the booking reference, typed on the keypad (or a keyboard)
or read from the receipt's QR code by the scanner. The expected form is shown first."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.manage_booking import ManageBookingFlow, SubmitReference
from kiosk.core.state import AppState
from screens.booking_widgets import active_flow
from screens.flow_screen import FlowScreen
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["BookingFindScreen", "KeyboardDock"]


class BookingFindScreen(FlowScreen):
    """What is your booking reference?"""

    def show_state(self, state: AppState) -> None:
        """Keep the field as the person left it; empty it when the session ends."""
        super().show_state(state)
        flow = active_flow(state, ManageBookingFlow)
        self.ids.reference.keep(flow.text if flow is not None else None)

    def search(self) -> None:
        """Look the reference up."""
        send(SubmitReference(self.ids.reference.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.reference


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
