"""The peer's control endpoints under /_peer/, for tests and demos (loopback, no auth):
faults (GET/POST/DELETE), the records of what it received, its clock, a busy city's worth of
Open311 requests (POST /_peer/requests), and the Open311 specifications it is checked against
(so that schemathesis can load them from the peer).

Records hold what clients sent, personal data included: that is their point, and they never
leave the loopback interface nor reach a log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.peer.context import PeerContext
from kiosk.peer.faults import FaultInjector, FaultPlan, parse_plan
from kiosk.peer.open311 import Open311, Open311Error
from kiosk.peer.wcs import SURVEY_SLUG
from kiosk.peer.web import PeerRequest, PeerResponse, Route, json_response, route

SPECS_DIR = Path(__file__).resolve().parent / "specs" / "open311"
#: The most requests one POST /_peer/requests adds (a big city's quarter).
MAX_FILL = 100_000


class Control:
    """The /_peer/ routes of one peer."""

    def __init__(self, ctx: PeerContext, faults: FaultInjector, open311: Open311) -> None:
        self.ctx = ctx
        self.faults = faults
        self.open311 = open311

    def routes(self) -> list[Route]:
        """Every control route."""
        return [
            route("GET", r"/_peer/faults/?", self.get_faults),
            route("POST", r"/_peer/faults/?", self.set_faults),
            route("DELETE", r"/_peer/faults/?", self.clear_faults),
            route("GET", r"/_peer/records/?", self.records),
            route("POST", r"/_peer/requests/?", self.fill_requests),
            route("GET", r"/_peer/clock/?", self.get_clock),
            route("POST", r"/_peer/clock/?", self.advance_clock),
            route("GET", r"/_peer/specs/open311/(?P<name>[A-Za-z0-9_.-]+)", self.spec),
        ]

    @staticmethod
    def _problem(message: str) -> PeerResponse:
        return json_response(400, {"error": message})

    # -- faults --

    def get_faults(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """The faults in force."""
        return json_response(200, self.faults.plan.to_json())

    def set_faults(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """Put new faults in force (the whole plan is replaced)."""
        try:
            plan = parse_plan(request.json())
        except (ValueError, UnicodeDecodeError) as err:
            return self._problem(f"invalid faults: {err}")
        self.faults.set(plan)
        return json_response(200, plan.to_json())

    def clear_faults(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """No faults any more."""
        self.faults.set(FaultPlan())
        return json_response(200, self.faults.plan.to_json())

    # -- clock --

    def _clock(self) -> dict[str, Any]:
        return {"now": self.ctx.stamp(self.ctx.clock.now()), "offset_s": self.ctx.clock.offset_s}

    def get_clock(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """The peer's now and how far ahead of the wall clock it is."""
        return json_response(200, self._clock())

    def advance_clock(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """Move the peer's clock forward by {"advance_s": N}."""
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return self._problem("the body must be JSON")
        seconds = body.get("advance_s") if isinstance(body, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return self._problem("advance_s must be a number of seconds, 0 or more")
        self.ctx.clock.advance(float(seconds))
        return json_response(200, self._clock())

    # -- records --

    def records(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """Everything clients sent, in the order it arrived."""
        store = self.ctx.store
        requests = [{
            "service_request_id": row["number"],
            "token": row["token"],
            "service_code": row["service_code"],
            "requested_at": row["requested_at"],
            "idempotency_key": row["idempotency_key"],
            "fields": json.loads(row["fields"]),
        } for row in store.rows("SELECT * FROM requests WHERE origin = 'post' ORDER BY id")]
        forms: list[dict[str, Any]] = []
        surveys: list[dict[str, Any]] = []
        for row in store.rows("SELECT * FROM forms ORDER BY id"):
            item = {"formdef": row["slug"], "id": row["number"],
                    "tracking_code": row["tracking_code"], "submitted_at": row["submitted_at"],
                    "idempotency_key": row["idempotency_key"], **json.loads(row["body"])}
            (surveys if row["slug"] == SURVEY_SLUG else forms).append(item)
        bookings = [{
            "booking_id": row["id"], "agenda": row["agenda"],
            "meeting_type": row["meeting_type"], "slot_id": row["slot_id"],
            "datetime": row["start"], "end_datetime": row["end"],
            "booked_at": row["booked_at"], "idempotency_key": row["idempotency_key"],
            "cancelled_at": row["cancelled_at"],
            "cancel_idempotency_key": row["cancel_idempotency_key"],
            "fields": json.loads(row["body"]),
        } for row in store.rows("SELECT * FROM bookings ORDER BY id")]
        heartbeats = [{
            "received_at": row["received_at"], "station_id": row["station_id"],
            "idempotency_key": row["idempotency_key"], "body": json.loads(row["body"]),
        } for row in store.rows("SELECT * FROM heartbeats ORDER BY id")]
        enrolments = [dict(row) for row in store.rows(
            "SELECT fleet_id, station_id, profile, site, enrolled_at, idempotency_key, "
            "public_key FROM enrolments LEFT JOIN station_credentials USING (station_id) "
            "ORDER BY enrolled_at")]
        return json_response(200, {"requests": requests, "forms": forms, "bookings": bookings,
                                   "surveys": surveys, "heartbeats": heartbeats,
                                   "enrolments": enrolments})

    # -- a busy city --

    def fill_requests(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """Add {"count": N, "days": D, "service_code": C} requests made by others over the
        last D days (at most MAX_FILL)."""
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return self._problem("the body must be JSON")
        if not isinstance(body, dict):
            return self._problem("the body must be a JSON object")
        count, days, code = body.get("count"), body.get("days", 30), body.get("service_code")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_FILL:
            return self._problem(f"count must be an integer from 1 to {MAX_FILL}")
        if isinstance(days, bool) or not isinstance(days, int | float) or not 0 < days <= 90:
            return self._problem("days must be a number from 0 to 90")
        if not isinstance(code, str):
            return self._problem("service_code must be a service code")
        try:
            added = self.open311.fill(code, count, float(days))
        except Open311Error as err:
            return self._problem(err.description)
        return json_response(200, {"added": added})

    # -- specifications --

    def spec(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """A file of kiosk/peer/specs/open311/ (the JSON Schemas, the patched Swagger)."""
        path = SPECS_DIR / groups["name"]
        if path.parent != SPECS_DIR or not path.is_file():
            return json_response(404, {"error": "no such specification file"})
        kind = "application/json" if path.suffix == ".json" else "text/plain; charset=utf-8"
        return PeerResponse(200, path.read_bytes(), kind)
