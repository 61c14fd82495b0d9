"""The reference peer's Open311 side in each personality, at the HTTP level: the Idempotency-Key
ignored, a request stored and then a 500, a dropped connection or an answer trickling a byte at
a time, filters ignored (the default list, the whole feed), XML only, a byte-order mark; and
`kiosk peer --personality` as a user runs it. Without traits the peer stays faithful."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from peer_support import records, voirie_form

from kiosk.peer.personality import Personality
from kiosk.peer.server import TRICKLE_S, RunningPeer, start_peer


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def peer_with(traits: str) -> RunningPeer:
    return start_peer(personality=Personality.parse(traits))


def post(client: httpx.Client, peer: RunningPeer, key: str = "k-1",
         fmt: str = "json") -> httpx.Response:
    return client.post(peer.open311_url + f"requests.{fmt}", data=voirie_form(peer),
                       headers={"Idempotency-Key": key})


def test_faithful_by_default_the_key_is_honoured(client):
    with start_peer() as peer:
        first, again = post(client, peer), post(client, peer)
        assert first.json() == again.json()
        assert len(records(client, peer)["requests"]) == 1
        assert str(peer.personality) == "faithful"


def test_no_idempotency_stores_the_same_key_twice(client):
    with peer_with("no-idempotency") as peer:
        numbers = {post(client, peer).json()[0]["service_request_id"] for _ in range(2)}
        assert len(numbers) == 2
        assert len(records(client, peer)["requests"]) == 2


def test_5xx_after_storing(client):
    with peer_with("5xx-after-storing") as peer:
        answer = post(client, peer)
        assert answer.status_code == 500
        assert answer.json()[0]["code"] == 500
        assert len(records(client, peer)["requests"]) == 1
        # Only POST requests is concerned: reading still works.
        assert client.get(peer.open311_url + "services.json").status_code == 200


def test_drop_after_storing(client):
    with peer_with("drop-after-storing") as peer:
        with pytest.raises(httpx.RemoteProtocolError):
            post(client, peer)
        assert len(records(client, peer)["requests"]) == 1


def test_timeout_after_storing_trickles_the_answer(client):
    with peer_with("timeout-after-storing") as peer:
        with pytest.raises(httpx.ReadTimeout):
            client.post(peer.open311_url + "requests.json", data=voirie_form(peer),
                        timeout=httpx.Timeout(10, read=TRICKLE_S / 2))
        assert len(records(client, peer)["requests"]) == 1
        started = time.monotonic()
        with client.stream("POST", peer.open311_url + "requests.json",
                           data=voirie_form(peer)) as response:
            assert response.status_code == 201  # the head comes at once
            first = next(response.iter_raw())
        assert len(first) == 1 and time.monotonic() - started < 5 * TRICKLE_S


def test_ignored_filters(client):
    with peer_with("ignored-filters,no-idempotency") as peer:
        for key in ("a", "b"):
            post(client, peer, key)
        others = client.get(peer.open311_url + "requests.json",
                            params={"service_code": "PRO-001"}).json()
        assert {r["service_code"] for r in others} >= {"VOI-001"}
        one = client.get(peer.open311_url + "requests.json",
                         params={"service_request_id": others[0]["service_request_id"]}).json()
        assert len(one) == len(others) > 1
        httpx.post(f"{peer.base_url}/_peer/requests", json={
            "count": 600, "days": 5, "service_code": "VOI-001"}, timeout=30).raise_for_status()
        feed = client.get(peer.open311_url + "servicerequestupdates.json",
                          params={"start_date": "2000-01-01T00:00:00Z",
                                  "end_date": "2000-01-02T00:00:00Z"}).json()
        assert len(feed) > 1000  # the whole feed, past the 1000 a filtered answer holds


def test_xml_only(client):
    with peer_with("xml-only") as peer:
        assert client.get(peer.open311_url + "services.json").status_code == 404
        assert post(client, peer).status_code == 404
        assert records(client, peer)["requests"] == []
        assert post(client, peer, fmt="xml").status_code == 201
        discovery = client.get(peer.open311_url + "discovery.xml").text
        assert "text/xml" in discovery and "application/json" not in discovery


def test_byte_order_mark_on_open311_only(client):
    with peer_with("bom") as peer:
        for path in ("services.json", "services.xml", "requests/999999.json"):
            assert client.get(peer.open311_url + path).content.startswith(b"\xef\xbb\xbf")
        assert not client.get(f"{peer.base_url}/_peer/faults").content.startswith(b"\xef")


def test_traits_that_end_a_post_differently_exclude_each_other():
    with pytest.raises(ValueError, match="one way"):
        Personality.parse("5xx-after-storing,drop-after-storing")
    with pytest.raises(ValueError, match="unknown personality trait"):
        Personality.parse("sometimes-down")


def test_kiosk_peer_takes_a_personality():
    kiosk = os.path.join(os.path.dirname(sys.executable), "kiosk")
    process = subprocess.Popen([kiosk, "peer", "--port", "0", "--personality",
                                "xml-only,bom"], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        open311 = [process.stdout.readline().strip() for _ in range(5)][1]
        assert httpx.get(open311 + "services.json", timeout=5).status_code == 404
        assert httpx.get(open311 + "services.xml", timeout=5).content.startswith(b"\xef\xbb\xbf")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    refused = subprocess.run([kiosk, "peer", "--port", "0", "--personality", "flaky"],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2
    assert "unknown personality trait(s) flaky" in refused.stderr
    assert refused.stderr.count("\n") == 1
