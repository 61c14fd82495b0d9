"""Publik w.c.s. (forms) behind the core's ServiceCatalogue, RequestDesk, RequestTracker and
SurveySink ports; and `PublikClient`, the signed-call helper that Chrono shares.

Source: w.c.s.'s own API (`wcs/api.py`, `wcs/api_utils.py`); what the kiosk relies on is in
docs/central-systems.md.
- Catalogue: GET formdefs/ and formdefs/<slug>/schema. Service ids are "wcs:<slug>".
- Submission: POST formdefs/<slug>/submit with {"data": {varname: value}, "meta": {...},
  "context": {"channel", "comments"}}. w.c.s. knows no "kiosk" channel: a station used alone is
  "web", one where a facilitator assists is "counter" (docs/central-systems.md). The station
  reference travels in context.comments. The citizen's number is the `tracking_code`.
- Tracking: GET code/<tracking_code> gives the form's URL; its slug and id lead to
  GET forms/<slug>/<id>/, whose workflow status is mapped to RequestStatus.
- Survey answers: a submission to the formdef "avis-borne".

Every call is signed (kiosk.protocols.publik_signing.sign_url, `orig` + key). Publik answers
{"err": 0, "data": ...} or {"err": 1, "err_class", "err_desc"}; an error becomes CentralError
with the err_class (a short fixed label) in its detail, never err_desc or the body.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from kiosk.adapters.http import (
    HttpAnswer,
    HttpClient,
    as_bool,
    as_dict,
    as_id,
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
    SurveyAnswer,
    Tracking,
)
from kiosk.protocols.publik_signing import sign_url

PREFIX = "wcs:"
#: The formdef receiving satisfaction answers (docs/central-systems.md).
SURVEY_SLUG = "avis-borne"
#: w.c.s. submission channels (wcs/formdata.py): "web" for self-service, "counter" when an
#: agent helps; there is no "kiosk" channel.
Channel = Literal["web", "counter"]
CHANNELS = ("web", "counter")
#: How the station reference travels in context.comments (docs/central-systems.md).
COMMENTS = "Borne {station_id}, réf. {station_ref}"
#: An err_class is a short fixed label ("access denied", "no more desk available"); anything
#: else is not quoted in messages.
ERR_CLASS = re.compile(r"[A-Za-z0-9 _.,:'()/-]{1,80}")
#: Slugs and ids as w.c.s. makes them (letters, digits, dashes, underscores).
SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,100}")
CLIENT_ERRORS = tuple(range(400, 500))

#: w.c.s. field type → kiosk field type. Types a kiosk cannot ask (file, map, bool, computed,
#: page/title/comment decorations, blocks, tables) are left out of the form.
FIELD_TYPE_BY_WCS: dict[str, FieldType] = {
    "string": FieldType.TEXT,
    "text": FieldType.LONG_TEXT,
    "email": FieldType.EMAIL,
    "date": FieldType.DATE,
    "item": FieldType.CHOICE,
    "items": FieldType.MULTI_CHOICE,
    "numeric": FieldType.NUMBER,
    "phone": FieldType.PHONE,  # the reference peer's own type (w.c.s.: string + validation)
}
#: w.c.s. string validations that make a string field a phone or number field.
VALIDATION_TYPES: dict[str, FieldType] = {
    "phone": FieldType.PHONE,
    "phone-fr": FieldType.PHONE,
    "mobile-fr": FieldType.PHONE,
    "digits": FieldType.NUMBER,
}
#: Workflow status ids and names → RequestStatus. w.c.s. workflows are the city's own; these
#: are the default workflow's ids (just_submitted, new, accepted, rejected, finished) and the
#: usual French and English words. Compared lower-case, without accents.
STATUS_BY_WORD: dict[str, RequestStatus] = {
    "just_submitted": RequestStatus.RECEIVED,
    "new": RequestStatus.RECEIVED,
    "nouveau": RequestStatus.RECEIVED,
    "nouvelle": RequestStatus.RECEIVED,
    "recu": RequestStatus.RECEIVED,
    "recue": RequestStatus.RECEIVED,
    "received": RequestStatus.RECEIVED,
    "submitted": RequestStatus.RECEIVED,
    "accepted": RequestStatus.IN_PROGRESS,
    "accepte": RequestStatus.IN_PROGRESS,
    "acceptee": RequestStatus.IN_PROGRESS,
    "en_cours": RequestStatus.IN_PROGRESS,
    "en_cours_de_traitement": RequestStatus.IN_PROGRESS,
    "in_progress": RequestStatus.IN_PROGRESS,
    "processing": RequestStatus.IN_PROGRESS,
    "finished": RequestStatus.DONE,
    "termine": RequestStatus.DONE,
    "terminee": RequestStatus.DONE,
    "traite": RequestStatus.DONE,
    "traitee": RequestStatus.DONE,
    "done": RequestStatus.DONE,
    "resolved": RequestStatus.DONE,
    "rejected": RequestStatus.REJECTED,
    "rejete": RequestStatus.REJECTED,
    "rejetee": RequestStatus.REJECTED,
    "refuse": RequestStatus.REJECTED,
    "refusee": RequestStatus.REJECTED,
    "closed": RequestStatus.CLOSED,
    "clos": RequestStatus.CLOSED,
    "close": RequestStatus.CLOSED,
    "cloture": RequestStatus.CLOSED,
    "cloturee": RequestStatus.CLOSED,
    "ferme": RequestStatus.CLOSED,
}

Clock = Callable[[], datetime]
#: Workflow status id → (name, whether it is an end point; None when not said).
StatusNames = dict[str, tuple[str, bool | None]]


def _fold(word: str) -> str:
    """Lower-case, accents removed, spaces and dashes as underscores."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "_".join(plain.replace("-", " ").split())


