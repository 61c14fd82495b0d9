"""What booking an appointment and moving one share: the free slots of a schedule over the
coming weeks, shown as a list of days and then the times of one day (no calendar grid:
docs/visual-design.md, one question per screen), the effects that load slots and book one, and the
reference as people read it.

Bookings and cancellations go through the outbox (exactly once at the central, see
kiosk/core/submission.py): a booking waits for the central's answer and is withdrawn without
one, because a slot is never promised without it; a cancellation stays in the outbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    Schedule,
    Slot,
    SlotStatus,
)
from kiosk.core.effects import Effect
from kiosk.core.flows.base import FlowContext, FlowIntent
from kiosk.core.i18n import translate
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.core.submission import Delivery, Submit, Submitted

#: Days of free slots offered: four weeks, the booking window of the reference seed's agendas
#: (config/peer-seed.json, maximal_booking_delay 28) and the "month of slots" the HTTP body
#: limit was sized for (kiosk/adapters/http.py, MAX_BODY_BYTES).
SLOT_WINDOW_DAYS = 28
#: A booking reference as printed on a receipt: letters, digits, dashes (Chrono numbers its
#: bookings 1, 2, 3…: a single digit is a reference). Spaces and dots are only grouping.
REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
#: Query parameters a booking URL may carry the reference in (a city's own QR codes).
REFERENCE_PARAMETERS = ("booking", "reference", "ref", "id")


@dataclass(frozen=True)
class ChooseDay(FlowIntent):
    """The person chose a day of the list."""

    day: date


@dataclass(frozen=True)
class ChooseSlot(FlowIntent):
    """The person chose a time of the chosen day."""

    slot_id: str


@dataclass(frozen=True)
class Retry(FlowIntent):
    """Ask again what failed to load or to go through."""


@dataclass(frozen=True)
class LoadSlots(Effect):
    """The free slots of one schedule from `start` to `end` (end excluded)."""

    schedule_id: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class BookSlot(Submit):
    """Book `submission` (a BookingRequest) and wait for the central's answer (`booked` reads
    it). Fails with CONFLICT when someone took the slot meanwhile; with a retryable failure
    when the central did not answer in time (the booking is then withdrawn from the outbox:
    nothing is booked behind the person's back)."""

    delivery = Delivery.WITHDRAW


@dataclass(frozen=True)
class CancelBooking(Submit):
    """Cancel `submission` (an Appointment) and wait a little for the central's answer
    (`cancellation` reads it); unanswered, it stays in the outbox."""

    delivery = Delivery.KEEP


@dataclass(frozen=True)
class Cancellation:
    """What became of a cancellation: confirmed by the central, or stored in the outbox and
    sent as soon as the central answers (cancelling late is still what the person asked)."""

    appointment: Appointment
    confirmed: bool


def booked(submitted: Submitted, request: BookingRequest) -> Appointment:
    """The appointment a delivered booking gives: the central's answer, or, for a booking
    the central took while the screen waited for the outbox's last commit, the slot under the
    reference the outbox recorded."""
    if isinstance(submitted.answer, Appointment):
        return submitted.answer
    slot = request.slot
    return Appointment(submitted.reference, slot.schedule_id, slot.start, slot.end,
                       AppointmentStatus.BOOKED)


def cancellation(submitted: Submitted, appointment: Appointment) -> Cancellation:
    """What became of a cancellation: confirmed by the central, or waiting in the outbox."""
    if not submitted.delivered:
        return Cancellation(appointment, confirmed=False)
    answer = submitted.answer
    cancelled = answer if isinstance(answer, Appointment) else replace(
        appointment, status=AppointmentStatus.CANCELLED)
    return Cancellation(cancelled, confirmed=True)


def slot_window(now: datetime) -> tuple[date, date]:
    """From today to SLOT_WINDOW_DAYS later (the end excluded)."""
    today = now.date()
    return today, today + timedelta(days=SLOT_WINDOW_DAYS)


def load_slots(session_id: str, schedule_id: str, now: datetime) -> LoadSlots:
    """The effect that loads the coming weeks of one schedule."""
    start, end = slot_window(now)
    return LoadSlots(session_id=session_id, schedule_id=schedule_id, start=start, end=end)


def usable_slots(slots: object, now: datetime) -> tuple[Slot, ...]:
    """Free slots still in the future, earliest first (whatever order the central used)."""
    found = [s for s in slots if isinstance(s, Slot)] if isinstance(slots, list | tuple) else []
    return tuple(sorted((s for s in found if s.status is SlotStatus.FREE and s.start > now),
                        key=lambda s: (s.start, s.id)))


@dataclass(frozen=True)
class SlotChoice:
    """What the day and time screens show, for a new booking and for a move alike."""

    schedule: Schedule | None
    slots: tuple[Slot, ...]
    day: date | None
    chosen: Slot | None

    @property
    def days(self) -> tuple[date, ...]:
        """Days that have at least one free slot, in order."""
        return tuple(sorted({s.start.date() for s in self.slots}))

    def slots_of(self, day: date | None) -> tuple[Slot, ...]:
        """The free slots of `day`, in order."""
        return tuple(s for s in self.slots if s.start.date() == day)


def find_slot(slots: tuple[Slot, ...], day: date | None, slot_id: str) -> Slot | None:
    """The slot with this id on the chosen day."""
    return next((s for s in slots if s.id == slot_id and s.start.date() == day), None)


def normalise_reference(text: str) -> str | None:
    """The reference in `text` as the central knows it, or None when it cannot be one."""
    compact = re.sub(r"[\s.]", "", text).upper()
    return compact if REFERENCE.match(compact) else None


def reference_from_code(code: str) -> str | None:
    """The reference a scanned receipt carries: the bare reference (what the kiosk prints,
    kiosk/core/receipt.py qr_content), or a URL holding it in a query parameter or as its
    last path segment."""
    code = code.strip()
    if "://" in code:
        parts = urlsplit(code)
        query = parse_qs(parts.query)
        for name in REFERENCE_PARAMETERS:
            if query.get(name):
                return normalise_reference(query[name][0])
        segments = [s for s in parts.path.split("/") if s]
        return normalise_reference(segments[-1]) if segments else None
    return normalise_reference(code)


def booking_receipt(appointment: Appointment, schedule: Schedule | None, title: str,
                    ctx: FlowContext, details: ReceiptDetails) -> Receipt:
    """A booking's receipt (a new one, or a moved one's: `title` says which): the procedure,
    the appointment's day and time, its place, and the booking reference."""
    lang = ctx.language
    heading = (translate(f"receipt.title.{title}", lang, service=schedule.name)
               if schedule is not None else translate(f"receipt.title.{title}_plain", lang))
    place = schedule.place if schedule is not None and schedule.place else details.place
    return Receipt(
        city=details.city, title=heading, when=appointment.start, place=place,
        number=appointment.id, number_kind=NumberKind.BOOKING, language=lang,
        next_steps=(translate("receipt.next.appointment", lang),),
        tracking_url=details.tracking_url, logo=details.logo,
    )
