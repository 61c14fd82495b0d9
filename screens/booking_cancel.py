"""Moving or cancelling: "Cancel this appointment?" with the day and time said again, then
"Yes, cancel it" or "No, keep it". Nothing is cancelled before "Yes"."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.manage_booking import ManageBookingFlow
from kiosk.core.state import AppState
from screens.booking_detail import booking_lines
from screens.booking_widgets import active_flow
from screens.flow_screen import FlowScreen


class BookingCancelScreen(FlowScreen):
    """Cancel this appointment?"""

    details = StringProperty("")

    def show_state(self, state: AppState) -> None:
        """The booking being cancelled."""
        super().show_state(state)
        flow = active_flow(state, ManageBookingFlow)
        self.details = booking_lines(flow, state.language) if flow else ""

    def first_focus(self) -> Widget | None:
        """"No, keep it": the safe answer comes first for keyboard users."""
        return self.ids.keep


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