def status_for(status_id: str, name: str = "", endpoint: bool | None = None) -> RequestStatus:
    """The kiosk status of a w.c.s. workflow status: by id, then by name, then by whether it
    is an end point (closed) or not (in progress)."""
    for word in (status_id, name):
        key = _fold(word)
        if key.startswith("wf_"):  # w.c.s. prefixes status ids in some exports ("wf-new")
            key = key[3:]
        if key in STATUS_BY_WORD:
            return STATUS_BY_WORD[key]
    return RequestStatus.CLOSED if endpoint else RequestStatus.IN_PROGRESS


def err_class_of(doc: object) -> str:
    """The err_class of a Publik error envelope, if it is a short label."""
    if isinstance(doc, dict):
        value = doc.get("err_class")
        if isinstance(value, str) and ERR_CLASS.fullmatch(value):
            return value
        if value is not None:
            return "unrecognised err_class"
    return ""


class PublikError(CentralError):
    """A CentralError from a Publik error envelope, with its err_class (a short label) so that
    an adapter can tell "booking is cancelled" from other refusals."""

    def __init__(self, failure: CentralFailure, detail: str, err_class: str, *,
                 outcome: CallOutcome = CallOutcome.ANSWERED, central: str = "",
                 endpoint: str = "", reason: str = "") -> None:
        super().__init__(failure, detail, outcome=outcome, central=central, endpoint=endpoint,
                         reason=reason)
        self.err_class = err_class


