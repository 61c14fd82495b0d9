"""Open311Adapter against the embedded reference peer over real HTTP, in JSON and in XML:
every endpoint (discovery, services, service definitions, POST requests, tokens, requests/{id},
servicerequestupdates), idempotent retries, a wrong api_key, and the peer's injected faults
(5xx, dropped connections, malformed bodies, latency) mapped to CentralError."""

from __future__ import annotations

from typing import Any

import pytest
from answer_server import fails
from peer_support import Peer

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.core.central import (
    CentralFailure,
    Contact,
    FieldType,
    Place,
    RequestStatus,
    RequestSubmission,
    SubmissionOutcome,
    Tracking,
)
from kiosk.peer.server import start_peer

JURISDICTION = "villeneuve-sur-loire.fr"


@pytest.fixture(params=["json", "xml"])
def open311(request: pytest.FixtureRequest, peer: Peer, http: HttpClient) -> Open311Adapter:
    return Open311Adapter(http, peer.running.open311_url, peer.credentials["open311_api_key"],
                          fmt=request.param, jurisdiction_id=JURISDICTION)


def pothole(ref: str = "BORNE-01-20260901-0001", **overrides: Any) -> RequestSubmission:
    values: dict[str, Any] = {
        "service_id": "open311:VOI-001",
        "answers": {"EMPLACEMENT": "chaussee", "LARGEUR_CM": "30",
                    "RISQUES": ("chute-velo", "flaque")},
        "place": Place(47.59, 1.33, "Place de l'Hôtel-de-Ville"),
        "station_id": "BORNE-01", "station_ref": ref,
        "description": "Trou profond devant l'arrêt de bus",
        "contact": Contact(email="camille@example.org"),
    }
    values.update(overrides)
    return RequestSubmission(**values)


def request_record(peer: Peer, key: str) -> list[dict[str, Any]]:
    return [r for r in peer.records()["requests"] if r["idempotency_key"] == key]


def test_discovery_announces_both_formats(open311: Open311Adapter) -> None:
    assert set(open311.formats()) == {"text/xml", "application/json"}


def test_services_and_their_tracking(open311: Open311Adapter) -> None:
    services = {s.id: s for s in open311.services()}
    assert services["open311:VOI-001"].tracking is Tracking.NUMBER
    assert services["open311:ENC-001"].tracking is Tracking.DEFERRED
    assert services["open311:ECL-001"].tracking is Tracking.NONE
    assert services["open311:VOI-001"].group == "Voirie"
    assert "nid-de-poule" in services["open311:VOI-001"].keywords


def test_service_definition(open311: Open311Adapter) -> None:
    form = open311.form("open311:VOI-001")
    assert [(f.code, f.type) for f in form.fields] == [
        ("EMPLACEMENT", FieldType.CHOICE), ("LARGEUR_CM", FieldType.NUMBER),
        ("RISQUES", FieldType.MULTI_CHOICE), ("CONSTATE_LE", FieldType.DATETIME),
        ("REPERE", FieldType.TEXT), ("PRECISIONS", FieldType.LONG_TEXT)]
    assert form.fields[0].required and len(form.fields[0].choices) == 4
    assert "centimètres" in form.fields[1].help


def test_realtime_submission_is_numbered_once(peer: Peer, open311: Open311Adapter) -> None:
    key = "BORNE-01-20260901-0001"
    first = open311.submit(pothole(key), key)
    again = open311.submit(pothole(key), key)
    assert first.outcome is SubmissionOutcome.NUMBERED
    assert first.number is not None and first.number.isdigit() and len(first.number) == 6
    assert again == first
    (record,) = request_record(peer, key)
    fields = record["fields"]
    assert fields["device_id"] == "BORNE-01"
    assert fields["description"].endswith("\nRéf. borne : BORNE-01-20260901-0001")
    assert fields["attribute"] == {"EMPLACEMENT": "chaussee", "LARGEUR_CM": "30",
                                   "RISQUES": ["chute-velo", "flaque"]}
    assert fields["email"] == "camille@example.org" and "phone" not in fields


def test_batch_submission_gets_its_number_later(peer: Peer, open311: Open311Adapter) -> None:
    bulky = RequestSubmission("open311:ENC-001", {"OBJETS": ("meuble", "literie"),
                                                  "NOMBRE": "2"},
                              Place(47.59, 1.33), "BORNE-01", "BORNE-01-20260901-0002")
    result = open311.submit(bulky, bulky.station_ref)
    assert result.outcome is SubmissionOutcome.PENDING and result.token
    assert open311.number_for(result.token) is None
    peer.advance(10)
    number = open311.number_for(result.token)
    assert number is not None and len(number) == 6
    report = open311.report(number)
    assert report is not None and report.status is RequestStatus.RECEIVED


