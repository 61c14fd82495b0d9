"""Open311 GeoReport v2 (plus mySociety's `servicerequestupdates`) behind the core's
ServiceCatalogue, RequestDesk, RequestSearch and RequestTracker ports.

Source: the frozen GeoReport v2 spec and its JSON Schemas (kiosk/peer/specs/open311/); what the
kiosk relies on and the interop quirks it tolerates are in docs/central-systems.md. Real servers
differ from the spec in known ways and this adapter accepts them: numeric ids (normalised to
strings), lists wrapped in objects (`{"services": [...]}`, `{"service_requests": [...]}`,
FixMyStreet), extra fields, `agency_responsible` as an object, a single object where the spec
says a one-item list, error arrays `[{"code": 403, "description": "..."}]` even under HTTP 200,
and a UTF-8 byte-order mark before JSON or XML.

Format: JSON or XML (XML is the one every server must offer; JSON is optional), or "auto": the
first call tries JSON and falls back to XML once, then the choice is kept.

What it sends: datetime attributes with the station's UTC offset (a server reads a time
without one as UTC, an hour or two off in France); the station reference as the last line of
the description, which is how `find` recognises the request after an answer was lost.

Tracking: GET requests/{id}, with mySociety's update feed queried by date window (the
extension takes start_date/end_date, nothing else), paged by halving a window whose answer is
cut or too big. When the feed is absent, too big, unreadable or ignores its window, the
request's own status and dates are the timeline.

Service ids are namespaced "open311:<service_code>".
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from kiosk.adapters.http import (
    HttpAnswer,
    HttpClient,
    as_bool,
    as_dict,
    as_id,
    as_int,
    as_list,
    as_text,
    failure_for_status,
    malformed,
)
from kiosk.core.central import (
    CallOutcome,
    CentralError,
    CentralFailure,
    Choice,
    FieldType,
    FormField,
    RequestReport,
    RequestStatus,
    RequestSubmission,
    Service,
    ServiceForm,
    ServiceKind,
    StatusStep,
    SubmissionOutcome,
    SubmissionResult,
    Tracking,
)
from kiosk.core.events import EventType, Ident, record

PREFIX = "open311:"
#: The name of this central in log lines.
CENTRAL = "open311"
#: GeoReport v2, POST requests: "description ... may not exceed 4,000 characters".
MAX_DESCRIPTION = 4000
#: How the station reference travels with a request (docs/central-systems.md): the
#: description's last line, so that the back office finds the request from the printed
#: receipt, and the kiosk finds it after an answer was lost (`find`).
STATION_REF_LINE = "Réf. borne : {station_ref}"

#: Service `type` (GeoReport v2, GET services) → what number the person gets.
TRACKING_BY_TYPE: dict[str, Tracking] = {
    "realtime": Tracking.NUMBER,
    "batch": Tracking.DEFERRED,
    "blackbox": Tracking.NONE,
}
#: Attribute `datatype` (GeoReport v2, GET service definition) → the kiosk's field type.
FIELD_TYPE_BY_DATATYPE: dict[str, FieldType] = {
    "string": FieldType.TEXT,
    "text": FieldType.LONG_TEXT,
    "number": FieldType.NUMBER,
    "datetime": FieldType.DATETIME,
    "singlevaluelist": FieldType.CHOICE,
    "multivaluelist": FieldType.MULTI_CHOICE,
}
#: Request `status` (spec: open|closed) and mySociety's additional update states (FixMyStreet
#: Open311 updates: investigating, in_progress, action_scheduled, fixed, duplicate,
#: not_councils_responsibility, no_further_action, internal_referral, ...) → RequestStatus.
#: Words are compared lower-case with spaces and dashes as underscores.
STATUS_BY_WORD: dict[str, RequestStatus] = {
    "open": RequestStatus.RECEIVED,
    "new": RequestStatus.RECEIVED,
    "submitted": RequestStatus.RECEIVED,
    "received": RequestStatus.RECEIVED,
    "confirmed": RequestStatus.RECEIVED,
    "unconfirmed": RequestStatus.RECEIVED,
    "acknowledged": RequestStatus.IN_PROGRESS,
    "investigating": RequestStatus.IN_PROGRESS,
    "in_progress": RequestStatus.IN_PROGRESS,
    "action_scheduled": RequestStatus.IN_PROGRESS,
    "planned": RequestStatus.IN_PROGRESS,
    "assigned": RequestStatus.IN_PROGRESS,
    "internal_referral": RequestStatus.IN_PROGRESS,
    "fixed": RequestStatus.DONE,
    "resolved": RequestStatus.DONE,
    "done": RequestStatus.DONE,
    "completed": RequestStatus.DONE,
    "closed": RequestStatus.CLOSED,
    "duplicate": RequestStatus.CLOSED,
    "no_further_action": RequestStatus.CLOSED,
    "unable_to_fix": RequestStatus.CLOSED,
    "not_councils_responsibility": RequestStatus.REJECTED,
    "not_responsible": RequestStatus.REJECTED,
    "rejected": RequestStatus.REJECTED,
    "refused": RequestStatus.REJECTED,
}
#: Statuses after which a request does not move any more.
FINAL_STATUSES = frozenset({RequestStatus.DONE, RequestStatus.CLOSED, RequestStatus.REJECTED})
#: Keys under which real servers wrap lists (FixMyStreet; mySociety updates).
LIST_WRAPPERS = ("services", "service_requests", "requests", "service_request_updates",
                 "request_updates", "updates", "errors")
#: The fields of an answer to POST requests (GeoReport v2): an item with none of them is not
#: an answer to a submission, even if it carries no number (a blackbox service's answer still
#: has `service_notice` or `account_id`).
SUBMISSION_ANSWER_FIELDS = frozenset({"service_request_id", "token", "service_notice",
                                      "account_id"})
#: Statuses meaning "this server has no such resource or does not take these parameters":
#: for `servicerequestupdates`, no feed; for a search, no search.
UNSUPPORTED = (400, 404, 405, 501)
#: Statuses a `.json` URL gets from a server that speaks XML only (no such route, format not
#: acceptable, media type not supported, not implemented): the adapter in "auto" tries XML.
NO_JSON = (400, 404, 406, 415, 501)
#: GeoReport v2, GET requests: "the default query ... should return ... 1000 requests"; a list
#: this long may have been cut by the server. mySociety's feed documents no limit: a page this
#: long is taken as cut too.
PAGE_LIMIT = 1000
#: GeoReport v2, GET requests: start_date and end_date "may not span more than 90 days".
MAX_SEARCH_SPAN = timedelta(days=90)
#: Margin around the search window of `find`: clock skew between the station and the central,
#: and a server that reads a time's offset wrongly (an hour or two in France).
SEARCH_MARGIN = timedelta(hours=3)
#: The update feed is read in at most this many windows per lookup; past that, or under
#: MIN_FEED_WINDOW, the request's own status is the timeline (docs/central-systems.md).
MAX_FEED_PAGES = 16
MIN_FEED_WINDOW = timedelta(minutes=1)
#: Margin around a feed window when telling whether a server honoured it.
FEED_SLACK = timedelta(seconds=1)
#: A date and time without an offset, as the kiosk writes a datetime answer.
NAIVE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")

Wire = Literal["json", "xml"]
Format = Literal["json", "xml", "auto"]
FORMATS: tuple[Format, ...] = ("json", "xml", "auto")


def status_for(word: str) -> RequestStatus:
    """The kiosk status for an Open311 or mySociety status word (unknown → in progress: the
    request exists and something happened to it)."""
    key = unicodedata.normalize("NFKC", word).strip().lower()
    key = "_".join(key.replace("-", " ").split())
    if key in STATUS_BY_WORD:
        return STATUS_BY_WORD[key]
    if key.startswith("fixed"):  # "fixed - council", "fixed - user"
        return RequestStatus.DONE
    return RequestStatus.IN_PROGRESS


def w3c(moment: datetime, tz: ZoneInfo) -> str:
    """A date-time as GeoReport v2 wants it (W3C, with its offset), in the station's zone."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


