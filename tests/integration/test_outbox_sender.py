"""The outbox sender: backoff, retry or refusal, exactly-once delivery through lost answers,
connectivity, sending at once for a waiting screen, and a backlog flushed fast with every
result on disk.

Handlers are fakes (pure logic: the sender knows no protocol); the store is a real SQLite
file; most tests drive the sender one pass at a time with a manual clock (`run_once`)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    CentralError,
    CentralFailure,
    Place,
    RequestSubmission,
    Slot,
    SubmissionOutcome,
    SubmissionResult,
    SurveyAnswer,
)
from kiosk.core.clock import ManualClock
from kiosk.core.state import Connectivity
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.connectivity import ConnectivityRule, ConnectivityTracker
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.sender import MALFORMED_ATTEMPTS, PURGE_INTERVAL_S, OutboxSender
from kiosk.outbox.store import DeliveryResult, ItemKind, ItemState, Outbox, Refused

T0 = 1_750_000_000.0
U, TO, S5, REJ, UNA = (CentralFailure.UNREACHABLE, CentralFailure.TIMEOUT,
                       CentralFailure.SERVER_ERROR, CentralFailure.REJECTED,
                       CentralFailure.UNAUTHORISED)
ON, DEG, OFF = Connectivity.ONLINE, Connectivity.DEGRADED, Connectivity.OFFLINE
SECRET = "Zéphyrine-Quatremains-7731"


def request(n: int, secret: str = SECRET) -> RequestSubmission:
    ref = f"borne-1-20250615-{n:04d}"
    return RequestSubmission(service_id="open311:001", answers={}, place=Place(address="rue"),
                             station_id="borne-1", station_ref=ref, description=secret)


class FakeCentral:
    """A central that numbers what it receives and, like the peer, answers a key it has seen
    with the same number instead of recording the submission twice."""

    def __init__(self) -> None:
        self.records: dict[str, str] = {}
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def submit(self, submission: object, key: str) -> DeliveryResult:
        with self.lock:
            self.calls.append(key)
            number = self.records.setdefault(key, f"{100000 + len(self.records)}")
        return DeliveryResult(number, "numbered", answer=number)


class Script:
    """A handler that fails as told, call after call, then hands over to a central."""

    def __init__(self, central: FakeCentral, failures: list[CentralFailure | None],
                 lose_answer: bool = False) -> None:
        self.central = central
        self.failures = list(failures)
        self.lose_answer = lose_answer

    def __call__(self, submission: object, key: str) -> DeliveryResult:
        failure = self.failures.pop(0) if self.failures else None
        if failure is None:
            return self.central.submit(submission, key)
        if self.lose_answer:
            self.central.submit(submission, key)  # the central took it; the answer is lost
        raise CentralError(failure, "scripted")


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def outbox(tmp_path, clock):
    with Outbox(tmp_path / "outbox.db", clock=clock) as box:
        yield box


def sender_for(outbox: Outbox, clock: ManualClock, handler: Callable[..., DeliveryResult],
               **options: object) -> OutboxSender:
    options.setdefault("uniform", lambda: 0.5)
    return OutboxSender(outbox, {ItemKind.REQUEST: handler}, clock=clock,
                        latency_clock=clock, **options)  # type: ignore[arg-type]


# -- backoff ------------------------------------------------------------------------------------


def test_backoff_doubles_from_base_up_to_cap():
    backoff = Backoff(base_s=1, cap_s=300)
    assert [backoff.ceiling_s(n) for n in range(1, 12)] == [1, 2, 4, 8, 16, 32, 64, 128, 256,
                                                            300, 300]
    assert backoff.ceiling_s(10_000) == 300  # no overflow after a long outage


def test_full_jitter_stays_within_zero_and_the_ceiling():
    backoff = Backoff(base_s=2, cap_s=60)
    assert backoff.delay_s(3, lambda: 0.0) == 0.0
    assert backoff.delay_s(3, lambda: 0.999) == pytest.approx(7.992)
    rng = random.Random(4)
    delays = [backoff.delay_s(4, rng.random) for _ in range(2000)]
    assert all(0 <= d < 16 for d in delays)
    assert min(delays) < 1 and max(delays) > 15  # spread over the whole range, not a constant


def test_backoff_refuses_nonsense():
    with pytest.raises(ValueError):
        Backoff(base_s=0)
    with pytest.raises(ValueError):
        Backoff(base_s=10, cap_s=5)


def test_retries_wait_longer_and_longer(outbox, clock):
    central = FakeCentral()
    handler = Script(central, [CentralFailure.UNREACHABLE] * 12)
    sender = sender_for(outbox, clock, handler, uniform=lambda: 0.999,
                        backoff=Backoff(base_s=1, cap_s=60),
                        rule=ConnectivityRule(offline_after=1000))
    outbox.enqueue(request(1))
    waits = []
    for _ in range(9):
        assert sender.run_once() == 1
        item = outbox.get("borne-1-20250615-0001")
        waits.append(round(item.next_attempt_at - clock(), 3))
        assert sender.run_once() == 0  # not before its time
        clock.now = item.next_attempt_at
    assert waits == [0.999, 1.998, 3.996, 7.992, 15.984, 31.968, 59.94, 59.94, 59.94]
    assert outbox.get("borne-1-20250615-0001").attempts == 9


# -- retry or refuse --------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [CentralFailure.UNREACHABLE, CentralFailure.TIMEOUT,
                                     CentralFailure.SERVER_ERROR])
def test_a_retryable_failure_keeps_the_item_pending(outbox, clock, failure):
    central = FakeCentral()
    sender = sender_for(outbox, clock, Script(central, [failure]))
    outbox.enqueue(request(1))
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert (item.state, item.last_failure, item.attempts) == (ItemState.PENDING, failure, 1)
    assert item.next_attempt_at == T0 + 0.5  # base 1 s × uniform 0.5
    clock.advance(0.5)
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert (item.state, item.central_ref, item.attempts) == (ItemState.DELIVERED, "100000", 2)


@pytest.mark.parametrize("failure", [CentralFailure.REJECTED, CentralFailure.NOT_FOUND,
                                     CentralFailure.UNAUTHORISED, CentralFailure.CONFLICT])
def test_a_permanent_failure_marks_the_item_failed(outbox, clock, failure):
    central = FakeCentral()
    sender = sender_for(outbox, clock, Script(central, [failure]))
    outbox.enqueue(request(1))
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert (item.state, item.last_failure, item.holds_payload) == (ItemState.FAILED, failure,
                                                                    True)
    clock.advance(3600)
    assert sender.run_once() == 0  # never sent again by itself
    assert central.calls == []


def test_an_unreadable_answer_is_tried_again_a_few_times_then_left_for_a_technician(
        outbox, clock):
    central = FakeCentral()
    malformed = [CentralFailure.MALFORMED] * MALFORMED_ATTEMPTS
    sender = sender_for(outbox, clock, Script(central, [*malformed, CentralFailure.MALFORMED]))
    outbox.enqueue(request(1))
    for attempt in range(1, MALFORMED_ATTEMPTS):
        sender.run_once()
        item = outbox.get("borne-1-20250615-0001")
        assert (item.state, item.attempts) == (ItemState.PENDING, attempt)
        clock.advance(3600)
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert (item.state, item.last_failure, item.holds_payload) == (
        ItemState.FAILED, CentralFailure.MALFORMED, True)
    clock.advance(3600)
    assert sender.run_once() == 0


def test_a_garbled_answer_then_a_good_one_delivers_once(outbox, clock):
    central = FakeCentral()
    sender = sender_for(outbox, clock, Script(central, [CentralFailure.MALFORMED]))
    outbox.enqueue(request(1))
    sender.run_once()
    clock.advance(3600)
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert (item.state, item.central_ref) == (ItemState.DELIVERED, "100000")


def test_a_handler_that_breaks_its_contract_does_not_lose_the_item(outbox, clock):
    def broken(submission: object, key: str) -> DeliveryResult:
        raise KeyError("bug")

    sender = sender_for(outbox, clock, broken)
    outbox.enqueue(request(1))
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert item.state is ItemState.PENDING and item.last_failure is CentralFailure.SERVER_ERROR


# -- exactly once -------------------------------------------------------------------------------


def test_a_lost_answer_is_asked_again_under_the_same_key(outbox, clock):
    central = FakeCentral()
    # Each item: its first two answers are lost (one call after the other), the third arrives.
    handler = Script(central, [U, U, TO, TO], lose_answer=True)
    sender = sender_for(outbox, clock, handler, rule=ConnectivityRule(offline_after=100))
    outbox.enqueue(request(1))
    outbox.enqueue(request(2))
    for _ in range(3):
        sender.run_once()
        clock.advance(10)
    assert central.calls.count("borne-1-20250615-0001") == 3  # sent three times...
    assert len(central.records) == 2  # ...recorded once
    first = outbox.get("borne-1-20250615-0001")
    assert first.state is ItemState.DELIVERED
    assert first.central_ref == central.records["borne-1-20250615-0001"]
    assert outbox.get("borne-1-20250615-0002").central_ref == central.records[
        "borne-1-20250615-0002"]


def test_payload_is_dropped_on_delivery_and_gone_from_the_file(outbox, clock, tmp_path):
    sender = sender_for(outbox, clock, FakeCentral().submit)
    outbox.enqueue(request(1))
    db, wal = tmp_path / "outbox.db", tmp_path / "outbox.db-wal"

    def on_disk() -> bytes:
        return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert SECRET.encode() in on_disk()
    sender.run_once()
    assert outbox.payload("borne-1-20250615-0001") is None
    assert SECRET.encode() not in on_disk()


# -- connectivity -------------------------------------------------------------------------------



@pytest.mark.parametrize(
    ("calls", "states"),
    [
        ([(None, 0.1)], [ON]),
        ([(U, 1), (TO, 10), (U, 1)], [DEG, DEG, OFF]),
        ([(U, 1), (U, 1), (None, 0.2), (U, 1), (U, 1)], [DEG, DEG, ON, DEG, DEG]),
        ([(U, 1)] * 4 + [(None, 0.2)], [DEG, DEG, OFF, OFF, ON]),
        ([(S5, 0.1), (None, 0.1)], [DEG, ON]),
        ([(None, 3.5), (None, 0.5)], [DEG, ON]),  # slow, then fast
        ([(REJ, 0.1)], [ON]),  # refused for a reason of its own: the central works
        ([(U, 1), (REJ, 0.1)], [DEG, ON]),
        ([(UNA, 0.1)], [DEG]),  # a wrong key: nothing can be submitted
        ([(U, 1), (U, 1), (S5, 0.1), (U, 1)], [DEG, DEG, DEG, DEG]),  # an answer breaks a streak
    ],
)
def test_connectivity_rule(calls, states):
    tracker = ConnectivityTracker()
    seen = []
    for failure, latency in calls:
        tracker.observe(failure, latency)
        seen.append(tracker.state)
    assert seen == states


def test_tracker_reports_changes_only():
    tracker = ConnectivityTracker(ConnectivityRule(offline_after=2))
    assert tracker.observe(None, 0.1) is None
    assert tracker.observe(U, 1) is DEG
    assert tracker.observe(U, 1) is OFF
    assert tracker.observe(U, 1) is None
    assert tracker.observe(None, 0.1) is ON


def test_sender_reports_connectivity_and_probes_one_item_while_offline(outbox, clock):
    changes: list[Connectivity] = []
    central = FakeCentral()
    handler = Script(central, [U] * 5)
    sender = sender_for(outbox, clock, handler, on_connectivity=changes.append,
                        rule=ConnectivityRule(offline_after=3), workers=2)
    for n in range(1, 8):
        outbox.enqueue(request(n))
    assert sender.run_once() == 4  # two workers × two claims each
    assert changes == [DEG, OFF]
    assert sender.connectivity is OFF
    clock.advance(600)  # long after every item's own backoff
    assert sender.run_once() == 1  # offline: one probe at a time
    assert central.calls == []
    clock.advance(600)
    assert sender.run_once() == 1  # the probe gets an answer...
    assert changes == [DEG, OFF, ON]
    assert sender.run_once() == 4  # ...and the backlog flushes
    assert sender.run_once() == 2
    assert outbox.counts().pending == 0
    assert len(central.records) == 7


def test_the_probe_waits_for_the_backoff(outbox, clock):
    handler = Script(FakeCentral(), [U] * 10)
    sender = sender_for(outbox, clock, handler, rule=ConnectivityRule(offline_after=1),
                        uniform=lambda: 0.999, backoff=Backoff(base_s=10, cap_s=100))
    outbox.enqueue(request(1))
    assert sender.run_once() == 1  # offline now; next probe in 0.999 × 10 s
    clock.advance(9)
    assert sender.run_once() == 0
    clock.advance(1)
    assert sender.run_once() == 1  # second failure offline: next in 0.999 × 20 s
    clock.advance(19)
    assert sender.run_once() == 0
    clock.advance(1)
    assert sender.run_once() == 1


def test_probe_callable_is_used_when_nothing_waits(outbox, clock):
    answers = [CentralError(U), None]
    probes = []

    def probe() -> None:
        probes.append(clock())
        answer = answers.pop(0)
        if answer is not None:
            raise answer

    changes: list[Connectivity] = []
    sender = sender_for(outbox, clock, FakeCentral().submit, probe=probe,
                        rule=ConnectivityRule(offline_after=1), on_connectivity=changes.append)
    sender.note_call(U, 1.0)  # a catalogue fetch failed: offline
    assert changes == [OFF]
    clock.advance(10)
    sender.run_once()
    clock.advance(10)
    sender.run_once()
    assert len(probes) == 2 and changes == [OFF, ON]
    sender.run_once()
    assert len(probes) == 2  # online: no more probing


def test_a_failing_connectivity_callback_does_not_stop_delivery(outbox, clock):
    def explode(state: Connectivity) -> None:
        raise RuntimeError("screen gone")

    sender = sender_for(outbox, clock, Script(FakeCentral(), [S5]), on_connectivity=explode)
    outbox.enqueue(request(1))
    sender.run_once()
    clock.advance(5)
    sender.run_once()
    assert outbox.get("borne-1-20250615-0001").state is ItemState.DELIVERED


def test_items_far_in_the_future_are_sent_when_the_clock_went_back(outbox, clock):
    sender = sender_for(outbox, clock, Script(FakeCentral(), [S5]), uniform=lambda: 0.999,
                        backoff=Backoff(base_s=200, cap_s=300))
    outbox.enqueue(request(1))
    sender.run_once()
    clock.now = T0 - 86_400  # the wall clock was a day ahead and got corrected
    assert sender.run_once() == 1
    assert outbox.get("borne-1-20250615-0001").state is ItemState.DELIVERED


# -- sending at once -----------------------------------------------------------------------------


def test_deliver_now_returns_the_central_answer(outbox, clock):
    sender = sender_for(outbox, clock, FakeCentral().submit)
    outbox.enqueue(request(1))
    result = sender.deliver_now("borne-1-20250615-0001", timeout_s=5)
    assert result == DeliveryResult("100000", "numbered") and result.answer == "100000"
    assert outbox.get("borne-1-20250615-0001").state is ItemState.DELIVERED
    # Asked again: the recorded answer, without calling the central.
    assert sender.deliver_now("borne-1-20250615-0001", timeout_s=5).reference == "100000"
    with pytest.raises(KeyError):
        sender.deliver_now("unknown", timeout_s=1)


def test_deliver_now_raises_a_refusal(outbox, clock):
    sender = sender_for(outbox, clock, Script(FakeCentral(), [CentralFailure.CONFLICT]))
    outbox.enqueue(request(1))
    with pytest.raises(CentralError) as caught:
        sender.deliver_now("borne-1-20250615-0001", timeout_s=5)
    assert caught.value.failure is CentralFailure.CONFLICT
    assert outbox.get("borne-1-20250615-0001").state is ItemState.FAILED
    with pytest.raises(CentralError):
        sender.deliver_now("borne-1-20250615-0001", timeout_s=5)


def test_deliver_now_with_a_lost_answer_leaves_the_item_for_the_sender(outbox, clock):
    central = FakeCentral()
    sender = sender_for(outbox, clock, Script(central, [U], lose_answer=True))
    outbox.enqueue(request(1))
    with pytest.raises(CentralError) as caught:
        sender.deliver_now("borne-1-20250615-0001", timeout_s=5)
    assert caught.value.failure is U
    assert outbox.get("borne-1-20250615-0001").state is ItemState.PENDING
    clock.advance(60)
    sender.run_once()
    assert outbox.get("borne-1-20250615-0001").central_ref == "100000"
    assert len(central.records) == 1 and len(central.calls) == 2


def test_deliver_now_gives_up_waiting_but_the_attempt_is_still_recorded(outbox, clock):
    release = threading.Event()
    central = FakeCentral()

    def slow(submission: object, key: str) -> DeliveryResult:
        release.wait(10)
        return central.submit(submission, key)

    sender = sender_for(outbox, clock, slow)
    outbox.enqueue(request(1))
    with pytest.raises(CentralError) as caught:
        sender.deliver_now("borne-1-20250615-0001", timeout_s=0.05)
    assert caught.value.failure is CentralFailure.TIMEOUT
    assert sender.run_once() == 0  # in flight: not sent a second time
    release.set()
    deadline = time.monotonic() + 5
    while outbox.get("borne-1-20250615-0001").state is ItemState.PENDING:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert central.calls == ["borne-1-20250615-0001"]


def test_deliver_now_joins_an_attempt_already_on_its_way(outbox, clock):
    entered, release = threading.Event(), threading.Event()
    central = FakeCentral()

    def slow(submission: object, key: str) -> DeliveryResult:
        entered.set()
        release.wait(10)
        return central.submit(submission, key)

    sender = sender_for(outbox, clock, slow)
    outbox.enqueue(request(1))
    background = threading.Thread(target=sender.run_once)
    background.start()
    assert entered.wait(5)
    answers: list[DeliveryResult] = []
    waiter = threading.Thread(
        target=lambda: answers.append(sender.deliver_now("borne-1-20250615-0001", 5)))
    waiter.start()
    time.sleep(0.05)
    release.set()
    waiter.join(5)
    background.join(5)
    assert answers == [DeliveryResult("100000", "numbered")]
    assert central.calls == ["borne-1-20250615-0001"]


# -- the thread ---------------------------------------------------------------------------------


class RecordingWaker:
    """A waker that notes how long the sender asked to sleep, and sleeps only briefly."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.timeouts: list[float] = []

    def wait(self, timeout_s: float) -> None:
        self.timeouts.append(timeout_s)
        self.event.wait(0.02)
        self.event.clear()

    def set(self) -> None:
        self.event.set()


