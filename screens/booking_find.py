"""Moving or cancelling, step 1: the booking reference, typed on the keypad (or a keyboard)
or read from the receipt's QR code by the scanner. The expected form is shown first."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.manage_booking import ManageContent, SubmitReference
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["BookingFindScreen", "KeyboardDock"]


class BookingFindScreen(FlowScreen):
    """What is your booking reference?"""

    def show(self, view: View) -> None:
        """Keep the field as the person left it; empty it when the session ends."""
        super().show(view)
        flow = content_of(view, ManageContent)
        self.ids.reference.keep(flow.text if flow is not None else None)

    def search(self) -> None:
        """Look the reference up."""
        send(SubmitReference(self.ids.reference.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.reference


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
