"""Benchmark: one submission's round trip through the outbox, and a backlog's flush, over HTTP
through the real Open311 adapter.

    .venv/bin/python tests/benchmarks/outbox_roundtrip.py [--count 200] [--flush 1000]
        [--workers 4] [--runs 1] [--dir DIR] [--no-peer-process] [--out FILE]

Round trip: a request submission is enqueued in a real SQLite outbox (committed and fsync'd:
durable), the running OutboxSender is woken, delivers it through Open311Adapter and HttpClient
to the reference peer's POST requests.json, and commits the result (the peer's number); the
clock stops when that commit is done. Submissions go one after the other (the next once the
previous result is recorded), after a few unmeasured ones that open the connections. Printed:
p50/p95/max of the round trip and of the enqueue alone. Target: p95 <= 30 ms.

Flush: `--flush` submissions are queued while no sender runs (the central was away), then a
sender starts and the clock runs until every result is recorded. Printed: the time and the
rate. Target: at least 200 submissions per second. (tests/benchmarks/outbox_flush.py measures
the outbox alone, a slow disk, and raw HTTP posts; this one goes through the adapter.)

Both run against the peer in this process, then against `kiosk peer` in a process of its own
(as a central is another machine; on a small machine the shared interpreter slows the
in-process runs). The outbox file lives in `--dir` (default: the temporary directory; it must
be on the disk you want measured: a tmpfs makes fsync free). It prints figures and writes
them to `--out` (default bench-out/outbox_roundtrip.json); it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from figures import add_out_option, write_figures
from outbox_flush import peer_process

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.core.central import Place, RequestSubmission, Tracking
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import Delivered, ItemState, Outbox, Outcome
from kiosk.peer.server import start_peer

STATION = "bench-rt-1"
WARMUP = 10
#: Targets on a 2-core machine (docs/performance.md).
TARGET_P95_MS = 30
TARGET_FLUSH_PER_S = 200
#: Longest wait for one result before the run is declared broken.
RESULT_LIMIT_S = 30.0


class TimedOutbox(Outbox):
    """An outbox that notes when each result is committed, so that the clock stops at the
    moment the outcome is durable rather than at the next poll."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._cond = threading.Condition()
        self.recorded_at: dict[str, float] = {}
        self.not_delivered = 0

    def record(self, outcomes: Sequence[Outcome]) -> None:
        """Commit as usual, then note the time."""
        super().record(outcomes)
        now = time.perf_counter()
        with self._cond:
            for outcome in outcomes:
                if isinstance(outcome, Delivered):
                    self.recorded_at[outcome.key] = now
                else:
                    self.not_delivered += 1
            self._cond.notify_all()

    def wait_for(self, key: str) -> float:
        """When `key`'s delivery was committed."""
        with self._cond:
            if not self._cond.wait_for(lambda: key in self.recorded_at, RESULT_LIMIT_S):
                raise SystemExit(f"no result for {key} within {RESULT_LIMIT_S:g} s "
                                 f"({self.not_delivered} attempts failed)")
            return self.recorded_at[key]

    def wait_count(self, count: int, limit_s: float) -> float:
        """When the `count`-th delivery was committed."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.recorded_at) >= count, limit_s):
                raise SystemExit(f"{len(self.recorded_at)} of {count} delivered within "
                                 f"{limit_s:g} s ({self.not_delivered} attempts failed)")
            return max(self.recorded_at.values())


@dataclass(frozen=True)
class Central:
    """Where the Open311 endpoint is, and its key."""

    label: str
    open311_url: str
    api_key: str


def submission(adapter_service: str, ref: str, n: int) -> RequestSubmission:
    return RequestSubmission(adapter_service, {}, Place(lat=47.5871, long=1.3340), STATION,
                             ref, description=f"Benchmark round trip {n}")


@contextmanager
def desk(central: Central) -> Iterator[tuple[Open311Adapter, str]]:
    """The adapter, and a service that gives a number at once and asks no questions."""
    with HttpClient(10.0) as http:
        adapter = Open311Adapter(http, central.open311_url, central.api_key)
        service = next(s for s in adapter.services()
                       if s.tracking is Tracking.NUMBER and not s.has_form)
        yield adapter, service.id


def percentiles_ms(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of durations in seconds, in milliseconds."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "max": max(values) * 1000}


def percentiles(values: list[float]) -> str:
    cut = percentiles_ms(values)
    return f"p50 {cut['p50']:.1f} ms, p95 {cut['p95']:.1f} ms, max {cut['max']:.1f} ms"


def round_trips(central: Central, count: int, workers: int, work_dir: Path) -> dict[str, Any]:
    """`count` submissions one after the other, each timed from enqueue to recorded result;
    the figures are printed and returned."""
    with tempfile.TemporaryDirectory(dir=work_dir) as work, \
            desk(central) as (adapter, service_id):
        outbox = TimedOutbox(Path(work) / "outbox.db")
        sender = OutboxSender(outbox, couriers_for(desk=adapter), workers=workers)
        sender.start()
        trips, enqueues, references = [], [], []
        try:
            for n in range(WARMUP + count):
                started = time.perf_counter()
                ref = outbox.new_reference(STATION)
                referenced = time.perf_counter()
                outbox.enqueue(submission(service_id, ref, n))
                queued = time.perf_counter()
                sender.wake()
                done = outbox.wait_for(ref)
                if n >= WARMUP:
                    references.append(referenced - started)
                    enqueues.append(queued - referenced)
                    trips.append(done - referenced)
        finally:
            sender.stop()
            outbox.close()
    print(f"round trip, {central.label}: {percentiles(trips)} over {count} submissions "
          f"(target p95 <= {TARGET_P95_MS} ms)")
    print(f"  of which enqueue (commit + fsync): {percentiles(enqueues)}; "
          f"taking the station reference before it: {percentiles(references)}")
    return {"central": central.label, "submissions": count,
            "round_trip_ms": percentiles_ms(trips), "enqueue_ms": percentiles_ms(enqueues),
            "reference_ms": percentiles_ms(references), "target_p95_ms": TARGET_P95_MS}


def flush(central: Central, count: int, workers: int, runs: int, work_dir: Path
          ) -> dict[str, Any]:
    """Queue `count` submissions with no sender, then time a sender until all are recorded;
    the figures are printed and returned."""
    rates: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=work_dir) as work, \
                desk(central) as (adapter, service_id):
            outbox = TimedOutbox(Path(work) / "outbox.db")
            keys = []
            for n in range(count):
                ref = outbox.new_reference(STATION)
                outbox.enqueue(submission(service_id, ref, n))
                keys.append(ref)
            sender = OutboxSender(outbox, couriers_for(desk=adapter), workers=workers)
            started = time.perf_counter()
            sender.start()
            try:
                finished = outbox.wait_count(count, RESULT_LIMIT_S + count / 10)
            finally:
                sender.stop()
            numbered = sum(1 for key in keys if (item := outbox.get(key)) is not None
                           and item.state is ItemState.DELIVERED and item.central_ref)
            outbox.close()
            if numbered != count:
                raise SystemExit(f"flush: {numbered} of {count} delivered with a number")
            rates.append(count / (finished - started))
    rate = statistics.median(rates)
    print(f"flush {count} queued submissions, {central.label}, {workers} workers: "
          f"{count / rate:.2f} s, {rate:.0f} submissions/s "
          f"(runs: {', '.join(f'{r:.0f}' for r in rates)}; target >= {TARGET_FLUSH_PER_S}/s)")
    return {"central": central.label, "submissions": count, "workers": workers,
            "seconds": count / rate, "per_s": rate, "runs_per_s": rates,
            "target_per_s": TARGET_FLUSH_PER_S}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--flush", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--no-peer-process", action="store_true",
                        help="only the peer in this process")
    add_out_option(parser, "outbox_roundtrip")
    args = parser.parse_args(argv)
    print(f"outbox files in {args.dir}")

    trips, flushes = [], []
    peer = start_peer(port=0)
    try:
        central = Central("peer in this process", peer.open311_url,
                          peer.credentials["open311_api_key"])
        trips.append(round_trips(central, args.count, args.workers, args.dir))
        flushes.append(flush(central, args.flush, args.workers, args.runs, args.dir))
    finally:
        peer.stop()
    if not args.no_peer_process:
        with peer_process() as separate:
            central = Central("peer in its own process", separate.open311_url,
                              separate.credentials["open311_api_key"])
            trips.append(round_trips(central, args.count, args.workers, args.dir))
            flushes.append(flush(central, args.flush, args.workers, args.runs, args.dir))
    write_figures(args.out, "outbox_roundtrip", args,
                  {"round_trips": trips, "flushes": flushes})
    return 0


if __name__ == "__main__":
    sys.exit(main())
