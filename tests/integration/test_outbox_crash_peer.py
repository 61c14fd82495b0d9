"""Crash safety end to end: a kiosk process that queues and delivers request submissions is
SIGKILLed again and again, and the central still ends up with every submission exactly once.

The child (tests/support/outbox_submitter.py) runs the real Outbox, OutboxSender, Open311Adapter and
HttpClient against the reference peer served by this test. Each round lets a few more
submissions "arrive", starts the child, kills it with SIGKILL (no cleanup, no atexit) and
starts the next one, which resumes: it queues only the submissions not yet in the outbox and
delivers what is pending. Kill points, from a seeded generator (the seed is printed, and
KIOSK_CRASH_SEED replays it):
- a random delay after the start (while importing, opening the file, or working);
- a random delay after the child said it was ready (while queueing or sending);
- after the central has recorded a submission and before its answer reaches the kiosk (the
  peer's answer is held until the child is dead): the worst case, where only the
  Idempotency-Key keeps the next process from creating the request twice.
A last, clean run flushes everything. Then the peer holds exactly one request per submission,
found by the tag and the station reference each carries, and every outbox item is delivered
with the number the peer gave it.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from outbox_submitter import API_KEY_ENV, reference, tag

import kiosk.peer.server as peer_server
from kiosk.outbox.store import ItemState, Outbox
from kiosk.peer.idempotency import REPLAYED_HEADER
from kiosk.peer.server import RunningPeer, start_peer
from kiosk.peer.store import PeerStore
from kiosk.peer.web import PeerRequest, PeerResponse

REPO = Path(__file__).resolve().parents[2]
SUBMITTER = REPO / "tests" / "support" / "outbox_submitter.py"
COUNT = 200
ROUNDS = 22  # every round ends in a SIGKILL
#: Submissions that arrive per round: all of them by round COUNT / ARRIVING.
ARRIVING = 10
#: Every round of this period holds a recorded submission's answer until the child is dead.
HOLD_EVERY = 4
#: Delay of the central's answers: widens the window in which a random kill finds a request
#: on the wire.
LATENCY_MS = 10
#: Limits that only stop a broken run from hanging the suite (they are not measurements).
STEP_LIMIT_S = 20.0
FINAL_LIMIT_S = 40.0
REQUESTS_PATH = "/open311/v2/requests.json"


class AnswerGate:
    """Wraps the peer's Idempotency-Key handling (kiosk.peer.server.idempotent) to count
    replayed answers to POST requests and, when armed, to hold back the answer to the next
    submission the peer records until the test releases it."""

    def __init__(self, real: Callable[..., PeerResponse]) -> None:
        self._real = real
        self._lock = threading.Lock()
        self._armed = False
        self.reached = threading.Event()
        self.release = threading.Event()
        self.held: list[str] = []
        self.replayed: Counter[str] = Counter()

    def arm(self) -> None:
        """Hold the answer to the next new submission."""
        self.reached.clear()
        self.release.clear()
        with self._lock:
            self._armed = True

    def disarm(self) -> None:
        """Hold nothing any more, and let a held answer go."""
        with self._lock:
            self._armed = False
        self.release.set()

    def __call__(self, store: PeerStore, request: PeerRequest, now: str,
                 handle: Callable[[], PeerResponse]) -> PeerResponse:
        response = self._real(store, request, now, handle)
        if request.path != REQUESTS_PATH or request.idempotency_key is None:
            return response
        hold = False
        with self._lock:
            if response.headers.get(REPLAYED_HEADER):
                self.replayed[request.idempotency_key] += 1
            elif self._armed and 200 <= response.status < 300:
                self._armed = False
                self.held.append(request.idempotency_key)
                hold = True
        if hold:  # recorded and committed; the kiosk must not get the answer
            self.reached.set()
            self.release.wait(STEP_LIMIT_S)
        return response


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnswerGate]:
    spy = AnswerGate(peer_server.idempotent)
    monkeypatch.setattr(peer_server, "idempotent", spy)
    yield spy
    spy.disarm()


@pytest.fixture
def peer(gate: AnswerGate) -> Iterator[RunningPeer]:
    running = start_peer(port=0)
    try:
        httpx.post(f"{running.base_url}/_peer/faults", timeout=5, json={
            "latency_ms": LATENCY_MS, "path_prefix": REQUESTS_PATH}).raise_for_status()
        yield running
    finally:
        running.stop()


class Child:
    """One run of tests/support/outbox_submitter.py."""

    def __init__(self, peer: RunningPeer, outbox: Path, count: int, log: Path,
                 exit_when_done: bool = False) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO),
               API_KEY_ENV: peer.credentials["open311_api_key"]}
        command = [sys.executable, str(SUBMITTER), str(outbox), peer.open311_url,
                   "--count", str(count)]
        if exit_when_done:
            command.append("--exit-when-done")
        self._log = log.open("ab")
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._log,
                                     env=env, cwd=REPO)
        self.log_path = log
        self.lines: list[str] = []
        self._selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        os.set_blocking(self.proc.stdout.fileno(), False)
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)
        self._pending = b""

    def wait_for(self, prefix: str, limit_s: float) -> str | None:
        """The next line starting with `prefix`, or None if the child ended or the limit
        passed first."""
        deadline = time.monotonic() + limit_s
        seen = len(self.lines)
        while True:
            for line in self.lines[seen:]:
                if line.startswith(prefix):
                    return line
            seen = len(self.lines)
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                return None

    def _read(self, timeout_s: float) -> bool:
        """Read what is there; False at end of output."""
        if not self._selector.select(timeout_s):
            return True
        stdout: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        data = stdout.read()
        if not data:
            return data is None  # None: nothing yet; b"": the child is gone
        *complete, self._pending = (self._pending + data).split(b"\n")
        self.lines += [line.decode() for line in complete]
        return True

    def kill(self) -> int:
        """SIGKILL, then the exit status."""
        self.proc.send_signal(signal.SIGKILL)
        return self.finish(STEP_LIMIT_S)

    def finish(self, limit_s: float) -> int:
        """Wait for the child to end; its exit status."""
        try:
            code = self.proc.wait(limit_s)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            stdout: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
            os.set_blocking(stdout.fileno(), True)
            rest = self._pending + stdout.read()  # the child is gone: up to end of output
            self.lines += [line.decode() for line in rest.split(b"\n") if line]
            self._pending = b""
            self._selector.close()
            stdout.close()
            self._log.close()
        return code

    def stderr_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]


def peer_records(peer: RunningPeer) -> list[dict[str, Any]]:
    answer = httpx.get(f"{peer.base_url}/_peer/records", timeout=10)
    answer.raise_for_status()
    return answer.json()["requests"]


def test_kills_at_random_points_leave_every_submission_at_the_central_exactly_once(
        peer: RunningPeer, gate: AnswerGate, tmp_path: Path) -> None:
    seed = int(os.environ.get("KIOSK_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    why = f"(replay with KIOSK_CRASH_SEED={seed})"
    print(f"crash test seed: {seed} {why}")
    outbox_path = tmp_path / "outbox.db"
    log = tmp_path / "children.log"
    kill_points: list[str] = []

    for round_no in range(ROUNDS):
        arrived = min(COUNT, ARRIVING * (round_no + 1))
        hold = round_no % HOLD_EVERY == HOLD_EVERY - 1 and arrived > ARRIVING * round_no
        if hold:
            gate.arm()
        child = Child(peer, outbox_path, arrived, log)
        try:
            if hold:
                assert gate.reached.wait(STEP_LIMIT_S), (
                    f"round {round_no}: no submission reached the central {why}\n"
                    f"{child.stderr_tail()}")
                kill_points.append("answer held")
            elif rng.random() < 0.3:
                delay = rng.uniform(0.0, 0.6)
                time.sleep(delay)
                kill_points.append(f"{delay:.3f} s after start")
            else:
                assert child.wait_for("READY", STEP_LIMIT_S), (
                    f"round {round_no}: the child did not start {why}\n{child.stderr_tail()}")
                delay = rng.uniform(0.0, 0.4)
                time.sleep(delay)
                kill_points.append(f"{delay:.3f} s after ready")
            code = child.kill()
        finally:
            gate.disarm()
        assert code == -signal.SIGKILL, (
            f"round {round_no}: the child ended by itself ({code}) {why}\n{child.stderr_tail()}")

    final = Child(peer, outbox_path, COUNT, log, exit_when_done=True)
    code = final.finish(FINAL_LIMIT_S)
    assert code == 0 and "DONE" in final.lines, (
        f"the last run did not finish ({code}) {why}\n{final.stderr_tail()}")

    records = peer_records(peer)
    by_index: dict[int, list[dict[str, Any]]] = {n: [] for n in range(COUNT)}
    strangers = []
    for record in records:
        description = record["fields"].get("description", "")
        index = next((n for n in range(COUNT) if tag(n) in description), None)
        if index is None:
            strangers.append(record["service_request_id"])
            continue
        by_index[index].append(record)
    missing = [n for n, found in by_index.items() if not found]
    doubled = {n: len(found) for n, found in by_index.items() if len(found) > 1}
    assert not missing, f"submissions lost: {missing} {why}; kills: {kill_points}"
    assert not doubled, f"submissions recorded twice: {doubled} {why}; kills: {kill_points}"
    assert not strangers, f"requests no submission made: {strangers} {why}"

    with Outbox(outbox_path) as outbox:
        for index, [record] in by_index.items():
            key = reference(index)
            # The station reference travels in the description and as the idempotency key.
            assert f"Réf. borne : {key}" in record["fields"]["description"], why
            assert record["idempotency_key"] == key, why
            item = outbox.get(key)
            assert item is not None and item.state is ItemState.DELIVERED, (
                f"{key}: {item} {why}")
            assert item.central_ref == record["service_request_id"], f"{key} {why}"
            assert not item.holds_payload
        counts = outbox.counts()
        assert (counts.pending, counts.failed) == (0, 0), why
        assert outbox._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The held answers never reached a kiosk: each of those submissions was sent again by a
    # later process and answered from the central's idempotency record, not recorded again.
    assert len(gate.held) == kill_points.count("answer held") >= ROUNDS // HOLD_EVERY, why
    assert all(gate.replayed[key] >= 1 for key in gate.held), (
        f"held {gate.held}, replayed {dict(gate.replayed)} {why}")
