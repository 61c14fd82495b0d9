"""Appointment slots cut from an agenda's opening hours: per weekday, each opening range is cut
into slots of the meeting type's length, from today + minimal_booking_delay to today +
maximal_booking_delay (Chrono's settings), in the city's local wall time.

Slot ids follow Chrono's meetings ("<meeting type>:<YYYY-MM-DD-HHMM>"). Some slots are shown as
taken by other people: a hash of the agenda and the time picks them, so the same slots are taken
on every run and every machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.peer.seed import WEEKDAYS, Agenda, MeetingType

SLOT_TIME_FORMAT = "%Y-%m-%d-%H%M"
#: Chrono's datetime format in its API answers (local time, no zone).
CHRONO_DATETIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class SlotTime:
    """A slot of a meeting type, in local wall time."""

    id: str
    meeting_type: str
    start: datetime
    end: datetime


def slot_id(meeting: MeetingType, start: datetime) -> str:
    """Chrono's id of the slot starting at `start`."""
    return f"{meeting.slug}:{start.strftime(SLOT_TIME_FORMAT)}"


def parse_slot_id(text: str) -> tuple[str, datetime] | None:
    """The meeting type and start of a slot id, or None when it is not one."""
    meeting, sep, stamp = text.partition(":")
    if not sep:
        return None
    try:
        return meeting, datetime.strptime(stamp, SLOT_TIME_FORMAT)
    except ValueError:
        return None


def day_slots(agenda: Agenda, meeting: MeetingType, day: date) -> list[SlotTime]:
    """Every slot of a day, taken or not (none on a closed date)."""
    if day in agenda.closed_dates:
        return []
    length = timedelta(minutes=meeting.duration)
    out: list[SlotTime] = []
    for opens, closes in agenda.ranges(WEEKDAYS[day.weekday()]):
        start, end = datetime.combine(day, opens), datetime.combine(day, closes)
        while start + length <= end:
            out.append(SlotTime(slot_id(meeting, start), meeting.slug, start, start + length))
            start += length
    return out


def bookable_days(agenda: Agenda, today: date) -> tuple[date, date]:
    """The first bookable day and the first day after the bookable window."""
    return (today + timedelta(days=agenda.minimal_booking_delay),
            today + timedelta(days=agenda.maximal_booking_delay))


def future_slots(agenda: Agenda, meeting: MeetingType, now: datetime,
                 date_start: date | None = None, date_end: date | None = None
                 ) -> list[SlotTime]:
    """Slots after `now` (local wall time) within the bookable window and [start, end)."""
    first, after = bookable_days(agenda, now.date())
    if date_start is not None:
        first = max(first, date_start)
    if date_end is not None:
        after = min(after, date_end)
    out: list[SlotTime] = []
    day = first
    while day < after:
        out.extend(slot for slot in day_slots(agenda, meeting, day) if slot.start > now)
        day += timedelta(days=1)
    return out


def is_opening_slot(agenda: Agenda, meeting: MeetingType, start: datetime) -> bool:
    """Whether a slot of this meeting type starts at `start` by the opening hours."""
    return any(slot.start == start for slot in day_slots(agenda, meeting, start.date()))


def taken_by_others(agenda: Agenda, start: datetime) -> bool:
    """Whether the seed shows this time as already booked by someone else."""
    if agenda.already_booked_percent <= 0:
        return False
    digest = hashlib.sha256(f"{agenda.slug}|{start:%Y-%m-%d %H:%M}".encode()).digest()
    return int.from_bytes(digest[:2], "big") % 100 < agenda.already_booked_percent


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two time ranges share a moment."""
    return a_start < b_end and b_start < a_end
