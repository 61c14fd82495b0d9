"""Submitting through a real outbox and sender (kiosk/outbox/submitting.py), with a scripted
appointment book (no network): a booking (withdrawn unless answered) recovers a lost answer
under the same key, books nothing now or later on a silent central, keeps nothing personal for
a taken slot, and is reported as booked when the answer comes late; a cancellation (kept) waits
in the outbox to be delivered; a submission the station has no port for is never stored."""

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
from kiosk.core.flows.booking import booked, cancellation
from kiosk.core.submission import Delivery
from kiosk.outbox import submitting
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import ItemState, Outbox
from kiosk.outbox.submitting import Patience, Submitter

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
    submitter: Submitter


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(submitting, "WITHDRAW_MARGIN_S", 0.5)
    monkeypatch.setattr(submitting, "RETRY_PAUSE_S", 0.05)


def station(tmp_path, book: ScriptedBook, call_timeout_s: float = 0.3) -> Link:
    outbox = Outbox(tmp_path / "outbox.db")
    sender = OutboxSender(outbox, couriers_for(book=book))
    submitter = Submitter(outbox, sender, "borne-1", Patience(0.3, call_timeout_s))
    return Link(book, outbox, sender, submitter)


def book_slot(link: Link) -> Appointment:
    return booked(link.submitter.submit(REQUEST, Delivery.WITHDRAW), REQUEST)


def items(outbox: Outbox) -> list[Any]:
    return [outbox.get(k) for (k,) in outbox._read("SELECT idempotency_key FROM items")]


def test_a_booking_is_stored_sent_and_answered(tmp_path):
    link = station(tmp_path, ScriptedBook([None]))
    appointment = book_slot(link)
    assert appointment.id == "40" and appointment.start == START
    (item,) = items(link.outbox)
    assert item.state is ItemState.DELIVERED and item.central_ref == "40"
    assert item.station_ref.startswith("borne-1-"), "the booking carries a station reference"


def test_a_lost_answer_is_recovered_under_the_same_key(tmp_path):
    book = ScriptedBook(["lose", None])
    link = station(tmp_path, book)
    assert book_slot(link).id == "40"
    assert len(book.bookings) == 1, "one booking at the central, not two"
    assert items(link.outbox)[0].state is ItemState.DELIVERED


def test_a_silent_central_books_nothing_now_or_later(tmp_path):
    book = ScriptedBook(["down"] * 10)
    link = station(tmp_path, book)
    with pytest.raises(CentralError) as raised:
        book_slot(link)
    assert raised.value.retryable
    assert book.calls == submitting.WITHDRAW_ATTEMPTS
    (item,) = items(link.outbox)
    assert item.state is ItemState.FAILED and not item.holds_payload
    book.script = []
    link.sender.run_once()
    assert book.bookings == {} and book.calls == submitting.WITHDRAW_ATTEMPTS


def test_a_taken_slot_is_a_conflict_that_keeps_nothing(tmp_path):
    link = station(tmp_path, ScriptedBook(["taken"]))
    with pytest.raises(CentralError) as raised:
        book_slot(link)
    assert raised.value.failure is CentralFailure.CONFLICT
    (item,) = items(link.outbox)
    assert item.last_failure is CentralFailure.CONFLICT and not item.holds_payload


def test_an_answer_after_the_wait_is_still_reported_as_booked(tmp_path):
    book = ScriptedBook([None], delay_s=0.5)
    link = station(tmp_path, book, call_timeout_s=0.0)  # the screen waits 0.3 s only
    appointment = book_slot(link)
    assert appointment.id == "40", "the central took it while the screen waited: it is booked"
    assert items(link.outbox)[0].state is ItemState.DELIVERED


def test_a_cancellation_confirmed_or_left_to_the_sender(tmp_path):
    book = ScriptedBook(["down", "down", "down"])
    link = station(tmp_path, book)
    old = Appointment("7", "chrono:a/b", START, START, AppointmentStatus.BOOKED)
    submitted = link.submitter.submit(old, Delivery.KEEP)
    assert not submitted.delivered and submitted.station_ref == ""
    assert cancellation(submitted, old).confirmed is False
    (item,) = items(link.outbox)
    assert item.state is ItemState.PENDING, "it will be delivered when the central answers"
    book.script = []
    link.outbox.reschedule_pending(time.time())
    link.sender.run_once()
    assert book.cancelled == ["7"]
    outcome = cancellation(link.submitter.submit(old, Delivery.KEEP), old)
    assert outcome.confirmed and outcome.appointment.status is AppointmentStatus.CANCELLED


def test_a_submission_without_a_port_is_refused_and_never_stored(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    sender = OutboxSender(outbox, couriers_for())  # a station with no appointment book
    submitter = Submitter(outbox, sender, "borne-1", Patience(0.3, 0.3))
    with pytest.raises(CentralError) as raised:
        submitter.submit(REQUEST, Delivery.WITHDRAW)
    assert raised.value.failure is CentralFailure.REJECTED
    assert items(outbox) == []


def test_no_thread_is_started_per_submission(tmp_path, monkeypatch):
    link = station(tmp_path, ScriptedBook([None] * 5))
    book_slot(link)  # the sender's worker for waiting screens starts once
    started: list[str] = []
    start = threading.Thread.start

    def counting_start(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for _ in range(4):
        book_slot(link)
    assert started == []
