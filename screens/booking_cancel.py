"""Moving or cancelling: "Cancel this appointment?" with the day and time said again, then
"Yes, cancel it" or "No, keep it". Nothing is cancelled before "Yes"."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.booking_detail import booking_lines, show_details
from screens.flow_screen import FlowScreen, content_of


class BookingCancelScreen(FlowScreen):
    """Cancel this appointment?"""

    details = StringProperty("")

    def show(self, view: View) -> None:
        """The booking being cancelled."""
        super().show(view)
        flow = content_of(view, ManageContent)
        lang = view.language
        self.details = booking_lines(flow, lang) if flow else ""
        texts = [*self.details.split("\n"), translate("booking.cancel.explain", lang)]
        show_details(self.ids.details, texts if self.details else [], lang)

    def first_focus(self) -> Widget | None:
        """"No, keep it": the safe answer comes first for keyboard users."""
        return self.ids.keep


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
