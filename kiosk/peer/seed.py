"""The peer's seed file (config/peer-seed.json): the city, the credentials, the Open311 services
and existing requests, the w.c.s. formdefs and the Chrono agendas, validated as a whole.

Seed data is configuration, read at every start: services, forms and agendas come from it each
time; only the seeded requests are copied into a new data file once (their ages are relative to
the peer clock at that moment). A bad file is refused with one line per problem, naming the file,
the place in it and the reason.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: The seed shipped with the repository, used when none is given.
DEFAULT_SEED = Path(__file__).resolve().parents[2] / "config" / "peer-seed.json"

#: Open311 GeoReport v2 attribute datatypes (spec, "GET Service Definition").
Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
#: Open311 service types (spec, "GET Service List").
ServiceType = Literal["realtime", "batch", "blackbox"]
#: Request states used in mySociety's servicerequestupdates ("Open311 FMS – Complete Spec").
UpdateStatus = Literal["open", "in_progress", "action_scheduled", "investigating", "fixed",
                       "closed", "duplicate", "not_councils_responsibility", "no_further_action",
                       "internal_referral"]
#: The mySociety states that mean `closed` in a GeoReport v2 request (whose status is open|closed).
CLOSED_STATES = frozenset({"fixed", "closed", "duplicate", "not_councils_responsibility",
                           "no_further_action", "internal_referral"})
#: w.c.s. field types the peer serves (w.c.s. `fields.py`; phone is a w.c.s. string field
#: with phone validation in real w.c.s., kept as its own type here as the contract asks).
WcsFieldType = Literal["string", "text", "date", "item", "items", "email", "phone"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday",
                                 "saturday", "sunday")

#: Environment variables that override the seed's credentials (contract, "The reference peer").
CREDENTIAL_ENV = {
    "open311_api_key": "KIOSK_PEER_OPEN311_API_KEY",
    "publik_orig": "KIOSK_PEER_PUBLIK_ORIG",
    "publik_key": "KIOSK_PEER_PUBLIK_KEY",
    "fleet_token": "KIOSK_PEER_FLEET_TOKEN",
}

_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_SLUG = r"^[a-z0-9][a-z0-9-]*$"
_VARNAME = r"^[a-z][a-z0-9_]*$"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class SeedCredentials(_Model):
    """The secrets clients must present; overridable by KIOSK_PEER_* environment variables."""

    open311_api_key: str = Field(min_length=1)
    """Open311 `api_key` expected on POST requests."""
    publik_orig: str = Field(min_length=1)
    """The Publik `orig` (caller id) the peer knows."""
    publik_key: str = Field(min_length=1)
    """The HMAC key shared with that `orig`."""
    fleet_token: str = Field(min_length=1)
    """The bearer token of the fleet endpoints."""


class City(_Model):
    """Who the peer pretends to be."""

    name: str
    jurisdiction_id: str = Field(min_length=1)
    """Open311 jurisdiction_id; requests giving another one get 404."""
    timezone: str = "Europe/Paris"
    """Local time of the agendas and of the dates shown."""
    contact: str = ""
    """Open311 discovery `contact`."""
    key_service: str = ""
    """Open311 discovery `key_service`: where a developer asks for an api_key."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class LifecycleStep(_Model):
    """A status a request reaches `after_hours` after it was made (by the peer clock)."""

    after_hours: float = Field(ge=0)
    status: UpdateStatus
    note: str = ""
    """Shown as status_notes and as the update's description."""


def _check_lifecycle(steps: tuple[LifecycleStep, ...], what: str) -> None:
    if not steps:
        return
    if steps[0].after_hours != 0 or steps[0].status != "open":
        raise ValueError(f"{what}: the first step must be status 'open' after 0 hours")
    hours = [step.after_hours for step in steps]
    if hours != sorted(set(hours)) or len(set(hours)) != len(hours):
        raise ValueError(f"{what}: after_hours must strictly increase")


class AttributeValue(_Model):
    """One choice of a list attribute."""

    key: str = Field(min_length=1)
    name: str = Field(min_length=1)


