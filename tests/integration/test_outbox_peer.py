"""The outbox end to end: its sender, the request adapters (Open311 in JSON and in XML,
w.c.s.) and the reference peer over real HTTP, with the peer failing in every way it can:
dropping connections after it has recorded a submission (the answer is lost), failing with
5xx, answering late, answering slower than the kiosk's time limit, and answering with a body
that breaks the contract (truncated, wrong types, HTML or broken XML). Every submission
reaches the peer exactly once, and each outbox item ends with the number the peer gave it.

A malformed answer is a refusal for the outbox (CentralFailure.MALFORMED is not retryable):
the item waits, failed, for a technician who requeues it; the tests do that and check that
the requeued item gets the number of the copy the central already had, not a second one."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.adapters.publik_wcs import WcsAdapter
from kiosk.core.central import (
    CentralFailure,
    Place,
    RequestDesk,
    RequestSubmission,
    Tracking,
)
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.connectivity import ConnectivityRule
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import ItemState, Outbox
from kiosk.peer.server import RunningPeer, start_peer

COUNT = 40
SECRET = "Zéphyrine-Quatremains-7731"


@pytest.fixture
def peer():
    running = start_peer(port=0)
    yield running
    running.stop()


def test_lost_answers_and_server_errors_end_in_exactly_one_request_each(peer, tmp_path):
    http = HttpClient(5)
    adapter = Open311Adapter(http, peer.open311_url, peer.credentials["open311_api_key"])
    service = next(s for s in adapter.services()
                   if s.tracking is Tracking.NUMBER and not s.has_form)
    with Outbox(tmp_path / "outbox.db") as outbox:
        keys = []
        for _ in range(COUNT):
            ref = outbox.new_reference("borne-1")
            keys.append(ref)
            outbox.enqueue(RequestSubmission(service.id, {}, Place(lat=48.85, long=2.35),
                                             "borne-1", ref, description=SECRET))
        httpx.post(f"{peer.base_url}/_peer/faults", timeout=5, json={
            "drop_rate": 0.4, "error_rate": 0.2, "seed": 11,
            "path_prefix": "/open311/v2/requests"}).raise_for_status()
        sender = OutboxSender(outbox, couriers_for(desk=adapter),
                              backoff=Backoff(base_s=0.01, cap_s=0.05),
                              rule=ConnectivityRule(offline_after=1000))
        sender.start()
        try:
            deadline = time.monotonic() + 60
            while outbox.counts().pending:
                assert time.monotonic() < deadline, "the backlog did not flush"
                time.sleep(0.02)
        finally:
            sender.stop()
            http.close()

        records = httpx.get(f"{peer.base_url}/_peer/records", timeout=5).json()["requests"]
        per_key = Counter(r["idempotency_key"] for r in records)
        assert sorted(per_key) == sorted(keys)
        assert set(per_key.values()) == {1}  # exactly once at the central
        numbers = {r["idempotency_key"]: r["service_request_id"] for r in records}
        for key in keys:
            item = outbox.get(key)
            assert item.state is ItemState.DELIVERED
            assert item.central_ref == numbers[key]
        attempts = [outbox.get(k).attempts for k in keys]
        assert max(attempts) > 1  # the faults were met: answers were lost and asked again
        assert sender.stats.attempts > COUNT
        assert outbox.scrub(force=True)
        data = outbox.path.read_bytes()
        wal = outbox.path.with_name("outbox.db-wal")
        data += wal.read_bytes() if wal.exists() else b""
        assert SECRET.encode() not in data


# -- every fault at once, for every request desk ---------------------------------------------

#: Every fault the peer has, mixed: 5xx before handling, a dropped connection or a malformed
#: body after handling (the submission is recorded, the answer lost or unreadable), and a
#: delay on every answer. The seed makes a run repeatable as far as the sender's thread
#: scheduling lets it.
MIXED_FAULTS = {"latency_ms": 5, "error_rate": 0.15, "drop_rate": 0.25, "malformed_rate": 0.2,
                "seed": 20260115}
#: Limits that only stop a broken run from hanging the suite (they are not measurements).
FLUSH_LIMIT_S = 60.0


@dataclass(frozen=True)
class Desk:
    """A request desk on the peer, and where its submissions show in the peer's records."""

    adapter: RequestDesk
    path_prefix: str
    make: Callable[[str], RequestSubmission]
    #: the records of the submissions this desk made, as (idempotency key, number) pairs
    numbers: Callable[[dict[str, list[dict[str, Any]]]], list[tuple[str, str]]]


