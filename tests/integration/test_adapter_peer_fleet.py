"""OtlpFleet against the embedded reference peer over real HTTP: enrolment, an OTLP/HTTP JSON
heartbeat the peer records under the station's id, and a wrong bearer token."""

from __future__ import annotations

from datetime import UTC, datetime

from answer_server import fails
from peer_support import Peer

from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.central import CentralFailure, Heartbeat


def test_enrol_and_heartbeat(peer: Peer, http: HttpClient) -> None:
    fleet = OtlpFleet(http, peer.running.fleet_url, peer.credentials["fleet_token"])
    fleet_id = fleet.enrol("BORNE-01", "desk-assisted", "Mairie annexe")
    assert fleet_id and fleet.enrol("BORNE-01", "desk-assisted", "Mairie annexe") == fleet_id
    beat = Heartbeat("BORNE-01", datetime.now(UTC), "desk-assisted", "home",
                     {"printer": True, "card_reader": True}, "online", outbox_pending=1,
                     counters={"sessions": 5})
    fleet.heartbeat(beat)
    (recorded,) = peer.records()["heartbeats"]
    assert recorded["station_id"] == "BORNE-01"
    metrics = recorded["body"]["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
    assert {m["name"] for m in metrics} >= {"kiosk.up", "kiosk.sessions"}


def test_wrong_token(peer: Peer, http: HttpClient) -> None:
    fleet = OtlpFleet(http, peer.running.fleet_url, "not-the-token")
    error = fails(CentralFailure.UNAUTHORISED, lambda: fleet.enrol("BORNE-01", "totem", "x"))
    assert "not-the-token" not in str(error)
    assert peer.records()["enrolments"] == []
