"""Moving: the current appointment and the new one side by side in words, then "Confirm the
new time". The new time is booked first; the old booking is cancelled only once the new one
is confirmed, so a failure leaves the person with their old appointment."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.manage_booking import ManageBookingFlow
from kiosk.core.i18n import translate
from kiosk.core.state import AppState
from screens.booking_widgets import active_flow
from screens.flow_screen import FlowScreen


class BookingMoveScreen(FlowScreen):
    """Move your appointment?"""

    old = StringProperty("")
    new = StringProperty("")

    def show_state(self, state: AppState) -> None:
        """From when to when."""
        super().show_state(state)
        flow = active_flow(state, ManageBookingFlow)
        appointment = flow.appointment if flow else None
        if appointment is None or flow.slot is None:
            self.old, self.new = "", ""
            return
        lang = state.language
        self.old = translate("booking.move.old", lang, when=translate(
            "appointment.summary.when", lang, date=weekday_date(appointment.start, lang),
            time=clock_time(appointment.start, lang)))
        self.new = translate("booking.move.new", lang, when=translate(
            "appointment.summary.when", lang, date=weekday_date(flow.slot.start, lang),
            time=clock_time(flow.slot.start, lang)))

    def first_focus(self) -> Widget | None:
        """"Confirm the new time"."""
        return self.ids.confirm


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