def test_blackbox_submission_has_no_number(open311: Open311Adapter) -> None:
    lamp = RequestSubmission("open311:ECL-001", {"PANNE": "clignote"}, Place(47.59, 1.33),
                             "BORNE-01", "BORNE-01-20260901-0003")
    result = open311.submit(lamp, lamp.station_ref)
    assert result.outcome is SubmissionOutcome.UNNUMBERED and result.number is None
    assert "pas de numéro" in result.notice


def test_report_moves_on_with_the_peer_clock(peer: Peer, open311: Open311Adapter) -> None:
    number = open311.submit(pothole(), "BORNE-01-20260901-0001").number
    assert number is not None
    report = open311.report(number)
    assert report is not None and report.status is RequestStatus.RECEIVED
    assert report.service_name == "Nid-de-poule" and len(report.history) == 1
    peer.advance(5 * 3600)
    report = open311.report(number)
    assert report is not None and report.status is RequestStatus.IN_PROGRESS
    peer.advance(70 * 3600)
    report = open311.report(number)
    assert report is not None and report.status is RequestStatus.DONE
    assert [s.status for s in report.history] == [
        RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.DONE]
    assert report.history[-1].note == "Le nid-de-poule a été rebouché."


def test_report_of_a_seeded_closed_request(open311: Open311Adapter) -> None:
    report = open311.report("204518")
    assert report is not None and report.status is RequestStatus.CLOSED
    assert report.history[0].status is RequestStatus.RECEIVED
    assert report.submitted_at is not None
    assert [s.at for s in report.history] == sorted(s.at for s in report.history)


def test_unknown_number(open311: Open311Adapter) -> None:
    assert open311.report("999999") is None
    assert open311.report("pas-un-numero") is None


def test_wrong_api_key_is_unauthorised(peer: Peer, http: HttpClient) -> None:
    for fmt in ("json", "xml"):
        wrong = Open311Adapter(http, peer.running.open311_url, "not-the-key",
                               fmt=fmt)  # type: ignore[arg-type]
        error = fails(CentralFailure.UNAUTHORISED, lambda a=wrong: a.submit(pothole(), "k"))
        assert "Open311 error 403" in str(error) and "not-the-key" not in str(error)
    assert request_record(peer, "k") == []


def test_wrong_jurisdiction_is_not_found(peer: Peer, http: HttpClient) -> None:
    other = Open311Adapter(http, peer.running.open311_url, "x", jurisdiction_id="other.fr")
    fails(CentralFailure.NOT_FOUND, other.services)


def test_a_refused_submission_is_rejected(open311: Open311Adapter) -> None:
    incomplete = pothole(answers={"EMPLACEMENT": "chaussee"})  # LARGEUR_CM is required
    error = fails(CentralFailure.REJECTED, lambda: open311.submit(incomplete, "k-2"))
    assert not error.retryable


# -- faults injected by the peer -----------------------------------------------------------


def test_server_errors(peer: Peer, open311: Open311Adapter) -> None:
    peer.faults(error_rate=1.0)
    error = fails(CentralFailure.SERVER_ERROR, open311.services)
    assert error.retryable


def test_a_dropped_submission_is_retried_with_the_same_key(peer: Peer,
                                                           open311: Open311Adapter) -> None:
    key = "BORNE-01-20260901-0009"
    peer.faults(drop_rate=1.0, path_prefix="/open311/")
    fails(CentralFailure.UNREACHABLE, lambda: open311.submit(pothole(key), key))
    peer.no_faults()
    (record,) = request_record(peer, key)  # it went in, but the kiosk could not know
    result = open311.submit(pothole(key), key)
    assert result.number == record["service_request_id"]
    assert len(request_record(peer, key)) == 1


def test_malformed_bodies(peer: Peer, open311: Open311Adapter) -> None:
    peer.faults(malformed_rate=1.0, seed=7)
    for _ in range(9):  # every kind: truncated, wrong types, wrong format
        fails(CentralFailure.MALFORMED, open311.services)
        fails(CentralFailure.MALFORMED, lambda: open311.report("204518"))


def test_latency_beyond_the_limit_is_a_timeout(peer: Peer) -> None:
    peer.faults(latency_ms=1500)
    with HttpClient(0.5) as slow:
        adapter = Open311Adapter(slow, peer.running.open311_url, "x")
        fails(CentralFailure.TIMEOUT, adapter.services)


def test_a_stopped_peer_is_unreachable(http: HttpClient) -> None:
    running = start_peer()
    url = running.open311_url
    running.stop()
    fails(CentralFailure.UNREACHABLE, Open311Adapter(http, url, "x").services)
