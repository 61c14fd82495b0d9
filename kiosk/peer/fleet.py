"""The fleet endpoints under /fleet/, each behind `Authorization: Bearer <token>`:

- POST enrolment-tokens, with the fleet operator's token (the seed's `fleet_token`):
  {"station_id", "station_name"?} → 201 {"token", "station_id"}, a one-time enrolment token
  for that station (the city chooses its stations' ids);
- POST enrol, with an enrolment token: {"public_key", "proof", "profile", "site"} → {"fleet_id",
  "station_id", "station_name", "token"}. The proof is the Ed25519 signature of
  `kiosk.core.fleet.proof_message` by the station's key, so the key recorded is one the
  station holds; the token is the station's own for its heartbeats. A token is used once: a
  retry of the same enrolment (same Idempotency-Key) gets the stored answer, anything else a
  401;
- POST v1/metrics, with a station's token: an OTLP/HTTP metrics receiver for the JSON encoding
  only (OpenTelemetry "OTLP/HTTP": JSON body `ExportMetricsServiceRequest`, success 200 with
  an `ExportMetricsServiceResponse`, `{}`; a bad body 400 with a google.rpc.Status; protobuf is
  not spoken here: 415). The export must name the token's station (resource host.id).

A missing or wrong token is 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3). Tokens are
kept as SHA-256 digests only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.core.fleet import proof_message
from kiosk.peer.context import PeerContext
from kiosk.peer.store import iso
from kiosk.peer.web import PeerRequest, PeerResponse, Route, json_response, route

#: google.rpc.Code INVALID_ARGUMENT, the code OTLP/HTTP puts in a 400's Status.
INVALID_ARGUMENT = 3
#: Resource attributes that name the station (OpenTelemetry semantic conventions).
STATION_ATTRIBUTES = ("host.id", "service.instance.id")
#: A station id as the kiosk's settings accept it (kiosk/settings/models.py, station.id).
STATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
#: Ed25519 public keys are 32 bytes, signatures 64 (RFC 8032 §5.1.5, §5.1.6).
KEY_BYTES = 32
SIGNATURE_BYTES = 64


def _bad(message: str) -> PeerResponse:
    return json_response(400, {"code": INVALID_ARGUMENT, "message": message})


def _unauthorised(description: str) -> PeerResponse:
    return json_response(
        401, {"error": "invalid_token", "error_description": description},
        {"WWW-Authenticate": 'Bearer realm="fleet", error="invalid_token"'})


def _bearer(request: PeerRequest) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def digest(token: str) -> str:
    """How a token is kept."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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


def _decoded(value: object, size: int) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None


