"""Request: how the city may reach the person, both optional (the expected format of each is
shown before anything is typed)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.request import EnterContact, RequestContent
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["KeyboardDock", "RequestContactScreen"]  # the keyboard is used in the .kv


class RequestContactScreen(FlowScreen):
    """Can the city reach you? (optional)"""

    def show(self, view: View) -> None:
        """Keep what was typed (a refused phone number stays to be corrected)."""
        super().show(view)
        flow = content_of(view, RequestContent)
        email, phone = self.ids.email, self.ids.phone
        if flow is None:
            email.clear()
            phone.clear()
            return
        if not email.text and flow.email:
            email.text = flow.email
        if not phone.text and flow.phone:
            phone.text = flow.phone

    def next(self) -> None:
        """Both as typed; empty is fine."""
        send(EnterContact(self.ids.email.text, self.ids.phone.text))

    def skip(self) -> None:
        """No contact."""
        self.ids.email.text = ""
        self.ids.phone.text = ""
        send(EnterContact("", ""))

    def first_focus(self) -> Widget | None:
        """The e-mail field first."""
        return self.ids.email


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
