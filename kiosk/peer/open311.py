"""Open311 GeoReport v2 under /open311/v2/, every resource in .json and .xml, as the spec says
(the spec on open311.github.io; the JSON Schemas are in kiosk/peer/specs/open311/),
plus mySociety's servicerequestupdates. docs/central-systems.md says what the kiosk relies on.
A personality (kiosk/peer/personality.py) makes it behave like servers that stray from the
spec; the traits handled here are XML only (discovery) and ignored filters.

Choices where the spec leaves room, so that both the JSON Schemas (which allow null) and the
patched Swagger (which has no null) accept every answer: JSON leaves out a field that has no
value, XML gives it as an empty element (the spec's XML examples do). A successful POST answers
201 (the patched Swagger's code). Request statuses are open|closed; the richer mySociety states
(in_progress, fixed, …) are in servicerequestupdates, and `status_notes` carries the latest note.
The XML is written with xml.etree and never parsed here.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from sqlite3 import Row
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from kiosk.peer import lifecycle
from kiosk.peer.context import PeerContext
from kiosk.peer.personality import Trait
from kiosk.peer.seed import CLOSED_STATES, LifecycleStep, Service
from kiosk.peer.store import from_iso, iso
from kiosk.peer.web import XML, PeerRequest, PeerResponse, Route, json_response, route

PREFIX = "/open311/v2/"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: Spec: description "max 4,000 characters".
MAX_DESCRIPTION = 4000
#: Spec: GET requests defaults to the last 90 days and at most 1000 requests.
DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
#: Numbers start here when the seed has none (6 digits, as the contract says).
FIRST_NUMBER = 100000
#: An RFC 3339 date-time (the Swagger's `format: date-time`), time zone required.
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FMT = r"\.(?P<fmt>json|xml)"
#: XML element names of list items (spec XML examples).
_ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
              "values": "value"}


class Open311Error(Exception):
    """An answer in the spec's error array: `[{"code": …, "description": …}]`."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# -- rendering ------------------------------------------------------------------------------


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value


