"""Benchmark: how fast the outbox flushes a backlog, with every state change durable.

    .venv/bin/python tests/benchmarks/outbox_flush.py [--count 1000] [--workers 4] [--runs 3]
        [--out FILE]

Queues `count` request submissions in a real SQLite outbox (WAL, synchronous=FULL: each add
is fsync'd), then starts the sender and measures until none is pending, three ways:
1. to a handler that only sleeps 1 ms (the outbox's own cost);
2. the same with every commit made 10 ms slower, as on an SD card or eMMC whose fsync takes
   that long: the sender's group commit keeps the rate up by recording several results per
   transaction (a commit per result would cap it near 1 / 10 ms = 100 per second);
3. to the embedded reference peer over HTTP (httpx POSTs to its Open311 requests.json, with
   an Idempotency-Key), when `kiosk.peer.server.start_peer` is available: in this process
   over kept-alive connections (as the adapters use them) and with a new connection per
   request, then `kiosk peer` in a process of its own, as a central is another machine.
Target: at least 200 submissions per second. It prints figures and writes them to `--out`
(default bench-out/outbox_flush.json); it does not assert them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from figures import add_out_option, write_figures

from kiosk.core.central import CentralError, CentralFailure, Place, RequestSubmission
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import DeliveryResult, ItemKind, ItemState, Outbox, Outcome

STATION = "bench-1"
SLOW_COMMIT_S = 0.010


class SlowDiskOutbox(Outbox):
    """An outbox whose every result transaction takes `SLOW_COMMIT_S` longer, holding the
    writer meanwhile, as a slow fsync does."""

    def record(self, outcomes: Sequence[Outcome]) -> None:
        with self._lock:
            time.sleep(SLOW_COMMIT_S)
            super().record(outcomes)


def fill(outbox: Outbox, count: int) -> float:
    """Queue `count` submissions; returns adds per second."""
    started = time.perf_counter()
    for n in range(count):
        ref = outbox.new_reference(STATION)
        outbox.enqueue(RequestSubmission(
            service_id="open311:001", answers={}, place=Place(lat=48.8566, long=2.3522),
            station_id=STATION, station_ref=ref, description=f"Benchmark submission {n}"))
    return count / (time.perf_counter() - started)


def flush(outbox: Outbox, handler: Callable[[Any, str], DeliveryResult], workers: int
          ) -> tuple[float, OutboxSender]:
    """Seconds until nothing is pending, and the sender (for its counters)."""
    sender = OutboxSender(outbox, {ItemKind.REQUEST: handler}, workers=workers)
    started = time.perf_counter()
    sender.start()
    try:
        while outbox.counts().pending:
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
    finally:
        sender.stop()
    return elapsed, sender


def tiny_sleep(submission: Any, key: str) -> DeliveryResult:
    """A central that answers in 1 ms."""
    time.sleep(0.001)
    return DeliveryResult("000001", "numbered")


def run(label: str, make_outbox: Callable[[Path], Outbox], handler: Callable[[Any, str],
        DeliveryResult], count: int, workers: int, runs: int) -> dict[str, Any]:
    """Flush `count` submissions `runs` times; print the figures and return them."""
    rates, add_rates, per_commit = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as work:
            outbox = make_outbox(Path(work) / "outbox.db")
            with outbox:
                add_rates.append(fill(outbox, count))
                elapsed, sender = flush(outbox, handler, workers)
                delivered = outbox._conn.execute(
                    "SELECT count(*) FROM items WHERE state = ?",
                    (ItemState.DELIVERED.value,)).fetchone()[0]
                if delivered != count:
                    raise SystemExit(f"{label}: {delivered} of {count} delivered")
                rates.append(count / elapsed)
                per_commit.append(sender.stats.recorded / max(1, sender.stats.commits))
    print(f"{label}: {statistics.median(rates):.0f} submissions/s "
          f"(runs: {', '.join(f'{r:.0f}' for r in rates)}; "
          f"{count} in {count / statistics.median(rates):.2f} s; "
          f"{statistics.median(per_commit):.1f} results per commit; "
          f"queued at {statistics.median(add_rates):.0f} adds/s)")
    return {"case": label, "per_s": statistics.median(rates), "runs_per_s": rates,
            "results_per_commit": statistics.median(per_commit),
            "adds_per_s": statistics.median(add_rates)}


def peer_handler(peer: Any, client: Any) -> Callable[[Any, str], DeliveryResult]:
    """POST each submission to the peer's Open311 endpoint, as the Open311 adapter would."""
    services = client.get(peer.open311_url + "services.json").json()
    # A realtime service (a number comes back at once), the simplest form first.
    service = min((s for s in services if s.get("type") == "realtime"),
                  key=lambda s: bool(s.get("metadata")))
    code = service["service_code"]
    attributes: dict[str, str] = {}
    if service.get("metadata"):
        definition = client.get(f"{peer.open311_url}services/{code}.json").json()
        for attribute in definition["attributes"]:
            if attribute.get("variable") and attribute.get("required"):
                values = attribute.get("values") or []
                sample = {"number": "30", "datetime": "2025-06-11T10:00:00+02:00"}
                attributes[f"attribute[{attribute['code']}]"] = (
                    values[0]["key"] if values else sample.get(attribute["datatype"], "x"))
    api_key = peer.credentials["open311_api_key"]

    def post(submission: RequestSubmission, key: str) -> DeliveryResult:
        try:
            response = client.post(
                peer.open311_url + "requests.json",
                data={**attributes, "api_key": api_key, "service_code": code,
                      "lat": str(submission.place.lat), "long": str(submission.place.long),
                      "device_id": submission.station_id,
                      "description": f"{submission.description}\n"
                                     f"Réf. borne : {submission.station_ref}"},
                headers={"Idempotency-Key": key})
        except Exception as exc:
            raise CentralError(CentralFailure.UNREACHABLE, type(exc).__name__) from None
        if response.status_code >= 500:
            raise CentralError(CentralFailure.SERVER_ERROR, str(response.status_code))
        if response.status_code >= 400:
            raise CentralError(CentralFailure.REJECTED, str(response.status_code))
        [answer] = response.json()
        return DeliveryResult(answer.get("service_request_id"), "numbered")

    return post


