"""The outbox end to end: its sender, the Open311 adapter and the reference peer over real
HTTP, with the peer dropping connections after it has recorded a request (the answer is
lost) and failing with 5xx. Every submission reaches the peer exactly once, and each outbox
item ends with the number the peer gave it."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.core.central import Place, RequestSubmission, Tracking
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.connectivity import ConnectivityRule
from kiosk.outbox.handlers import handlers_for
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import ItemState, Outbox
from kiosk.peer.server import start_peer

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
        sender = OutboxSender(outbox, handlers_for(desk=adapter),
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
