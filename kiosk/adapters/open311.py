"""Open311 GeoReport v2 (plus mySociety's `servicerequestupdates`) behind the core's
ServiceCatalogue, RequestDesk and RequestTracker ports.

Source: the frozen GeoReport v2 spec and its JSON Schemas (kiosk/peer/specs/open311/), summarised in
docs/central-systems.md §1. Real servers differ from the spec in known ways (§1.1) and this adapter
accepts them: numeric ids (normalised to strings), lists wrapped in objects
(`{"services": [...]}`, `{"service_requests": [...]}`, FixMyStreet), extra fields,
`agency_responsible` as an object, a single object where the spec says a one-item list, and
error arrays `[{"code": 403, "description": "..."}]` even under HTTP 200. JSON or XML, chosen by
`fmt` (XML is the format every server must offer).

Service ids are namespaced "open311:<service_code>".
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote, urlencode

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
from kiosk.adapters.open311_xml import parse_open311_xml
from kiosk.core.central import (
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

PREFIX = "open311:"
#: GeoReport v2, POST requests: "description ... may not exceed 4,000 characters".
MAX_DESCRIPTION = 4000
#: How the station reference travels with a request (docs/central-systems.md): the description's
#: last line, so that the back office finds the request from the printed receipt.
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
#: Statuses of `servicerequestupdates` meaning "this server has no such extension".
UPDATES_UNSUPPORTED = (400, 404, 405, 501)

Format = Literal["json", "xml"]


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


class Open311Adapter:
    """ServiceCatalogue + RequestDesk + RequestTracker over one GeoReport v2 endpoint."""

    def __init__(self, http: HttpClient, base_url: str, api_key: str, *, fmt: Format = "json",
                 jurisdiction_id: str | None = None) -> None:
        if fmt not in ("json", "xml"):
            raise ValueError("fmt must be 'json' or 'xml'")
        self._http = http
        self._base = base_url.rstrip("/") + "/"
        self._api_key = api_key
        self._fmt: Format = fmt
        self._jurisdiction = jurisdiction_id or None
        self._services: dict[str, Service] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Open311Adapter({self._base!r}, fmt={self._fmt!r})"

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
        with self._lock:
            service = self._services.get(service_id)
        if service is None:
            service = next((s for s in self.services() if s.id == service_id), None)
        if service is None:
            raise CentralError(CentralFailure.NOT_FOUND, f"no Open311 service {code!r}")
        if not service.has_form:
            return ServiceForm(service, ())
        answer, doc = self._get(f"services/{quote(code, safe='')}")
        doc = _single(doc, answer.where, "service definition")
        attributes = as_list(doc.get("attributes") or [], answer.where, "attributes")
        fields = [f for f in (_form_field(a, answer.where) for a in attributes) if f]
        fields.sort(key=lambda f: f.order)  # stable: equal orders keep the server's order
        return ServiceForm(service, tuple(fields))

    # -- RequestDesk ---------------------------------------------------------------------

    def submit(self, submission: RequestSubmission, idempotency_key: str) -> SubmissionResult:
        """POST requests, form-encoded as the spec shows; the key goes as Idempotency-Key."""
        answer = self._http.post_form(
            self._url("requests", jurisdiction=False), self._request_fields(submission),
            idempotency_key=idempotency_key, headers=self._accept_header(),
            describe=self._describe)
        doc = self._decode(answer)
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
        answer, doc = self._get(f"tokens/{quote(token.strip(), safe='')}")
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
        for code, value in submission.answers.items():
            if isinstance(value, str):
                fields.append((f"attribute[{code}]", value))
            else:
                fields += [(f"attribute[{code}][]", item) for item in value]
        return fields

    # -- RequestTracker ------------------------------------------------------------------

    def report(self, number: str) -> RequestReport | None:
        """GET requests/{id} and the request's servicerequestupdates; None for an unknown
        number (HTTP 404 or an empty list)."""
        number = number.strip()
        if not number:
            return None
        answer, doc = self._get(f"requests/{quote(number, safe='')}", accept=(404,))
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
        updates = self._updates(number)
        steps = list(updates)
        if submitted is not None and not any(step.at <= submitted for step in updates):
            # Servers that report only changes have no update for the submission itself.
            steps.insert(0, StatusStep(submitted, RequestStatus.RECEIVED))
        own = status_for(status_word)
        if not updates and own in FINAL_STATUSES:
            at = _optional_datetime(request.get("updated_datetime"), where) or submitted
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

    def _updates(self, number: str) -> list[StatusStep]:
        """mySociety's servicerequestupdates for this request, oldest first; none when the
        server does not have the extension."""
        answer, doc = self._get("servicerequestupdates", [("service_request_id", number)],
                                accept=UPDATES_UNSUPPORTED)
        if answer.status in UPDATES_UNSUPPORTED:
            return []
        steps = []
        for item in self._items(doc, answer.where):
            item = as_dict(item, answer.where, "request_update")
            if not _same_id(item.get("service_request_id"), number, answer.where):
                continue  # a server that ignores the filter
            at = _optional_datetime(item.get("updated_datetime"), answer.where)
            if at is None:
                raise malformed(answer.where, "update without updated_datetime")
            word = as_text(item.get("status"), answer.where, "status")
            note = as_text(item.get("description"), answer.where, "description")
            steps.append(StatusStep(at, status_for(word) if word else RequestStatus.IN_PROGRESS,
                                    note))
        return steps

    # -- plumbing ------------------------------------------------------------------------

    def _url(self, resource: str, query: Sequence[tuple[str, str]] = (),
             jurisdiction: bool = True) -> str:
        """A resource URL; GETs carry jurisdiction_id in the query, a POST in its body."""
        params = list(query)
        if self._jurisdiction and jurisdiction:
            params.insert(0, ("jurisdiction_id", self._jurisdiction))
        url = f"{self._base}{resource}.{self._fmt}"
        return f"{url}?{urlencode(params)}" if params else url

    def _accept_header(self) -> dict[str, str]:
        return {"Accept": "application/json" if self._fmt == "json" else "text/xml"}

    def _get(self, resource: str, query: Sequence[tuple[str, str]] = (),
             accept: Sequence[int] = ()) -> tuple[HttpAnswer, Any]:
        answer = self._http.get(self._url(resource, query), headers=self._accept_header(),
                                accept=accept, describe=self._describe)
        if answer.status in accept and not 200 <= answer.status <= 299:
            return answer, None
        return answer, self._decode(answer)

    def _decode(self, answer: HttpAnswer) -> Any:
        doc = answer.json() if self._fmt == "json" else parse_open311_xml(answer.body,
                                                                          answer.where)
        _raise_if_error_array(doc, answer.where)
        return doc

    def _describe(self, answer: HttpAnswer) -> str:
        """An error answer's Open311 error codes (their descriptions are the server's free
        text: never in a message)."""
        try:
            doc = answer.json() if self._fmt == "json" else parse_open311_xml(answer.body,
                                                                              answer.where)
        except CentralError:
            return ""
        codes = _error_codes(doc)
        return f"Open311 error {', '.join(codes)}" if codes else ""

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
    raise CentralError(failure, f"{where}: Open311 error {', '.join(codes)}")
