"""OtlpFleet against the embedded reference peer over real HTTP: enrolment with a one-time
token and a real Ed25519 key, then a heartbeat the peer records under the station's id,
checked against the OTLP schema itself (the opentelemetry-proto package's generated protobuf
classes parse what the peer received), and a canary given as personal data that never
reaches the fleet."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from answer_server import fails
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from google.protobuf.json_format import Parse
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality
from peer_support import Peer

from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.central import CentralFailure
from kiosk.core.fleet import Enrolment, EnrolmentRequest, Health, Heartbeat, Usage, proof_message

CANARY = "Zoé-Canari 06 12 34 56 78"
NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = NOW - timedelta(hours=6)
HEALTH = Health(devices={"printer": True, "card_reader": False}, connectivity="degraded",
                outbox_depth=2, outbox_oldest_age_s=95.5, disk_free_bytes=12_345_678_901,
                config_version="cfg-3f2a9c", screen="home", restart_pending=("panel", "devices"),
                last_reload_error="/etc/kiosk/site.toml: session.idle_s: must be greater than "
                                  "or equal to 30 (got 5)")
USAGE = Usage(sessions=40, completed={"request": 12, "appointment": 7},
              abandoned={("request", "request_place"): 3, ("appointment", "appointment_day"): 1},
              languages={"fr": 31, "en": 6, "fr_FALC": 3}, seated_sessions=10,
              speech_sessions=4, assisted_sessions=5, assisted_minutes=62.5,
              satisfaction={("overall", 10): 9, ("overall", 5): 2, ("clarity", 4): 6})


def enrol(peer: Peer, http: HttpClient, station_id: str = "BORNE-01") -> Enrolment:
    token = peer.enrolment_token(station_id, "Borne annexe")
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    fleet = OtlpFleet(http, peer.running.fleet_url, token)
    return fleet.enrol(EnrolmentRequest(public, key.sign(proof_message(token, public)),
                                        "desk-assisted", "Mairie annexe"))


def received(peer: Peer) -> ExportMetricsServiceRequest:
    """The one heartbeat the peer got, parsed by the OTLP schema's own classes (unknown
    fields refused)."""
    (recorded,) = peer.records()["heartbeats"]
    return Parse(json.dumps(recorded["body"]), ExportMetricsServiceRequest())


def test_enrol_then_a_heartbeat_the_otlp_schema_accepts(peer: Peer, http: HttpClient) -> None:
    enrolment = enrol(peer, http)
    assert enrolment.station_id == "BORNE-01" and enrolment.station_name == "Borne annexe"
    (recorded,) = peer.records()["enrolments"]
    assert recorded["station_id"] == "BORNE-01" and recorded["public_key"]
    fleet = OtlpFleet(http, peer.running.fleet_url, enrolment.token)
    fleet.heartbeat(Heartbeat("BORNE-01", "Mairie annexe", "desk-assisted", NOW, SINCE,
                              HEALTH, USAGE))
    assert peer.records()["heartbeats"][0]["station_id"] == "BORNE-01"

    request = received(peer)
    (resource_metrics,) = request.resource_metrics
    resource = {a.key: a.value.string_value for a in resource_metrics.resource.attributes}
    assert resource == {"service.name": "kiosk", "host.id": "BORNE-01",
                        "kiosk.site": "Mairie annexe", "kiosk.profile": "desk-assisted"}
    metrics = {m.name: m for m in resource_metrics.scope_metrics[0].metrics}

    def points(name: str) -> dict[tuple[str, ...], float]:
        metric = metrics[name]
        rows = metric.sum.data_points if metric.HasField("sum") else metric.gauge.data_points
        found = {}
        for row in rows:
            key = tuple(str(getattr(a.value, a.value.WhichOneof("value")))
                        for a in row.attributes)
            found[key] = row.as_int if row.WhichOneof("value") == "as_int" else row.as_double
        return found

    assert points("kiosk.device.ready") == {("card_reader",): 0, ("printer",): 1}
    assert points("kiosk.up") == {("home", "degraded"): 1}
    assert points("kiosk.outbox.depth") == {(): 2}
    assert points("kiosk.outbox.oldest_age") == {(): 95.5}
    assert points("kiosk.disk.free") == {(): 12_345_678_901}
    assert points("kiosk.config.version") == {("cfg-3f2a9c",): 1}
    assert points("kiosk.config.reload_error") == {
        ("/etc/kiosk/site.toml: session.idle_s: must be greater than or equal to 30",): 1}
    assert points("kiosk.config.restart_pending") == {("panel",): 1, ("devices",): 1}
    assert points("kiosk.safe_mode") == {(): 0}
    assert points("kiosk.sessions") == {(): 40}
    assert points("kiosk.sessions.completed") == {("appointment",): 7, ("request",): 12}
    assert points("kiosk.sessions.abandoned") == {("appointment", "appointment_day"): 1,
                                                  ("request", "request_place"): 3}
    assert points("kiosk.sessions.language") == {("en",): 6, ("fr",): 31, ("fr_FALC",): 3}
    assert points("kiosk.sessions.share") == {("seated",): 0.25, ("speech",): 0.1}
    assert points("kiosk.assisted.sessions") == {(): 5}
    assert points("kiosk.assisted.duration") == {(): 62.5}
    assert points("kiosk.survey.answers") == {("clarity", "4"): 6, ("overall", "10"): 9,
                                              ("overall", "5"): 2}
    sessions = metrics["kiosk.sessions"].sum
    assert sessions.is_monotonic
    assert sessions.aggregation_temporality == AggregationTemporality.Value(
        "AGGREGATION_TEMPORALITY_CUMULATIVE")
    assert sessions.data_points[0].start_time_unix_nano == int(SINCE.timestamp()) * 10**9
    assert sessions.data_points[0].time_unix_nano == int(NOW.timestamp()) * 10**9


def test_a_canary_given_as_personal_data_never_reaches_the_fleet(peer: Peer,
                                                                 http: HttpClient) -> None:
    """Wherever a careless caller could put what a person typed, it is left out."""
    enrolment = enrol(peer, http, "BORNE-02")
    health = Health(devices={"printer": True, CANARY: True}, connectivity=CANARY,
                    screen=CANARY, last_reload_error=f"site.toml: site.name: too long "
                                                     f"(got '{CANARY}')",
                    safe_mode=True, safe_mode_reason=CANARY)
    usage = Usage(sessions=3, completed={CANARY: 1, "request": 1},
                  abandoned={("request", CANARY): 1, (CANARY, "x"): 1},
                  languages={CANARY: 1, "fr": 2}, satisfaction={(CANARY, 5): 1})
    OtlpFleet(http, peer.running.fleet_url, enrolment.token).heartbeat(
        Heartbeat("BORNE-02", "Mairie", "totem", NOW, SINCE, health, usage))
    raw = json.dumps(peer.records()["heartbeats"], ensure_ascii=False)
    for part in ("Zoé", "Canari", "06 12 34 56 78"):
        assert part not in raw
    request = received(peer)  # and what is left is still a valid export
    names = {m.name for m in request.resource_metrics[0].scope_metrics[0].metrics}
    assert {"kiosk.up", "kiosk.sessions.completed", "kiosk.safe_mode"} <= names


def test_wrong_token(peer: Peer, http: HttpClient) -> None:
    fleet = OtlpFleet(http, peer.running.fleet_url, "not-the-token")
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    error = fails(CentralFailure.UNAUTHORISED, lambda: fleet.enrol(EnrolmentRequest(
        public, key.sign(proof_message("not-the-token", public)), "totem", "x")))
    assert "not-the-token" not in str(error)
    assert "unknown enrolment token" in str(error)
    assert peer.records()["enrolments"] == []
    beat = Heartbeat("BORNE-01", "x", "totem", NOW, SINCE)
    fails(CentralFailure.UNAUTHORISED, lambda: fleet.heartbeat(beat))


def test_a_station_token_speaks_for_its_station_only(peer: Peer, http: HttpClient) -> None:
    enrolment = enrol(peer, http, "BORNE-09")
    fleet = OtlpFleet(http, peer.running.fleet_url, enrolment.token)
    fails(CentralFailure.UNAUTHORISED,
          lambda: fleet.heartbeat(Heartbeat("BORNE-10", "x", "totem", NOW, SINCE)))
    assert peer.records()["heartbeats"] == []


def test_an_enrolment_token_is_safe_to_type_on_a_command_line(peer: Peer) -> None:
    """The installer types it after `--token`: a token beginning with a dash would be read as
    an option (one in 64 url-safe tokens did)."""
    tokens = [peer.enrolment_token(f"BORNE-{n:02d}") for n in range(40)]
    assert all(token[0].isalnum() and token.isalnum() for token in tokens)
    assert len(set(tokens)) == len(tokens)
