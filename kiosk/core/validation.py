"""Checking what people type, field by field, with messages that say which field is wrong and
how to put it right (docs/accessibility.md J1–J3). What was typed is never thrown away by a check:
the flows keep the raw text next to the checked value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.core.central import Answer, FieldType, FormField

# RFC 5322 is far wider; this is the shape people type at a kiosk (no quoted local parts).
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,}$")
# French numbers: 10 digits starting with 0, or +33 and 9 digits (ARCEP numbering plan).
PHONE_FR = re.compile(r"^(?:0\d{9}|\+33\d{9})$")
# ANTS pre-application number: 10 letters and digits (docs/central-systems.md, "ANTS
# pre-application numbers").
ANTS_NUMBER = re.compile(r"^[A-Z0-9]{10}$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
TIME_FORMATS = ("%H:%M", "%Hh%M", "%Hh")
MAX_TEXT = 4000  # Open311 description limit, applied to every free text


@dataclass(frozen=True)
class Invalid:
    """Why a value is refused: a message key and the values its text needs."""

    key: str
    label: str = ""
    example: str = ""


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-()]", "", text)


def check_email(text: str) -> str | Invalid:
    """An e-mail address as typed, trimmed."""
    value = text.strip()
    return value if EMAIL.match(value) else Invalid("error.email", example="nom@exemple.fr")


def check_phone(text: str) -> str | Invalid:
    """A French phone number, digits only (spaces, dots and dashes are grouping)."""
    value = _compact(text)
    return value if PHONE_FR.match(value) else Invalid("error.phone", example="06 12 34 56 78")


def check_ants_number(text: str) -> str | Invalid:
    """The ANTS pre-application number, checked before anything is sent."""
    value = _compact(text).upper()
    return value if ANTS_NUMBER.match(value) else Invalid("error.ants", example="AB12CD34EF")


def parse_date(text: str) -> date | None:
    """A date typed the French way (02/11/2026) or in ISO form."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def check_field(field: FormField, raw: Answer) -> Answer | Invalid | None:
    """The value to send for `field`, None for an optional field left empty, or why not."""
    if isinstance(raw, tuple):
        values = tuple(v for v in raw if v)
        if not values:
            return Invalid("error.required", field.label) if field.required else None
        known = {c.key for c in field.choices}
        if field.choices and not set(values) <= known:
            return Invalid("error.choice", field.label)
        return values
    text = raw.strip()
    if not text:
        return Invalid("error.required", field.label) if field.required else None
    match field.type:
        case FieldType.NUMBER:
            number = text.replace(",", ".").replace(" ", "")
            try:
                float(number)
            except ValueError:
                return Invalid("error.number", field.label, "12")
            return number
        case FieldType.DATE:
            day = parse_date(text)
            return day.isoformat() if day else Invalid("error.date", field.label, "02/11/2026")
        case FieldType.DATETIME:
            return _check_datetime(field, text)
        case FieldType.EMAIL:
            result = check_email(text)
            return Invalid(result.key, field.label, result.example) if isinstance(
                result, Invalid) else result
        case FieldType.PHONE:
            result = check_phone(text)
            return Invalid(result.key, field.label, result.example) if isinstance(
                result, Invalid) else result
        case FieldType.CHOICE:
            if field.choices and text not in {c.key for c in field.choices}:
                return Invalid("error.choice", field.label)
            return text
        case FieldType.MULTI_CHOICE:
            return check_field(field, (text,))
    if len(text) > MAX_TEXT:
        return Invalid("error.too_long", field.label, str(MAX_TEXT))
    return text


def _check_datetime(field: FormField, text: str) -> str | Invalid:
    day_text, _, time_text = text.partition(" ")
    day = parse_date(day_text)
    moment = None
    for fmt in TIME_FORMATS:
        try:
            moment = datetime.strptime(time_text.strip(), fmt).time()
            break
        except ValueError:
            continue
    if day is None or moment is None:
        return Invalid("error.datetime", field.label, "02/11/2026 14:30")
    return datetime.combine(day, moment).isoformat(timespec="minutes")
