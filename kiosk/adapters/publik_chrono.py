"""Publik Chrono (agendas) behind the core's AppointmentBook port.

Source: Chrono's agenda API; docs/central-systems.md says what the kiosk relies on. Only
"meetings" agendas are offered: one Schedule per agenda × meeting type, id
"chrono:<agenda-slug>/<meeting-type>".
- Slots: GET agenda/<slug>/meetings/<type>/datetimes/?date_start&date_end (end excluded);
  a disabled slot is not offered. Chrono times are the city's local time without a zone.
- Booking: POST to the slot's `api.fillslot_url` with the user_* fields and extra keys
  (ants_number, documents, station_ref) that Chrono keeps as extra_data. "No more desk
  available" (HTTP 200 with err=1 like Chrono, or 409) → CentralError(CONFLICT).
- The booking's `api.*` links are kept in Appointment.links and followed (cancel_url), as
  Chrono's documentation advises, falling back to booking/<id>/cancel/ when a link is
  missing or points outside the configured base.
- Passport/ID-card agendas need the ANTS pre-application number. Chrono's agenda API has no
  such flag, so an agenda is marked by any of: its category slug (Chrono's `category`) in
  `ants_categories` (default "titres-identite", the seed's passeport-cni agenda); its slug in
  `ants_agendas`; or, on the reference peer, an `extra_fields` entry named "ants_number" (a
  key real Chrono does not have).

Every call is signed (PublikClient).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from kiosk.adapters.http import (
    HttpClient,
    as_bool,
    as_dict,
    as_id,
    as_int,
    as_list,
    as_text,
    malformed,
)
from kiosk.adapters.publik_wcs import (
    SAFE_SEGMENT,
    Clock,
    PublikClient,
    PublikError,
    envelope_data,
)
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    CentralError,
    CentralFailure,
    Holder,
    Schedule,
    Slot,
    SlotStatus,
)

PREFIX = "chrono:"
#: Agenda category marking passport/ID-card appointments (see the module docstring).
ANTS_CATEGORIES = ("titres-identite",)
#: The extra key carrying the ANTS pre-application number (docs/central-systems.md, Chrono).
ANTS_FIELD = "ants_number"
#: Chrono err_class values meaning "someone else took it" (chrono/api/views.py, fillslot).
TAKEN_CLASSES = ("no more desk available", "sold out", "event is full")
#: Chrono err_class values meaning the booking is already cancelled.
CANCELLED_CLASSES = ("booking is cancelled", "already cancelled")
#: Slot links remembered between free_slots() and book() (a day or two of several agendas).
MAX_REMEMBERED_SLOTS = 5000


class ChronoAdapter:
    """AppointmentBook over Chrono's meetings agendas."""

    def __init__(self, http: HttpClient, base_url: str, orig: str, key: str, *,
                 ants_categories: Collection[str] = ANTS_CATEGORIES,
                 ants_agendas: Collection[str] = (), timezone: str = "Europe/Paris",
                 clock: Clock | None = None) -> None:
        self._publik = PublikClient(http, base_url, orig, key, central="chrono", clock=clock,
                                    conflict_classes=TAKEN_CLASSES + CANCELLED_CLASSES)
        self._ants_categories = frozenset(ants_categories)
        self._ants_agendas = frozenset(ants_agendas)
        self._tz = ZoneInfo(timezone)
        self._lock = threading.Lock()
        self._durations: dict[str, int] = {}
        self._fillslot_urls: OrderedDict[tuple[str, str], str] = OrderedDict()

    def __repr__(self) -> str:
        return f"ChronoAdapter({self._publik.base!r})"

    # -- schedules and slots -------------------------------------------------------------

    def schedules(self) -> Sequence[Schedule]:
        """GET agenda/, then GET agenda/<slug>/meetings/ for each meetings agenda."""
        answer, doc = self._publik.get(self._publik.url("agenda/"), "agenda")
        schedules: list[Schedule] = []
        for agenda in as_list(envelope_data(doc), answer.where, "agendas"):
            agenda = as_dict(agenda, answer.where, "agenda")
            kind = as_text(agenda.get("kind"), answer.where, "kind") or "meetings"
            if kind != "meetings":
                continue  # events and virtual agendas are not appointment books here
            slug = as_text(agenda.get("slug") or agenda.get("id"), answer.where, "slug")
            if not SAFE_SEGMENT.fullmatch(slug):
                raise malformed(answer.where, "agenda slug missing or not a slug")
            schedules += self._meeting_schedules(agenda, slug, answer.where)
        return schedules

    def _meeting_schedules(self, agenda: dict[str, Any], slug: str,
                           agenda_where: str) -> list[Schedule]:
        answer, doc = self._publik.get(self._publik.url(f"agenda/{slug}/meetings/"),
                                       "agenda/{agenda}/meetings")
        types = as_list(envelope_data(doc), answer.where, "meeting types")
        title = as_text(agenda.get("text") or agenda.get("label"), agenda_where,
                        "text").strip() or slug
        ants = slug in self._ants_agendas or _category(agenda) in self._ants_categories or (
            ANTS_FIELD in _extra_fields(agenda, agenda_where))
        place = agenda.get("place")
        place = place.strip() if isinstance(place, str) else ""
        result = []
        for item in types:
            item = as_dict(item, answer.where, "meeting type")
            type_slug = as_text(item.get("id") or item.get("slug"), answer.where, "id")
            if not SAFE_SEGMENT.fullmatch(type_slug):
                raise malformed(answer.where, "meeting type id missing or not a slug")
            duration = as_int(item.get("duration"), answer.where, "duration")
            schedule_id = f"{PREFIX}{slug}/{type_slug}"
            with self._lock:
                self._durations[schedule_id] = duration
            text = as_text(item.get("text"), answer.where, "text").strip()
            name = title if len(types) == 1 or not text else f"{title} – {text}"
            result.append(Schedule(id=schedule_id, name=name, place=place,
                                   duration_min=duration, needs_ants_number=ants))
        return result

    def free_slots(self, schedule_id: str, start: date, end: date) -> Sequence[Slot]:
        """GET …/meetings/<type>/datetimes/ from `start` to `end` (excluded); enabled only."""
        agenda, meeting = _parse_schedule(schedule_id)
        url = self._publik.url(f"agenda/{agenda}/meetings/{meeting}/datetimes/",
                               [("date_start", start.isoformat()),
                                ("date_end", end.isoformat())])
        answer, doc = self._publik.get(url, "agenda/{agenda}/meetings/{type}/datetimes")
        duration = self._duration(schedule_id, agenda)
        slots = []
        for item in as_list(envelope_data(doc), answer.where, "datetimes"):
            item = as_dict(item, answer.where, "datetime")
            if as_bool(item.get("disabled"), answer.where, "disabled"):
                continue
            slot_id = as_id(item.get("id"), answer.where, "slot id")
            begins = self._datetime(item.get("datetime"), answer.where)
            if begins is None:
                raise malformed(answer.where, "slot without a datetime")
            if not start <= begins.date() < end:
                continue  # a server that ignores the date range
            ends = self._datetime(item.get("end_datetime"), answer.where) or (
                begins + timedelta(minutes=duration))
            api = item.get("api")
            if isinstance(api, dict) and isinstance(api.get("fillslot_url"), str):
                self._remember(schedule_id, slot_id, api["fillslot_url"])
            slots.append(Slot(id=slot_id, schedule_id=schedule_id, start=begins, end=ends,
                              status=SlotStatus.FREE))
        return slots

    # -- bookings ------------------------------------------------------------------------

    def book(self, request: BookingRequest, idempotency_key: str) -> Appointment:
        """POST the slot's fillslot URL; CentralError(CONFLICT) when it was taken."""
        slot = request.slot
        agenda, _ = _parse_schedule(slot.schedule_id)
        with self._lock:
            link = self._fillslot_urls.get((slot.schedule_id, slot.id))
        url = self._follow(link, f"agenda/{agenda}/fillslot/{quote(slot.id, safe=':@')}/")
        payload: dict[str, object] = {
            "label": f"Borne {request.station_id}",
            "user_display_label": request.name,
            "user_last_name": request.name,
            "station_ref": request.station_ref,
            "documents": str(request.documents),
        }
        if request.email:
            payload["user_email"] = request.email
        if request.phone:
            payload["user_phone_number"] = request.phone
        if request.ants_number:
            payload["ants_number"] = request.ants_number
        answer, doc = self._publik.post(url, payload, idempotency_key,
                                        "agenda/{agenda}/fillslot/{slot}")
        booking = as_id(doc.get("booking_id"), answer.where, "booking_id")
        begins = self._datetime(doc.get("datetime"), answer.where) or slot.start
        ends = self._datetime(doc.get("end_datetime"), answer.where) or slot.end
        return Appointment(id=booking, schedule_id=slot.schedule_id, start=begins, end=ends,
                           status=AppointmentStatus.BOOKED,
                           links=_links(doc.get("api"), answer.where))

    def appointment(self, appointment_id: str) -> Appointment | None:
        """GET booking/<id>/: None when there is no such booking; CentralError(CONFLICT) when
        it has been cancelled (Chrono answers err_class "booking is cancelled")."""
        booking = appointment_id.strip()
        if not booking or not SAFE_SEGMENT.fullmatch(booking):
            return None
        try:
            answer, doc = self._publik.get(self._publik.url(f"booking/{booking}/"),
                                           "booking/{id}")
        except CentralError as err:
            if err.failure is CentralFailure.NOT_FOUND:
                return None
            raise
        data = as_dict(envelope_data(doc), answer.where, "booking")
        where = answer.where
        begins = self._datetime(data.get("datetime"), where)
        if begins is None:
            raise malformed(where, "booking without a datetime")
        ends = self._datetime(data.get("end_datetime"), where) or begins
        agenda = as_text(data.get("agenda"), where, "agenda")
        meeting = as_text(data.get("meeting_type"), where, "meeting_type")
        schedule_id = f"{PREFIX}{agenda}/{meeting}" if agenda and meeting else ""
        status = (AppointmentStatus.CANCELLED if data.get("cancellation_datetime")
                  else AppointmentStatus.BOOKED)
        return Appointment(id=as_id(data.get("booking_id", booking), where, "booking_id"),
                           schedule_id=schedule_id, start=begins, end=ends, status=status,
                           links=_links(data.get("api"), where), holder=_holder(data))

    def cancel(self, appointment: Appointment, idempotency_key: str) -> Appointment:
        """POST the booking's cancel_url; a booking already cancelled is not an error."""
        fallback = f"booking/{quote(appointment.id, safe='')}/cancel/"
        url = self._follow(appointment.links.get("cancel_url"), fallback)
        try:
            self._publik.post(url, {}, idempotency_key, "booking/{id}/cancel")
        except PublikError as err:
            if err.err_class not in CANCELLED_CLASSES:
                raise
        return replace(appointment, status=AppointmentStatus.CANCELLED)

    # -- plumbing ------------------------------------------------------------------------

    def _follow(self, link: str | None, fallback_path: str) -> str:
        """The server's link when it is under the base URL, else the documented path."""
        if link and self._publik.owns(link):
            return link
        return self._publik.url(fallback_path)

    def _remember(self, schedule_id: str, slot_id: str, url: str) -> None:
        with self._lock:
            self._fillslot_urls[(schedule_id, slot_id)] = url
            self._fillslot_urls.move_to_end((schedule_id, slot_id))
            while len(self._fillslot_urls) > MAX_REMEMBERED_SLOTS:
                self._fillslot_urls.popitem(last=False)

    def _duration(self, schedule_id: str, agenda: str) -> int:
        with self._lock:
            known = self._durations.get(schedule_id)
        if known is None:
            self._meeting_schedules({}, agenda, "agenda")
            with self._lock:
                known = self._durations.get(schedule_id)
        if known is None:
            raise CentralError(CentralFailure.NOT_FOUND, "no such meeting type")
        return known

    def _datetime(self, value: object, where: str) -> datetime | None:
        """Chrono's "YYYY-MM-DD HH:MM:SS" (local time) or ISO 8601 with a zone."""
        text = as_text(value, where, "datetime").strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise malformed(where, "datetime is not YYYY-MM-DD HH:MM:SS") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self._tz)