class PublikClient:
    """Signed calls to one Publik service (w.c.s. or Chrono) and its envelopes.

    Shared by WcsAdapter and ChronoAdapter: both speak the same signed-URL scheme and the same
    {"err": ...} envelope."""

    def __init__(self, http: HttpClient, base_url: str, orig: str, key: str, *,
                 central: str, clock: Clock | None = None,
                 conflict_classes: Collection[str] = ()) -> None:
        self._http = http
        self.central = central
        self.base = base_url.rstrip("/") + "/"
        self._orig = orig
        self._key = key
        self._clock = clock
        self._conflicts = frozenset(conflict_classes)

    def __repr__(self) -> str:
        return f"PublikClient({self.base!r}, orig={self._orig!r})"

    def url(self, path: str, query: Sequence[tuple[str, str]] = ()) -> str:
        """An (unsigned) URL under the base."""
        url = self.base + path.lstrip("/")
        return f"{url}?{urlencode(list(query))}" if query else url

    def owns(self, url: str) -> bool:
        """Whether a URL given by the server is under the configured base (the adapter only
        follows such links: a signed call with personal data never goes elsewhere)."""
        mine, theirs = urlsplit(self.base), urlsplit(url)
        return (theirs.scheme == mine.scheme and theirs.netloc.lower() == mine.netloc.lower()
                and theirs.path.startswith(mine.path) and ".." not in theirs.path.split("/"))

    def get(self, url: str, endpoint: str) -> tuple[HttpAnswer, dict[str, Any]]:
        """GET a signed `url`; the decoded object after envelope checks. `endpoint` names the
        call for the log, as a template ("code/{code}")."""
        signed = self._sign(url, endpoint)
        return self._check(self._http.get(signed, accept=CLIENT_ERRORS, central=self.central,
                                          endpoint=endpoint))

    def post(self, url: str, payload: object, idempotency_key: str,
             endpoint: str) -> tuple[HttpAnswer, dict[str, Any]]:
        """POST JSON to a signed `url`; the decoded object after envelope checks."""
        signed = self._sign(url, endpoint)
        answer = self._http.post_json(signed, payload, idempotency_key=idempotency_key,
                                      accept=CLIENT_ERRORS, central=self.central,
                                      endpoint=endpoint)
        return self._check(answer)

    def _sign(self, url: str, endpoint: str) -> str:
        if not self.owns(url):
            raise CentralError(CentralFailure.MALFORMED, "link outside the configured base URL",
                               outcome=CallOutcome.NOT_SENT, central=self.central,
                               endpoint=endpoint, reason="link-outside-base")
        now = self._clock() if self._clock else None
        return sign_url(url, self._orig, self._key, now=now)

    def _check(self, answer: HttpAnswer) -> tuple[HttpAnswer, dict[str, Any]]:
        ok_status = 200 <= answer.status <= 299
        try:
            doc: Any = answer.json()
        except CentralError:
            if ok_status:
                raise
            doc = None
        err = doc.get("err", 0) if isinstance(doc, dict) else None
        if ok_status and err in (0, "0", False):
            return answer, as_dict(doc, answer.where, "answer")
        if ok_status and not isinstance(doc, dict):
            raise malformed(answer.where, "answer is not an object")
        err_class = err_class_of(doc)
        if err_class in self._conflicts:
            failure = CentralFailure.CONFLICT
        elif not ok_status:
            failure = failure_for_status(answer.status)
        else:
            failure = CentralFailure.REJECTED
        detail = f"{answer.where}: HTTP {answer.status}"
        if err_class:
            detail += f", err_class {err_class!r}"
        # A 5xx may come after the work was done; a refusal in the envelope says it was not.
        outcome = CallOutcome.UNKNOWN if answer.status >= 500 else CallOutcome.ANSWERED
        raise PublikError(failure, detail, err_class, outcome=outcome, central=self.central,
                          endpoint=answer.where.endpoint,
                          reason=err_class or f"http-{answer.status}")


def envelope_data(doc: dict[str, Any]) -> Any:
    """The "data" of an {"err": 0, "data": ...} envelope; a bare object (w.c.s. answers the
    schema and the formdata without an envelope) is itself the data."""
    return doc["data"] if "err" in doc and "data" in doc else doc


