"""JSON form of what the outbox holds: a request, a booking, a cancellation, a survey answer.

The outbox stores a submission as text so that a station restarted after a crash or an update
can still send it; this is that text. Each payload says its kind and its schema version, so a
newer kiosk can read what an older one queued (and an older one refuses, rather than
misreads, what a newer one wrote). The round trip is exact: `decode(encode(x)) == x`, dates
and times as ISO 8601 with their UTC offset (or without one when the value had none).

Error messages name the field that is wrong, never its value: a payload holds personal data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from kiosk.core.central import (
    Answer,
    Appointment,
    AppointmentStatus,
    BookingRequest,
    Contact,
    Place,
    RequestSubmission,
    Slot,
    SlotStatus,
    SurveyAnswer,
)
from kiosk.core.submission import Submission

#: Version of the JSON layout below; bump it (and teach `decode` the old one) on any change.
SCHEMA_VERSION = 1



class ItemKind(StrEnum):
    """What a payload is; the outbox stores the same value as the item's kind."""

    REQUEST = "request"
    BOOKING = "booking"
    CANCELLATION = "cancellation"
    SURVEY = "survey"


class CodecError(ValueError):
    """A payload that cannot be read back. The message names a field, never a value."""


_KINDS: dict[type, ItemKind] = {
    RequestSubmission: ItemKind.REQUEST,
    BookingRequest: ItemKind.BOOKING,
    Appointment: ItemKind.CANCELLATION,
    SurveyAnswer: ItemKind.SURVEY,
}


def kind_of(submission: Submission) -> ItemKind:
    """The kind of a submission, from its type."""
    try:
        return _KINDS[type(submission)]
    except KeyError:
        raise TypeError(f"the outbox does not carry {type(submission).__name__}") from None


# -- encoding -------------------------------------------------------------------------------


def _answer(value: Answer) -> str | list[str]:
    return list(value) if isinstance(value, tuple) else value


def _request(r: RequestSubmission) -> dict[str, Any]:
    return {
        "service_id": r.service_id,
        "answers": {code: _answer(v) for code, v in r.answers.items()},
        "place": {"lat": r.place.lat, "long": r.place.long, "address": r.place.address},
        "station_id": r.station_id,
        "station_ref": r.station_ref,
        "description": r.description,
        "contact": {"first_name": r.contact.first_name, "last_name": r.contact.last_name,
                    "email": r.contact.email, "phone": r.contact.phone},
    }


def _slot(s: Slot) -> dict[str, Any]:
    return {"id": s.id, "schedule_id": s.schedule_id, "start": s.start.isoformat(),
            "end": s.end.isoformat(), "status": s.status.value}


def _booking(b: BookingRequest) -> dict[str, Any]:
    return {"slot": _slot(b.slot), "name": b.name, "station_id": b.station_id,
            "station_ref": b.station_ref, "phone": b.phone, "email": b.email,
            "ants_number": b.ants_number, "documents": b.documents}


def _appointment(a: Appointment) -> dict[str, Any]:
    return {"id": a.id, "schedule_id": a.schedule_id, "start": a.start.isoformat(),
            "end": a.end.isoformat(), "status": a.status.value, "links": dict(a.links)}


def _survey(s: SurveyAnswer) -> dict[str, Any]:
    return {"flow": s.flow, "station_id": s.station_id, "station_ref": s.station_ref,
            "overall": s.overall, "clarity": s.clarity, "help_received": s.help_received}


_ENCODERS: dict[ItemKind, Callable[[Any], dict[str, Any]]] = {
    ItemKind.REQUEST: _request,
    ItemKind.BOOKING: _booking,
    ItemKind.CANCELLATION: _appointment,
    ItemKind.SURVEY: _survey,
}


def encode(submission: Submission) -> str:
    """The payload text of a submission (compact JSON, UTF-8 kept as is)."""
    kind = kind_of(submission)
    document = {"schema_version": SCHEMA_VERSION, "kind": kind.value,
                "data": _ENCODERS[kind](submission)}
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"))
    except ValueError:
        # NaN or infinity in a coordinate: JSON has no spelling for them.
        raise CodecError(f"{kind.value}: a number is not finite") from None


# -- decoding -------------------------------------------------------------------------------

T = TypeVar("T")
_MISSING: Any = object()


