"""Moving or cancelling: how it ended. A move shows the new reference, large, and the new day
and time; a cancellation or a move whose old booking could not yet be cancelled says what
happens next."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.manage_booking import ManageContent, ManageOutcome
from kiosk.core.i18n import translate
from kiosk.core.receipt import NumberKind, grouped_number
from kiosk.core.view import View
from screens.confirmation import Part, show_confirmation
from screens.flow_screen import FlowScreen, content_of

TITLES = {
    ManageOutcome.CANCELLED: "booking.done.cancelled",
    ManageOutcome.CANCEL_QUEUED: "booking.done.cancel_queued",
    ManageOutcome.MOVED: "booking.done.moved",
    ManageOutcome.MOVED_CANCEL_QUEUED: "booking.done.moved",
    ManageOutcome.MOVED_CANCEL_FAILED: "booking.done.moved",
}
NOTES = {
    ManageOutcome.CANCELLED: "booking.done.cancelled_note",
    ManageOutcome.CANCEL_QUEUED: "booking.done.cancel_queued_note",
    ManageOutcome.MOVED: "booking.done.moved_note",
    ManageOutcome.MOVED_CANCEL_QUEUED: "booking.done.moved_queued_note",
    ManageOutcome.MOVED_CANCEL_FAILED: "booking.done.moved_failed_note",
}


class BookingDoneScreen(FlowScreen):
    """Cancelled, or moved."""

    title = StringProperty("")
    reference_label = StringProperty("")
    number = StringProperty("")
    details = StringProperty("")
    note = StringProperty("")
    #: a move leaves a receipt (the new time); a cancellation leaves none
    moved = BooleanProperty(False)

    def show(self, view: View) -> None:
        """What became of the booking."""
        super().show(view)
        self._show_outcome(view)
        show_confirmation(self.ids.confirmation, self.ids.pages, [
            Part(self.reference_label, with_next=True),
            Part(self.number, "number", "booking.number"),
            Part(self.details, "bold"),
            Part(self.note, reading=False)], view.language)

    def _show_outcome(self, view: View) -> None:
        flow = content_of(view, ManageContent)
        outcome = flow.outcome if flow else None
        if outcome is None:
            self.title = self.reference_label = self.number = self.details = self.note = ""
            self.moved = False
            return
        lang = view.language
        self.title = translate(TITLES[outcome], lang)
        self.note = translate(NOTES[outcome], lang)
        new = flow.moved_to
        self.moved = new is not None
        if new is None:
            self.reference_label, self.number, self.details = "", "", ""
            return
        self.reference_label = translate("booking.done.new_reference", lang)
        self.number = grouped_number(new.id, NumberKind.BOOKING)
        lines = [translate("appointment.summary.when", lang,
                           date=weekday_date(new.start, lang), time=clock_time(new.start, lang))]
        if flow.schedule is not None and flow.schedule.place:
            lines.append(translate("appointment.done.place", lang, place=flow.schedule.place))
        self.details = "\n".join(lines)

    def first_focus(self) -> Widget | None:
        """"Finish"."""
        return self.ids.finish


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
