"""Choosing a day: the days that have a free time over the coming weeks, in long form
("mardi 24 novembre 2026"), as a list rather than a calendar grid. It serves a new booking and
the move of a booking alike; the procedure and its place are said above the list."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import weekday_date
from kiosk.core.flows.appointment import AppointmentContent
from kiosk.core.flows.booking import ChooseDay, Retry
from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.booking_widgets import Choice, PagedChoices
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import send

__all__ = ["AppointmentDayScreen", "PagedChoices"]


def procedure_line(flow: AppointmentContent | ManageContent, lang: str) -> str:
    """"Passport and ID card — Town hall, civil status office"."""
    schedule = flow.schedule
    if schedule is None:
        return ""
    if not schedule.place:
        return schedule.name
    return translate("appointment.procedure_at", lang, procedure=schedule.name,
                     place=schedule.place)


class AppointmentDayScreen(FlowScreen):
    """Which day?"""

    info = StringProperty("")
    can_retry = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The days with a free time; the one chosen earlier is marked."""
        super().show(view)
        flow = content_of(view, (AppointmentContent, ManageContent))
        lang = view.language
        if flow is None:
            self.info, self.can_retry = "", False
            self.ids.choices.set_choices([], lang)
            return
        choice = flow.slots
        self.info = procedure_line(flow, lang)
        self.ids.choices.set_choices(
            [Choice(day.isoformat(), weekday_date(day, lang),
                    lambda day=day: send(ChooseDay(day)), chosen=day == choice.day)
             for day in choice.days], lang)
        self.can_retry = not self.busy and not choice.slots and flow.can_retry

    def retry(self) -> None:
        """Load the free times again."""
        send(Retry())

    def first_focus(self) -> Widget | None:
        """The first day."""
        return self.ids.choices.first() or (self.ids.retry.button if self.can_retry else None)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
