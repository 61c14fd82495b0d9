"""Appointment booked: the booking reference, large and grouped as on a receipt
(kiosk/core/receipt.py), with the day, the time and the place. The reference is what moving or
cancelling asks for."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.appointment import AppointmentContent
from kiosk.core.i18n import translate
from kiosk.core.receipt import NumberKind, grouped_number
from kiosk.core.view import View
from screens.confirmation import Part, show_confirmation
from screens.flow_screen import FlowScreen, content_of


class AppointmentDoneScreen(FlowScreen):
    """Your appointment is booked."""

    number = StringProperty("")
    details = StringProperty("")

    def show(self, view: View) -> None:
        """The reference and what was booked."""
        super().show(view)
        self._show_booking(view)
        lang = view.language
        keep = translate("appointment.done.keep", lang)
        parts = [Part(translate("appointment.done.reference", lang), with_next=True),
                 Part(self.number, "number", "appointment.number"),
                 Part(self.details),
                 Part(keep, reading=False)] if self.number else []
        show_confirmation(self.ids.confirmation, self.ids.pages, parts, lang)

    def _show_booking(self, view: View) -> None:
        flow = content_of(view, AppointmentContent)
        appointment = flow.appointment if flow else None
        if appointment is None:
            self.number, self.details = "", ""
            return
        lang = view.language
        self.number = grouped_number(appointment.id, NumberKind.BOOKING)
        schedule = flow.schedule
        lines = [translate("appointment.summary.when", lang,
                           date=weekday_date(appointment.start, lang),
                           time=clock_time(appointment.start, lang))]
        if schedule is not None:
            lines.insert(0, schedule.name)
            if schedule.place:
                lines.append(translate("appointment.done.place", lang, place=schedule.place))
        self.details = "\n".join(lines)

    def first_focus(self) -> Widget | None:
        """"Finish"."""
        return self.ids.finish


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
