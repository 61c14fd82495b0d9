"""Moving or cancelling, step 2: the booking found (what for, the day, the time, the place;
never the name it is under: anyone may type a reference), then "Move it" or "Cancel this
appointment". A past booking is shown, with why it can no longer be changed."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.dates import clock_time, weekday_date
from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.i18n import translate
from kiosk.core.receipt import NumberKind, grouped_number
from kiosk.core.view import View
from screens.booking_widgets import PagedChoices, text_lines
from screens.flow_screen import FlowScreen, content_of

__all__ = ["BookingDetailScreen", "PagedChoices", "booking_lines", "show_details"]


def booking_lines(flow: ManageContent, lang: str) -> str:
    """What the booking is for, when and where, one item per line."""
    appointment = flow.appointment
    if appointment is None:
        return ""
    schedule = flow.schedule
    lines = [translate("booking.detail.procedure", lang,
                       procedure=schedule.name if schedule else translate(
                           "booking.detail.unknown_procedure", lang)),
             translate("booking.detail.date", lang, date=weekday_date(appointment.start, lang)),
             translate("booking.detail.time", lang, time=clock_time(appointment.start, lang))]
    if schedule is not None and schedule.place:
        lines.append(translate("booking.detail.place", lang, place=schedule.place))
    return "\n".join(lines)


def show_details(listing: PagedChoices, texts: list[str], lang: str, role: str = "body") -> None:
    """Lay out `texts` one under the other in `listing`, paged when the body does not hold
    them all (at the largest size)."""
    listing.make = text_lines(texts, role)
    listing.set_widgets((lang, role, *texts) if texts else (), lang)


class BookingDetailScreen(FlowScreen):
    """Your appointment no. …"""

    title = StringProperty("")
    details = StringProperty("")
    can_change = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The booking and what can be done with it."""
        super().show(view)
        flow = content_of(view, ManageContent)
        appointment = flow.appointment if flow else None
        if appointment is None:
            self.title, self.details, self.can_change = "", "", False
            show_details(self.ids.details, [], view.language)
            return
        lang = view.language
        self.title = translate("booking.detail.title", lang,
                               number=grouped_number(appointment.id, NumberKind.BOOKING))
        self.details = booking_lines(flow, lang)
        show_details(self.ids.details, self.details.split("\n"), lang, "lead")
        self.can_change = flow.can_change

    def first_focus(self) -> Widget | None:
        """"Move it", or Back when nothing can be done."""
        return self.ids.move if self.can_change else None


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