def wait_until(condition: Callable[[], bool], timeout_s: float = 5) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_the_thread_sleeps_until_the_next_retry(outbox, clock):
    waker = RecordingWaker()
    sender = sender_for(outbox, clock, Script(FakeCentral(), [S5]), waker=waker,
                        backoff=Backoff(base_s=8, cap_s=60), idle_check_s=60)
    outbox.enqueue(request(1))
    sender.start()
    try:
        wait_until(lambda: outbox.get("borne-1-20250615-0001").attempts == 1)
        wait_until(lambda: 4.0 in waker.timeouts)  # 8 s × 0.5, by the manual clock
        clock.advance(4)
        wait_until(lambda: outbox.get("borne-1-20250615-0001").state is ItemState.DELIVERED)
        wait_until(lambda: waker.timeouts[-1] == 60)  # nothing left: the idle check
    finally:
        sender.stop()


def test_wake_sends_at_once(tmp_path):
    with Outbox(tmp_path / "o.db") as box:
        sender = OutboxSender(box, {ItemKind.REQUEST: FakeCentral().submit}, idle_check_s=60)
        sender.start()
        try:
            time.sleep(0.05)  # the thread found nothing and sleeps for a minute
            box.enqueue(request(1))
            time.sleep(0.2)
            assert box.counts().pending == 1  # without a wake it would wait
            sender.wake()
            wait_until(lambda: box.counts().pending == 0, 2)
            wait_until(lambda: not box.needs_scrub, 2)  # idle: the log is truncated
            data = box.path.read_bytes()
            wal = box.path.with_name("o.db-wal")
            data += wal.read_bytes() if wal.exists() else b""
            assert SECRET.encode() not in data
        finally:
            sender.stop()