@dataclass(frozen=True)
class PeerProcess:
    """`kiosk peer` started as its own process, as a central is another machine."""

    open311_url: str
    credentials: dict[str, str]


@contextmanager
def peer_process() -> Iterator[PeerProcess]:
    """Start `kiosk peer --port 0` and stop it (SIGTERM) afterwards."""
    api_key = "bench-open311-key"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "peer", "--port", "0"], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "KIOSK_PEER_OPEN311_API_KEY": api_key})
    try:
        assert proc.stdout is not None
        url = ""
        while not url.endswith("/open311/v2/"):
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("kiosk peer did not start")
            url = line.strip()
        yield PeerProcess(url, {"open311_api_key": api_key})
    finally:
        proc.terminate()
        proc.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=1)
    add_out_option(parser, "outbox_flush")
    args = parser.parse_args(argv)

    cases = [
        run(f"flush {args.count}, 1 ms handler, {args.workers} workers", Outbox, tiny_sleep,
            args.count, args.workers, args.runs),
        run(f"flush {args.count}, 1 ms handler, commits +{SLOW_COMMIT_S * 1000:.0f} ms",
            SlowDiskOutbox, tiny_sleep, args.count, args.workers, args.runs),
    ]

    try:
        start_peer = importlib.import_module("kiosk.peer.server").start_peer
    except (ImportError, AttributeError):
        print("reference peer over HTTP: not run (kiosk.peer.server.start_peer is not there)")
        write_figures(args.out, "outbox_flush", args, {"cases": cases})
        return 0
    import httpx

    def over_http(label: str, peer: Any, keepalive: bool) -> None:
        limits = httpx.Limits(max_connections=args.workers,
                              max_keepalive_connections=args.workers if keepalive else 0)
        with httpx.Client(timeout=10, limits=limits) as client:
            cases.append(run(
                f"flush {args.count} to the reference peer, Open311 POST, {label}", Outbox,
                peer_handler(peer, client), args.count, args.workers, args.peer_runs))

    peer = start_peer(port=0)
    try:
        over_http("same process, kept-alive connections", peer, keepalive=True)
        # A connection per request: the peer's answer time without keep-alive effects.
        over_http("same process, a connection per request", peer, keepalive=False)
    finally:
        peer.stop()
    with peer_process() as separate:
        over_http("peer in its own process, kept-alive connections", separate, keepalive=True)
    write_figures(args.out, "outbox_flush", args, {"cases": cases})
    return 0


if __name__ == "__main__":
    sys.exit(main())