class Attribute(_Model):
    """An Open311 service attribute (a question of the service's form)."""

    code: str = Field(pattern=_CODE)
    datatype: Datatype
    description: str = Field(min_length=1)
    """The question, as the citizen reads it."""
    required: bool = False
    variable: bool = True
    """False: information shown to the citizen, no answer expected."""
    order: int = Field(ge=1)
    datatype_description: str | None = None
    values: tuple[AttributeValue, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Attribute:
        listed = self.datatype in ("singlevaluelist", "multivaluelist")
        if listed and not self.values:
            raise ValueError(f"attribute {self.code}: a {self.datatype} needs values")
        if not listed and self.values:
            raise ValueError(f"attribute {self.code}: only list datatypes have values")
        if not self.variable and self.required:
            raise ValueError(f"attribute {self.code}: a non-variable attribute cannot be required")
        keys = [value.key for value in self.values]
        if len(set(keys)) != len(keys):
            raise ValueError(f"attribute {self.code}: duplicate value keys")
        return self


class Service(_Model):
    """An Open311 service (a kind of request)."""

    service_code: str = Field(pattern=_CODE)
    service_name: str = Field(min_length=1)
    description: str = ""
    type: ServiceType
    keywords: str = ""
    """Comma-separated, as in the spec."""
    group: str = ""
    agency_responsible: str = ""
    service_notice: str | None = None
    """Returned on POST and on the request."""
    attributes: tuple[Attribute, ...] = ()
    lifecycle: tuple[LifecycleStep, ...] = ()
    """How a request's status moves on with time (empty: it stays open)."""

    @property
    def metadata(self) -> bool:
        """Whether the service has a definition worth fetching (spec: `metadata`)."""
        return bool(self.attributes)

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        codes = [attribute.code for attribute in self.attributes]
        if len(set(codes)) != len(codes):
            raise ValueError(f"service {self.service_code}: duplicate attribute codes")
        _check_lifecycle(self.lifecycle, f"service {self.service_code} lifecycle")
        return self


class SeedRequest(_Model):
    """A request that exists before anyone uses the peer, so that tracking has something to show."""

    service_request_id: str = Field(pattern=r"^\d{6}$")
    service_code: str
    hours_ago: float = Field(ge=0)
    """Age when the data file is created, by the peer clock."""
    description: str = Field(default="", max_length=4000)
    address: str = ""
    zipcode: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    history: tuple[LifecycleStep, ...] | None = None
    """This request's own history, instead of its service's lifecycle."""

    @model_validator(mode="after")
    def _consistent(self) -> SeedRequest:
        if self.history is not None:
            _check_lifecycle(self.history, f"request {self.service_request_id} history")
        return self


class Open311Seed(_Model):
    """The Open311 GeoReport v2 side."""

    changeset: str
    """Discovery `changeset`: when the service list last changed."""
    batch_number_delay_s: float = Field(default=5, ge=0)
    """How long after a batch POST its token gets a service_request_id (peer clock)."""
    services: tuple[Service, ...]
    requests: tuple[SeedRequest, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Open311Seed:
        codes = [service.service_code for service in self.services]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate service_code")
        by_code = {service.service_code: service for service in self.services}
        ids = [request.service_request_id for request in self.requests]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate service_request_id in requests")
        for request in self.requests:
            service = by_code.get(request.service_code)
            if service is None:
                raise ValueError(f"request {request.service_request_id}: unknown service_code "
                                 f"{request.service_code!r}")
            if service.type == "blackbox":
                raise ValueError(f"request {request.service_request_id}: a blackbox service "
                                 "gives no number")
        return self

    def service(self, code: str) -> Service | None:
        """The service with this code."""
        return next((s for s in self.services if s.service_code == code), None)


class WcsField(_Model):
    """A field of a w.c.s. form."""

    varname: str = Field(pattern=_VARNAME)
    label: str = Field(min_length=1)
    type: WcsFieldType
    required: bool = False
    hint: str = ""
    items: tuple[str, ...] = ()
    """The choices of an item / items field."""

    @model_validator(mode="after")
    def _consistent(self) -> WcsField:
        listed = self.type in ("item", "items")
        if listed and not self.items:
            raise ValueError(f"field {self.varname}: an {self.type} field needs items")
        if not listed and self.items:
            raise ValueError(f"field {self.varname}: only item/items fields have items")
        return self


class WcsStatus(_Model):
    """A status of a formdef's workflow, reached `after_hours` after submission."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    after_hours: float = Field(ge=0)
    endpoint: bool = False
    comment: str = ""


class Formdef(_Model):
    """A w.c.s. form."""

    slug: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    description: str = ""
    keywords: tuple[str, ...] = ()
    category: str = ""
    category_slug: str = ""
    enable_tracking_codes: bool = True
    fields: tuple[WcsField, ...]
    statuses: tuple[WcsStatus, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Formdef:
        names = [field.varname for field in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"formdef {self.slug}: duplicate varnames")
        hours = [status.after_hours for status in self.statuses]
        if hours[0] != 0 or hours != sorted(set(hours)) or len(set(hours)) != len(hours):
            raise ValueError(f"formdef {self.slug}: status after_hours must start at 0 and "
                             "strictly increase")
        return self

    def field(self, varname: str) -> WcsField | None:
        """The field with this varname."""
        return next((f for f in self.fields if f.varname == varname), None)


class WcsSeed(_Model):
    """The w.c.s. side."""

    formdefs: tuple[Formdef, ...]

    @model_validator(mode="after")
    def _consistent(self) -> WcsSeed:
        slugs = [formdef.slug for formdef in self.formdefs]
        if len(set(slugs)) != len(slugs):
            raise ValueError("duplicate formdef slug")
        return self

    def formdef(self, slug: str) -> Formdef | None:
        """The formdef with this slug."""
        return next((f for f in self.formdefs if f.slug == slug), None)


class MeetingType(_Model):
    """A kind of appointment in an agenda, with its length."""

    slug: str = Field(pattern=_SLUG)
    text: str = Field(min_length=1)
    duration: int = Field(ge=5, le=480)
    """Minutes."""


class ExtraField(_Model):
    """An extra key a booking must carry (kept by Chrono as extra_data)."""

    varname: str = Field(pattern=_VARNAME)
    label: str
    required: bool = True
    pattern: str | None = None
    """A regular expression the whole value must match."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as err:
                raise ValueError(f"pattern does not compile: {err}") from None
        return value


class Agenda(_Model):
    """A Chrono meetings agenda: opening hours per weekday, slots cut from them."""

    slug: str = Field(pattern=_SLUG)
    text: str = Field(min_length=1)
    category: str = ""
    category_label: str = ""
    place: str = ""
    minimal_booking_delay: int = Field(default=0, ge=0)
    """Days from today before the first bookable day (Chrono's setting)."""
    maximal_booking_delay: int = Field(default=28, ge=1, le=366)
    """Days from today after which nothing is bookable."""
    already_booked_percent: int = Field(default=0, ge=0, le=100)
    """Share of slots shown as taken by other people (chosen by a hash, stable)."""
    meeting_types: tuple[MeetingType, ...] = Field(min_length=1)
    opening_hours: Mapping[Weekday, tuple[tuple[str, str], ...]]
    """Per weekday, ranges of "HH:MM" local time."""
    closed_dates: tuple[date, ...] = ()
    extra_fields: tuple[ExtraField, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Agenda:
        for day, ranges in self.opening_hours.items():
            for start, end in ranges:
                if not (_HHMM.match(start) and _HHMM.match(end)) or start >= end:
                    raise ValueError(f"agenda {self.slug}: opening hours {day} {start}-{end} "
                                     "must be HH:MM-HH:MM, start before end")
        slugs = [meeting.slug for meeting in self.meeting_types]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"agenda {self.slug}: duplicate meeting type slugs")
        if self.minimal_booking_delay >= self.maximal_booking_delay:
            raise ValueError(f"agenda {self.slug}: minimal_booking_delay must be below "
                             "maximal_booking_delay")
        return self

    def meeting_type(self, slug: str) -> MeetingType | None:
        """The meeting type with this slug."""
        return next((m for m in self.meeting_types if m.slug == slug), None)

    def ranges(self, weekday: Weekday) -> tuple[tuple[time, time], ...]:
        """The opening ranges of a weekday, as times."""
        return tuple((time.fromisoformat(a), time.fromisoformat(b))
                     for a, b in self.opening_hours.get(weekday, ()))


class ChronoSeed(_Model):
    """The Chrono side."""

    agendas: tuple[Agenda, ...]

    @model_validator(mode="after")
    def _consistent(self) -> ChronoSeed:
        slugs = [agenda.slug for agenda in self.agendas]
        if len(set(slugs)) != len(slugs):
            raise ValueError("duplicate agenda slug")
        return self

    def agenda(self, slug: str) -> Agenda | None:
        """The agenda with this slug."""
        return next((a for a in self.agendas if a.slug == slug), None)


class PeerSeed(_Model):
    """The whole seed file."""

    city: City
    credentials: SeedCredentials
    open311: Open311Seed
    wcs: WcsSeed
    chrono: ChronoSeed


class SeedError(Exception):
    """A seed file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_seed(path: Path | None = None) -> PeerSeed:
    """The validated seed at `path` (default: the repository's config/peer-seed.json)."""
    path = path or DEFAULT_SEED
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SeedError([f"{path}: cannot read ({err.strerror or type(err).__name__})"]) from None
    except json.JSONDecodeError as err:
        raise SeedError([f"{path}: line {err.lineno}, column {err.colno}: not JSON "
                         f"({err.msg})"]) from None
    try:
        return PeerSeed.model_validate(raw)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            where = ".".join(str(part) for part in error["loc"]) or "(top level)"
            problems.append(f"{path}: {where}: {error['msg']}")
        raise SeedError(problems) from None


@dataclass(frozen=True)
class PeerCredentials:
    """The credentials in force: the seed's, each overridable by its environment variable."""

    open311_api_key: str
    publik_orig: str
    publik_key: str
    fleet_token: str

    def as_dict(self) -> dict[str, str]:
        """The contract's `RunningPeer.credentials` dictionary."""
        return {name: getattr(self, name) for name in CREDENTIAL_ENV}

    def __repr__(self) -> str:  # never print secrets by accident
        return "PeerCredentials(<hidden>)"


def resolve_credentials(seed: PeerSeed, environ: Mapping[str, str] | None = None
                        ) -> PeerCredentials:
    """The seed's credentials with the KIOSK_PEER_* overrides applied."""
    environ = os.environ if environ is None else environ
    values = {name: environ.get(variable) or getattr(seed.credentials, name)
              for name, variable in CREDENTIAL_ENV.items()}
    return PeerCredentials(**values)