def _xml_into(parent: Element, name: str, value: Any) -> None:
    element = SubElement(parent, name)
    if value is None:
        return
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_into(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_into(element, _ITEM_TAGS.get(name, "item"), item)
    else:
        element.text = str(value)


def render(status: int, fmt: str, root: str, data: Any, item: str = "request") -> PeerResponse:
    """`data` (a list of `item`s, or one object) as JSON or as XML under `root`."""
    if fmt == "json":
        return json_response(status, _without_none(data))
    element = Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_into(element, item, entry)
    else:
        for key, value in data.items():
            _xml_into(element, key, value)
    body = tostring(element, encoding="utf-8", xml_declaration=True)
    return PeerResponse(status, body, XML)


def error_response(status: int, description: str, fmt: str) -> PeerResponse:
    """The spec's error array (JSON) or `<errors><error>…` (XML)."""
    return render(status, fmt, "errors", [{"code": status, "description": description}],
                  item="error")


def fmt_of(path: str) -> str:
    """The format a path asks for (json unless it ends in .xml)."""
    return "xml" if path.endswith(".xml") else "json"


# -- the resources --------------------------------------------------------------------------


class Open311:
    """The Open311 routes of one peer."""

    def __init__(self, ctx: PeerContext) -> None:
        self.ctx = ctx
        self.seed = ctx.seed.open311
        #: The latest a request's update can come after it: no older request is looked at
        #: for a window of the update feed.
        lifecycles = [*(s.lifecycle for s in self.seed.services),
                      *(r.history for r in self.seed.requests if r.history)]
        self.longest_life = timedelta(hours=max(
            (step.after_hours for steps in lifecycles for step in steps), default=0))

    def routes(self) -> list[Route]:
        """Every Open311 route."""
        p = "/open311/v2"
        return [
            route("GET", rf"{p}/discovery{_FMT}", self.discovery),
            route("GET", rf"{p}/services{_FMT}", self.services),
            route("GET", rf"{p}/services/(?P<code>[^/]+?){_FMT}", self.definition),
            route("GET", rf"{p}/requests{_FMT}", self.requests),
            route("POST", rf"{p}/requests{_FMT}", self.create, auth=self.check_api_key),
            route("GET", rf"{p}/requests/(?P<number>[^/]+?){_FMT}", self.one_request),
            route("GET", rf"{p}/tokens/(?P<token>[^/]+?){_FMT}", self.token),
            route("GET", rf"{p}/servicerequestupdates{_FMT}", self.updates),
        ]

    def seed_requests(self) -> None:
        """Copy the seed's requests into a new data file, dated from the peer clock's now
        (once: a data file that has them keeps them, and their ages go on)."""
        store = self.ctx.store
        with store.transaction():
            if store.meta("seeded_at") is not None:
                return
            now = self.ctx.clock.now()
            for seeded in self.seed.requests:
                requested = now - timedelta(hours=seeded.hours_ago)
                fields = {"service_code": seeded.service_code, "lat": seeded.lat,
                          "long": seeded.long, "address_string": seeded.address or None,
                          "zipcode": seeded.zipcode or None,
                          "description": seeded.description or None}
                history = None if seeded.history is None else json.dumps(
                    [step.model_dump() for step in seeded.history], ensure_ascii=False)
                store.execute(
                    "INSERT OR IGNORE INTO requests (number, number_visible_at, service_code, "
                    "requested_at, fields, history, origin) VALUES (?, ?, ?, ?, ?, ?, 'seed')",
                    (seeded.service_request_id, iso(requested), seeded.service_code,
                     iso(requested), json.dumps(_without_none(fields), ensure_ascii=False),
                     history))
            store.set_meta("seeded_at", iso(now))

    # -- checks --

    def check_api_key(self, request: PeerRequest) -> PeerResponse | None:
        """403 with the spec's wording unless the POST carries the right api_key."""
        form = request.form or {}
        given = (form.get("api_key") or request.params.get("api_key") or [""])[0]
        if not hmac.compare_digest(given.encode(), self.ctx.credentials.open311_api_key.encode()):
            return error_response(
                403, "Invalid api_key received -- can't proceed with create_request.",
                fmt_of(request.path))
        return None

    def _check_jurisdiction(self, values: dict[str, list[str]]) -> None:
        given = values.get("jurisdiction_id")
        if given and given[0] != self.ctx.seed.city.jurisdiction_id:
            raise Open311Error(404, "jurisdiction_id provided was not found")

    def _guarded(self, request: PeerRequest, fmt: str,
                 build: Callable[[], PeerResponse]) -> PeerResponse:
        """`build()`'s answer, or the error array of the Open311Error it raised."""
        try:
            self._check_jurisdiction(request.params)
            return build()
        except Open311Error as err:
            return error_response(err.status, err.description, fmt)

    # -- discovery and services --

    def discovery(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET discovery: where the endpoint is and what it speaks."""
        city = self.ctx.seed.city
        data = {
            "changeset": self.seed.changeset,
            "contact": city.contact,
            "key_service": city.key_service,
            "endpoints": [{
                "specification": SPECIFICATION,
                "url": self.ctx.base_url + PREFIX.rstrip("/"),
                "changeset": self.seed.changeset,
                "type": "test",
                "formats": (["text/xml"] if Trait.XML_ONLY in self.ctx.personality
                            else ["text/xml", "application/json"]),
            }],
        }
        return self._guarded(request, groups["fmt"],
                             lambda: render(200, groups["fmt"], "discovery", data))

    @staticmethod
    def _service_view(service: Service) -> dict[str, Any]:
        return {
            "service_code": service.service_code,
            "service_name": service.service_name,
            "description": service.description,
            "metadata": service.metadata,
            "type": service.type,
            "keywords": service.keywords,
            "group": service.group,
        }

    def services(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET services: the service list."""
        data = [self._service_view(service) for service in self.seed.services]
        return self._guarded(request, groups["fmt"],
                             lambda: render(200, groups["fmt"], "services", data, "service"))

    def definition(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET services/{code}: a service definition (its attributes)."""
        fmt = groups["fmt"]

        def build() -> PeerResponse:
            service = self.seed.service(groups["code"])
            if service is None:
                raise Open311Error(404, "service_code provided was not found")
            attributes = [{
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": v.key, "name": v.name} for v in attribute.values],
            } for attribute in sorted(service.attributes, key=lambda a: a.order)]
            data = {"service_code": service.service_code, "attributes": attributes}
            return render(200, fmt, "service_definition", data)

        return self._guarded(request, fmt, build)

    # -- requests --

    def _steps(self, row: Row, service: Service | None) -> tuple[LifecycleStep, ...]:
        if row["history"]:
            return tuple(LifecycleStep.model_validate(s) for s in json.loads(row["history"]))
        return service.lifecycle if service is not None else ()

    def _reached(self, row: Row, now: datetime
                 ) -> tuple[Service | None, list[lifecycle.Reached[LifecycleStep]]]:
        service = self.seed.service(row["service_code"])
        steps = self._steps(row, service)
        return service, lifecycle.reached(from_iso(row["requested_at"]), steps, now)

    def request_view(self, row: Row, now: datetime) -> dict[str, Any]:
        """A request as GET requests shows it, at `now` on the peer clock."""
        fields = json.loads(row["fields"])
        service, reached = self._reached(row, now)
        requested = from_iso(row["requested_at"])
        current = reached[-1] if reached else None
        status = "closed" if current and current.step.status in CLOSED_STATES else "open"
        fixed = lifecycle.due(requested, self._steps(row, service), "fixed")
        return {
            "service_request_id": row["number"],
            "status": status,
            "status_notes": (current.step.note or None) if current else None,
            "service_name": service.service_name if service else row["service_code"],
            "service_code": row["service_code"],
            "description": fields.get("description") or None,
            "agency_responsible": (service.agency_responsible or None) if service else None,
            "service_notice": service.service_notice if service else None,
            "requested_datetime": self.ctx.stamp(requested),
            "updated_datetime": self.ctx.stamp(current.at if current else requested),
            "expected_datetime": self.ctx.stamp(fixed) if fixed else None,
            "address": fields.get("address_string") or None,
            "address_id": fields.get("address_id") or None,
            "zipcode": fields.get("zipcode") or None,
            "lat": _float_or_none(fields.get("lat")),
            "long": _float_or_none(fields.get("long")),
            "media_url": fields.get("media_url") or None,
        }

    def _visible(self, now: datetime) -> str:
        return f"number IS NOT NULL AND number_visible_at <= '{iso(now)}'"

    def requests(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET requests: several requests, by number or by service, status and dates."""
        fmt = groups["fmt"]

        def build() -> PeerResponse:
            now = self.ctx.clock.now()
            if Trait.IGNORED_FILTERS in self.ctx.personality:
                return self._default_list(fmt, now)
            numbers = request.param("service_request_id")
            if numbers is not None:
                wanted = [n.strip() for n in numbers.split(",") if n.strip()][:MAX_RESULTS]
                marks = ",".join("?" * len(wanted))
                rows = self.ctx.store.rows(
                    f"SELECT * FROM requests WHERE {self._visible(now)} AND number IN "
                    f"({marks}) ORDER BY requested_at DESC", wanted) if wanted else []
                return render(200, fmt, "service_requests",
                              [self.request_view(row, now) for row in rows])
            statuses = _statuses(request.param("status"))
            start = _datetime_param(request, "start_date")
            end = _datetime_param(request, "end_date")
            if start is None and end is None:
                start = now - DEFAULT_SPAN
            sql = f"SELECT * FROM requests WHERE {self._visible(now)}"
            args: list[Any] = []
            code = request.param("service_code")
            if code is not None:
                sql += " AND service_code = ?"
                args.append(code)
            if start is not None:
                sql += " AND requested_at >= ?"
                args.append(iso(start))
            if end is not None:
                sql += " AND requested_at <= ?"
                args.append(iso(end))
            sql += " ORDER BY requested_at DESC"
            views = [self.request_view(row, now) for row in self.ctx.store.rows(sql, args)]
            if statuses:
                views = [view for view in views if view["status"] in statuses]
            return render(200, fmt, "service_requests", views[:MAX_RESULTS])

        return self._guarded(request, fmt, build)

    def _default_list(self, fmt: str, now: datetime) -> PeerResponse:
        """GET requests without parameters: the last 90 days, at most 1000, newest first."""
        rows = self.ctx.store.rows(
            f"SELECT * FROM requests WHERE {self._visible(now)} AND requested_at >= ? "
            "ORDER BY requested_at DESC LIMIT ?", (iso(now - DEFAULT_SPAN), MAX_RESULTS))
        return render(200, fmt, "service_requests", [self.request_view(row, now) for row in rows])

    def one_request(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET requests/{id}: an array holding the one request."""
        fmt = groups["fmt"]

        def build() -> PeerResponse:
            now = self.ctx.clock.now()
            row = self.ctx.store.row(
                f"SELECT * FROM requests WHERE {self._visible(now)} AND number = ?",
                (groups["number"],))
            if row is None:
                raise Open311Error(404, "service_request_id provided was not found")
            return render(200, fmt, "service_requests", [self.request_view(row, now)])

        return self._guarded(request, fmt, build)

    def token(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET tokens/{token}: the number of a batch request once it has one, else []."""
        fmt = groups["fmt"]

        def build() -> PeerResponse:
            row = self.ctx.store.row("SELECT number, number_visible_at FROM requests "
                                     "WHERE token = ?", (groups["token"],))
            if row is None:
                raise Open311Error(404, "token provided was not found")
            if from_iso(row["number_visible_at"]) > self.ctx.clock.now():
                return render(200, fmt, "service_requests", [])
            return render(200, fmt, "service_requests",
                          [{"service_request_id": row["number"], "token": groups["token"]}])

        return self._guarded(request, fmt, build)

    def updates(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET servicerequestupdates (mySociety): every status change, filtered by date of
        the change and by request number."""
        fmt = groups["fmt"]

        def build() -> PeerResponse:
            now = self.ctx.clock.now()
            ignored = Trait.IGNORED_FILTERS in self.ctx.personality
            start = None if ignored else _datetime_param(request, "start_date")
            end = None if ignored else _datetime_param(request, "end_date")
            sql = f"SELECT * FROM requests WHERE {self._visible(now)}"
            args: list[str] = []
            numbers = None if ignored else request.param("service_request_id")
            if numbers is not None:
                wanted = [n.strip() for n in numbers.split(",") if n.strip()][:MAX_RESULTS]
                sql += f" AND number IN ({','.join('?' * len(wanted))})" if wanted else " AND 0"
                args.extend(wanted)
            if end is not None:  # no update comes before its request
                sql += " AND requested_at <= ?"
                args.append(iso(end))
            if start is not None:  # nor after its lifecycle's last step
                sql += " AND requested_at >= ?"
                args.append(iso(start - self.longest_life))
            out: list[tuple[datetime, dict[str, Any]]] = []
            for row in self.ctx.store.rows(sql, args):
                _, reached = self._reached(row, now)
                for index, step in enumerate(reached, start=1):
                    if (start and step.at < start) or (end and step.at > end):
                        continue
                    out.append((step.at, {
                        "update_id": f"{row['number']}-{index}",
                        "service_request_id": row["number"],
                        "status": step.step.status,
                        "updated_datetime": self.ctx.stamp(step.at),
                        "description": step.step.note,
                        "media_url": "",
                    }))
            out.sort(key=lambda pair: (pair[0], pair[1]["update_id"]))
            kept = out if ignored else out[:MAX_RESULTS]  # ignoring filters: the whole feed
            return render(200, fmt, "service_request_updates",
                          [update for _, update in kept], item="request_update")

        return self._guarded(request, fmt, build)

    # -- creating a request --

    def create(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST requests: validate, record, answer with a number, a token or a notice."""
        fmt = groups["fmt"]
        form = request.form
        try:
            if form is None:
                raise Open311Error(400, "the body must be application/x-www-form-urlencoded "
                                        "UTF-8")
            self._check_jurisdiction(form)
            self._check_jurisdiction(request.params)
            received = self._validate(form)
        except Open311Error as err:
            return error_response(err.status, err.description, fmt)
        service = self.seed.service(received["service_code"])
        assert service is not None  # checked by _validate
        now = self.ctx.clock.now()
        with self.ctx.store.transaction():
            number = token = None
            visible_at = now
            if service.type != "blackbox":
                number = self._next_number()
            if service.type == "batch":
                token = secrets.token_hex(8)
                visible_at = now + timedelta(seconds=self.seed.batch_number_delay_s)
            self.ctx.store.execute(
                "INSERT INTO requests (number, token, number_visible_at, service_code, "
                "requested_at, fields, origin, idempotency_key) "
                "VALUES (?, ?, ?, ?, ?, ?, 'post', ?)",
                (number, token, iso(visible_at), service.service_code, iso(now),
                 json.dumps(received, ensure_ascii=False), request.idempotency_key))
        answer: dict[str, Any] = {}
        if service.type == "realtime":
            answer["service_request_id"] = number
        elif service.type == "batch":
            answer["token"] = token
        answer["service_notice"] = service.service_notice or (
            "Votre signalement a bien été transmis." if service.type == "blackbox" else None)
        return render(201, fmt, "service_requests", [answer])

    def fill(self, service_code: str, count: int, days: float) -> int:
        """Add `count` requests to `service_code`, as other people's, made evenly over the last
        `days` days of the peer clock (a busy city, for tests of a big feed). Their texts are
        neutral: nobody's data."""
        service = self.seed.service(service_code)
        if service is None:
            raise Open311Error(404, "service_code provided was not found")
        now = self.ctx.clock.now()
        step = timedelta(days=days) / max(count, 1)
        with self.ctx.store.transaction():
            first = int(self._next_number())
            rows = []
            for index in range(count):
                requested = iso(now - step * (count - index))
                fields = {"service_code": service_code, "lat": 47.586, "long": 1.333,
                          "description": f"Signalement {first + index}"}
                rows.append((f"{first + index:06d}", requested, service_code, requested,
                             json.dumps(fields)))
            self.ctx.store.executemany(
                "INSERT INTO requests (number, number_visible_at, service_code, requested_at, "
                "fields, origin) VALUES (?, ?, ?, ?, ?, 'fill')", rows)
        return count

    def _next_number(self) -> str:
        # Every number has 6 digits, so the greatest string is the greatest number, and the
        # UNIQUE index on `number` answers MAX() without a scan.
        row = self.ctx.store.row("SELECT MAX(number) AS top FROM requests")
        top = row["top"] if row is not None and row["top"] is not None else FIRST_NUMBER - 1
        return f"{int(top) + 1:06d}"

    def _validate(self, form: dict[str, list[str]]) -> dict[str, Any]:
        """What a POST received, checked against the spec and the service definition."""

        def one(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values else None

        code = one("service_code")
        if code is None:
            raise Open311Error(400, "service_code is required")
        service = self.seed.service(code)
        if service is None:
            raise Open311Error(404, "service_code provided was not found")
        received: dict[str, Any] = {"service_code": code}
        lat, long = one("lat") or None, one("long") or None  # an empty field is no field
        if (lat is None) != (long is None):
            raise Open311Error(400, "lat and long go together")
        if lat is not None and long is not None:
            received["lat"] = _coordinate(lat, "lat", 90)
            received["long"] = _coordinate(long, "long", 180)
        for name in ("address_string", "address_id", "email", "device_id", "account_id",
                     "first_name", "last_name", "phone", "description", "media_url",
                     "jurisdiction_id"):
            value = one(name)
            if value:
                received[name] = value
        if "lat" not in received and not received.get("address_string") and not received.get(
                "address_id"):
            raise Open311Error(400, "a location is required: lat and long, address_string or "
                                    "address_id")
        if len(received.get("description", "")) > MAX_DESCRIPTION:
            raise Open311Error(400, f"description is longer than {MAX_DESCRIPTION} characters")
        if "email" in received and not _EMAIL.match(received["email"]):
            raise Open311Error(400, "email is not an e-mail address")
        if "media_url" in received and not received["media_url"].startswith(
                ("http://", "https://")):
            raise Open311Error(400, "media_url must be an http(s) URL")
        received["attribute"] = self._attributes(service, form)
        return received

    @staticmethod
    def _attributes(service: Service, form: dict[str, list[str]]) -> dict[str, Any]:
        given: dict[str, list[str]] = {}
        multi: set[str] = set()
        for name, values in form.items():
            match = _ATTRIBUTE.match(name)
            if match is None:
                continue
            given.setdefault(match.group(1), []).extend(values)
            if match.group(2):
                multi.add(match.group(1))
        by_code = {attribute.code: attribute for attribute in service.attributes}
        for code in given:
            if code not in by_code:
                raise Open311Error(400, f"attribute[{code}] is not an attribute of this service"
                                   if len(code) <= 40 else "unknown attribute")
        out: dict[str, Any] = {}
        for attribute in service.attributes:
            if not attribute.variable:
                continue
            values = [v for v in given.get(attribute.code, []) if v != ""]
            if not values:
                if attribute.required:
                    raise Open311Error(400, f"attribute[{attribute.code}] is required")
                continue
            keys = {value.key for value in attribute.values}
            if attribute.datatype == "multivaluelist":
                if any(v not in keys for v in values):
                    raise Open311Error(400, f"attribute[{attribute.code}][] has a value that "
                                            "is not one of its keys")
                out[attribute.code] = values
                continue
            if len(values) > 1 or attribute.code in multi:
                raise Open311Error(400, f"attribute[{attribute.code}] takes one value")
            value = values[0]
            if attribute.datatype == "singlevaluelist" and value not in keys:
                raise Open311Error(400, f"attribute[{attribute.code}] is not one of its keys")
            if attribute.datatype == "number" and not _is_number(value):
                raise Open311Error(400, f"attribute[{attribute.code}] must be a number")
            if attribute.datatype == "datetime" and not _is_datetime(value):
                raise Open311Error(400, f"attribute[{attribute.code}] must be an ISO 8601 "
                                        "date and time")
            out[attribute.code] = value
        return out


# -- value checks ---------------------------------------------------------------------------


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _coordinate(text: str, name: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number") from None
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise Open311Error(400, f"{name} is out of range")
    return value


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _datetime_param(request: PeerRequest, name: str) -> datetime | None:
    value = request.param(name)
    if value is None:
        return None
    if not _DATETIME.match(value):
        raise Open311Error(400, f"{name} must be a W3C date and time with a time zone")
    try:
        return datetime.fromisoformat(f"{value[:10]}T{value[11:]}".upper())
    except ValueError:
        raise Open311Error(400, f"{name} is not a valid date and time") from None


def _statuses(value: str | None) -> set[str]:
    if value is None:
        return set()
    wanted = {part.strip() for part in value.split(",")}
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both, comma-separated")
    return wanted
