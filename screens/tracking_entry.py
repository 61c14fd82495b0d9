"""Tracking, step 1: the number, typed on the keypad (or a keyboard) or read from the
receipt's QR code by the scanner. The expected form is shown before anything is typed."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.tracking import SubmitNumber, TrackingContent
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["KeyboardDock", "TrackingEntryScreen"]  # the keyboard is used in the .kv


class TrackingEntryScreen(FlowScreen):
    """What is the number of your request?"""

    def show(self, view: View) -> None:
        """Keep the field as the person left it (a language change, an error)."""
        super().show(view)
        content = content_of(view, TrackingContent)
        self.ids.number.keep(content.text if content is not None else None)

    def search(self) -> None:
        """Look the typed number up."""
        send(SubmitNumber(self.ids.number.text))

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once."""
        return self.ids.number


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
