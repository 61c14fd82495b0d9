"""Appointment: everything on one screen before booking, with "Change" next to each item and
one "Confirm". Nothing is booked before "Confirm"; while the central answers, the screen says
so and nothing can be changed. On a landscape panel the lines stand in two columns; when they
do not all fit (the largest text), "See more" shows the rest, and "Confirm" stays in view."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.appointment import AppointmentContent, AppointmentStep, ChangeItem
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.booking_widgets import Line, PagedChoices
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import send

__all__ = ["AppointmentSummaryScreen", "PagedChoices", "summary_items"]


def summary_items(flow: AppointmentContent, lang: str) -> list[tuple[str, AppointmentStep, str]]:
    """The lines of the summary: each its key, the step that changes it and its words. The
    procedure and its place are two lines, both changed by choosing the procedure: one line
    of both was taller than a page at the largest size."""
    schedule = flow.schedule
    items = []
    if schedule is not None:
        items.append(("procedure", AppointmentStep.PROCEDURE, translate(
            "appointment.summary.procedure", lang, procedure=schedule.name)))
        if schedule.place:
            items.append(("place", AppointmentStep.PROCEDURE, translate(
                "appointment.summary.place", lang, place=schedule.place)))
    if flow.needs_ants:
        items.append(("ants", AppointmentStep.ANTS,
                      translate("appointment.summary.ants", lang, number=flow.ants_number)))
        items.append(("documents", AppointmentStep.DOCUMENTS,
                      translate("appointment.summary.documents", lang,
                                count=flow.documents)))
    if flow.slot is not None:
        items.append(("day", AppointmentStep.DAY, translate(
            "appointment.summary.when", lang, date=weekday_date(flow.slot.start, lang),
            time=clock_time(flow.slot.start, lang))))
    items.append(("name", AppointmentStep.NAME,
                  translate("appointment.summary.name", lang, name=flow.name)))
    none = translate("appointment.summary.none", lang)
    items.append(("contact", AppointmentStep.CONTACT, translate(
        "appointment.summary.contact", lang, phone=flow.phone or none,
        email=flow.email or none)))
    return items


class AppointmentSummaryScreen(FlowScreen):
    """Check your appointment."""

    def show(self, view: View) -> None:
        """One line per item with its Change button."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        items = summary_items(flow, view.language) if flow else []
        self.ids.lines.set_choices(
            [Line(key, text, lambda step=step: send(ChangeItem(step)))
             for key, step, text in items], view.language)

    def first_focus(self) -> Widget | None:
        """"Confirm": what most people do here."""
        return self.ids.confirm


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
