"""The fleet endpoints under /fleet/, behind `Authorization: Bearer <fleet_token>`:
POST enrol (a station gets its fleet id; enrolling again gives the same id) and POST v1/metrics,
an OTLP/HTTP metrics receiver for the JSON encoding only (OpenTelemetry "OTLP/HTTP": JSON body
`ExportMetricsServiceRequest`, success 200 with an `ExportMetricsServiceResponse`, `{}`; a bad
body 400 with a google.rpc.Status; protobuf is not spoken here: 415).

A missing or wrong token is 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3).
"""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from kiosk.peer.context import PeerContext
from kiosk.peer.store import iso
from kiosk.peer.web import PeerRequest, PeerResponse, Route, json_response, route

#: google.rpc.Code INVALID_ARGUMENT, the code OTLP/HTTP puts in a 400's Status.
INVALID_ARGUMENT = 3
#: Resource attributes that name the station (OpenTelemetry semantic conventions).
STATION_ATTRIBUTES = ("host.id", "service.instance.id")


def _bad(message: str) -> PeerResponse:
    return json_response(400, {"code": INVALID_ARGUMENT, "message": message})


def station_of(body: dict[str, Any]) -> str | None:
    """The station id a metrics export names in its resource attributes, if any."""
    for resource_metrics in body.get("resourceMetrics") or []:
        resource = resource_metrics.get("resource") if isinstance(resource_metrics, dict) else None
        attributes = resource.get("attributes") if isinstance(resource, dict) else None
        for wanted in STATION_ATTRIBUTES:
            for attribute in attributes if isinstance(attributes, list) else []:
                if not isinstance(attribute, dict) or attribute.get("key") != wanted:
                    continue
                value = attribute.get("value")
                text = value.get("stringValue") if isinstance(value, dict) else None
                if isinstance(text, str):
                    return text
    return None


class Fleet:
    """The fleet routes of one peer."""

    def __init__(self, ctx: PeerContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """Every fleet route."""
        return [
            route("POST", r"/fleet/enrol/?", self.enrol, self.check_token),
            route("POST", r"/fleet/v1/metrics/?", self.metrics, self.check_token),
        ]

    def check_token(self, request: PeerRequest) -> PeerResponse | None:
        """401 unless the bearer token is the fleet's."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        expected = self.ctx.credentials.fleet_token.encode()
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                 expected):
            return json_response(
                401, {"error": "invalid_token",
                      "error_description": "a valid bearer token is required"},
                {"WWW-Authenticate": 'Bearer realm="fleet", error="invalid_token"'})
        return None

    def _json(self, request: PeerRequest) -> dict[str, Any] | PeerResponse:
        if request.content_type != "application/json":
            return json_response(415, {"code": INVALID_ARGUMENT,
                                       "message": "only application/json is accepted"})
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return _bad("the body is not JSON")
        return body if isinstance(body, dict) else _bad("the body must be a JSON object")

    def enrol(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST enrol: {"station_id", "profile", "site"} → {"fleet_id"}."""
        body = self._json(request)
        if isinstance(body, PeerResponse):
            return body
        for key in ("station_id", "profile", "site"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                return _bad(f"{key} is required (text)")
        with self.ctx.store.transaction():
            row = self.ctx.store.row("SELECT fleet_id FROM enrolments WHERE station_id = ?",
                                     (body["station_id"],))
            if row is not None:
                fleet_id = str(row["fleet_id"])
                self.ctx.store.execute(
                    "UPDATE enrolments SET profile = ?, site = ? WHERE fleet_id = ?",
                    (body["profile"], body["site"], fleet_id))
            else:
                fleet_id = f"flt-{secrets.token_hex(8)}"
                self.ctx.store.execute(
                    "INSERT INTO enrolments (fleet_id, station_id, profile, site, enrolled_at, "
                    "idempotency_key) VALUES (?, ?, ?, ?, ?, ?)",
                    (fleet_id, body["station_id"], body["profile"], body["site"],
                     iso(self.ctx.clock.now()), request.idempotency_key))
        return json_response(200, {"fleet_id": fleet_id})

    def metrics(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST v1/metrics: an OTLP JSON metrics export, kept as a heartbeat."""
        body = self._json(request)
        if isinstance(body, PeerResponse):
            return body
        resource_metrics = body.get("resourceMetrics")
        if not isinstance(resource_metrics, list) or not all(
                isinstance(item, dict) for item in resource_metrics):
            return _bad("resourceMetrics must be a list of objects")
        self.ctx.store.execute(
            "INSERT INTO heartbeats (received_at, station_id, body, idempotency_key) "
            "VALUES (?, ?, ?, ?)",
            (iso(self.ctx.clock.now()), station_of(body), json.dumps(body, ensure_ascii=False),
             request.idempotency_key))
        return json_response(200, {})