class Open311Adapter:
    """ServiceCatalogue + RequestDesk + RequestSearch + RequestTracker over one GeoReport v2
    endpoint. `timezone` is the station's: datetimes it sends carry that zone's offset."""

    def __init__(self, http: HttpClient, base_url: str, api_key: str, *, fmt: str = "json",
                 jurisdiction_id: str | None = None, timezone: str = "Europe/Paris") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}")
        self._http = http
        self._base = base_url.rstrip("/") + "/"
        self._api_key = api_key
        self._fmt = fmt
        self._wire: Wire | None = "json" if fmt == "json" else "xml" if fmt == "xml" else None
        self._jurisdiction = jurisdiction_id or None
        self._tz = ZoneInfo(timezone)
        self._services: dict[str, Service] = {}
        self._datetime_codes: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Open311Adapter({self._base!r}, fmt={self._fmt!r})"

    @property
    def wire_format(self) -> Wire | None:
        """The format in use: the configured one, or what "auto" found (None: not yet)."""
        with self._lock:
            return self._wire

    # -- ServiceCatalogue ----------------------------------------------------------------

    def formats(self) -> tuple[str, ...]:
        """The formats the server announces in its discovery document (kiosk doctor)."""
        answer, doc = self._get("discovery")
        doc = as_dict(doc, answer.where, "discovery")
        formats: list[str] = []
        for endpoint in as_list(doc.get("endpoints") or [], answer.where, "endpoints"):
            endpoint = as_dict(endpoint, answer.where, "endpoint")
            for item in as_list(endpoint.get("formats") or [], answer.where, "formats"):
                name = as_text(item, answer.where, "format")
                if name and name not in formats:
                    formats.append(name)
        return tuple(formats)

    def services(self) -> Sequence[Service]:
        """GET services: every service, in the server's order."""
        answer, doc = self._get("services")
        found = [self._service(item, answer.where) for item in self._items(doc, answer.where)]
        with self._lock:
            self._services = {service.id: service for service in found}
        return found

    def form(self, service_id: str) -> ServiceForm:
        """The service with its questions (GET services/{code} when it has metadata)."""
        code = _code(service_id)
        service = self._known_service(service_id)
        if not service.has_form:
            with self._lock:
                self._datetime_codes[service_id] = frozenset()
            return ServiceForm(service, ())
        answer, doc = self._get(f"services/{quote(code, safe='')}", endpoint="services/{code}")
        doc = _single(doc, answer.where, "service definition")
        attributes = as_list(doc.get("attributes") or [], answer.where, "attributes")
        fields = [f for f in (_form_field(a, answer.where) for a in attributes) if f]
        fields.sort(key=lambda f: f.order)  # stable: equal orders keep the server's order
        with self._lock:
            self._datetime_codes[service_id] = frozenset(
                f.code for f in fields if f.type is FieldType.DATETIME)
        return ServiceForm(service, tuple(fields))

    def _known_service(self, service_id: str) -> Service:
        """A service from the last list, fetched when not known yet."""
        with self._lock:
            service = self._services.get(service_id)
        if service is None:
            service = next((s for s in self.services() if s.id == service_id), None)
        if service is None:
            raise CentralError(CentralFailure.NOT_FOUND,
                               f"no Open311 service {_code(service_id)!r}",
                               central=CENTRAL, endpoint="services", reason="unknown-service")
        return service

    # -- RequestDesk ---------------------------------------------------------------------

    def submit(self, submission: RequestSubmission, idempotency_key: str) -> SubmissionResult:
        """POST requests, form-encoded as the spec shows; the key goes as Idempotency-Key
        (which GeoReport v2 does not define: most servers ignore it, see `find`)."""
        try:
            fields = self._request_fields(submission)
            wire = self._wire_format()
        except CentralError as err:
            err.outcome = CallOutcome.NOT_SENT  # nothing was posted yet
            raise
        answer = self._http.post_form(
            self._url("requests", wire, jurisdiction=False), fields,
            idempotency_key=idempotency_key, headers=_accept_header(wire),
            describe=self._describer(wire), central=CENTRAL, endpoint="requests")
        doc = self._decode(answer, wire)
        items = self._items(doc, answer.where)
        if not items:
            raise malformed(answer.where, "empty answer to a submission")
        item = as_dict(items[0], answer.where, "request")
        notice = as_text(item.get("service_notice"), answer.where, "service_notice")
        number = _optional_id(item.get("service_request_id"), answer.where)
        if number is not None:
            return SubmissionResult(SubmissionOutcome.NUMBERED, number=number, notice=notice)
        token = _optional_id(item.get("token"), answer.where)
        if token is not None:
            return SubmissionResult(SubmissionOutcome.PENDING, token=token, notice=notice)
        if not SUBMISSION_ANSWER_FIELDS & item.keys():
            # Not a blackbox answer but a body of another shape: taking it for "no number"
            # would tell the person there is none while the central may have given one.
            raise malformed(answer.where, "answer to a submission has none of its fields")
        return SubmissionResult(SubmissionOutcome.UNNUMBERED, notice=notice)

    def number_for(self, token: str) -> str | None:
        """GET tokens/{token}: the number once the server has given one, else None. An unknown
        token is CentralError(NOT_FOUND) (HTTP 404)."""
        answer, doc = self._get(f"tokens/{quote(token.strip(), safe='')}",
                                endpoint="tokens/{token}")
        for item in self._items(doc, answer.where):
            item = as_dict(item, answer.where, "token")
            number = _optional_id(item.get("service_request_id"), answer.where)
            if number is not None:
                return number
        return None

    def _request_fields(self, submission: RequestSubmission) -> list[tuple[str, str]]:
        """The form fields in the spec example's order."""
        fields = [("api_key", self._api_key)]
        if self._jurisdiction:
            fields.append(("jurisdiction_id", self._jurisdiction))
        fields.append(("service_code", _code(submission.service_id)))
        place = submission.place
        if place.lat is not None and place.long is not None:
            fields += [("lat", repr(float(place.lat))), ("long", repr(float(place.long)))]
        if place.address:
            fields.append(("address_string", place.address))
        contact = submission.contact
        if contact.email:
            fields.append(("email", contact.email))
        fields.append(("device_id", submission.station_id))
        for name, value in (("first_name", contact.first_name), ("last_name", contact.last_name),
                            ("phone", contact.phone)):
            if value:
                fields.append((name, value))
        fields.append(("description", _description(submission)))
        # Only answers shaped like the wall time the kiosk writes for a datetime question
        # (kiosk/core/validation.py) may need the offset: the definition says which are.
        naive = {code for code, value in submission.answers.items()
                 if isinstance(value, str) and NAIVE_DATETIME.fullmatch(value)}
        datetimes = naive & self._datetime_fields(submission) if naive else frozenset()
        for code, value in submission.answers.items():
            if isinstance(value, str):
                if code in datetimes:
                    value = _with_offset(value, self._tz)
                fields.append((f"attribute[{code}]", value))
            else:
                fields += [(f"attribute[{code}][]", item) for item in value]
        return fields

    def _datetime_fields(self, submission: RequestSubmission) -> frozenset[str]:
        """The codes of the service's datetime attributes (its definition is read when this
        adapter has not shown the form, e.g. a submission sent after a restart)."""
        with self._lock:
            known = self._datetime_codes.get(submission.service_id)
        if known is None:
            self.form(submission.service_id)
            with self._lock:
                known = self._datetime_codes.get(submission.service_id, frozenset())
        return known

    # -- RequestSearch -------------------------------------------------------------------

    def find(self, submission: RequestSubmission, since: datetime) -> SubmissionResult | None:
        """GET requests for the service since `since` (with a margin), and the one whose
        description carries this station reference. Filters are checked here too: some
        servers ignore them. A service whose requests the central does not list with a
        number (batch before its number, blackbox ever), a server without this search, or a
        list cut at its limit cannot tell: CentralError(UNCERTAIN)."""
        code = _code(submission.service_id)
        service = self._known_service(submission.service_id)
        end = datetime.now(UTC) + SEARCH_MARGIN
        start = max(since - SEARCH_MARGIN, end - MAX_SEARCH_SPAN)
        query = [("service_code", code), ("start_date", w3c(start, self._tz)),
                 ("end_date", w3c(end, self._tz))]
        try:
            answer, doc = self._get("requests", query, accept=UNSUPPORTED)
        except CentralError as err:
            if err.failure is CentralFailure.NOT_FOUND:  # an Open311 error array saying 404
                raise self._uncertain("no-search") from None
            raise
        if answer.status in UNSUPPORTED:
            raise self._uncertain("no-search")
        items = self._items(doc, answer.where)
        for item in items:
            item = as_dict(item, answer.where, "request")
            given = item.get("service_code")
            if given not in (None, "") and as_id(given, answer.where, "service_code") != code:
                continue  # a server that ignores the filter
            description = as_text(item.get("description"), answer.where, "description")
            if submission.station_ref not in description:
                continue
            number = _optional_id(item.get("service_request_id"), answer.where)
            if number is not None:
                return SubmissionResult(SubmissionOutcome.NUMBERED, number=number,
                                        notice=as_text(item.get("service_notice"),
                                                       answer.where, "service_notice"))
        if service.tracking is not Tracking.NUMBER:
            raise self._uncertain("not-listed")
        if len(items) >= PAGE_LIMIT:
            raise self._uncertain("list-cut")
        return None

    @staticmethod
    def _uncertain(reason: str) -> CentralError:
        return CentralError(CentralFailure.UNCERTAIN, f"GET requests: {reason}",
                            outcome=CallOutcome.ANSWERED, central=CENTRAL, endpoint="requests",
                            reason=reason)

    # -- RequestTracker ------------------------------------------------------------------

    def report(self, number: str) -> RequestReport | None:
        """GET requests/{id} and the request's updates from mySociety's feed; None for an
        unknown number (HTTP 404 or an empty list). Without a usable feed, the request's own
        status and dates are the timeline."""
        number = number.strip()
        if not number:
            return None
        answer, doc = self._get(f"requests/{quote(number, safe='')}", accept=(404,),
                                endpoint="requests/{id}")
        if answer.status == 404:
            return None
        items = [as_dict(i, answer.where, "request") for i in self._items(doc, answer.where)]
        request = next((i for i in items if _same_id(i.get("service_request_id"), number,
                                                     answer.where)), None)
        if request is None:
            if items:
                raise malformed(answer.where, "answer is about another request")
            return None
        where = answer.where
        status_word = as_text(request.get("status"), where, "status")
        if not status_word:
            raise malformed(where, "request without a status")
        submitted = _optional_datetime(request.get("requested_datetime"), where)
        updated = _optional_datetime(request.get("updated_datetime"), where)
        own = status_for(status_word)
        updates = self._updates(number, submitted, updated) or []
        steps = list(updates)
        if submitted is not None and not any(step.at <= submitted for step in updates):
            # Servers that report only changes have no update for the submission itself.
            steps.insert(0, StatusStep(submitted, RequestStatus.RECEIVED))
        if not updates and own is not RequestStatus.RECEIVED:
            # No feed to tell the story: the request's own status, at its last update.
            at = updated or submitted
            if at is not None:
                note = as_text(request.get("status_notes"), where, "status_notes")
                steps.append(StatusStep(at, own, note))
        steps.sort(key=lambda step: step.at)
        status = steps[-1].status if updates else own
        if own in FINAL_STATUSES and status not in FINAL_STATUSES:
            status = own  # the request itself says it is closed: that wins over a stale update
        name = as_text(request.get("service_name"), where, "service_name") or as_text(
            request.get("service_code"), where, "service_code")
        return RequestReport(number=number, service_name=name, status=status,
                             history=tuple(steps), submitted_at=submitted)

    def _updates(self, number: str, submitted: datetime | None,
                 updated: datetime | None) -> list[StatusStep] | None:
        """This request's updates from mySociety's feed, oldest first; None when the feed is
        absent or unusable (broken, too big, or ignoring its window without this request in
        the answer).

        The first page is the two seconds around the submission: a server that honours the
        window answers with next to nothing (the submission's own update), one that ignores
        it with its whole feed, which shows at once. Then the rest, up to the last update: a
        page that may have been cut (PAGE_LIMIT updates) goes on from its last update when
        the server sorts them oldest first, else its window is halved, as is one whose answer
        was too big."""
        end = (updated or datetime.now(UTC)) + FEED_SLACK
        anchor = submitted or end - FEED_SLACK
        first = (anchor - FEED_SLACK, anchor + FEED_SLACK)
        windows = [(first[1], end), first] if end > first[1] else [first]
        steps: list[StatusStep] = []
        pages = 0
        while windows:
            low, high = windows.pop()
            if pages == MAX_FEED_PAGES:
                return _feed_unusable("too-many-pages")
            pages += 1
            query = [("start_date", w3c(low, self._tz)), ("end_date", w3c(high, self._tz))]
            wide = high - low > MIN_FEED_WINDOW
            try:
                answer, doc = self._get("servicerequestupdates", query, accept=UNSUPPORTED)
                if answer.status in UNSUPPORTED:
                    return None  # no feed: a server without mySociety's extension
                page = self._update_page(doc, answer.where, number)
            except CentralError as err:
                if err.reason == "too-big" and wide:
                    windows += _halves(low, high)
                    continue
                return _feed_unusable(err)
            if any(not low - FEED_SLACK <= step.at <= high + FEED_SLACK for _, step in page):
                # The server ignores the window: this answer is its whole feed, or its own
                # cut of it. This request's updates in it are all there is to have.
                mine = [step for ours, step in page if ours]
                return sorted(mine, key=lambda step: step.at) or _feed_unusable(
                    "window-ignored")
            steps += [step for ours, step in page if ours]
            if len(page) >= PAGE_LIMIT:  # the page may have been cut
                times = [step.at for _, step in page]
                if times == sorted(times) and times[-1] > low:
                    windows.append((times[-1], high))  # oldest first: go on from its end
                elif wide:
                    windows += _halves(low, high)  # in another order: read it in two
                else:
                    return _feed_unusable("page-cut")
        # A window that goes on from a page's last update reads that instant twice.
        return sorted(dict.fromkeys(steps), key=lambda step: step.at)

    def _update_page(self, doc: Any, where: str, number: str) -> list[tuple[bool, StatusStep]]:
        """One page of the feed: (whether it is about request `number`, step) per update."""
        page = []
        for item in self._items(doc, where):
            item = as_dict(item, where, "request_update")
            at = _optional_datetime(item.get("updated_datetime"), where)
            if at is None:
                raise malformed(where, "update without updated_datetime")
            word = as_text(item.get("status"), where, "status")
            note = as_text(item.get("description"), where, "description")
            page.append((_same_id(item.get("service_request_id"), number, where),
                         StatusStep(at, status_for(word) if word else RequestStatus.IN_PROGRESS,
                                    note)))
        return page

    # -- plumbing ------------------------------------------------------------------------

    def _wire_format(self) -> Wire:
        """JSON or XML: the configured one, or for "auto" what the first call found (JSON if
        the server answers JSON, else XML, once; a central that answers neither is asked
        again at the next call)."""
        with self._lock:
            if self._wire is not None:
                return self._wire
        try:
            answer = self._http.get(self._url("services", "json"),
                                    headers=_accept_header("json"), accept=NO_JSON,
                                    central=CENTRAL, endpoint="services")
            if answer.status not in NO_JSON:
                self._decode(answer, "json")
                return self._choose("json")
        except CentralError as err:
            if err.failure is not CentralFailure.MALFORMED:
                raise  # no answer at all: nothing learnt about the format
        answer = self._http.get(self._url("services", "xml"), headers=_accept_header("xml"),
                                describe=self._describer("xml"), central=CENTRAL,
                                endpoint="services")
        self._decode(answer, "xml")
        record(EventType.CENTRAL_FALLBACK, logging.WARNING, central=Ident(CENTRAL),
               endpoint=Ident("services"), reason=Ident("xml-only"))
        return self._choose("xml")

    def _choose(self, wire: Wire) -> Wire:
        with self._lock:
            self._wire = wire
        return wire

    def _url(self, resource: str, wire: Wire, query: Sequence[tuple[str, str]] = (),
             jurisdiction: bool = True) -> str:
        """A resource URL; GETs carry jurisdiction_id in the query, a POST in its body."""
        params = list(query)
        if self._jurisdiction and jurisdiction:
            params.insert(0, ("jurisdiction_id", self._jurisdiction))
        url = f"{self._base}{resource}.{wire}"
        return f"{url}?{urlencode(params)}" if params else url

    def _get(self, resource: str, query: Sequence[tuple[str, str]] = (),
             accept: Sequence[int] = (), endpoint: str = "") -> tuple[HttpAnswer, Any]:
        wire = self._wire_format()
        answer = self._http.get(self._url(resource, wire, query), headers=_accept_header(wire),
                                accept=accept, describe=self._describer(wire), central=CENTRAL,
                                endpoint=endpoint or resource)
        if answer.status in accept and not 200 <= answer.status <= 299:
            return answer, None
        return answer, self._decode(answer, wire)

    @staticmethod
    def _decode(answer: HttpAnswer, wire: Wire) -> Any:
        doc = answer.json() if wire == "json" else _xml(answer)
        _raise_if_error_array(doc, answer.where)
        return doc

    @staticmethod
    def _describer(wire: Wire) -> Any:
        """Describes an error answer by its Open311 error codes (their descriptions are the
        server's free text: never in a message)."""

        def describe(answer: HttpAnswer) -> str:
            try:
                doc = answer.json() if wire == "json" else _xml(answer)
            except CentralError:
                return ""
            codes = _error_codes(doc)
            return f"Open311 error {', '.join(codes)}" if codes else ""

        return describe

    def _items(self, doc: Any, where: str) -> list[Any]:
        """A list answer, unwrapped from FixMyStreet-style objects; a lone object is taken as
        a one-item list (the Swagger file's shape for GET one request)."""
        if isinstance(doc, dict):
            for key in LIST_WRAPPERS:
                if isinstance(doc.get(key), list):
                    return doc[key]
            if not doc:
                return []
            return [doc]
        return as_list(doc, where, "answer")

    def _service(self, item: object, where: str) -> Service:
        item = as_dict(item, where, "service")
        code = as_id(item.get("service_code"), where, "service_code")
        kind_word = as_text(item.get("type"), where, "type").strip().lower()
        keywords = item.get("keywords")
        if isinstance(keywords, list):
            words = [as_text(k, where, "keyword") for k in keywords]
        else:
            words = as_text(keywords, where, "keywords").split(",")
        return Service(
            id=PREFIX + code,
            name=as_text(item.get("service_name"), where, "service_name").strip() or code,
            kind=ServiceKind.REQUEST,
            description=as_text(item.get("description"), where, "description"),
            group=as_text(item.get("group"), where, "group"),
            keywords=tuple(w.strip() for w in words if w.strip()),
            tracking=TRACKING_BY_TYPE.get(kind_word, Tracking.NUMBER),
            has_form=as_bool(item.get("metadata"), where, "metadata"),
        )