def test_stop_ends_every_thread(tmp_path):
    with Outbox(tmp_path / "o.db") as box:
        sender = OutboxSender(box, {ItemKind.REQUEST: FakeCentral().submit})
        sender.start()
        threads = sender.threads
        assert len(threads) == 7  # 4 workers, one for waiting screens, writer, dispatcher
        started = time.monotonic()
        sender.stop(timeout_s=2)
        assert time.monotonic() - started < 2
        assert not any(t.is_alive() for t in threads)
        assert all(t.daemon for t in threads)
        with pytest.raises(RuntimeError):
            sender.start()


def test_a_backlog_of_1000_flushes_at_200_per_second_or_more_each_sent_once(tmp_path):
    central = FakeCentral()

    def tiny_sleep(submission: object, key: str) -> DeliveryResult:
        time.sleep(0.001)
        return central.submit(submission, key)

    with Outbox(tmp_path / "o.db") as box:
        for n in range(1, 1001):
            box.enqueue(request(n))
        sender = OutboxSender(box, {ItemKind.REQUEST: tiny_sleep})
        started = time.perf_counter()
        sender.start()
        try:
            wait_until(lambda: box.counts().pending == 0, 30)
            elapsed = time.perf_counter() - started
        finally:
            sender.stop()
        assert 1000 / elapsed >= 200, f"{1000 / elapsed:.0f} per second"
        assert Counter(central.calls).most_common(1)[0][1] == 1  # nobody sent twice
        assert len(central.calls) == 1000
        assert sender.stats.recorded == 1000
        delivered = box._conn.execute(
            "SELECT count(*) FROM items WHERE state = 'delivered' AND central_ref IS NOT NULL"
        ).fetchone()[0]
        assert delivered == 1000


