"""Withdrawing an item from the outbox: a booking the person was told did not go through is
never sent later, keeps nothing personal, and a delivery that came after all is reported,
never lost. Real SQLite store, real sender, fake handlers (pure logic)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from kiosk.core.central import (
    BookingRequest,
    CentralError,
    CentralFailure,
    Slot,
)
from kiosk.core.clock import ManualClock
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import DeliveryResult, ItemKind, ItemState, Outbox

T0 = 1_750_000_000.0
SECRET = "Zéphyrine Quatremains"


def booking() -> BookingRequest:
    start = datetime(2026, 11, 24, 9, tzinfo=UTC)
    slot = Slot("depot:2026-11-24-0900", "chrono:a/b", start, start)
    return BookingRequest(slot, SECRET, "borne-1", "borne-1-20261124-0001",
                          ants_number="AB12CD34EF")


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def outbox(tmp_path, clock):
    with Outbox(tmp_path / "outbox.db", clock=clock) as box:
        yield box


def sender_for(outbox, clock, handler) -> OutboxSender:
    return OutboxSender(outbox, {ItemKind.BOOKING: handler}, clock=clock, latency_clock=clock,
                        uniform=lambda: 0.5)


def failing(failure: CentralFailure):
    calls = []

    def handler(_submission, key):
        calls.append(key)
        raise CentralError(failure, "scripted")

    handler.calls = calls
    return handler


def test_a_pending_item_is_withdrawn_its_payload_dropped_and_never_sent(outbox, clock,
                                                                          tmp_path):
    handler = failing(CentralFailure.UNREACHABLE)
    sender = sender_for(outbox, clock, handler)
    item = outbox.enqueue(booking())
    with pytest.raises(CentralError):
        sender.deliver_now(item.key, 5)
    assert outbox.get(item.key).state is ItemState.PENDING
    assert sender.withdraw(item.key, 1, CentralFailure.UNREACHABLE) is None
    stored = outbox.get(item.key)
    assert stored.state is ItemState.FAILED and not stored.holds_payload
    assert stored.last_failure is CentralFailure.UNREACHABLE
    assert outbox.counts().pending == 0
    clock.advance(3600)
    assert sender.run_once() == 0, "nothing left to send"
    assert len(handler.calls) == 1
    outbox.scrub(force=True)
    assert SECRET.encode() not in (tmp_path / "outbox.db").read_bytes()


def test_a_refused_item_keeps_its_failure_and_loses_its_payload(outbox, clock):
    sender = sender_for(outbox, clock, failing(CentralFailure.CONFLICT))
    item = outbox.enqueue(booking())
    with pytest.raises(CentralError) as raised:
        sender.deliver_now(item.key, 5)
    assert raised.value.failure is CentralFailure.CONFLICT
    assert outbox.get(item.key).holds_payload, "a refusal is kept for a technician…"
    sender.withdraw(item.key, 1, CentralFailure.TIMEOUT)
    stored = outbox.get(item.key)
    assert not stored.holds_payload, "… unless the person was told and nobody will act on it"
    assert stored.last_failure is CentralFailure.CONFLICT
    assert outbox.requeue(item.key) is False, "nothing to send again"


def test_a_delivered_item_is_left_as_it_is_and_reported(outbox, clock):
    sender = sender_for(outbox, clock, lambda _s, _k: DeliveryResult("41", "booked"))
    item = outbox.enqueue(booking())
    sender.deliver_now(item.key, 5)
    result = sender.withdraw(item.key, 1)
    assert result == DeliveryResult("41", "booked")
    assert outbox.get(item.key).state is ItemState.DELIVERED


def test_an_attempt_under_way_is_waited_for_and_its_delivery_returned(outbox, clock):
    release = threading.Event()

    def slow(_submission, _key):
        release.wait(5)
        return DeliveryResult("42", "booked", answer="the appointment")

    sender = sender_for(outbox, clock, slow)
    item = outbox.enqueue(booking())
    with pytest.raises(CentralError) as raised:
        sender.deliver_now(item.key, 0.05)
    assert raised.value.failure is CentralFailure.TIMEOUT
    threading.Timer(0.1, release.set).start()
    result = sender.withdraw(item.key, 5)
    assert result is not None and result.reference == "42"
    assert result.answer == "the appointment"
    assert outbox.get(item.key).state is ItemState.DELIVERED


def test_an_attempt_still_under_way_is_withdrawn_when_it_fails(outbox, clock):
    release = threading.Event()
    done = threading.Event()

    def slow_failure(_submission, _key):
        release.wait(5)
        done.set()
        raise CentralError(CentralFailure.TIMEOUT, "scripted")

    sender = sender_for(outbox, clock, slow_failure)
    item = outbox.enqueue(booking())
    with pytest.raises(CentralError):
        sender.deliver_now(item.key, 0.05)
    assert sender.withdraw(item.key, 0.05) is None, "gave up waiting"
    assert outbox.get(item.key).state is ItemState.PENDING, "the attempt is still under way"
    release.set()
    done.wait(5)
    for _ in range(100):
        if outbox.get(item.key).state is ItemState.FAILED:
            break
        threading.Event().wait(0.02)
    stored = outbox.get(item.key)
    assert stored.state is ItemState.FAILED and not stored.holds_payload
    clock.advance(3600)
    assert sender.run_once() == 0


def test_withdrawing_an_unknown_key(outbox, clock):
    sender = sender_for(outbox, clock, failing(CentralFailure.UNREACHABLE))
    assert sender.withdraw("no-such-key", 0.1) is None
    assert outbox.withdraw("no-such-key", CentralFailure.TIMEOUT) is None
