"""Moving or cancelling: the name the booking is under, typed before anything changes (a
reference alone is short and sequential: anyone may type one). Enter (or OK) checks it."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.manage_booking import ConfirmHolder, ManageContent, ManageStep
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["BookingVerifyScreen", "KeyboardDock"]


class BookingVerifyScreen(FlowScreen):
    """Whose name is this appointment under?"""

    def show(self, view: View) -> None:
        """The field as the person left it after a wrong name; empty otherwise, and always
        empty once the flow or the session has ended."""
        super().show(view)
        flow = content_of(view, ManageContent)
        current = flow is not None and flow.step is ManageStep.VERIFY
        self.ids.name.keep(flow.name_text if current else None)

    def go_on(self) -> None:
        """Check the name (in the core)."""
        send(ConfirmHolder(self.ids.name.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.name


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