# -- handlers from the core's ports --------------------------------------------------------------


def test_handlers_turn_port_answers_into_delivery_results():
    start, end = datetime(2025, 6, 12, 9, tzinfo=UTC), datetime(2025, 6, 12, 10, tzinfo=UTC)
    booked = Appointment("42", "chrono:a/b", start, end, AppointmentStatus.BOOKED)
    seen: list[tuple[str, str]] = []

    class Desk:
        def submit(self, submission, key):
            seen.append(("submit", key))
            return SubmissionResult(SubmissionOutcome.PENDING, token="T-9")

    class Book:
        def book(self, request, key):
            seen.append(("book", key))
            return booked

        def cancel(self, appointment, key):
            seen.append(("cancel", key))
            return Appointment("42", "chrono:a/b", start, end, AppointmentStatus.CANCELLED)

    class Sink:
        def send(self, answer, key):
            seen.append(("send", key))
            return "S-1"

    handlers = couriers_for(desk=Desk(), book=Book(), sink=Sink())  # type: ignore[arg-type]
    assert set(handlers) == set(ItemKind)
    assert handlers[ItemKind.REQUEST](request(1), "k1") == DeliveryResult("T-9", "pending")
    booking = BookingRequest(Slot("s", "chrono:a/b", start, end), "N", "b", "b-20250101-0001")
    result = handlers[ItemKind.BOOKING](booking, "k2")
    assert result == DeliveryResult("42", "booked") and result.answer is booked
    assert handlers[ItemKind.CANCELLATION](booked, "k3") == DeliveryResult("42", "cancelled")
    survey = SurveyAnswer("request", "b", "b-20250101-0002")
    assert handlers[ItemKind.SURVEY](survey, "k4") == DeliveryResult("S-1", "sent")
    assert seen == [("submit", "k1"), ("book", "k2"), ("cancel", "k3"), ("send", "k4")]
    assert set(couriers_for(desk=Desk())) == {ItemKind.REQUEST}  # type: ignore[arg-type]


