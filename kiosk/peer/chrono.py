"""The Chrono subset under /chrono/api/, all behind a Publik signature (docs/central-systems.md):
agendas, meeting types, free slots, fillslot, a booking, its cancellation and its ICS.

Choices where the contract leaves room, and why:
- a slot already taken answers HTTP 200 `{"err": 1, "err_class": "no more desk available"}`,
  as Chrono does; so does a slot in the past or outside the bookable window;
- a slot id that is not a slot of the agenda's opening hours is HTTP 400 "invalid slot";
- each agenda has one desk: a booking blocks every slot that overlaps it, of any meeting type;
- a cancelled booking answers `{"err": 1, "err_class": "booking is cancelled"}` (HTTP 200),
  cancelling it again `{"err": 1, "err_class": "already cancelled"}` (HTTP 200), as Chrono;
- agendas carry two keys Chrono has not, `place` and `extra_fields` (what a booking of this
  agenda should add, e.g. the ANTS pre-application number, advertised so that a client can ask
  for it). fillslot does not enforce them: Chrono keeps any extra key as extra_data and
  requires none, and the kiosk checks the ANTS number in its own flow. A peer stricter than
  the product would hide a client that forgets to check.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.peer.context import PeerContext
from kiosk.peer.publik import error, json_body, ok, signed
from kiosk.peer.seed import Agenda, MeetingType
from kiosk.peer.slots import (
    CHRONO_DATETIME,
    SlotTime,
    future_slots,
    is_opening_slot,
    overlaps,
    parse_slot_id,
    taken_by_others,
)
from kiosk.peer.store import iso
from kiosk.peer.web import PeerRequest, PeerResponse, Route, route

#: fillslot keys Chrono reads itself; any other key is kept as extra_data.
KNOWN_KEYS = frozenset({
    "label", "user_display_label", "user_external_id", "user_first_name", "user_last_name",
    "user_email", "user_phone_number", "form_url", "backoffice_url", "cancel_callback_url",
    "cancel_booking_id", "count", "exclude_user", "bypass_delays", "extra_emails",
    "extra_phone_numbers", "sms_counter", "presence_callback_url", "absence_callback_url",
})
_TEXT_KEYS = ("label", "user_display_label", "user_external_id", "user_first_name",
              "user_last_name", "user_email", "user_phone_number")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")
_WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def slot_text(start: datetime) -> str:
    """How Chrono labels a slot, in French ("jeudi 3 juillet 2025 10:00")."""
    return (f"{_WEEKDAYS_FR[start.weekday()]} {start.day} {_MONTHS[start.month - 1]} "
            f"{start.year} {start:%H:%M}")


def _ics_text(value: str) -> str:
    """RFC 5545 §3.3.11 escaping."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


