"""The handlers of the appointment and manage-booking effects, over the link's appointment
book (Chrono) and its outbox.

Bookings and cancellations go through the outbox, so that each reaches the central exactly
once even when an answer is lost (the same idempotency key is sent again). They differ in what
happens when the central does not answer in time:
- a booking is tried again at once under the same key (a lost answer is then recovered),
  then *withdrawn* from the outbox and the person is told nothing was booked. A slot
  is never promised while offline, and a booking delivered later, behind the back of someone
  who was told it failed (and who may book again elsewhere, or not come), would hold a slot
  nobody uses. `OutboxSender.withdraw` waits for an attempt under way, so a booking the
  central took after all is reported as booked, never lost;
- a cancellation stays in the outbox, and the sender delivers it when the central answers:
  cancelling late is still what the person asked for, and the slot is freed for others.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.core.central import (
    Appointment,
    AppointmentBook,
    AppointmentStatus,
    CentralError,
    CentralFailure,
    Schedule,
    Slot,
)
from kiosk.core.flows.appointment import LoadSchedules
from kiosk.core.flows.booking import BookSlot, CancelBooking, Cancellation, LoadSlots
from kiosk.core.flows.manage_booking import FindBooking, FoundBooking

if TYPE_CHECKING:
    from kiosk.shell.central_wiring import CentralConnector, CentralLink

Handler = Callable[[Any], Any]

# Beyond the HTTP time limit of the booking call itself: starting the attempt's thread and
# committing its result (one fsync, kiosk/outbox/store.py synchronous=FULL). After
# timeout_s + this, the attempt has ended, so the answer the screen gets is the central's.
BOOKING_MARGIN_S = 2.0
# Attempts at a booking while the person waits, RETRY_PAUSE_S apart: a second one recovers an
# answer lost on the way back (a dropped connection after the central booked); a third covers a
# brief outage. More would only keep the person waiting for a central that is down.
BOOKING_ATTEMPTS = 3
RETRY_PAUSE_S = 0.5


def _book(link: CentralLink) -> AppointmentBook:
    if link.book is None:
        raise CentralError(CentralFailure.REJECTED, "this station has no appointment book")
    return link.book


def booking_handlers(connector: CentralConnector) -> dict[type, Handler]:
    """What runs each booking effect."""

    def load_schedules(_effect: LoadSchedules) -> tuple[Schedule, ...]:
        return tuple(_book(connector.link()).schedules())

    def load_slots(effect: LoadSlots) -> tuple[Slot, ...]:
        if effect.start is None or effect.end is None:
            raise CentralError(CentralFailure.REJECTED, "no date range")
        return tuple(_book(connector.link()).free_slots(effect.schedule_id, effect.start,
                                                        effect.end))

    def book_slot(effect: BookSlot) -> Appointment:
        """Store, send at once and wait for the central's answer (the HTTP time limit and a
        margin), trying again under the same key after a retryable failure; without an
        answer, withdraw the booking (module docstring)."""
        link = connector.link()
        _book(link)
        if effect.request is None:
            raise CentralError(CentralFailure.REJECTED, "no booking")
        ref = link.outbox.new_reference(link.station_id)
        request = replace(effect.request, station_ref=ref)
        item = link.outbox.enqueue(request)
        deadline = time.monotonic() + max(link.answer_wait_s,
                                          connector.call_timeout_s + BOOKING_MARGIN_S)
        attempts = 0
        while True:
            attempts += 1
            try:
                delivered = link.sender.deliver_now(
                    item.key, max(0.0, deadline - time.monotonic()))
                break
            except CentralError as err:
                if err.retryable and attempts < BOOKING_ATTEMPTS and (
                        time.monotonic() + RETRY_PAUSE_S < deadline):
                    # Perhaps only the answer was lost: the same key again gets the central's
                    # answer to the first attempt, not a second booking.
                    time.sleep(RETRY_PAUSE_S)
                    continue
                late = link.sender.withdraw(item.key, BOOKING_MARGIN_S, err.failure)
                if late is None:
                    raise
                delivered = late
                break
        if isinstance(delivered.answer, Appointment):
            return delivered.answer
        # Taken by the central while the screen waited for the last commit: what it said.
        slot = request.slot
        return Appointment(delivered.reference or "", slot.schedule_id, slot.start, slot.end,
                           AppointmentStatus.BOOKED)

    def find_booking(effect: FindBooking) -> FoundBooking | None:
        book = _book(connector.link())
        appointment = book.appointment(effect.reference)
        if appointment is None:
            return None
        schedule = None
        with contextlib.suppress(CentralError):  # the booking is shown without its title
            schedule = next((s for s in book.schedules() if s.id == appointment.schedule_id),
                            None)
        return FoundBooking(appointment, schedule)

    def cancel_booking(effect: CancelBooking) -> Cancellation:
        """Store, send at once, wait the usual moment; unanswered, the cancellation stays in
        the outbox and is delivered later (module docstring)."""
        link = connector.link()
        _book(link)
        if effect.appointment is None:
            raise CentralError(CentralFailure.REJECTED, "no booking")
        item = link.outbox.enqueue(effect.appointment)
        try:
            delivered = link.sender.deliver_now(item.key, link.answer_wait_s)
        except CentralError as err:
            if err.retryable:
                return Cancellation(effect.appointment, confirmed=False)
            raise
        answer = delivered.answer
        cancelled = answer if isinstance(answer, Appointment) else replace(
            effect.appointment, status=AppointmentStatus.CANCELLED)
        return Cancellation(cancelled, confirmed=True)

    return {LoadSchedules: load_schedules, LoadSlots: load_slots, BookSlot: book_slot,
            FindBooking: find_booking, CancelBooking: cancel_booking}