def open311_desk(peer: RunningPeer, http: HttpClient, fmt: str) -> Desk:
    adapter = Open311Adapter(http, peer.open311_url, peer.credentials["open311_api_key"],
                             fmt=fmt)  # type: ignore[arg-type]
    service = next(s for s in adapter.services()
                   if s.tracking is Tracking.NUMBER and not s.has_form)

    def make(ref: str) -> RequestSubmission:
        return RequestSubmission(service.id, {}, Place(lat=48.85, long=2.35), "borne-1", ref,
                                 description=SECRET)

    def numbers(records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
        return [(r["idempotency_key"], r["service_request_id"]) for r in records["requests"]]

    return Desk(adapter, "/open311/v2/requests", make, numbers)


def wcs_desk(peer: RunningPeer, http: HttpClient) -> Desk:
    creds = peer.credentials
    adapter = WcsAdapter(http, peer.wcs_url, creds["publik_orig"], creds["publik_key"])
    slug = "signalement-bruit"

    def make(ref: str) -> RequestSubmission:
        answers = {"type_bruit": ("Chantier", "Véhicules"), "adresse": "3 rue des Lilas",
                   "date_debut": "2026-01-10", "plage_horaire": "Nuit (22 h – 6 h)"}
        return RequestSubmission(f"wcs:{slug}", answers, Place(), "borne-1", ref,
                                 description=SECRET)

    def numbers(records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
        return [(r["idempotency_key"], r["tracking_code"]) for r in records["forms"]
                if r["formdef"] == slug]

    return Desk(adapter, f"/wcs/api/formdefs/{slug}/submit", make, numbers)


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(5) as client:
        yield client


def make_desk(name: str, peer: RunningPeer, http: HttpClient) -> Desk:
    if name == "wcs":
        return wcs_desk(peer, http)
    return open311_desk(peer, http, name.removeprefix("open311-"))


def faults(peer: RunningPeer, **plan: Any) -> None:
    httpx.post(f"{peer.base_url}/_peer/faults", timeout=5, json=plan).raise_for_status()


def peer_numbers(peer: RunningPeer, desk: Desk) -> list[tuple[str, str]]:
    records = httpx.get(f"{peer.base_url}/_peer/records", timeout=5)
    records.raise_for_status()
    return desk.numbers(records.json())


def flush(outbox: Outbox, desk: Desk) -> OutboxSender:
    """Run a sender until nothing is pending; the sender, for its counters."""
    sender = OutboxSender(outbox, couriers_for(desk=desk.adapter),
                          backoff=Backoff(base_s=0.01, cap_s=0.05),
                          rule=ConnectivityRule(offline_after=1000))
    sender.start()
    try:
        deadline = time.monotonic() + FLUSH_LIMIT_S
        while outbox.counts().pending:
            assert time.monotonic() < deadline, "the backlog did not flush"
            time.sleep(0.02)
    finally:
        sender.stop()
    return sender


def assert_exactly_once(peer: RunningPeer, desk: Desk, keys: list[str]) -> dict[str, str]:
    """One record per key at the peer, none missing, none extra; the numbers by key."""
    found = peer_numbers(peer, desk)
    per_key = Counter(key for key, _ in found)
    assert sorted(per_key) == sorted(keys), "a submission is missing, or one nobody made"
    doubled = {key: n for key, n in per_key.items() if n > 1}
    assert not doubled, f"recorded more than once: {doubled}"
    return dict(found)


@pytest.mark.parametrize("desk_name", ["open311-json", "open311-xml", "wcs"])
def test_mixed_faults_end_in_exactly_one_record_each(peer, http, tmp_path, desk_name):
    desk = make_desk(desk_name, peer, http)
    with Outbox(tmp_path / "outbox.db") as outbox:
        keys = []
        for _ in range(COUNT):
            ref = outbox.new_reference("borne-1")
            keys.append(ref)
            outbox.enqueue(desk.make(ref))
        faults(peer, path_prefix=desk.path_prefix, **MIXED_FAULTS)
        sender = flush(outbox, desk)
        assert sender.stats.attempts > COUNT

        # Each submission reached the central once, whatever happened to the answers.
        assert_exactly_once(peer, desk, keys)
        items = {key: outbox.get(key) for key in keys}
        seen = {item.last_failure for item in items.values()}
        # Every kind of fault was met: a 5xx, a lost answer, an unreadable answer.
        assert {CentralFailure.SERVER_ERROR, CentralFailure.UNREACHABLE,
                CentralFailure.MALFORMED} <= seen, seen
        failed = [key for key, item in items.items() if item.state is ItemState.FAILED]
        for key in failed:
            # Only an unreadable answer stops the sender; the central has the submission.
            assert items[key].last_failure is CentralFailure.MALFORMED
            assert items[key].holds_payload  # kept for the technician
        assert all(items[k].state is ItemState.DELIVERED for k in keys if k not in failed)

        # The technician requeues them once the central answers properly again: the same
        # keys bring back the numbers the central gave the first time.
        faults(peer)
        assert all(outbox.requeue(key) for key in failed)
        flush(outbox, desk)
        numbers = assert_exactly_once(peer, desk, keys)
        for key in keys:
            item = outbox.get(key)
            assert item.state is ItemState.DELIVERED, (key, item)
            assert item.central_ref == numbers[key]
            assert not item.holds_payload


@pytest.mark.parametrize("desk_name", ["open311-json", "wcs"])
def test_answers_slower_than_the_time_limit_end_in_exactly_one_record_each(peer, tmp_path,
                                                                           desk_name):
    """The central records a submission but answers after the kiosk gave up waiting: the
    kiosk sends it again later and gets the number of the copy already there."""
    count = 12
    with HttpClient(0.2) as http:
        desk = make_desk(desk_name, peer, http)
        with Outbox(tmp_path / "outbox.db") as outbox:
            keys = []
            for _ in range(count):
                ref = outbox.new_reference("borne-1")
                keys.append(ref)
                outbox.enqueue(desk.make(ref))
            faults(peer, path_prefix=desk.path_prefix, latency_ms=500)
            sender = OutboxSender(outbox, couriers_for(desk=desk.adapter),
                                  backoff=Backoff(base_s=0.01, cap_s=0.05))
            sender.start()
            try:
                deadline = time.monotonic() + FLUSH_LIMIT_S
                while len(peer_numbers(peer, desk)) < 4:  # recorded; the kiosk timed out
                    assert time.monotonic() < deadline, "the peer recorded nothing"
                    time.sleep(0.05)
                late = dict(peer_numbers(peer, desk))
                assert all(outbox.get(key).state is ItemState.PENDING for key in late)
                faults(peer)  # the central is quick again
                while outbox.counts().pending:
                    assert time.monotonic() < deadline, "the backlog did not flush"
                    time.sleep(0.02)
            finally:
                sender.stop()
            numbers = assert_exactly_once(peer, desk, keys)
            for key in keys:
                item = outbox.get(key)
                assert item.state is ItemState.DELIVERED and item.central_ref == numbers[key]
            for key, number in late.items():
                item = outbox.get(key)
                assert item.central_ref == number  # the copy recorded while the kiosk gave up
                assert item.last_failure is CentralFailure.TIMEOUT and item.attempts >= 2