class Chrono:
    """The Chrono routes of one peer."""

    def __init__(self, ctx: PeerContext) -> None:
        self.ctx = ctx
        self.seed = ctx.seed.chrono

    def routes(self) -> list[Route]:
        """Every Chrono route."""
        p = "/chrono/api"
        auth = signed(self.ctx)
        a = r"(?P<agenda>[^/]+)"
        return [
            route("GET", rf"{p}/agenda/?", self.agendas, auth),
            route("GET", rf"{p}/agenda/{a}/meetings/?", self.meetings, auth),
            route("GET", rf"{p}/agenda/{a}/meetings/(?P<type>[^/]+)/datetimes/?",
                  self.datetimes, auth),
            route("POST", rf"{p}/agenda/{a}/fillslot/(?P<slot>[^/]+)/?", self.fillslot, auth),
            route("GET", rf"{p}/booking/(?P<id>[^/]+)/?", self.booking, auth),
            route("POST", rf"{p}/booking/(?P<id>[^/]+)/cancel/?", self.cancel, auth),
            route("GET", rf"{p}/booking/(?P<id>[^/]+)/ics/?", self.ics, auth),
        ]

    # -- helpers --

    def _api(self, path: str) -> str:
        return f"{self.ctx.base_url}/chrono/api/{path}"

    def _now_local(self) -> datetime:
        return self.ctx.local(self.ctx.clock.now()).replace(tzinfo=None)

    def _agenda(self, slug: str) -> Agenda | PeerResponse:
        agenda = self.seed.agenda(slug)
        return agenda if agenda is not None else error(404, "Not found", "unknown agenda",
                                                       "not-found")

    def _active(self, agenda: Agenda) -> list[tuple[datetime, datetime]]:
        rows = self.ctx.store.rows("SELECT start, end FROM bookings WHERE agenda = ? AND "
                                   "cancelled_at IS NULL", (agenda.slug,))
        return [(datetime.strptime(r["start"], CHRONO_DATETIME),
                 datetime.strptime(r["end"], CHRONO_DATETIME)) for r in rows]

    def _taken(self, agenda: Agenda, slot: SlotTime,
               active: list[tuple[datetime, datetime]]) -> bool:
        return taken_by_others(agenda, slot.start) or any(
            overlaps(slot.start, slot.end, start, end) for start, end in active)

    def _booking_links(self, booking_id: int) -> dict[str, str]:
        return {"booking_url": self._api(f"booking/{booking_id}/"),
                "cancel_url": self._api(f"booking/{booking_id}/cancel/"),
                "ics_url": self._api(f"booking/{booking_id}/ics/")}

    # -- agendas and slots --

    def agendas(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET agenda/: the agendas."""
        data = [{
            "id": agenda.slug,
            "slug": agenda.slug,
            "text": agenda.text,
            "kind": "meetings",
            "category": agenda.category or None,
            "category_label": agenda.category_label or None,
            "minimal_booking_delay": agenda.minimal_booking_delay,
            "maximal_booking_delay": agenda.maximal_booking_delay,
            "place": agenda.place,
            "extra_fields": [field.model_dump() for field in agenda.extra_fields],
            "api": {"meetings_url": self._api(f"agenda/{agenda.slug}/meetings/"),
                    "fillslots_url": self._api(f"agenda/{agenda.slug}/fillslots/")},
        } for agenda in self.seed.agendas]
        return ok({"data": data})

    def meetings(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET agenda/<slug>/meetings/: its meeting types."""
        agenda = self._agenda(groups["agenda"])
        if isinstance(agenda, PeerResponse):
            return agenda
        data = [{"id": meeting.slug, "text": meeting.text, "duration": meeting.duration,
                 "api": {"datetimes_url": self._api(
                     f"agenda/{agenda.slug}/meetings/{meeting.slug}/datetimes/")}}
                for meeting in agenda.meeting_types]
        return ok({"data": data})

    def datetimes(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET …/meetings/<type>/datetimes/: the slots, taken ones `disabled`."""
        agenda = self._agenda(groups["agenda"])
        if isinstance(agenda, PeerResponse):
            return agenda
        meeting = agenda.meeting_type(groups["type"])
        if meeting is None:
            return error(404, "Not found", "unknown meeting type", "not-found")
        bounds: dict[str, date | None] = {}
        for name in ("date_start", "date_end"):
            value = request.param(name)
            try:
                bounds[name] = date.fromisoformat(value) if value else None
            except ValueError:
                return error(400, "invalid payload", f"{name} must be YYYY-MM-DD",
                             "invalid-payload")
        hide = (request.param("hide_disabled") or "").lower() in ("true", "1", "on")
        active = self._active(agenda)
        slots = future_slots(agenda, meeting, self._now_local(), bounds["date_start"],
                             bounds["date_end"])
        data = []
        free = 0
        for slot in slots:
            taken = self._taken(agenda, slot, active)
            free += not taken
            if taken and hide:
                continue
            data.append({
                "id": slot.id,
                "date": slot.start.date().isoformat(),
                "datetime": slot.start.strftime(CHRONO_DATETIME),
                "end_datetime": slot.end.strftime(CHRONO_DATETIME),
                "text": slot_text(slot.start),
                "disabled": taken,
                "api": {"fillslot_url": self._api(f"agenda/{agenda.slug}/fillslot/{slot.id}/")},
            })
        meta = {"no_bookable_datetimes": free == 0,
                "bookable_datetimes_number_total": len(slots),
                "bookable_datetimes_number_available": free}
        return ok({"data": data, "meta": meta})

    # -- booking --

    @staticmethod
    def _check_payload(body: dict[str, Any]) -> str | None:
        """The user_* keys Chrono reads are text; extra keys are kept as they come."""
        for key in _TEXT_KEYS:
            if key in body and not isinstance(body[key], str):
                return f"{key} must be text"
        return None

    def fillslot(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST agenda/<slug>/fillslot/<slot>/: book a slot."""
        agenda = self._agenda(groups["agenda"])
        if isinstance(agenda, PeerResponse):
            return agenda
        body, problem = json_body(request)
        if problem is not None:
            return problem
        assert body is not None
        parsed = parse_slot_id(groups["slot"])
        meeting: MeetingType | None = agenda.meeting_type(parsed[0]) if parsed else None
        if parsed is None or meeting is None or not is_opening_slot(agenda, meeting, parsed[1]):
            return error(400, "invalid slot", "not a slot of this agenda", "invalid-slot")
        reason = self._check_payload(body)
        if reason is not None:
            return error(400, "invalid payload", reason, "invalid-payload")
        start = parsed[1]
        with self.ctx.store.transaction():
            day = future_slots(agenda, meeting, self._now_local(), start.date(),
                               start.date() + timedelta(days=1))
            wanted = next((s for s in day if s.start == start), None)
            if wanted is None or self._taken(agenda, wanted, self._active(agenda)):
                return error(200, "no more desk available", "no more desk available",
                             "no-more-desk-available")
            cursor = self.ctx.store.execute(
                "INSERT INTO bookings (agenda, meeting_type, slot_id, start, end, body, "
                "booked_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (agenda.slug, meeting.slug, wanted.id, wanted.start.strftime(CHRONO_DATETIME),
                 wanted.end.strftime(CHRONO_DATETIME), json.dumps(body, ensure_ascii=False),
                 iso(self.ctx.clock.now()), request.idempotency_key))
            booking_id = int(cursor.lastrowid or 0)
        return ok({"booking_id": booking_id,
                   "datetime": wanted.start.strftime(CHRONO_DATETIME),
                   "end_datetime": wanted.end.strftime(CHRONO_DATETIME),
                   "api": self._booking_links(booking_id)})

    def _booking_row(self, text: str) -> Any:
        if not text.isdigit():
            return None
        return self.ctx.store.row("SELECT * FROM bookings WHERE id = ?", (int(text),))

    def booking(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET booking/<id>/: a booking, or why not."""
        row = self._booking_row(groups["id"])
        if row is None:
            return error(404, "Not found", "unknown booking", "not-found")
        if row["cancelled_at"] is not None:
            return error(200, "booking is cancelled", "booking is cancelled",
                         "booking-is-cancelled")
        body = json.loads(row["body"])
        data = {"booking_id": int(row["id"]), "agenda": row["agenda"],
                "meeting_type": row["meeting_type"], "slot_id": row["slot_id"],
                "datetime": row["start"], "end_datetime": row["end"],
                **{key: body.get(key) for key in _TEXT_KEYS if key in body},
                "extra_data": {k: v for k, v in body.items() if k not in KNOWN_KEYS} or None,
                "cancellation_datetime": None,
                "api": self._booking_links(int(row["id"]))}
        return ok({"data": data})

    def cancel(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """POST booking/<id>/cancel/: cancel a booking (the slot is free again)."""
        with self.ctx.store.transaction():
            row = self._booking_row(groups["id"])
            if row is None:
                return error(404, "Not found", "unknown booking", "not-found")
            if row["cancelled_at"] is not None:
                return error(200, "already cancelled", "already cancelled", "already-cancelled")
            self.ctx.store.execute(
                "UPDATE bookings SET cancelled_at = ?, cancel_idempotency_key = ? WHERE id = ?",
                (iso(self.ctx.clock.now()), request.idempotency_key, int(row["id"])))
        return ok({"booking_id": int(row["id"])})

    def ics(self, request: PeerRequest, groups: dict[str, str]) -> PeerResponse:
        """GET booking/<id>/ics/: the booking as an iCalendar event (RFC 5545)."""
        row = self._booking_row(groups["id"])
        if row is None:
            return error(404, "Not found", "unknown booking", "not-found")
        agenda = self.seed.agenda(row["agenda"])
        start = datetime.strptime(row["start"], CHRONO_DATETIME)
        end = datetime.strptime(row["end"], CHRONO_DATETIME)
        zone = self.ctx.seed.city.timezone
        stamp = self.ctx.clock.now().strftime("%Y%m%dT%H%M%SZ")
        lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kiosk reference peer//Chrono//FR",
            "BEGIN:VEVENT",
            f"UID:booking-{row['id']}@{self.ctx.seed.city.jurisdiction_id}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_ics_text(agenda.text if agenda else row['agenda'])}",
            f"LOCATION:{_ics_text(agenda.place if agenda else '')}",
            f"STATUS:{'CANCELLED' if row['cancelled_at'] else 'CONFIRMED'}",
            "END:VEVENT", "END:VCALENDAR", "",
        ]
        return PeerResponse(200, "\r\n".join(lines).encode("utf-8"),
                            "text/calendar; charset=utf-8")