def _parse_schedule(schedule_id: str) -> tuple[str, str]:
    rest = schedule_id[len(PREFIX):] if schedule_id.startswith(PREFIX) else ""
    agenda, _, meeting = rest.partition("/")
    if not (SAFE_SEGMENT.fullmatch(agenda) and SAFE_SEGMENT.fullmatch(meeting)):
        raise CentralError(CentralFailure.NOT_FOUND, "schedule id is not a Chrono one")
    return agenda, meeting


def _category(agenda: dict[str, Any]) -> str:
    """The agenda's category slug: Chrono's `category` (older exports: `category_slug`)."""
    for key in ("category", "category_slug"):
        value = agenda.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _extra_fields(agenda: dict[str, Any], where: str) -> set[str]:
    """The varnames of the reference peer's `extra_fields` (keys a booking must carry)."""
    names = set()
    for item in as_list(agenda.get("extra_fields") or [], where, "extra_fields"):
        if isinstance(item, dict) and isinstance(item.get("varname"), str):
            names.add(item["varname"])
    return names


def _holder(data: dict[str, Any]) -> Holder:
    """Who the booking is for: Chrono's user_* fields and the extra keys `book` sends
    (ants_number, documents), kept by Chrono as extra_data. Anything of the wrong type is
    left out rather than refused: a move then asks the central, which checks."""

    def text(source: object, key: str) -> str:
        value = source.get(key) if isinstance(source, dict) else None
        return value.strip() if isinstance(value, str) else ""

    extra = data.get("extra_data")
    name = text(data, "user_display_label") or " ".join(
        part for part in (text(data, "user_first_name"), text(data, "user_last_name")) if part)
    documents = text(extra, "documents")
    return Holder(name=name, phone=text(data, "user_phone_number"),
                  email=text(data, "user_email"), ants_number=text(extra, ANTS_FIELD),
                  documents=int(documents) if documents.isdigit() and documents != "0" else 1)


def _links(api: object, where: str) -> dict[str, str]:
    """The string-valued `api.*` links of a booking."""
    if api is None:
        return {}
    api = as_dict(api, where, "api")
    return {str(k): v for k, v in api.items() if isinstance(v, str) and v}
