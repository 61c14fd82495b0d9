"""Choosing a time of the chosen day: the free times as a grid of large buttons, in the
session's language's clock ("09:20", "9:20 AM"). It serves a new booking and a move alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.text import DEFAULT_FONT
from kivy.lang import Builder
from kivy.properties import ListProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.appointment import AppointmentContent
from kiosk.core.flows.booking import ChooseSlot
from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.booking_widgets import Choice, PagedChoices
from screens.flow_screen import FlowScreen, content_of
from screens.measure import one_line_width
from screens.widgets import send

__all__ = ["AppointmentSlotScreen", "PagedChoices"]

#: A time button is at least this wide (a "10:40 AM" at the largest text size, and the 20 mm
#: target of docs/accessibility.md B1 with room around it); the grid has as many columns as fit.
TIME_BUTTON_MM = 45.0


class AppointmentSlotScreen(FlowScreen):
    """At what time?"""

    title = StringProperty("")
    #: the times shown, as their buttons say them
    times = ListProperty([])

    def show(self, view: View) -> None:
        """The free times of the chosen day."""
        super().show(view)
        flow = content_of(view, (AppointmentContent, ManageContent))
        lang = view.language
        choice = flow.slots if flow else None
        if choice is None or choice.day is None:
            self.title = ""
            self.ids.choices.set_choices([], lang)
            return
        self.title = translate("appointment.slot.title", lang,
                               day=weekday_date(choice.day, lang))
        chosen = choice.chosen.id if choice.chosen else ""
        self.times = [clock_time(slot.start, lang) for slot in choice.slots_of(choice.day)]
        self.ids.choices.set_choices(
            [Choice(slot.start.strftime("%H%M"), clock_time(slot.start, lang),
                    lambda sid=slot.id: send(ChooseSlot(sid)), chosen=slot.id == chosen)
             for slot in choice.slots_of(choice.day)], lang)

    def columns(self, width: float, times: list[str], size: str) -> int:
        """As many columns of time buttons as fit, from two to six, each at least as wide as
        the widest time on one line at the text size: a time never breaks ("10:30 AM" is
        one word to Kivy, its space a no-break one, and would break between two letters)."""
        app: Any = App.get_running_app()
        font = app.font("button", size)
        widest = max((one_line_width(t, font, DEFAULT_FONT, "") for t in times), default=0.0)
        cell = max(app.mm(TIME_BUTTON_MM), widest)
        return max(2, min(6, int((width + app.layout.gap) // (cell + app.layout.gap))))

    def first_focus(self) -> Widget | None:
        """The first time."""
        return self.ids.choices.first()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