class Fleet:
    """The fleet routes of one peer."""

    def __init__(self, ctx: PeerContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """Every fleet route."""
        return [
            route("POST", r"/fleet/enrolment-tokens/?", self.issue, self.operator),
            route("POST", r"/fleet/enrol/?", self.enrol, self.known_enrolment_token),
            route("POST", r"/fleet/v1/metrics/?", self.metrics, self.station_token),
        ]

    # -- tokens ---------------------------------------------------------------------------

    def operator(self, request: PeerRequest) -> PeerResponse | None:
        """401 unless the bearer token is the fleet operator's."""
        token = _bearer(request) or ""
        expected = self.ctx.credentials.fleet_token.encode()
        if not hmac.compare_digest(token.encode(), expected):
            return _unauthorised("the fleet operator's token is required")
        return None

    def known_enrolment_token(self, request: PeerRequest) -> PeerResponse | None:
        """401 unless the bearer token is an enrolment token the fleet issued (whether it was
        used is the enrolment's business: a retry of a done enrolment gets its answer)."""
        token = _bearer(request)
        if token is None or self.ctx.store.row(
                "SELECT 1 FROM enrolment_tokens WHERE token_sha256 = ?", (digest(token),)) is None:
            return _unauthorised("unknown enrolment token")
        return None

    def _station_of_token(self, request: PeerRequest) -> str | None:
        token = _bearer(request)
        row = None if token is None else self.ctx.store.row(
            "SELECT station_id FROM station_credentials WHERE token_sha256 = ?",
            (digest(token),))
        return None if row is None else str(row["station_id"])

    def station_token(self, request: PeerRequest) -> PeerResponse | None:
        """401 unless the bearer token is an enrolled station's."""
        if self._station_of_token(request) is None:
            return _unauthorised("a station's token is required")
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

    def issue(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST enrolment-tokens: a one-time token for the station named."""
        body = self._json(request)
        if isinstance(body, PeerResponse):
            return body
        station_id = body.get("station_id")
        if not isinstance(station_id, str) or not STATION_ID.fullmatch(station_id):
            return _bad("station_id is required: letters, digits and dashes, at most 32")
        name = body.get("station_name", station_id)
        if not isinstance(name, str) or not 0 < len(name) <= 80:
            return _bad("station_name must be text of 1 to 80 characters")
        # An installer types this token after `--token`: hexadecimal, so it never begins
        # with a dash that a command line would read as an option (docs/installation.md).
        token = secrets.token_hex(24)
        self.ctx.store.execute(
            "INSERT INTO enrolment_tokens (token_sha256, station_id, station_name, issued_at) "
            "VALUES (?, ?, ?, ?)", (digest(token), station_id, name, iso(self.ctx.clock.now())))
        return json_response(201, {"token": token, "station_id": station_id})

    # -- enrolment ------------------------------------------------------------------------

    def enrol(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST enrol: the station's key recorded, its token issued, the enrolment token
        spent."""
        body = self._json(request)
        if isinstance(body, PeerResponse):
            return body
        for key in ("profile", "site"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                return _bad(f"{key} is required (text)")
        public_key = _decoded(body.get("public_key"), KEY_BYTES)
        proof = _decoded(body.get("proof"), SIGNATURE_BYTES)
        if public_key is None or proof is None:
            return _bad("public_key (32 bytes) and proof (64 bytes) are required, in base64")
        enrolment_token = _bearer(request) or ""
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(
                proof, proof_message(enrolment_token, public_key))
        except InvalidSignature:
            return _bad("the proof is not the signature of this enrolment by this key")
        station_token = secrets.token_urlsafe(32)
        now = iso(self.ctx.clock.now())
        with self.ctx.store.transaction():
            issued = self.ctx.store.row(
                "SELECT station_id, station_name, used_at FROM enrolment_tokens "
                "WHERE token_sha256 = ?", (digest(enrolment_token),))
            if issued is None:
                return _unauthorised("unknown enrolment token")
            if issued["used_at"] is not None:
                return _unauthorised("this enrolment token was already used")
            station_id = str(issued["station_id"])
            self.ctx.store.execute("UPDATE enrolment_tokens SET used_at = ? "
                                   "WHERE token_sha256 = ?", (now, digest(enrolment_token)))
            row = self.ctx.store.row("SELECT fleet_id FROM enrolments WHERE station_id = ?",
                                     (station_id,))
            if row is not None:  # a station replaced or reinstalled: a new key, a new token
                fleet_id = str(row["fleet_id"])
                self.ctx.store.execute(
                    "UPDATE enrolments SET profile = ?, site = ?, enrolled_at = ?, "
                    "idempotency_key = ? WHERE fleet_id = ?",
                    (body["profile"], body["site"], now, request.idempotency_key, fleet_id))
            else:
                fleet_id = f"flt-{secrets.token_hex(8)}"
                self.ctx.store.execute(
                    "INSERT INTO enrolments (fleet_id, station_id, profile, site, enrolled_at, "
                    "idempotency_key) VALUES (?, ?, ?, ?, ?, ?)",
                    (fleet_id, station_id, body["profile"], body["site"], now,
                     request.idempotency_key))
            self.ctx.store.execute(
                "INSERT OR REPLACE INTO station_credentials (station_id, public_key, "
                "token_sha256) VALUES (?, ?, ?)",
                (station_id, base64.b64encode(public_key).decode("ascii"),
                 digest(station_token)))
        return json_response(200, {"fleet_id": fleet_id, "station_id": station_id,
                                   "station_name": str(issued["station_name"]),
                                   "token": station_token})

    # -- heartbeats -----------------------------------------------------------------------

    def metrics(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST v1/metrics: an OTLP JSON metrics export, kept as a heartbeat."""
        body = self._json(request)
        if isinstance(body, PeerResponse):
            return body
        resource_metrics = body.get("resourceMetrics")
        if not isinstance(resource_metrics, list) or not all(
                isinstance(item, dict) for item in resource_metrics):
            return _bad("resourceMetrics must be a list of objects")
        station = self._station_of_token(request)
        named = station_of(body)
        if named is not None and named != station:
            return json_response(403, {"code": 7,  # google.rpc.Code PERMISSION_DENIED
                                       "message": "the export names another station"})
        self.ctx.store.execute(
            "INSERT INTO heartbeats (received_at, station_id, body, idempotency_key) "
            "VALUES (?, ?, ?, ?)",
            (iso(self.ctx.clock.now()), station, json.dumps(body, ensure_ascii=False),
             request.idempotency_key))
        return json_response(200, {})
