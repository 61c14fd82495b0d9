"""The shell's booking handlers over a real outbox and sender, with a scripted appointment
book (pure logic, no network): a lost answer is recovered under the same key, a silent
central books nothing now or later, a taken slot keeps nothing personal, a late answer is
reported as booked, and an unanswered cancellation waits in the outbox to be delivered."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    CentralError,
    CentralFailure,
    Slot,
)
from kiosk.core.flows.booking import BookSlot, CancelBooking, Cancellation
from kiosk.outbox.handlers import handlers_for
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import ItemState, Outbox
from kiosk.shell import booking_handlers as bh

START = datetime(2026, 11, 24, 9, tzinfo=UTC)
SLOT = Slot("depot:2026-11-24-0900", "chrono:a/b", START, START + timedelta(minutes=20))
REQUEST = BookingRequest(SLOT, "Jeanne Martin", "borne-1", "", ants_number="AB12CD34EF")


class ScriptedBook:
    """An appointment book that books each idempotency key once (like Chrono behind the
    peer) and fails as scripted, call after call."""

    def __init__(self, script: list[str | None], delay_s: float = 0.0) -> None:
        self.script = list(script)
        self.delay_s = delay_s
        self.bookings: dict[str, Appointment] = {}
        self.cancelled: list[str] = []
        self.calls = 0
        self.lock = threading.Lock()

    def _step(self) -> str | None:
        with self.lock:
            self.calls += 1
            return self.script.pop(0) if self.script else None

    def book(self, request: BookingRequest, key: str) -> Appointment:
        step = self._step()
        time.sleep(self.delay_s)
        if step in ("down", "slow-down"):
            raise CentralError(CentralFailure.SERVER_ERROR, "scripted")
        if step == "taken":
            raise CentralError(CentralFailure.CONFLICT, "scripted")
        with self.lock:
            booked = self.bookings.setdefault(key, Appointment(
                str(40 + len(self.bookings)), request.slot.schedule_id, request.slot.start,
                request.slot.end, AppointmentStatus.BOOKED))
        if step == "lose":
            raise CentralError(CentralFailure.UNREACHABLE, "the answer was lost")
        return booked

    def cancel(self, appointment: Appointment, key: str) -> Appointment:
        if self._step() == "down":
            raise CentralError(CentralFailure.UNREACHABLE, "scripted")
        self.cancelled.append(appointment.id)
        return replace(appointment, status=AppointmentStatus.CANCELLED)

    def schedules(self) -> list[Any]:
        return []

    def free_slots(self, schedule_id: str, start: date, end: date) -> list[Slot]:
        return [SLOT]

    def appointment(self, appointment_id: str) -> Appointment | None:
        return None


@dataclass
class Link:
    book: ScriptedBook
    outbox: Outbox
    sender: OutboxSender
    station_id: str = "borne-1"
    answer_wait_s: float = 0.3


class Connector:
    def __init__(self, link: Link, call_timeout_s: float = 0.3) -> None:
        self._link = link
        self.call_timeout_s = call_timeout_s

    def link(self) -> Link:
        return self._link


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(bh, "BOOKING_MARGIN_S", 0.5)
    monkeypatch.setattr(bh, "RETRY_PAUSE_S", 0.05)


def handlers(tmp_path, book: ScriptedBook, call_timeout_s: float = 0.3):
    outbox = Outbox(tmp_path / "outbox.db")
    sender = OutboxSender(outbox, handlers_for(book=book))
    link = Link(book, outbox, sender)
    return bh.booking_handlers(Connector(link, call_timeout_s)), link


def items(outbox: Outbox) -> list[Any]:
    return [outbox.get(k) for (k,) in outbox._read("SELECT idempotency_key FROM items")]


def test_a_booking_is_stored_sent_and_answered(tmp_path):
    run, link = handlers(tmp_path, ScriptedBook([None]))
    booked = run[BookSlot](BookSlot(session_id="s", request=REQUEST))
    assert booked.id == "40" and booked.start == START
    (item,) = items(link.outbox)
    assert item.state is ItemState.DELIVERED and item.central_ref == "40"
    assert item.station_ref.startswith("borne-1-"), "the booking carries a station reference"


def test_a_lost_answer_is_recovered_under_the_same_key(tmp_path):
    book = ScriptedBook(["lose", None])
    run, link = handlers(tmp_path, book)
    booked = run[BookSlot](BookSlot(session_id="s", request=REQUEST))
    assert booked.id == "40"
    assert len(book.bookings) == 1, "one booking at the central, not two"
    assert items(link.outbox)[0].state is ItemState.DELIVERED


def test_a_silent_central_books_nothing_now_or_later(tmp_path):
    book = ScriptedBook(["down"] * 10)
    run, link = handlers(tmp_path, book)
    with pytest.raises(CentralError) as raised:
        run[BookSlot](BookSlot(session_id="s", request=REQUEST))
    assert raised.value.retryable
    assert book.calls == bh.BOOKING_ATTEMPTS
    (item,) = items(link.outbox)
    assert item.state is ItemState.FAILED and not item.holds_payload
    book.script = []
    link.sender.run_once()
    assert book.bookings == {} and book.calls == bh.BOOKING_ATTEMPTS


def test_a_taken_slot_is_a_conflict_that_keeps_nothing(tmp_path):
    run, link = handlers(tmp_path, ScriptedBook(["taken"]))
    with pytest.raises(CentralError) as raised:
        run[BookSlot](BookSlot(session_id="s", request=REQUEST))
    assert raised.value.failure is CentralFailure.CONFLICT
    (item,) = items(link.outbox)
    assert item.last_failure is CentralFailure.CONFLICT and not item.holds_payload


def test_an_answer_after_the_wait_is_still_reported_as_booked(tmp_path):
    book = ScriptedBook([None], delay_s=0.5)
    run, link = handlers(tmp_path, book, call_timeout_s=0.0)  # the screen waits 0.3 s only
    booked = run[BookSlot](BookSlot(session_id="s", request=REQUEST))
    assert booked.id == "40", "the central took it while the handler waited: it is booked"
    assert items(link.outbox)[0].state is ItemState.DELIVERED


def test_a_cancellation_confirmed_or_left_to_the_sender(tmp_path):
    book = ScriptedBook(["down", "down", "down"])
    run, link = handlers(tmp_path, book)
    old = Appointment("7", "chrono:a/b", START, START, AppointmentStatus.BOOKED)
    outcome = run[CancelBooking](CancelBooking(session_id="s", appointment=old))
    assert outcome == Cancellation(old, confirmed=False)
    (item,) = items(link.outbox)
    assert item.state is ItemState.PENDING, "it will be delivered when the central answers"
    book.script = []
    link.outbox.reschedule_pending(time.time())
    link.sender.run_once()
    assert book.cancelled == ["7"]
    outcome = run[CancelBooking](CancelBooking(session_id="s", appointment=old))
    assert outcome.confirmed and outcome.appointment.status is AppointmentStatus.CANCELLED
