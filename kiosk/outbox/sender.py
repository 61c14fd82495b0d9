"""The outbox sender: a thread that delivers what the outbox holds, and tells how the
central answers.

It knows no protocol: it is given one courier per kind of item, a callable that takes the
decoded submission and its idempotency key and returns a `DeliveryResult`, or raises
`kiosk.core.central.CentralError`. The app shell builds couriers from the adapters (see
`kiosk.outbox.couriers`).

Delivery
- Due items are sent by a small pool of worker threads (4 by default), so that a backlog
  flushes quickly once the central answers again.
- Every result is committed before anyone is told (the screen, the connectivity callback) and
  before the item can be claimed again. Workers hand results to a writer thread and go on
  sending; the writer records whatever has piled up in one transaction ("group commit"): one
  fsync per batch, so a slow disk makes batches bigger rather than delivery slower.
- A retryable failure (`CentralError.retryable`: unreachable, time limit, 5xx) schedules the
  item again after an exponential backoff with full jitter; any other failure marks it failed
  (kept for a technician, then purged: see `store`). Server errors and unreadable answers are
  retried a bounded number of times (SERVER_ERROR_ATTEMPTS, MALFORMED_ATTEMPTS), then the
  item too is kept for a technician: a central that keeps failing is not hammered forever,
  and nothing is dropped.
- An item is sent again with the same idempotency key until a result is recorded: if an
  answer is lost, a central that honours the key answers as the first time. Delivery is at
  least once on the wire and exactly once at the central.
- A central that ignores idempotency keys (Open311 servers: the header is not in GeoReport
  v2) would store an item twice. Its courier then also knows how to look the item up there
  (`FindingCourier.find`, by what the station wrote into it): after an attempt whose outcome
  is unknown (sent, and the answer lost, late, unreadable or a 5xx: `CallOutcome.UNKNOWN`),
  the item is looked up at once, and before any later attempt; when found, the central's
  number is adopted instead of posting twice. When the central cannot tell, the item is
  kept for a technician. docs/central-systems.md tells the whole story.

Connectivity (`kiosk.outbox.connectivity` has the rule; changes go to `on_connectivity`)
- Every answer, and every call that got none, is fed to the rule. While OFFLINE, one item at
  a time is sent as a probe, paced by the backoff (or `probe` is called when nothing waits);
  on ONLINE again every pending item becomes due at once, so the backlog flushes.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from queue import SimpleQueue
from typing import Any, Protocol, runtime_checkable

from kiosk.core.central import CallOutcome, CentralError, CentralFailure
from kiosk.core.events import EventType, Ident, record
from kiosk.core.state import Connectivity
from kiosk.outbox import codec
from kiosk.outbox.backoff import DEFAULT_BACKOFF, Backoff
from kiosk.outbox.connectivity import DEFAULT_RULE, ConnectivityRule, ConnectivityTracker
from kiosk.outbox.store import (
    Delivered,
    DeliveryResult,
    DueItem,
    ItemKind,
    ItemState,
    Outbox,
    Outcome,
    Refused,
    Retry,
)

Courier = Callable[[Any, str], DeliveryResult]
"""Delivers one decoded submission under its idempotency key; raises CentralError."""


@runtime_checkable
class FindingCourier(Protocol):
    """A courier for a central that does not honour idempotency keys, which can also look an
    item up there (module docstring)."""

    def __call__(self, submission: Any, key: str) -> DeliveryResult:
        """Deliver, as any Courier."""
        ...

    def find(self, submission: Any, since: float) -> DeliveryResult | None:
        """The central's result for this submission if it holds it (stored at or after
        `since`, wall-clock seconds), None if it does not; CentralError when it cannot be
        told now (retryable) or at all (UNCERTAIN)."""
        ...


# A handful of connections: enough to flush a backlog of a thousand items in seconds, few
# enough not to look like an attack to a city's reverse proxy.
DEFAULT_WORKERS = 4
# An answer that cannot be read may come from a proxy or a captive portal (the submission
# never arrived) or from a central that took it and garbled the reply: sending again under the
# same idempotency key is safe either way, so a few tries come before a technician is needed.
MALFORMED_ATTEMPTS = 5
# Server errors (5xx) before an item is kept for a technician: with the backoff's 5-minute cap
# (kiosk/outbox/backoff.py), about half an hour of a central answering errors. A central that
# stored the item before failing is found first (FindingCourier), so these are real failures.
SERVER_ERROR_ATTEMPTS = 20
# How many items may be claimed per worker ahead of time (keeps workers busy between passes).
CLAIM_PER_WORKER = 2
# How many items per worker may wait for the writer's commit while the workers go on sending
# (a slow disk lets results pile up: they are then recorded in one transaction).
MAX_IN_FLIGHT_PER_WORKER = 32
# Even with nothing due, look at the outbox this often (items added by another process).
DEFAULT_IDLE_CHECK_S = 60.0
# How often the dispatcher purges the outbox (refused payloads past their retention, old
# finished rows): a payload outlives its retention by an hour at most. The first purge runs
# when the sender starts, so a station switched off for a while purges on power-up.
PURGE_INTERVAL_S = 3600.0


class Waker(Protocol):
    """How the sender's thread sleeps until it has something to do (injectable for tests)."""

    def wait(self, timeout_s: float) -> None:
        """Sleep up to `timeout_s`, less if `set` is called."""
        ...

    def set(self) -> None:
        """End the current or next wait."""
        ...


