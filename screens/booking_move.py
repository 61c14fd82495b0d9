"""Moving: the current appointment and the new one side by side in words, then "Confirm the
new time". The new time is booked first; the old booking is cancelled only once the new one
is confirmed, so a failure leaves the person with their old appointment."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of


class BookingMoveScreen(FlowScreen):
    """Move your appointment?"""

    old = StringProperty("")
    new = StringProperty("")

    def show(self, view: View) -> None:
        """From when to when."""
        super().show(view)
        flow = content_of(view, ManageContent)
        appointment = flow.appointment if flow else None
        if appointment is None or flow.slot is None:
            self.old, self.new = "", ""
            return
        lang = view.language
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