class _Reader:
    """Typed access to one JSON object, with the path of the field in every error."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise CodecError(f"{where}: not an object")
        self._data = data
        self._where = where

    def _get(self, key: str, default: object) -> object:
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            raise CodecError(f"{self._where}.{key}: missing")
        return default

    def _fail(self, key: str, expected: str) -> CodecError:
        return CodecError(f"{self._where}.{key}: not {expected}")

    def text(self, key: str, default: str = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, None)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "a string or null")
        return value

    def opt_integer(self, key: str) -> int | None:
        value = self._get(key, None)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._fail(key, "an integer or null")
        return value

    def integer(self, key: str, default: int = _MISSING) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "an integer")
        return value

    def opt_number(self, key: str) -> float | None:
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            raise self._fail(key, "a number or null")
        return value

    def when(self, key: str) -> datetime:
        text = self.text(key)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise self._fail(key, "an ISO 8601 date and time") from None

    def choice(self, key: str, enum: Callable[[str], T]) -> T:
        text = self.text(key)
        try:
            return enum(text)
        except ValueError:
            raise self._fail(key, "a known value") from None

    def obj(self, key: str) -> _Reader:
        return _Reader(self._get(key, _MISSING), f"{self._where}.{key}")

    def text_map(self, key: str) -> dict[str, str]:
        value = self._get(key, _MISSING)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self._fail(key, "an object of strings")
        return dict(value)

    def answers(self, key: str) -> dict[str, Answer]:
        value = self._get(key, _MISSING)
        if not isinstance(value, dict):
            raise self._fail(key, "an object")
        out: dict[str, Answer] = {}
        for code, answer in value.items():
            if isinstance(answer, str):
                out[code] = answer
            elif isinstance(answer, list) and all(isinstance(v, str) for v in answer):
                out[code] = tuple(answer)
            else:
                raise CodecError(f"{self._where}.{key}: an answer is neither text nor a list")
        return out


def _read_request(d: _Reader) -> RequestSubmission:
    place = d.obj("place")
    contact = d.obj("contact")
    return RequestSubmission(
        service_id=d.text("service_id"),
        answers=d.answers("answers"),
        place=Place(lat=place.opt_number("lat"), long=place.opt_number("long"),
                    address=place.text("address", "")),
        station_id=d.text("station_id"),
        station_ref=d.text("station_ref"),
        description=d.text("description", ""),
        contact=Contact(first_name=contact.text("first_name", ""),
                        last_name=contact.text("last_name", ""),
                        email=contact.text("email", ""), phone=contact.text("phone", "")),
    )


def _read_booking(d: _Reader) -> BookingRequest:
    slot = d.obj("slot")
    return BookingRequest(
        slot=Slot(id=slot.text("id"), schedule_id=slot.text("schedule_id"),
                  start=slot.when("start"), end=slot.when("end"),
                  status=slot.choice("status", SlotStatus)),
        name=d.text("name"),
        station_id=d.text("station_id"),
        station_ref=d.text("station_ref"),
        phone=d.text("phone", ""),
        email=d.text("email", ""),
        ants_number=d.text("ants_number", ""),
        documents=d.integer("documents", 1),
    )


def _read_appointment(d: _Reader) -> Appointment:
    return Appointment(id=d.text("id"), schedule_id=d.text("schedule_id"),
                       start=d.when("start"), end=d.when("end"),
                       status=d.choice("status", AppointmentStatus), links=d.text_map("links"))


def _read_survey(d: _Reader) -> SurveyAnswer:
    return SurveyAnswer(flow=d.text("flow"), station_id=d.text("station_id"),
                        station_ref=d.text("station_ref"), overall=d.opt_integer("overall"),
                        clarity=d.opt_integer("clarity"), help_received=d.opt_text("help_received"))


_DECODERS: dict[ItemKind, Callable[[_Reader], Submission]] = {
    ItemKind.REQUEST: _read_request,
    ItemKind.BOOKING: _read_booking,
    ItemKind.CANCELLATION: _read_appointment,
    ItemKind.SURVEY: _read_survey,
}


def decode_document(text: str) -> tuple[ItemKind, Submission]:
    """The kind and the submission a payload holds."""
    try:
        document = json.loads(text)
    except ValueError:
        raise CodecError("payload: not JSON") from None
    top = _Reader(document, "payload")
    version = top.integer("schema_version")
    if version != SCHEMA_VERSION:
        raise CodecError(f"payload.schema_version: {version} is not supported "
                         f"(this kiosk reads {SCHEMA_VERSION})")
    kind = top.choice("kind", ItemKind)
    return kind, _DECODERS[kind](top.obj("data"))


def decode(text: str) -> Submission:
    """The submission a payload holds (`encode`'s inverse)."""
    return decode_document(text)[1]