class EventWaker:
    """The real waker: a threading.Event."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def wait(self, timeout_s: float) -> None:
        """Sleep up to `timeout_s` or until set; then rearm."""
        self._event.wait(max(0.0, timeout_s))
        self._event.clear()

    def set(self) -> None:
        """Wake the sleeper."""
        self._event.set()


@dataclass
class SenderStats:
    """Counters for benchmarks and health: attempts made, and commits that recorded them."""

    attempts: int = 0
    commits: int = 0
    recorded: int = 0


_Job = Callable[[], None]


@dataclass(frozen=True)
class _Attempt:
    """What one attempt gave: the outcome to record, the answer for a waiting screen, and
    what connectivity learns from it (nothing when the central was not called)."""

    outcome: Outcome
    result: DeliveryResult | None = None
    error: CentralError | None = None
    failure: CentralFailure | None = None
    latency_s: float | None = None


_Finish = Callable[[_Attempt], None]


class OutboxSender:
    """Delivers an outbox's items through the couriers it is given (module docstring).

    Threads: a dispatcher that claims due items, `workers` threads that call the couriers,
    and a writer that records finished attempts in batches (one transaction each), then
    releases them. A worker never waits for a disk sync, so a slow disk slows nothing but
    the writer, whose batches grow instead.

    `clock` is wall-clock seconds (schedules are stored); `latency_clock` measures call
    durations; `uniform` draws the jitter; `waker` is how the dispatcher sleeps.
    `on_connectivity` is called from the sender's threads, one change at a time: the app
    shell passes it on to its UI loop. `probe` (optional) is a cheap call to the central
    (raising CentralError) tried while OFFLINE when no item waits."""

    def __init__(self, outbox: Outbox, couriers: Mapping[ItemKind, Courier], *,
                 workers: int = DEFAULT_WORKERS,
                 backoff: Backoff = DEFAULT_BACKOFF,
                 rule: ConnectivityRule = DEFAULT_RULE,
                 initial: Connectivity = Connectivity.ONLINE,
                 on_connectivity: Callable[[Connectivity], None] | None = None,
                 probe: Callable[[], object] | None = None,
                 clock: Callable[[], float] = time.time,
                 latency_clock: Callable[[], float] = time.monotonic,
                 uniform: Callable[[], float] = random.random,
                 waker: Waker | None = None,
                 idle_check_s: float = DEFAULT_IDLE_CHECK_S) -> None:
        if workers < 1:
            raise ValueError("sender: at least one worker")
        self._outbox = outbox
        self._couriers = dict(couriers)
        #: how items of each kind are looked up at a central that ignores idempotency keys
        self._finders = {kind: courier.find for kind, courier in self._couriers.items()
                         if isinstance(courier, FindingCourier)}
        self._workers_count = workers
        self._backoff = backoff
        self._tracker = ConnectivityTracker(rule, initial)
        self._on_connectivity = on_connectivity
        self._probe = probe
        self._clock = clock
        self._latency_clock = latency_clock
        self._uniform = uniform
        self._waker: Waker = waker or EventWaker()
        self._idle_check_s = idle_check_s
        self.stats = SenderStats()

        self._lock = threading.Lock()  # the sets below, the probe schedule, the lifecycle
        #: claimed until their result is recorded (never claimed twice meanwhile)
        self._in_flight: dict[str, Future[DeliveryResult]] = {}
        #: claimed and not yet answered (what the workers have on their plate)
        self._sending: set[str] = set()
        #: taken back while an attempt was under way: withdrawn once it ends (`withdraw`)
        self._withdrawn: set[str] = set()
        self._probing = False
        self._probe_not_before = float("-inf")
        self._purge_at = float("-inf")
        self._started = False
        self._stopping = False
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        #: attempts a person waits for (`deliver_now`), on a worker of their own: never
        #: behind a backlog being flushed, and no thread started per submission
        self._urgent: SimpleQueue[_Job | None] = SimpleQueue()
        self._finished: SimpleQueue[_Attempt | None] = SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._urgent_worker: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None
        self._writer: threading.Thread | None = None
        self._stats_lock = threading.Lock()
        self._connectivity_lock = threading.Lock()  # changes reported in order

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the threads (daemons: they never hold up the program's exit)."""
        with self._lock:
            if self._started:
                raise RuntimeError("sender: already started")
            self._started = True
        self._workers = [threading.Thread(target=self._work, name=f"outbox-worker-{n}",
                                          daemon=True) for n in range(self._workers_count)]
        self._writer = threading.Thread(target=self._write, name="outbox-writer", daemon=True)
        self._dispatcher = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        for thread in (*self._workers, self._writer, self._dispatcher):
            thread.start()
        with self._lock:
            self._start_urgent_worker()

    def _start_urgent_worker(self) -> None:
        """The worker of `deliver_now`, started once (with the others, or at the first
        `deliver_now` of a sender driven by `run_once`). Call with the lock held."""
        if self._urgent_worker is None:
            self._urgent_worker = threading.Thread(target=self._work, args=(self._urgent,),
                                                   name="outbox-now", daemon=True)
            self._urgent_worker.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop sending. Attempts under way finish and are recorded (within `timeout_s`, or
        stay pending, to be sent again under the same key); claimed items not yet started
        stay pending."""
        with self._lock:
            self._stopping = True
        self._waker.set()
        deadline = time.monotonic() + timeout_s
        if self._dispatcher is not None:
            self._dispatcher.join(max(0.0, deadline - time.monotonic()))
        for _ in self._workers:
            self._jobs.put(None)
        self._urgent.put(None)
        for worker in (*self._workers, self._urgent_worker):
            if worker is not None:
                worker.join(max(0.0, deadline - time.monotonic()))
        self._finished.put(None)  # after every result the workers handed over
        if self._writer is not None:
            self._writer.join(max(0.0, deadline - time.monotonic()))

    @property
    def threads(self) -> tuple[threading.Thread, ...]:
        """The sender's threads (for health checks and tests)."""
        found = (*self._workers, self._urgent_worker, self._writer, self._dispatcher)
        return tuple(t for t in found if t is not None)

    def delivers(self, kind: ItemKind) -> bool:
        """Whether this station has a port for items of `kind` (one without is never
        queued: it would wait for ever)."""
        return kind in self._couriers

    def wake(self) -> None:
        """Look for due items now (call it after adding a submission)."""
        self._waker.set()

    @property
    def connectivity(self) -> Connectivity:
        """The connectivity last derived."""
        return self._tracker.state

    def note_call(self, failure: CentralFailure | None, latency_s: float) -> None:
        """Let another call to the central (catalogue, tracking) count for connectivity."""
        self._observe(failure, latency_s)

    # -- sending now --------------------------------------------------------------------------

    def deliver_now(self, key: str, timeout_s: float) -> DeliveryResult:
        """Send one item at once and wait for the central's answer (a booking, a
        cancellation: the screen waits). Returns the result, or raises the CentralError; a
        TIMEOUT CentralError when no answer came within `timeout_s`. Whatever happens the
        item stays in the outbox until a result is recorded, so an answer lost on the way is
        asked for again, under the same key, by the background sender."""
        with self._lock:
            future = self._in_flight.get(key)
            if future is None:
                item = self._outbox.pending_item(key)
                if item is None:
                    return self._finished_result(key)
                future = Future()
                self._in_flight[key] = future
                self._sending.add(key)
                self._start_urgent_worker()
                self._urgent.put(lambda: self._attempt(item, self._finish_one, True))
        try:
            return future.result(timeout=timeout_s)
        except CancelledError:
            raise CentralError(CentralFailure.UNREACHABLE, "the sender stopped") from None
        except FutureTimeout:
            raise CentralError(CentralFailure.TIMEOUT,
                               "no answer in time; the item stays in the outbox") from None

    def withdraw(self, key: str, timeout_s: float,
                 failure: CentralFailure = CentralFailure.TIMEOUT) -> DeliveryResult | None:
        """Take back an item whose screen has told the person it did not go through (a
        booking: a slot is never promised while the central does not answer, so the item
        must not be delivered later). An attempt under way is waited for, up to `timeout_s`
        (give it the HTTP time limit): if the central took the item after all, its result is
        returned and the screen can say so. Otherwise the item is withdrawn from the store
        (`Outbox.withdraw`) under the lock that claiming takes, so no attempt starts after
        this returns None. An attempt still under way after `timeout_s` is withdrawn as soon
        as it ends, unless it delivered (then the delivery is recorded, as it happened)."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                future = self._in_flight.get(key)
                if future is None:
                    item = self._outbox.withdraw(key, failure)
                    self._withdrawn.discard(key)
                    break
            try:
                return future.result(timeout=max(0.0, deadline - time.monotonic()))
            except (CentralError, CancelledError):
                continue  # the attempt ended without delivering: withdraw now
            except FutureTimeout:
                with self._lock:
                    if key in self._in_flight:
                        self._withdrawn.add(key)
                        return None
        record(EventType.OUTBOX_WITHDRAWN, key=Ident(key),
               state=item.state if item else Ident("unknown"))
        if item is not None and item.state is ItemState.DELIVERED:
            return DeliveryResult(item.central_ref, item.outcome or "")
        return None

    def _finished_result(self, key: str) -> DeliveryResult:
        stored = self._outbox.get(key)
        if stored is None:
            raise KeyError(f"outbox: no item with key {key}")
        if stored.state is ItemState.DELIVERED:
            return DeliveryResult(stored.central_ref, stored.outcome or "")
        raise CentralError(stored.last_failure or CentralFailure.REJECTED, "refused earlier")

    # -- one pass, for tests ------------------------------------------------------------------

    def run_once(self) -> int:
        """Send every item due now in the calling thread, recording each result before the
        next attempt; returns the number of attempts. (Tests drive the sender this way with a
        manual clock.)"""
        jobs = self._claim(self._clock(), self._finish_one)
        for job in jobs:
            job()
        self._outbox.scrub(force=True)
        return len(jobs)

    # -- claiming -----------------------------------------------------------------------------

    def _claim(self, now: float, finish: _Finish) -> list[_Job]:
        """Take the items to send now (marking them in flight) and wrap each in a job."""
        with self._lock:
            if self._stopping:
                return []
            if self._tracker.state is Connectivity.OFFLINE:
                # One probe at a time, paced by the backoff, whatever the items' schedules.
                if self._in_flight or self._probing or now < self._probe_not_before:
                    return []
                items = self._outbox.due(float("inf"), 1)
                if not items:
                    if self._probe is None:
                        return []
                    self._probing = True
                    return [self._run_probe]
            else:
                room = min(self._workers_count * CLAIM_PER_WORKER - len(self._sending),
                           self._workers_count * MAX_IN_FLIGHT_PER_WORKER - len(self._in_flight))
                items = self._outbox.due(now, room, skip=self._in_flight,
                                         latest=now + self._backoff.cap_s)
            for item in items:
                self._in_flight[item.key] = Future()
                self._sending.add(item.key)
        return [self._job(item, finish) for item in items]

    def _job(self, item: DueItem, finish: _Finish) -> _Job:
        return lambda: self._attempt(item, finish)

    # -- threads ------------------------------------------------------------------------------

    def _run(self) -> None:
        """The dispatcher: claim what is due, hand it to the workers, sleep until needed."""
        while True:
            with self._lock:
                if self._stopping:
                    return
            timeout = self._idle_check_s
            try:
                now = self._clock()
                jobs = self._claim(now, self._finished.put)
                for job in jobs:
                    self._jobs.put(job)
                timeout = self._next_wait(now)
                with self._lock:
                    idle = not self._in_flight
                if idle and not jobs:
                    # Nothing under way: purge when due, wipe dropped payloads from the log.
                    self._purge_when_due(now)
                    self._outbox.scrub(force=True)
            except Exception as exc:  # a full disk, a damaged file: keep going, say so
                record(EventType.APP_CALLBACK_ERROR, logging.ERROR,
                       where=Ident("outbox.sender"), error=Ident(type(exc).__name__))
            self._waker.wait(timeout)

    def _purge_when_due(self, now: float) -> None:
        if now < self._purge_at:
            return
        self._purge_at = now + PURGE_INTERVAL_S
        report = self._outbox.purge(now)
        if report.payloads_dropped or report.rows_deleted:
            record(EventType.OUTBOX_PURGED, dropped=report.payloads_dropped,
                   deleted=report.rows_deleted)

    def _next_wait(self, now: float) -> float:
        """Seconds until there may be something to send."""
        with self._lock:
            in_flight = set(self._in_flight)
            offline = self._tracker.state is Connectivity.OFFLINE
            busy = bool(in_flight) or self._probing
            probe_at = self._probe_not_before
            full = (len(self._sending) >= self._workers_count * CLAIM_PER_WORKER
                    or len(in_flight) >= self._workers_count * MAX_IN_FLIGHT_PER_WORKER)
        if offline:
            if busy:
                return self._idle_check_s  # the probe's end wakes us
            return min(self._idle_check_s, max(0.0, probe_at - now))
        if full:
            return self._idle_check_s  # a worker or the writer wakes us
        next_at = self._outbox.next_attempt_at(skip=in_flight)
        if next_at is None:
            return self._idle_check_s
        next_at = min(next_at, now + self._backoff.cap_s)  # the wall clock went back
        return min(self._idle_check_s, max(0.0, next_at - now))

    def _work(self, jobs: SimpleQueue[_Job | None] | None = None) -> None:
        """A worker: run jobs until told to stop."""
        queue = self._jobs if jobs is None else jobs
        while True:
            job = queue.get()
            if job is None:
                return
            job()

    def _write(self) -> None:
        """The writer: record finished attempts, as many as have piled up per transaction."""
        while True:
            first = self._finished.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while not self._finished.empty():
                more = self._finished.get()
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._finish(batch)
            if stop:
                return

    # -- one attempt --------------------------------------------------------------------------

    def _attempt(self, item: DueItem, finish: _Finish, urgent: bool = False) -> None:
        """Send one item and hand the result over to be recorded. Once stopping, claimed
        items are left pending unless a screen waits for them (`urgent`)."""
        with self._lock:
            future = self._in_flight.get(item.key)
            if future is None:
                return
            if self._stopping and not urgent:
                del self._in_flight[item.key]
                self._sending.discard(item.key)
                future.cancel()
                return
        with self._stats_lock:
            self.stats.attempts += 1
        attempt = self._send(item)
        with self._lock:
            self._sending.discard(item.key)
        self._waker.set()  # a worker is free: the dispatcher may claim more
        finish(attempt)

    def _send(self, item: DueItem) -> _Attempt:
        """Call the item's courier (looking the item up first where needed); the outcome to
        record and what to tell."""
        try:
            submission = codec.decode(item.payload)
        except codec.CodecError:
            # Written by a newer kiosk, or damaged: it cannot be sent; a technician decides.
            error = CentralError(CentralFailure.MALFORMED, "payload cannot be read",
                                 outcome=CallOutcome.NOT_SENT, reason="payload-unreadable")
            _note_failure(item, error)
            return self._failed(item, error, None)
        courier = self._couriers.get(item.kind)
        if courier is None:
            # No port for this kind in this configuration: keep the item, try again later.
            now = self._clock()
            delay = self._backoff.delay_s(item.attempts + 1, self._uniform)
            error = CentralError(CentralFailure.UNREACHABLE, f"no courier for {item.kind}")
            return _Attempt(Retry(item.key, error.failure, now + delay, now), error=error)
        find = self._finders.get(item.kind)
        started = self._latency_clock()
        if find is not None and item.unsure:
            # An earlier attempt's answer was lost: the central may hold the item already.
            try:
                found = find(submission, item.created_at)
            except CentralError as exc:
                _note_failure(item, exc)
                return self._failed(item, exc, started, unsure=True)
            except Exception as exc:  # a courier broke its contract: keep the item, retry
                return self._failed(item, _broken(exc), started, unsure=True)
            if found is not None:
                return self._found(item, found, started)
        try:
            result = courier(submission, item.key)
        except CentralError as exc:
            error = exc
        except Exception as exc:  # a courier broke its contract: keep the item, retry later
            error = _broken(exc)
        else:
            return _Attempt(Delivered(item.key, result, self._clock()), result=result,
                            latency_s=self._latency_clock() - started)
        _note_failure(item, error)
        unsure = error.outcome is CallOutcome.UNKNOWN
        if unsure and find is not None:
            # The central may have taken it: look now, while a person may be waiting for the
            # number. If it cannot be told now, the next attempt looks first.
            try:
                found = find(submission, item.created_at)
            except Exception:  # CentralError or a broken courier: the next attempt looks
                found = None
            if found is not None:
                return self._found(item, found, started)
        return self._failed(item, error, started, unsure=unsure)

    def _found(self, item: DueItem, result: DeliveryResult, started: float) -> _Attempt:
        """The item was found at the central: its result, as if this attempt had got it."""
        record(EventType.OUTBOX_RECONCILED, logging.WARNING, key=Ident(item.key),
               kind=item.kind)
        return _Attempt(Delivered(item.key, result, self._clock()), result=result,
                        latency_s=self._latency_clock() - started)

    def _failed(self, item: DueItem, error: CentralError, started: float | None,
                unsure: bool = False) -> _Attempt:
        """What to record after a failed attempt: another try later, or kept for a
        technician (refused for good, a bound reached, or whether the central took it cannot
        be told). `started` is None when the central was not called (nothing to learn about
        it, nothing worth trying again)."""
        latency = None if started is None else self._latency_clock() - started
        failure = None if started is None else error.failure
        now = self._clock()
        bound = {CentralFailure.SERVER_ERROR: SERVER_ERROR_ATTEMPTS,
                 CentralFailure.MALFORMED: MALFORMED_ATTEMPTS}.get(error.failure)
        bad = bound is not None  # a server error or an unreadable answer: counted
        retry = started is not None and (error.retryable or bad)
        if retry and bound is not None and item.bad_answers + 1 >= bound:
            retry = False  # the bound is reached: kept for a technician
        if retry:
            delay = self._backoff.delay_s(item.attempts + 1, self._uniform)
            outcome: Outcome = Retry(item.key, error.failure, now + delay, now, unsure=unsure,
                                     bad_answer=bad)
        else:
            outcome = Refused(item.key, error.failure, now, unsure=unsure)
            record(EventType.OUTBOX_HELD, logging.ERROR, key=Ident(item.key), kind=item.kind,
                   **error.log_fields())
        return _Attempt(outcome, error=error, failure=failure, latency_s=latency)

    # -- recording ----------------------------------------------------------------------------

    def _finish_one(self, attempt: _Attempt) -> None:
        self._finish([attempt])

    def _finish(self, batch: list[_Attempt]) -> None:
        """Record a batch of attempts in one transaction, then (and only then) release the
        items, learn from the answers and tell whoever waits. If the write fails the items
        stay pending and are sent again, under the same keys."""
        try:
            self._outbox.record([a.outcome for a in batch])
        except Exception as exc:
            record(EventType.APP_CALLBACK_ERROR, logging.ERROR, where=Ident("outbox.record"),
                   error=Ident(type(exc).__name__))
        else:
            with self._stats_lock:
                self.stats.commits += 1
                self.stats.recorded += len(batch)
        self._settle_withdrawn(batch)
        for attempt in batch:
            with self._lock:
                future = self._in_flight.pop(attempt.outcome.key, None)
            if attempt.latency_s is not None:
                self._observe(attempt.failure, attempt.latency_s)
            if future is None or future.done():
                continue
            if attempt.result is not None:
                future.set_result(attempt.result)
            else:
                future.set_exception(attempt.error or CentralError(CentralFailure.UNREACHABLE))
        self._waker.set()

    def _settle_withdrawn(self, batch: list[_Attempt]) -> None:
        """Withdraw the items taken back while their attempt was under way, before they are
        released (so that no claim can take them again in between)."""
        with self._lock:
            keys = [a.outcome.key for a in batch if a.outcome.key in self._withdrawn]
            self._withdrawn.difference_update(keys)
        for key in keys:
            try:
                item = self._outbox.withdraw(key, CentralFailure.TIMEOUT)
            except Exception as exc:
                record(EventType.APP_CALLBACK_ERROR, logging.ERROR,
                       where=Ident("outbox.withdraw"), error=Ident(type(exc).__name__))
                continue
            # A delivery that came after the screen gave up is recorded as it happened.
            record(EventType.OUTBOX_WITHDRAWN, logging.WARNING, key=Ident(key),
                   state=item.state if item else Ident("unknown"))

    # -- probing and connectivity --------------------------------------------------------------

    def _run_probe(self) -> None:
        """Call `probe` (nothing waits in the outbox while OFFLINE) and take its result."""
        started = self._latency_clock()
        failure: CentralFailure | None = None
        try:
            assert self._probe is not None
            self._probe()
        except CentralError as exc:
            failure = exc.failure
        except Exception as exc:
            record(EventType.APP_CALLBACK_ERROR, logging.ERROR, where=Ident("outbox.probe"),
                   error=Ident(type(exc).__name__))
            failure = CentralFailure.UNREACHABLE
        finally:
            with self._lock:
                self._probing = False
        self._observe(failure, self._latency_clock() - started)
        self._waker.set()

    def _observe(self, failure: CentralFailure | None, latency_s: float) -> None:
        with self._connectivity_lock:
            with self._lock:
                changed = self._tracker.observe(failure, latency_s)
                if self._tracker.state is Connectivity.OFFLINE:
                    failures = self._tracker.streak - self._tracker.rule.offline_after + 1
                    self._probe_not_before = self._clock() + self._backoff.delay_s(
                        failures, self._uniform)
            if changed is Connectivity.ONLINE:
                try:
                    self._outbox.reschedule_pending(self._clock())
                except Exception as exc:
                    record(EventType.APP_CALLBACK_ERROR, logging.ERROR,
                           where=Ident("outbox.reschedule"), error=Ident(type(exc).__name__))
            if changed is not None and self._on_connectivity is not None:
                try:
                    self._on_connectivity(changed)
                except Exception as exc:
                    record(EventType.APP_CALLBACK_ERROR, logging.ERROR,
                           where=Ident("outbox.on_connectivity"),
                           error=Ident(type(exc).__name__))


def _note_failure(item: DueItem, error: CentralError) -> None:
    """The log line of a failed call for an item: which central and endpoint, what failed,
    what the call did, a short reason (never the payload: kiosk.core.events)."""
    record(EventType.OUTBOX_ATTEMPT_FAILED, logging.WARNING, key=Ident(item.key),
           kind=item.kind, **error.log_fields())


def _broken(exc: Exception) -> CentralError:
    """A courier that raised something else than CentralError: say so, and keep the item."""
    record(EventType.APP_CALLBACK_ERROR, logging.ERROR, where=Ident("outbox.courier"),
           error=Ident(type(exc).__name__))
    return CentralError(CentralFailure.SERVER_ERROR, "courier failed", reason="courier-failed")
