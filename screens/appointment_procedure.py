"""Appointment, step 1: what the appointment is for, one large button per procedure the city
offers (Chrono agendas). Two agendas with the same name are told apart by their place."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import AppointmentContent, ChooseProcedure, Retry
from kiosk.core.view import View
from screens.booking_widgets import Choice, PagedChoices
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import send

__all__ = ["AppointmentProcedureScreen", "PagedChoices"]  # PagedChoices is used in the .kv


def procedure_choices(flow: AppointmentContent) -> list[Choice]:
    """One choice per schedule, the one chosen earlier marked."""
    names = Counter(s.name for s in flow.schedules)
    return [Choice(s.id, s.name if names[s.name] == 1 or not s.place else f"{s.name} — {s.place}",
                   lambda sid=s.id: send(ChooseProcedure(sid)), chosen=s == flow.schedule)
            for s in flow.schedules]


class AppointmentProcedureScreen(FlowScreen):
    """What is the appointment for?"""

    can_retry = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The procedures, or why there are none."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        self.ids.choices.set_choices(procedure_choices(flow) if flow else [], view.language)
        self.can_retry = bool(flow and not flow.schedules and flow.can_retry)

    def retry(self) -> None:
        """Load the procedures again."""
        send(Retry())

    def first_focus(self) -> Widget | None:
        """The first procedure (or "Try again")."""
        return self.ids.choices.first() or (self.ids.retry.button if self.can_retry else None)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
