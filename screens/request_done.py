"""Request, last step: the number to keep, large and grouped for reading aloud; or the station
reference while the central has not answered; or, for a service that gives no number, that
it gives none (and the station reference, which the city can find it by)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.central import SubmissionOutcome
from kiosk.core.flows.request import RequestContent
from kiosk.core.i18n import translate
from kiosk.core.receipt import NumberKind, grouped_number
from kiosk.core.view import View
from screens.confirmation import Part, show_confirmation
from screens.flow_screen import FlowScreen, content_of


class RequestDoneScreen(FlowScreen):
    """Your request is registered."""

    number = StringProperty("")
    explanation = StringProperty("")

    def show(self, view: View) -> None:
        """The number and what it means."""
        super().show(view)
        self._show_number(view)
        # What the number is for is the reading zone's explanation, under the question: the
        # number has the room left, on the desk's short body too.
        self.ids.reading.explanation = self.explanation
        show_confirmation(self.ids.confirmation, self.ids.pages,
                          [Part(self.number, "number", "request.number")], view.language)

    def _show_number(self, view: View) -> None:
        flow = content_of(view, RequestContent)
        receipt = flow.receipt if flow is not None else None
        if receipt is None:
            self.number, self.explanation = "", ""
            return
        lang = view.language
        result = receipt.result
        if result is not None and result.outcome is SubmissionOutcome.NUMBERED and result.number:
            self.number = grouped_number(result.number, NumberKind.TRACKING)
            self.explanation = translate("request.done_numbered", lang)
            return
        self.number = grouped_number(receipt.station_ref, NumberKind.STATION)
        if result is None:
            key = "request.done_queued"
        elif result.outcome is SubmissionOutcome.UNNUMBERED:
            key = "request.done_unnumbered"
        else:
            key = "request.done_pending"
        self.explanation = translate(key, lang)

    def first_focus(self) -> Widget | None:
        """The way out first."""
        return self.ids.finish


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
