"""The w.c.s. subset under /wcs/api/ (shapes read in w.c.s.'s own API tests; what the kiosk
relies on is in docs/central-systems.md): formdefs/, formdefs/<slug>/schema,
formdefs/<slug>/submit, code/<tracking code> and forms/<slug>/<id>/, every one behind a Publik
signature, as in w.c.s., which refuses a signature that is wrong, stale or replayed.

As in w.c.s., the schema and the formdata are bare JSON objects (no `{"err": 0}` envelope);
the other answers use the envelope. Unlike w.c.s., which stores whatever the API gives it, the
peer checks submitted values against the formdef (required fields, item choices, dates, e-mail
and phone shapes) and says 400 with the varname at fault: it is there to catch client bugs.
Answers to the "avis-borne" formdef are the kiosk's satisfaction surveys.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date, datetime
from typing import Any

from kiosk.peer import lifecycle
from kiosk.peer.context import PeerContext
from kiosk.peer.publik import error, json_body, ok, signed
from kiosk.peer.seed import Formdef, WcsField
from kiosk.peer.store import from_iso, iso
from kiosk.peer.web import PeerRequest, PeerResponse, Route, json_response, route

#: The formdef that receives satisfaction surveys (contract, "Survey answers").
SURVEY_SLUG = "avis-borne"
#: Submission channels w.c.s. knows (wcs/formdata.py).
CHANNELS = frozenset({"mail", "email", "phone", "counter", "fax", "web", "social-network"})
#: Tracking codes are 8 capital letters (contract); consonants only, the alphabet RFC 8628
#: §6.1 recommends for codes people read out and type: no word can be spelt.
TRACKING_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
TRACKING_LENGTH = 8
#: w.c.s. formdata times: local time, to the second, no zone (its API tests).
WCS_TIME = "%Y-%m-%dT%H:%M:%S"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 .()-]{5,19}$")


class FieldError(Exception):
    """A submitted value the formdef does not accept (the message names the varname only)."""


def _check_value(field: WcsField, value: Any) -> Any:
    """The value to keep for `field`, or FieldError."""
    name = field.varname
    if field.type == "items":
        if not isinstance(value, list) or not all(isinstance(v, str | int) and
                                                  not isinstance(v, bool) for v in value):
            raise FieldError(f"{name}: a list of choices is expected")
        values = [str(v) for v in value]
        if any(v not in field.items for v in values):
            raise FieldError(f"{name}: a value is not one of the choices")
        return values
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError(f"{name}: text is expected")
    text = str(value)
    if field.type == "item" and text not in field.items:
        raise FieldError(f"{name}: not one of the choices")
    if field.type == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise FieldError(f"{name}: a date YYYY-MM-DD is expected") from None
        if len(text) != 10:
            raise FieldError(f"{name}: a date YYYY-MM-DD is expected")
    if field.type == "email" and not _EMAIL.match(text):
        raise FieldError(f"{name}: not an e-mail address")
    if field.type == "phone" and not _PHONE.match(text):
        raise FieldError(f"{name}: not a phone number")
    return text


def check_data(formdef: Formdef, data: dict[str, Any]) -> dict[str, Any]:
    """The submitted values the formdef knows, checked (unknown keys are ignored, as in
    w.c.s.)."""
    kept: dict[str, Any] = {}
    for field in formdef.fields:
        value = data.get(field.varname)
        if value is None or value == "" or value == []:
            if field.required:
                raise FieldError(f"{field.varname}: required")
            continue
        kept[field.varname] = _check_value(field, value)
    return kept


class Wcs:
    """The w.c.s. routes of one peer."""

    def __init__(self, ctx: PeerContext) -> None:
        self.ctx = ctx
        self.seed = ctx.seed.wcs

    def routes(self) -> list[Route]:
        """Every w.c.s. route."""
        p = "/wcs/api"
        auth = signed(self.ctx)
        return [
            route("GET", rf"{p}/formdefs/?", self.formdefs, auth),
            route("GET", rf"{p}/formdefs/(?P<slug>[^/]+)/schema/?", self.schema, auth),
            route("POST", rf"{p}/formdefs/(?P<slug>[^/]+)/submit/?", self.submit, auth),
            route("GET", rf"{p}/code/(?P<code>[^/]+)/?", self.code, auth),
            route("GET", rf"{p}/forms/(?P<slug>[^/]+)/(?P<id>[^/]+)/?", self.formdata, auth),
        ]

    # -- URLs --

    def _front(self, slug: str, number: int | None = None) -> str:
        tail = f"{number}/" if number is not None else ""
        return f"{self.ctx.base_url}/wcs/{slug}/{tail}"

    def _urls(self, slug: str, number: int) -> dict[str, str]:
        base = self.ctx.base_url + "/wcs"
        return {"url": self._front(slug, number),
                "backoffice_url": f"{base}/backoffice/management/{slug}/{number}/",
                "api_url": f"{base}/api/forms/{slug}/{number}/"}

    def _formdef_number(self, formdef: Formdef) -> int:
        return self.seed.formdefs.index(formdef) + 1

    # -- resources --

    def formdefs(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET formdefs/: the forms on offer."""
        data = [{
            "title": formdef.title,
            "slug": formdef.slug,
            "url": self._front(formdef.slug),
            "description": formdef.description,
            "keywords": list(formdef.keywords),
            "authentication_required": False,
            "always_advertise": False,
            "redirection": False,
            "category": formdef.category or None,
            "category_slug": formdef.category_slug or None,
            "functions": {},
        } for formdef in self.seed.formdefs]
        return ok({"data": data})

    def _formdef_or_404(self, slug: str) -> Formdef | PeerResponse:
        formdef = self.seed.formdef(slug)
        if formdef is None:
            return error(404, "Page not found", "unknown formdef", "not-found")
        return formdef

    def schema(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET formdefs/<slug>/schema: the form's fields and workflow (bare, as w.c.s.)."""
        formdef = self._formdef_or_404(groups["slug"])
        if isinstance(formdef, PeerResponse):
            return formdef
        fields = []
        for index, field in enumerate(formdef.fields, start=1):
            entry: dict[str, Any] = {"id": str(index), "label": field.label, "type": field.type,
                                     "varname": field.varname, "required": field.required,
                                     "hint": field.hint}
            if field.items:
                entry["items"] = list(field.items)
            fields.append(entry)
        return json_response(200, {
            "name": formdef.title,
            "url_name": formdef.slug,
            "description": formdef.description,
            "keywords": ", ".join(formdef.keywords),
            "category": formdef.category or None,
            "enable_tracking_codes": formdef.enable_tracking_codes,
            "tracking_code_verify_fields": [],
            "always_advertise": False,
            "disabled": False,
            "only_allow_one": False,
            "has_captcha": False,
            "discussion": False,
            "detailed_emails": True,
            "disabled_redirection": None,
            "expiration_date": None,
            "publication_date": None,
            "fields": fields,
            "workflow": {
                "name": f"Traitement — {formdef.title}",
                "statuses": [{"id": status.id, "name": status.name,
                              "endpoint": status.endpoint, "waitpoint": True}
                             for status in formdef.statuses],
                "fields": [],
            },
        })

    def submit(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST formdefs/<slug>/submit: record a form; its number and tracking code."""
        formdef = self._formdef_or_404(groups["slug"])
        if isinstance(formdef, PeerResponse):
            return formdef
        body, problem = json_body(request)
        if problem is not None:
            return problem
        assert body is not None
        data, meta, context = body.get("data"), body.get("meta", {}), body.get("context", {})
        if not isinstance(data, dict):
            return error(400, "Invalid request", "data must be a JSON object", "invalid-request")
        if not isinstance(meta, dict) or not isinstance(context, dict):
            return error(400, "Invalid request", "meta and context must be JSON objects",
                         "invalid-request")
        if context.get("channel", "web") not in CHANNELS:
            return error(400, "Invalid request", "unknown submission channel",
                         "invalid-request")
        if not isinstance(context.get("comments", ""), str):
            return error(400, "Invalid request", "context.comments must be text",
                         "invalid-request")
        draft = bool(meta.get("draft"))
        try:
            if not draft:
                check_data(formdef, data)
        except FieldError as err:
            return error(400, "Invalid request", f"invalid field {err}", "invalid-request")
        now = self.ctx.clock.now()
        with self.ctx.store.transaction():
            top = self.ctx.store.row("SELECT MAX(number) AS top FROM forms WHERE slug = ?",
                                     (formdef.slug,))
            number = int(top["top"] or 0) + 1 if top is not None else 1
            code = self._new_tracking_code() if formdef.enable_tracking_codes else None
            self.ctx.store.execute(
                "INSERT INTO forms (slug, number, tracking_code, submitted_at, body, "
                "idempotency_key) VALUES (?, ?, ?, ?, ?, ?)",
                (formdef.slug, number, code, iso(now),
                 json.dumps({"data": data, "meta": meta, "context": context},
                            ensure_ascii=False), request.idempotency_key))
        answer: dict[str, Any] = {"data": {"id": number, **self._urls(formdef.slug, number)}}
        if code is not None:
            answer["tracking_code"] = code
        return ok(answer)

    def _new_tracking_code(self) -> str:
        while True:
            code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
            if self.ctx.store.row("SELECT 1 FROM forms WHERE tracking_code = ?",
                                  (code,)) is None:
                return code

    def code(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET code/<tracking code>: where the form is (no account needed)."""
        row = self.ctx.store.row("SELECT slug, number FROM forms WHERE tracking_code = ?",
                                 (groups["code"].upper(),))
        if row is None:
            return error(404, "Page not found", "unknown tracking code", "not-found")
        url = self._front(row["slug"], row["number"])
        # w.c.s. gives a temporary access URL (300 s); the peer serves no front office.
        return ok({"url": url, "load_url": f"{url}?mt={secrets.token_urlsafe(12)}"})

    def formdata(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET forms/<slug>/<id>/: the form, its workflow status and its evolution."""
        formdef = self._formdef_or_404(groups["slug"])
        if isinstance(formdef, PeerResponse):
            return formdef
        if not groups["id"].isdigit():
            return error(404, "Page not found", "unknown form", "not-found")
        row = self.ctx.store.row("SELECT * FROM forms WHERE slug = ? AND number = ?",
                                 (formdef.slug, int(groups["id"])))
        if row is None:
            return error(404, "Page not found", "unknown form", "not-found")
        return json_response(200, self.formdata_view(formdef, row, self.ctx.clock.now()))

    def _time(self, moment: datetime) -> str:
        return self.ctx.local(moment).strftime(WCS_TIME)

    def formdata_view(self, formdef: Formdef, row: Any, now: datetime) -> dict[str, Any]:
        """A formdata as w.c.s. exports it, at `now` on the peer clock."""
        body = json.loads(row["body"])
        submitted = from_iso(row["submitted_at"])
        number = int(row["number"])
        display_id = f"{self._formdef_number(formdef)}-{number}"
        try:
            fields = check_data(formdef, body["data"])
        except FieldError:  # a draft, kept as given
            fields = {k: v for k, v in body["data"].items() if formdef.field(k)}
        if body["meta"].get("draft"):
            reached: list[lifecycle.Reached[Any]] = []
            status = {"id": "draft", "name": "Brouillon", "endpoint": False,
                      "first_arrival_datetime": self._time(submitted),
                      "latest_arrival_datetime": self._time(submitted)}
        else:
            reached = lifecycle.reached(submitted, formdef.statuses, now)
            current = reached[-1]
            arrival = self._time(current.at)
            status = {"id": current.step.id, "name": current.step.name,
                      "endpoint": current.step.endpoint,
                      "first_arrival_datetime": arrival, "latest_arrival_datetime": arrival}
        view: dict[str, Any] = {
            "id": number,
            "display_id": display_id,
            "display_name": f"{formdef.title} - n°{display_id}",
            "receipt_time": self._time(submitted),
            "last_update_time": self._time(reached[-1].at if reached else submitted),
            "criticality_level": 0,
            **self._urls(formdef.slug, number),
            "fields": fields,
            "workflow": {"status": status, "real_status": status},
            "evolution": [{"status": step.step.id, "time": self._time(step.at),
                           "comment": step.step.comment or None} for step in reached],
            "submission": {"backoffice": False,
                           "channel": body["context"].get("channel", "web")},
        }
        if row["tracking_code"]:
            view["tracking_code"] = row["tracking_code"]
        return view