def _xml(answer: HttpAnswer) -> Any:
    """The answer of a server that speaks XML. Its parser (defusedxml, the standard library's
    ElementTree) is imported by the first such answer: a station whose central speaks JSON,
    or speaks no Open311, never holds it (docs/performance.md, "What an idle station holds")."""
    from kiosk.adapters.open311_xml import parse_open311_xml

    return parse_open311_xml(answer.body, answer.where)


def _accept_header(wire: Wire) -> dict[str, str]:
    return {"Accept": "application/json" if wire == "json" else "text/xml"}


def _halves(low: datetime, high: datetime) -> list[tuple[datetime, datetime]]:
    middle = low + (high - low) / 2
    return [(middle, high), (low, middle)]


def _feed_unusable(why: CentralError | str) -> None:
    """Say in the log why the feed was left for the request's own status; None."""
    if isinstance(why, CentralError):
        record(EventType.CENTRAL_FALLBACK, logging.WARNING, **why.log_fields())
    else:
        record(EventType.CENTRAL_FALLBACK, logging.WARNING, central=Ident(CENTRAL),
               endpoint=Ident("servicerequestupdates"), reason=Ident(why))
    return None


def _with_offset(value: str, tz: ZoneInfo) -> str:
    """A datetime answer ("2026-11-02T21:30", the station's wall time) with the station's
    offset for that day ("2026-11-02T21:30:00+01:00"); a value that is not one is sent as
    it is."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.isoformat(timespec="seconds")


def _code(service_id: str) -> str:
    if not service_id.startswith(PREFIX) or not service_id[len(PREFIX):]:
        raise CentralError(CentralFailure.NOT_FOUND, "service id is not an Open311 one")
    return service_id[len(PREFIX):]


def _description(submission: RequestSubmission) -> str:
    """The person's description, then the station reference line, within 4000 characters."""
    ref_line = STATION_REF_LINE.format(station_ref=submission.station_ref)
    text = submission.description.strip()
    if not text:
        return ref_line
    room = MAX_DESCRIPTION - len(ref_line) - 1
    return f"{text[:room].rstrip()}\n{ref_line}"


