"""OtlpFleet against handwritten answers over real HTTP: the enrolment call, the OTLP/HTTP JSON
ExportMetricsServiceRequest of a heartbeat, the bearer token, and refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from answer_server import AnswerServer, fails

from kiosk.adapters.fleet import OtlpFleet, metrics_request
from kiosk.adapters.http import HttpClient
from kiosk.core.central import CentralFailure, Heartbeat

BEAT = Heartbeat(station_id="ST-01", at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
                 profile="totem", screen="attract", devices={"printer": True, "scanner": False},
                 connectivity="online", outbox_pending=3,
                 counters={"sessions": 12, "kiosk.requests_submitted": 4})


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
    server.answer_json("POST", "/fleet/enrol", {"fleet_id": "flt-1"})
    assert fleet.enrol("ST-01", "totem", "Mairie") == "flt-1"
    sent = server.last("POST", "/fleet/enrol")
    assert sent.json() == {"station_id": "ST-01", "profile": "totem", "site": "Mairie"}
    assert sent.headers["authorization"] == "Bearer TOKEN-SECRET"
    assert sent.headers["idempotency-key"] == "enrol-ST-01"


def test_heartbeat_is_an_otlp_metrics_export(server: AnswerServer, fleet: OtlpFleet) -> None:
    server.answer_json("POST", "/fleet/v1/metrics", {})
    fleet.heartbeat(BEAT)
    sent = server.last("POST", "/fleet/v1/metrics")
    assert sent.headers["authorization"] == "Bearer TOKEN-SECRET"
    assert sent.headers["content-type"] == "application/json"
    (resource_metrics,) = sent.json()["resourceMetrics"]
    assert attributes(resource_metrics["resource"]["attributes"]) == {
        "service.name": "kiosk", "host.id": "ST-01", "kiosk.profile": "totem"}
    (scope,) = resource_metrics["scopeMetrics"]
    metrics = {m["name"]: m for m in scope["metrics"]}
    assert set(metrics) == {"kiosk.up", "kiosk.device.ready", "kiosk.outbox.pending",
                            "kiosk.sessions", "kiosk.requests_submitted"}
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


def test_counter_names_must_be_metric_names() -> None:
    with pytest.raises(ValueError):
        metrics_request(Heartbeat("ST", BEAT.at, "totem", "x", {}, "online",
                                  counters={"bad name!": 1}))


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


@pytest.mark.parametrize("body", [{"fleet_id": None}, {"fleet_id": ["x"]}, ["flt-1"], {}])
def test_wrong_enrol_answers_are_malformed(server: AnswerServer, fleet: OtlpFleet,
                                           body: Any) -> None:
    server.answer_json("POST", "/fleet/enrol", body)
    fails(CentralFailure.MALFORMED, lambda: fleet.enrol("ST-01", "totem", "Mairie"))
