"""A station against Open311 servers we did not write, played by the reference peer in each
personality (kiosk/peer/personality.py), over real HTTP, through the link `kiosk run` builds
(settings → adapters, outbox, sender) and the effect handlers the request flow uses.

A server that ignores idempotency keys and loses its answer after storing a request (a 5xx, a
dropped connection, an answer slower than the time limit) holds that request once, and the
person's receipt shows its number: the kiosk looked it up by its station reference instead of
posting again. The same server, declared as honouring keys, gets the request twice: what the
lookup prevents. A service whose requests the server does not list is kept for a technician,
never sent twice; server errors are retried a bounded number of times, then kept; the log says
which central, which endpoint, what failed and why, and nothing the person typed."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import make_settings
from station_link import linked, peer_records, pothole, write_credentials

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.core.central import CentralFailure, SubmissionOutcome
from kiosk.core.effects import EffectFailed
from kiosk.core.flows.tracking import LookUpRequest
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.connectivity import ConnectivityRule
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.sender import SERVER_ERROR_ATTEMPTS, OutboxSender
from kiosk.outbox.store import ItemState, Outbox
from kiosk.peer.personality import Personality
from kiosk.peer.server import RunningPeer, start_peer
from kiosk.shell.effect_runner import EffectRunner

#: Words of the person's description: they must reach the central and no log line.
SECRET = "Zéphyrine-Quatremains-7731"
#: Every answer lost after storing, alone and with the other traits of foreign servers.
LOST_ANSWERS = [
    ("no-idempotency", "5xx-after-storing"),
    ("no-idempotency", "drop-after-storing"),
    ("no-idempotency", "timeout-after-storing"),
    ("no-idempotency", "5xx-after-storing", "ignored-filters"),
    ("no-idempotency", "drop-after-storing", "xml-only", "bom"),
    ("no-idempotency", "timeout-after-storing", "ignored-filters", "xml-only", "bom"),
]
#: The time limit of one call in these tests: the "timeout" server answers a byte every half
#: second, so a submission runs out of time after 1.5 s, within the 4 s the screen waits.
TIMEOUT_S = "1.5"


def mine(records: dict, station_ref: str) -> list[dict]:
    return [r for r in records["requests"] if station_ref in r["fields"].get("description", "")]


@pytest.mark.parametrize("traits", LOST_ANSWERS, ids=",".join)
def test_an_answer_lost_after_storing_leaves_one_request_and_the_receipt_its_number(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, traits: tuple[str, ...]) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.events")
    settings = make_settings(tmp_path, KIOSK__CENTRAL__PEER_PERSONALITY=json.dumps(traits),
                             KIOSK__CENTRAL__TIMEOUT_S=TIMEOUT_S)
    with linked(settings) as station:
        receipt = station.submit(pothole(description=f"Devant chez {SECRET}"))
        stored = mine(peer_records(station.link.peer.base_url), receipt.station_ref)
        assert len(stored) == 1, stored
        assert receipt.result is not None
        assert receipt.result.outcome is SubmissionOutcome.NUMBERED
        assert receipt.result.number == stored[0]["service_request_id"]
        item = station.link.outbox.get(receipt.station_ref)
        assert item is not None and item.state is ItemState.DELIVERED
        assert item.central_ref == receipt.result.number
        time.sleep(1.0)  # the sender has nothing left to send: still one
        assert len(mine(peer_records(station.link.peer.base_url), receipt.station_ref)) == 1
        # The person tracks it with the number on the receipt.
        report = station.look_up(receipt.result.number)
        assert report is not None and report.number == receipt.result.number
    log = caplog.text
    assert "outbox.reconciled" in log
    failed = next(r.getMessage() for r in caplog.records
                  if r.getMessage().startswith("outbox.attempt_failed"))
    assert "central=open311" in failed and "endpoint=requests" in failed
    assert "outcome=unknown" in failed and "reason=" in failed
    assert SECRET not in log and "Trou profond" not in log


def test_the_same_server_declared_as_honouring_keys_stores_the_request_twice(
        tmp_path: Path) -> None:
    # What the lookup prevents: told that the server honours idempotency keys, the kiosk
    # sends the request again after the lost answer, and the server stores it again.
    with start_peer(personality=Personality.parse("no-idempotency,5xx-after-storing")) as peer:
        credentials = write_credentials(tmp_path / "credentials.toml", peer.credentials)
        settings = make_settings(
            tmp_path, KIOSK__CENTRAL__EMBEDDED_PEER="false",
            KIOSK__CENTRAL__CREDENTIALS_FILE=json.dumps(str(credentials)),
            KIOSK__CENTRAL__OPEN311=f'{{base_url = "{peer.open311_url}", '
                                    'idempotency_keys = true}')
        with linked(settings) as station:
            receipt = station.submit(pothole())
            assert receipt.result is None  # a 5xx: the person leaves with the station ref
            deadline = time.monotonic() + 10
            while len(mine(peer_records(peer.base_url), receipt.station_ref)) < 2:
                assert time.monotonic() < deadline, "the sender did not send it again"
                time.sleep(0.2)


def test_a_declared_xml_server_is_spoken_to_in_xml_from_the_start(tmp_path: Path) -> None:
    with start_peer(personality=Personality.parse("xml-only,bom")) as peer:
        credentials = write_credentials(tmp_path / "credentials.toml", peer.credentials)
        settings = make_settings(
            tmp_path, KIOSK__CENTRAL__EMBEDDED_PEER="false",
            KIOSK__CENTRAL__CREDENTIALS_FILE=json.dumps(str(credentials)),
            KIOSK__CENTRAL__OPEN311=f'{{base_url = "{peer.open311_url}", format = "xml"}}')
        with linked(settings) as station:
            adapter = station.link.desk
            assert isinstance(adapter, Open311Adapter) and adapter.wire_format == "xml"
            receipt = station.submit(pothole())
            assert receipt.result is not None and receipt.result.number
            stored = mine(peer_records(peer.base_url), receipt.station_ref)
            assert [r["service_request_id"] for r in stored] == [receipt.result.number]


def test_an_unlisted_service_after_a_lost_answer_is_kept_for_a_technician(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A blackbox service's requests never show in GET requests: after a lost answer the kiosk
    # cannot tell whether the server holds it. It does not post it twice; a technician looks.
    caplog.set_level(logging.INFO, logger="kiosk.events")
    settings = make_settings(
        tmp_path, KIOSK__CENTRAL__PEER_PERSONALITY='["no-idempotency", "drop-after-storing"]')
    lamp = pothole(service_id="open311:ECL-001", answers={"PANNE": "eteint"})
    with linked(settings) as station:
        receipt = station.submit(lamp)
        assert receipt.result is None  # the person leaves with the station reference
        outbox = station.link.outbox
        deadline = time.monotonic() + 15
        while (item := outbox.get(receipt.station_ref)).state is ItemState.PENDING:
            assert time.monotonic() < deadline, "the item was neither sent nor kept"
            station.link.sender.wake()
            time.sleep(0.1)
        assert item.state is ItemState.FAILED and item.holds_payload and item.unsure
        assert item.last_failure is CentralFailure.UNCERTAIN
        assert len(mine(peer_records(station.link.peer.base_url), receipt.station_ref)) == 1
    held = next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("outbox.held"))
    assert "failure=uncertain" in held and "reason=not-listed" in held


@pytest.fixture
def failing_peer() -> Iterator[RunningPeer]:
    """A peer whose POST requests fails with a 5xx before storing anything."""
    with start_peer(personality=Personality.parse("no-idempotency")) as peer:
        httpx.post(f"{peer.base_url}/_peer/faults", timeout=5, json={
            "error_rate": 1.0, "path_prefix": "/open311/v2/requests"}).raise_for_status()
        yield peer


def test_server_errors_are_retried_a_bounded_number_of_times_then_kept(
        failing_peer: RunningPeer, tmp_path: Path) -> None:
    with HttpClient(5) as http, Outbox(tmp_path / "outbox.db") as outbox:
        adapter = Open311Adapter(http, failing_peer.open311_url,
                                 failing_peer.credentials["open311_api_key"])
        ref = outbox.new_reference("demo-0001")
        outbox.enqueue(pothole(station_ref=ref))
        sender = OutboxSender(outbox, couriers_for(desk=adapter, search=adapter),
                              backoff=Backoff(base_s=0.001, cap_s=0.005),
                              rule=ConnectivityRule(offline_after=1000))
        sender.start()
        try:
            deadline = time.monotonic() + 30
            while outbox.get(ref).state is ItemState.PENDING:
                assert time.monotonic() < deadline, "server errors were retried forever"
                time.sleep(0.02)
        finally:
            sender.stop()
        item = outbox.get(ref)
        assert item.state is ItemState.FAILED and item.holds_payload  # kept, not dropped
        assert item.last_failure is CentralFailure.SERVER_ERROR
        assert item.bad_answers == SERVER_ERROR_ATTEMPTS - 1
        assert item.attempts >= SERVER_ERROR_ATTEMPTS
        assert mine(peer_records(failing_peer.base_url), ref) == []
        # A technician requeues it once the server is fixed: it goes, once.
        httpx.delete(f"{failing_peer.base_url}/_peer/faults", timeout=5).raise_for_status()
        assert outbox.requeue(ref)
        OutboxSender(outbox, couriers_for(desk=adapter, search=adapter)).run_once()
        assert outbox.get(ref).state is ItemState.DELIVERED
        assert len(mine(peer_records(failing_peer.base_url), ref)) == 1


def test_a_screen_s_failed_call_is_logged_with_its_central_endpoint_and_reason(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The tracking screen asks a server that answers garbage: the person is told the service
    # cannot be used from the kiosk (kiosk/core/flows/tracking.py); the log says which
    # server, which endpoint and why, without the number that was asked for.
    caplog.set_level(logging.INFO, logger="kiosk.events")
    outcomes: list[object] = []
    with linked(make_settings(tmp_path)) as station:
        peer = station.link.peer.base_url
        httpx.post(f"{peer}/_peer/faults", timeout=5, json={
            "malformed_rate": 1.0, "path_prefix": "/open311/v2/requests/"}).raise_for_status()
        runner = EffectRunner(station.handlers, outcomes.append)
        runner.submit(LookUpRequest(session_id="s", number="204518"))
        deadline = time.monotonic() + 10
        while not outcomes:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        runner.stop()
    assert isinstance(outcomes[0], EffectFailed)
    assert outcomes[0].failure is CentralFailure.MALFORMED
    line = next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("effect.failed"))
    assert "central=open311" in line and "endpoint=requests/{id}" in line
    assert "failure=malformed" in line and "reason=" in line
    assert "204518" not in line