class WcsAdapter:
    """ServiceCatalogue + RequestDesk + RequestTracker + SurveySink over w.c.s."""

    def __init__(self, http: HttpClient, base_url: str, orig: str, key: str, *,
                 channel: Channel = "web", survey_slug: str = SURVEY_SLUG,
                 timezone: str = "Europe/Paris", clock: Clock | None = None) -> None:
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}")
        self._publik = PublikClient(http, base_url, orig, key, central="wcs", clock=clock)
        self._channel = channel
        self._survey_slug = survey_slug
        self._tz = ZoneInfo(timezone)
        self._lock = threading.Lock()
        self._workflows: dict[str, tuple[str, StatusNames]] = {}

    def __repr__(self) -> str:
        return f"WcsAdapter({self._publik.base!r}, channel={self._channel!r})"

    # -- ServiceCatalogue ----------------------------------------------------------------

    def services(self) -> Sequence[Service]:
        """GET formdefs/: the forms a person can fill in (the survey form is not one)."""
        answer, doc = self._publik.get(self._publik.url("formdefs/"), "formdefs")
        services = []
        for item in as_list(envelope_data(doc), answer.where, "formdefs"):
            item = as_dict(item, answer.where, "formdef")
            slug = _slug(item.get("slug"), answer.where)
            if slug == self._survey_slug or as_bool(item.get("redirection"), answer.where,
                                                     "redirection"):
                continue  # not a request; or a form that lives on another site
            services.append(Service(
                id=PREFIX + slug,
                name=as_text(item.get("title"), answer.where, "title").strip() or slug,
                kind=ServiceKind.REQUEST,
                description=_plain(as_text(item.get("description"), answer.where,
                                           "description")),
                group=_category(item.get("category"), answer.where),
                keywords=_keywords(item.get("keywords"), answer.where),
                tracking=Tracking.NUMBER,
                has_form=True,
            ))
        return services

    def form(self, service_id: str) -> ServiceForm:
        """GET formdefs/<slug>/schema: the fields the kiosk can ask, in the form's order."""
        slug = _service_slug(service_id)
        answer, doc = self._publik.get(self._publik.url(f"formdefs/{slug}/schema"),
                                       "formdefs/{slug}/schema")
        schema = as_dict(envelope_data(doc), answer.where, "schema")
        name = (as_text(schema.get("name"), answer.where, "name")
                or as_text(schema.get("title"), answer.where, "title") or slug)
        fields = []
        for position, item in enumerate(as_list(schema.get("fields") or [], answer.where,
                                                "fields"), start=1):
            field = _form_field(item, position, answer.where)
            if field is not None:
                fields.append(field)
        service = Service(id=service_id, name=name.strip(), kind=ServiceKind.REQUEST,
                          description=_plain(as_text(schema.get("description"), answer.where,
                                                     "description")),
                          group=_category(schema.get("category"), answer.where),
                          keywords=_keywords(schema.get("keywords"), answer.where),
                          tracking=Tracking.NUMBER, has_form=True)
        return ServiceForm(service, tuple(fields))

    # -- RequestDesk ---------------------------------------------------------------------

    def submit(self, submission: RequestSubmission, idempotency_key: str) -> SubmissionResult:
        """POST formdefs/<slug>/submit; the tracking code is the person's number.

        `data` holds the answers by varname (lists for multiple choices) and, unless a field
        already carries it, the free description under "description". Contact details are not
        added: a w.c.s. form asks for them through its own fields."""
        slug = _service_slug(submission.service_id)
        data: dict[str, object] = {code: value if isinstance(value, str) else list(value)
                                   for code, value in submission.answers.items()}
        if submission.description.strip() and "description" not in data:
            data["description"] = submission.description.strip()
        return self._submit(slug, data, submission.station_id, submission.station_ref,
                            idempotency_key)

    def number_for(self, token: str) -> str | None:
        """w.c.s. gives the tracking code with the submission: there are no tokens."""
        return None

    # -- SurveySink ----------------------------------------------------------------------

    def send(self, answer: SurveyAnswer, idempotency_key: str) -> str:
        """Submit one set of answers to the survey formdef; its tracking code (or its id when
        the formdef has no tracking codes) is the reference."""
        data: dict[str, object] = {"flow": answer.flow}
        if answer.overall is not None:
            data["overall"] = str(answer.overall)  # w.c.s. item values are strings
        if answer.clarity is not None:
            data["clarity"] = str(answer.clarity)
        if answer.help_received is not None:
            data["help_received"] = answer.help_received
        result = self._submit(self._survey_slug, data, answer.station_id, answer.station_ref,
                              idempotency_key)
        return result.number or result.notice

    def _submit(self, slug: str, data: dict[str, object], station_id: str, station_ref: str,
                idempotency_key: str) -> SubmissionResult:
        payload = {
            "data": data,
            "meta": {"draft": False},
            "context": {"channel": self._channel,
                        "comments": COMMENTS.format(station_id=station_id,
                                                    station_ref=station_ref)},
        }
        answer, doc = self._publik.post(self._publik.url(f"formdefs/{slug}/submit"), payload,
                                        idempotency_key, "formdefs/{slug}/submit")
        created = as_dict(doc.get("data") or {}, answer.where, "data")
        code = doc.get("tracking_code") or created.get("tracking_code")
        if code:
            return SubmissionResult(SubmissionOutcome.NUMBERED,
                                    number=as_id(code, answer.where, "tracking_code"))
        form_id = as_id(created.get("id"), answer.where, "data.id")
        # No tracking code: the form cannot be followed without an account. Keep its id as a
        # notice (the survey's reference), but the person gets no number.
        return SubmissionResult(SubmissionOutcome.UNNUMBERED, notice=form_id)

    # -- RequestTracker ------------------------------------------------------------------

    def report(self, number: str) -> RequestReport | None:
        """GET code/<tracking_code>, then GET forms/<slug>/<id>/; None for an unknown code.

        The formdata names only the ids of past statuses; their names and end points come
        from the workflow in the form's schema (fetched once per form and remembered)."""
        code = number.strip().upper()
        if not code or not SAFE_SEGMENT.fullmatch(code):
            return None
        try:
            answer, doc = self._publik.get(self._publik.url(f"code/{quote(code)}"), "code/{code}")
        except CentralError as err:
            if err.failure is CentralFailure.NOT_FOUND:
                return None
            raise
        front_url = as_text(doc.get("url"), answer.where, "url")
        slug, form_id = _slug_and_id(front_url, answer.where)
        answer, doc = self._publik.get(self._publik.url(f"forms/{slug}/{form_id}/"),
                                       "forms/{slug}/{id}")
        formdata = as_dict(envelope_data(doc), answer.where, "formdata")
        title, statuses = self._workflow(slug)
        return self._report(code, title or slug, formdata, statuses, answer.where)

    def _workflow(self, slug: str) -> tuple[str, StatusNames]:
        """The form's title and its workflow statuses (id → name, end point)."""
        with self._lock:
            known = self._workflows.get(slug)
        if known is not None:
            return known
        answer, doc = self._publik.get(self._publik.url(f"formdefs/{slug}/schema"),
                                       "formdefs/{slug}/schema")
        schema = as_dict(envelope_data(doc), answer.where, "schema")
        workflow = as_dict(schema.get("workflow") or {}, answer.where, "workflow")
        title = as_text(schema.get("name") or schema.get("title"), answer.where, "name")
        known = (title.strip(), _status_names(workflow, answer.where))
        with self._lock:
            self._workflows[slug] = known
        return known

    def _report(self, code: str, title: str, formdata: dict[str, Any], names: StatusNames,
                where: str) -> RequestReport:
        workflow = as_dict(formdata.get("workflow") or {}, where, "workflow")
        current = _status_of(workflow.get("status") or formdata.get("status"), where, names)
        if current is None:
            raise malformed(where, "form without a workflow status")
        steps = []
        for item in as_list(formdata.get("evolution") or [], where, "evolution"):
            item = as_dict(item, where, "evolution item")
            at = self._datetime(item.get("time"), where)
            status = _status_of(item.get("status"), where, names)
            if at is None or status is None:
                continue  # a comment without a status change
            steps.append(StatusStep(at, status, _plain(as_text(item.get("comment"), where,
                                                                "comment"))))
        steps.sort(key=lambda step: step.at)
        submitted = self._datetime(formdata.get("receipt_time"), where)
        if not steps and submitted is not None:
            steps.append(StatusStep(submitted, current))
        return RequestReport(number=code, service_name=title, status=current,
                             history=tuple(steps), submitted_at=submitted)

    def _datetime(self, value: object, where: str) -> datetime | None:
        """w.c.s. times: ISO 8601; without a zone they are the city's local time."""
        text = as_text(value, where, "time").strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise malformed(where, "time is not ISO 8601") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self._tz)