def _form_field(item: object, where: str) -> FormField | None:
    """A FormField for an attribute that asks something (variable=true); None otherwise."""
    item = as_dict(item, where, "attribute")
    if not as_bool(item.get("variable"), where, "variable", default=True):
        return None
    code = as_id(item.get("code"), where, "attribute code")
    datatype = as_text(item.get("datatype"), where, "datatype").strip().lower()
    choices = []
    for value in as_list(item.get("values") or [], where, "values"):
        value = as_dict(value, where, "value")
        key = as_id(value.get("key"), where, "value key")
        choices.append(Choice(key=key, label=as_text(value.get("name"), where, "name") or key))
    return FormField(
        code=code,
        label=as_text(item.get("description"), where, "description").strip() or code,
        type=FIELD_TYPE_BY_DATATYPE.get(datatype, FieldType.TEXT),
        required=as_bool(item.get("required"), where, "required"),
        order=as_int(item.get("order"), where, "order"),
        help=as_text(item.get("datatype_description"), where, "datatype_description"),
        choices=tuple(choices),
    )


def _single(doc: Any, where: str, what: str) -> dict[str, Any]:
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    return as_dict(doc, where, what)


def _optional_id(value: object, where: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_id(value, where, "identifier")


def _same_id(value: object, number: str, where: str) -> bool:
    """Whether an id from the server is `number` (a numeric id may have lost leading zeros)."""
    given = _optional_id(value, where)
    if given is None:
        return False
    # Compared as text: int() would raise on "²" (isdigit() says yes) or past 4300 digits.
    return given == number or (_ascii_digits(given) and _ascii_digits(number)
                               and given.lstrip("0") == number.lstrip("0"))


def _ascii_digits(text: str) -> bool:
    """Whether `text` is made of 0-9 only (str.isdigit() also takes "²" and other scripts')."""
    return text.isascii() and text.isdigit()


def _optional_datetime(value: object, where: str) -> datetime | None:
    """An ISO 8601 date-time (spec: W3C format with time zone); one without a zone is taken as
    UTC."""
    text = as_text(value, where, "date-time").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise malformed(where, "date-time is not ISO 8601") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _error_codes(doc: Any) -> list[str]:
    """The codes of a spec error array, or [] when `doc` is not one."""
    if isinstance(doc, dict) and isinstance(doc.get("errors"), list):
        doc = doc["errors"]
    if not isinstance(doc, list) or not doc:
        return []
    codes = []
    for item in doc:
        if not (isinstance(item, Mapping) and "description" in item and "code" in item
                and "service_request_id" not in item and "token" not in item
                and "service_code" not in item):
            return []
        code = item["code"]
        codes.append(str(code) if isinstance(code, int | str) else "?")
    return [c[:8] for c in codes[:5]]


def _raise_if_error_array(doc: Any, where: str) -> None:
    """An error array under HTTP 200 (seen in the field) is still an error."""
    codes = _error_codes(doc)
    if not codes:
        return
    first = codes[0]
    status = int(first) if _ascii_digits(first) else 400
    failure = failure_for_status(status) if 400 <= status <= 599 else CentralFailure.REJECTED
    raise CentralError(failure, f"{where}: Open311 error {', '.join(codes)}",
                       outcome=CallOutcome.UNKNOWN if status >= 500 else CallOutcome.ANSWERED,
                       central=CENTRAL, endpoint=getattr(where, "endpoint", ""),
                       reason=f"open311-error-{first}")
