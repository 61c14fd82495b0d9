"""OtlpFleet against handwritten answers over real HTTP: the enrolment call (key, proof, bearer
enrolment token), the OTLP/HTTP JSON ExportMetricsServiceRequest of a heartbeat, the bearer
token, and refusals."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from answer_server import AnswerServer, fails

from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.central import CentralFailure
from kiosk.core.fleet import EnrolmentRequest, Health, Heartbeat, Usage

AT = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
BEAT = Heartbeat(station_id="ST-01", site="Mairie", profile="totem", at=AT,
                 counting_since=AT - timedelta(hours=1),
                 health=Health(devices={"printer": True, "scanner": False},
                               connectivity="online", outbox_depth=3, screen="attract"),
                 usage=Usage(sessions=12, completed={"request": 4}))
REQUEST = EnrolmentRequest(public_key=b"k" * 32, proof=b"p" * 64, profile="totem", site="Mairie")


@pytest.fixture
def server() -> Iterator[AnswerServer]:
    answers = AnswerServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def fleet(server: AnswerServer) -> Iterator[OtlpFleet]:
    with HttpClient(2.0) as client:
        yield OtlpFleet(client, server.url + "fleet", "TOKEN-SECRET")


def attributes(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["key"]: next(iter(item["value"].values())) for item in items}


def test_enrol(server: AnswerServer, fleet: OtlpFleet) -> None:
    server.answer_json("POST", "/fleet/enrol", {"fleet_id": "flt-1", "station_id": "ST-01",
                                                "station_name": "Borne 1", "token": "STATION"})
    enrolment = fleet.enrol(REQUEST)
    assert (enrolment.fleet_id, enrolment.station_id, enrolment.station_name,
            enrolment.token) == ("flt-1", "ST-01", "Borne 1", "STATION")
    assert "STATION" not in repr(enrolment)
    sent = server.last("POST", "/fleet/enrol")
    assert sent.json() == {"public_key": base64.b64encode(b"k" * 32).decode(),
                           "proof": base64.b64encode(b"p" * 64).decode(),
                           "profile": "totem", "site": "Mairie"}
    assert sent.headers["authorization"] == "Bearer TOKEN-SECRET"
    key = "enrol-" + hashlib.sha256(b"k" * 32).hexdigest()[:32]
    assert sent.headers["idempotency-key"] == key


def test_a_refused_enrolment_says_why_without_the_token(server, fleet) -> None:
    server.answer_json("POST", "/fleet/enrol",
                       {"error": "invalid_token",
                        "error_description": "this enrolment token was already used"}, 401)
    error = fails(CentralFailure.UNAUTHORISED, lambda: fleet.enrol(REQUEST))
    assert "this enrolment token was already used" in str(error)
    assert "TOKEN-SECRET" not in str(error)


def test_heartbeat_is_an_otlp_metrics_export(server: AnswerServer, fleet: OtlpFleet) -> None:
    server.answer_json("POST", "/fleet/v1/metrics", {})
    fleet.heartbeat(BEAT)
    sent = server.last("POST", "/fleet/v1/metrics")
    assert sent.headers["authorization"] == "Bearer TOKEN-SECRET"
    assert sent.headers["content-type"] == "application/json"
    (resource_metrics,) = sent.json()["resourceMetrics"]
    assert attributes(resource_metrics["resource"]["attributes"]) == {
        "service.name": "kiosk", "host.id": "ST-01", "kiosk.site": "Mairie",
        "kiosk.profile": "totem"}
    (scope,) = resource_metrics["scopeMetrics"]
    metrics = {m["name"]: m for m in scope["metrics"]}
    (up,) = metrics["kiosk.up"]["gauge"]["dataPoints"]
    assert up["asInt"] == "1" and up["timeUnixNano"] == "1735787045678901000"
    assert attributes(up["attributes"]) == {"kiosk.screen": "attract",
                                            "kiosk.connectivity": "online"}
    ready = {attributes(p["attributes"])["kiosk.device"]: p["asInt"]
             for p in metrics["kiosk.device.ready"]["gauge"]["dataPoints"]}
    assert ready == {"printer": "1", "scanner": "0"}
    sessions = metrics["kiosk.sessions"]["sum"]
    assert sessions["aggregationTemporality"] == 2 and sessions["isMonotonic"] is True
    assert sessions["dataPoints"][0]["asInt"] == "12"
    assert sessions["dataPoints"][0]["startTimeUnixNano"] == "1735783445678901000"


def test_wrong_token_is_unauthorised(server: AnswerServer, fleet: OtlpFleet) -> None:
    server.answer_json("POST", "/fleet/v1/metrics", {"error": "invalid_token"}, 401)
    error = fails(CentralFailure.UNAUTHORISED, lambda: fleet.heartbeat(BEAT))
    assert "TOKEN-SECRET" not in str(error)


def test_rejected_data_points(server: AnswerServer, fleet: OtlpFleet) -> None:
    server.answer_json("POST", "/fleet/v1/metrics",
                       {"partialSuccess": {"rejectedDataPoints": "2", "errorMessage": "x"}})
    fails(CentralFailure.REJECTED, lambda: fleet.heartbeat(BEAT))
    server.answer_json("POST", "/fleet/v1/metrics", {"partialSuccess": {}})
    fleet.heartbeat(BEAT)
    server.answer("POST", "/fleet/v1/metrics", b"")
    fleet.heartbeat(BEAT)


@pytest.mark.parametrize("body", [
    {"fleet_id": None, "station_id": "ST", "token": "t"},
    {"fleet_id": "flt-1", "station_id": ["x"], "token": "t"},
    {"fleet_id": "flt-1", "station_id": "ST"},
    {"fleet_id": "flt-1", "station_id": "ST", "token": "a\nb"},
    ["flt-1"], {}])
def test_wrong_enrol_answers_are_malformed(server: AnswerServer, fleet: OtlpFleet,
                                           body: Any) -> None:
    server.answer_json("POST", "/fleet/enrol", body)
    fails(CentralFailure.MALFORMED, lambda: fleet.enrol(REQUEST))
