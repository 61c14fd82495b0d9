"""A station enrolled with the reference peer's fleet, as `kiosk-provision enroll` leaves it
(its token in a credentials file readable by its owner only), and the heartbeats the peer
received, parsed by the OTLP schema's own classes (opentelemetry-proto)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from google.protobuf.json_format import Parse
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from peer_support import Peer

from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.fleet import EnrolmentRequest, proof_message


def enrol(peer: Peer, station_id: str, folder: Path, profile: str = "totem",
          site: str = "Hôtel de Ville") -> Path:
    """Enrol `station_id` with a fresh Ed25519 key; the credentials file it gets (mode 0600)."""
    token = peer.enrolment_token(station_id)
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with HttpClient(5.0) as http:
        enrolment = OtlpFleet(http, peer.running.fleet_url, token).enrol(
            EnrolmentRequest(public, key.sign(proof_message(token, public)), profile, site))
    credentials = folder / "credentials.toml"
    credentials.write_text(f'[fleet]\ntoken = "{enrolment.token}"\n', encoding="utf-8")
    credentials.chmod(0o600)
    return credentials


def heartbeats(peer: Peer) -> list[ExportMetricsServiceRequest]:
    """Every heartbeat the peer recorded, in order, as OTLP requests (unknown fields refused)."""
    return [Parse(json.dumps(beat["body"]), ExportMetricsServiceRequest())
            for beat in peer.records()["heartbeats"]]


def points(request: ExportMetricsServiceRequest, name: str) -> dict[tuple[str, ...], Any]:
    """A metric's points: attribute values → value."""
    metrics = {m.name: m for m in request.resource_metrics[0].scope_metrics[0].metrics}
    metric = metrics[name]
    rows = metric.sum.data_points if metric.HasField("sum") else metric.gauge.data_points
    found = {}
    for row in rows:
        key = tuple(str(getattr(a.value, a.value.WhichOneof("value"))) for a in row.attributes)
        found[key] = row.as_int if row.WhichOneof("value") == "as_int" else row.as_double
    return found


def wait_for_heartbeats(peer: Peer, count: int, timeout_s: float = 30,
                        pump: Any = time.sleep) -> list[ExportMetricsServiceRequest]:
    """At least `count` heartbeats; `pump(seconds)` lets the station run meanwhile."""
    deadline = time.monotonic() + timeout_s
    while len(peer.records()["heartbeats"]) < count:
        assert time.monotonic() < deadline, f"fewer than {count} heartbeats in {timeout_s} s"
        pump(0.2)
    return heartbeats(peer)
