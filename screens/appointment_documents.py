"""Appointment, passport or ID card: how many documents (one per person, up to five). Five
large buttons; the number chosen earlier is marked with a tick, not by colour alone."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.appointment import MAX_DOCUMENTS, AppointmentContent, ChooseDocuments
from kiosk.core.view import View
from screens.booking_widgets import Choice, PagedChoices
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import send

__all__ = ["AppointmentDocumentsScreen", "PagedChoices"]


class AppointmentDocumentsScreen(FlowScreen):
    """How many people is it for?"""

    def show(self, view: View) -> None:
        """One button per count."""
        super().show(view)
        flow = content_of(view, AppointmentContent)
        chosen = flow.documents if flow else 0
        choices = [Choice(str(n), str(n), lambda n=n: send(ChooseDocuments(n)), n == chosen)
                   for n in range(1, MAX_DOCUMENTS + 1)] if flow else []
        self.ids.choices.set_choices(choices, view.language)

    def first_focus(self) -> Widget | None:
        """The first count."""
        return self.ids.choices.first()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