# -- helpers ---------------------------------------------------------------------------


def _service_slug(service_id: str) -> str:
    slug = service_id[len(PREFIX):] if service_id.startswith(PREFIX) else ""
    if not SAFE_SEGMENT.fullmatch(slug):
        raise CentralError(CentralFailure.NOT_FOUND, "service id is not a w.c.s. one")
    return slug


def _slug(value: object, where: str) -> str:
    slug = as_text(value, where, "slug")
    if not SAFE_SEGMENT.fullmatch(slug):
        raise malformed(where, "slug missing or not a slug")
    return slug


def _slug_and_id(url: str, where: str) -> tuple[str, str]:
    """<slug>, <id> from a form's front-office URL ".../<slug>/<id>/"."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) < 2 or not all(SAFE_SEGMENT.fullmatch(p) for p in parts[-2:]):
        raise malformed(where, "url is not a form URL")
    return parts[-2], parts[-1]


def _category(value: object, where: str) -> str:
    if isinstance(value, dict):
        return as_text(value.get("title") or value.get("name"), where, "category")
    return as_text(value, where, "category")


def _keywords(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, list):
        words = [as_text(v, where, "keyword") for v in value]
    else:
        words = as_text(value, where, "keywords").split(",")
    return tuple(w.strip() for w in words if w.strip())


def _plain(text: str) -> str:
    """w.c.s. descriptions and hints may be HTML; the kiosk shows plain text."""
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def _form_field(item: object, position: int, where: str) -> FormField | None:
    item = as_dict(item, where, "field")
    wcs_type = as_text(item.get("type"), where, "type")
    kind = FIELD_TYPE_BY_WCS.get(wcs_type)
    varname = as_text(item.get("varname"), where, "varname")
    if kind is None or not varname:
        return None  # not something a kiosk asks, or not submittable through the API
    validation = item.get("validation")
    if kind is FieldType.TEXT and isinstance(validation, dict):
        kind = VALIDATION_TYPES.get(as_text(validation.get("type"), where, "validation"),
                                    kind)
    choices = []
    if kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        for value in as_list(item.get("items") or [], where, "items"):
            if isinstance(value, dict):
                key = as_id(value.get("id"), where, "item id")
                label = as_text(value.get("text"), where, "item text") or key
            else:
                key = label = as_text(value, where, "item")
            if key:
                choices.append(Choice(key=key, label=label))
    return FormField(
        code=varname,
        label=as_text(item.get("label"), where, "label").strip() or varname,
        type=kind,
        required=as_bool(item.get("required"), where, "required"),
        order=position,
        help=_plain(as_text(item.get("hint"), where, "hint")),
        choices=tuple(choices),
    )


def _status_names(workflow: dict[str, Any], where: str) -> StatusNames:
    """Status id → (name, endpoint) from the workflow's status list, when the form gives it."""
    names: StatusNames = {}
    for item in as_list(workflow.get("statuses") or [], where, "statuses"):
        if isinstance(item, dict) and item.get("id") is not None:
            endpoint = item.get("endpoint", item.get("forced_endpoint"))
            names[as_id(item["id"], where, "status id")] = (
                as_text(item.get("name"), where, "status name"),
                as_bool(endpoint, where, "endpoint") if endpoint is not None else None)
    return names


def _status_of(value: object, where: str,
               names: StatusNames | None = None) -> RequestStatus | None:
    """A status given as {"id", "name", "endpoint"} or as a bare id."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        status_id = as_text(value.get("id"), where, "status id")
        name = as_text(value.get("name"), where, "status name")
        endpoint = value.get("endpoint")
        return status_for(status_id, name, as_bool(endpoint, where, "endpoint")
                          if endpoint is not None else None)
    status_id = as_id(value, where, "status")
    name, endpoint = (names or {}).get(status_id, ("", None))
    return status_for(status_id, name, endpoint)
