"""Choosing a day: the days that have a free time over the coming weeks, in long form
("mardi 24 novembre 2026"), as a list rather than a calendar grid. It serves a new booking and
the move of a booking alike; the procedure and its place are said above the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
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

    #: the procedure and its place, above the days; the procedure alone where the body
    #: band would not hold a day and the pager under both (`_make_room`)
    info = StringProperty("")
    can_retry = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._room = Clock.create_trigger(self._make_room, -1)
        #: what `info` says with the place, and without it
        self._infos = ("", "")
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget: Widget) -> None:
        """Make room again when the body band or the list's least height changes."""
        super().on_kv_post(base_widget)
        self.ids.choices.bind(least_height=self._room, width=self._room)
        self.ids.body.bind(height=self._room)

    def show(self, view: View) -> None:
        """The days with a free time; the one chosen earlier is marked."""
        super().show(view)
        flow = content_of(view, (AppointmentContent, ManageContent))
        lang = view.language
        if flow is None:
            self._infos, self.info, self.can_retry = ("", ""), "", False
            self.ids.choices.set_choices([], lang)
            return
        choice = flow.slots
        schedule = flow.schedule
        self._infos = (procedure_line(flow, lang), schedule.name if schedule else "")
        self._make_room()
        self.ids.choices.set_choices(
            [Choice(day.isoformat(), weekday_date(day, lang),
                    lambda day=day: send(ChooseDay(day)), chosen=day == choice.day)
             for day in choice.days], lang)
        self.can_retry = not self.busy and not choice.slots and flow.can_retry

    def _make_room(self, *_args: Any) -> None:
        """The place gives way where, under the procedure and its place, the body band would
        not hold a day and the pager (the largest text on a landscape desk): the procedure
        stays, the place is said again on the summary (docs/visual-design.md, "One question
        per screen": nothing overlaps, a list pages)."""
        full, short = self._infos
        label, body, choices = self.ids.info, self.ids.body, self.ids.choices
        self.info = full
        label.texture_update()
        others = sum(w.height for w in body.children if w is not label and w is not choices)
        room = (body.height - label.texture_size[1] - others
                - body.spacing * (len(body.children) - 1))
        if full and room < choices.least_height:
            self.info = short

    def retry(self) -> None:
        """Load the free times again."""
        send(Retry())

    def first_focus(self) -> Widget | None:
        """The first day."""
        return self.ids.choices.first() or (self.ids.retry.button if self.can_retry else None)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