def test_an_item_without_a_handler_waits(outbox, clock):
    sender = OutboxSender(outbox, {}, clock=clock, uniform=lambda: 0.5)
    outbox.enqueue(request(1))
    sender.run_once()
    item = outbox.get("borne-1-20250615-0001")
    assert item.state is ItemState.PENDING and item.attempts == 1
    assert sender.connectivity is Connectivity.ONLINE  # nothing was learnt about the central


def test_the_sender_purges_on_start_and_every_hour(outbox, clock):
    # A request the central refused for good keeps its payload for a technician, for the
    # retention only: the running sender drops it without anyone calling purge.
    waker = RecordingWaker()
    outbox.enqueue(request(1))
    outbox.enqueue(request(2))
    outbox.record([Refused("borne-1-20250615-0001", CentralFailure.REJECTED, T0)])
    clock.advance(outbox.failed_retention_s)
    outbox.record([Refused("borne-1-20250615-0002", CentralFailure.REJECTED, clock())])
    sender = sender_for(outbox, clock, Script(FakeCentral(), []), waker=waker)
    sender.start()
    try:
        wait_until(lambda: not outbox.get("borne-1-20250615-0001").holds_payload)
        assert outbox.get("borne-1-20250615-0002").holds_payload, "not past its retention"
        clock.advance(outbox.failed_retention_s - PURGE_INTERVAL_S / 2)
        time.sleep(0.1)
        assert outbox.get("borne-1-20250615-0002").holds_payload, "still within its retention"
        clock.advance(PURGE_INTERVAL_S)
        wait_until(lambda: not outbox.get("borne-1-20250615-0002").holds_payload)
        # The purge drops the payload, then checkpoints the log into the file: the file is
        # clean once that scrub has run, a moment after the drop is visible.
        wait_until(lambda: not outbox.needs_scrub)
        assert SECRET.encode() not in outbox.path.read_bytes()
    finally:
        sender.stop()
