"""Station references: the number a citizen leaves with, even when the network is down.

A reference reads "<station_id>-<YYYYMMDD>-<NNNN>": the station's id (as configured), the local
date, and a counter per station and per day, zero-padded to four digits. It is printed on the
receipt, sent to the central with the submission (Open311 description line, w.c.s. comments,
Chrono extra data) and is the idempotency key of a request or a survey answer, so the back
office finds a request from a receipt and the central never records it twice.

Counters live in the outbox's database and are taken inside a write transaction that is
committed (and fsync'd) before the reference is handed out: a number once shown is never shown
again, not after a crash, not after a restart.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

# StationSettings.id (kiosk/settings/models.py): letters, digits and dashes, at most 32.
STATION_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9-]{0,31}"
# The station's contract (docs/central-systems.md): "<station_id>-<YYYYMMDD>-<counter, 4 digits>".
COUNTER_DIGITS = 4
DAY_FORMAT = "%Y%m%d"

# The day and the counter are the last two dash-separated fields, so a station id that holds
# dashes itself ("mairie-annexe-2") is still read back whole. A day with more than 9,999
# submissions gets a fifth digit rather than refusing a citizen; the parser accepts it.
_REFERENCE = re.compile(
    rf"^(?P<station>{STATION_ID_PATTERN})-(?P<day>[0-9]{{8}})-(?P<counter>[0-9]{{{COUNTER_DIGITS},}})$"
)
_STATION = re.compile(rf"^{STATION_ID_PATTERN}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS station_ref_counters (
    station_id TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL CHECK (last >= 1),
    PRIMARY KEY (station_id, day)
) WITHOUT ROWID
"""
"""Last counter handed out per station and per day. Rows are never deleted (one per day:
a few kilobytes a year), so a wall clock set back to an earlier day continues that day's
count instead of starting it again."""


class StationRefError(ValueError):
    """Not a station reference. The message says which part is wrong, not what was typed."""


@dataclass(frozen=True, order=True)
class StationRef:
    """A station reference, read back."""

    station_id: str
    day: date
    counter: int

    def __str__(self) -> str:
        return format_reference(self.station_id, self.day, self.counter)


def format_reference(station_id: str, day: date, counter: int) -> str:
    """The printed form of a reference."""
    if not _STATION.match(station_id):
        raise StationRefError("station id: letters, digits and dashes, at most 32")
    if counter < 1:
        raise StationRefError("counter: starts at 1")
    return f"{station_id}-{day.strftime(DAY_FORMAT)}-{counter:0{COUNTER_DIGITS}d}"


def parse_reference(text: str) -> StationRef:
    """Read a reference as typed or scanned (surrounding blanks ignored)."""
    match = _REFERENCE.match(text.strip())
    if match is None:
        raise StationRefError(
            f"not of the form <station>-<YYYYMMDD>-<{'N' * COUNTER_DIGITS}>")
    day_text = match["day"]
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        raise StationRefError("date: not a calendar day") from None
    counter = int(match["counter"])
    if counter < 1:
        raise StationRefError("counter: starts at 1")
    return StationRef(match["station"], day, counter)


def is_reference(text: str) -> bool:
    """Whether `text` reads as a station reference."""
    try:
        parse_reference(text)
    except StationRefError:
        return False
    return True


def allocate(conn: sqlite3.Connection, station_id: str, day: date) -> StationRef:
    """Take the next counter of `station_id` for `day`. The caller holds a write transaction
    (BEGIN IMMEDIATE) and commits it before handing the reference out."""
    if not _STATION.match(station_id):
        raise StationRefError("station id: letters, digits and dashes, at most 32")
    row = conn.execute(
        "INSERT INTO station_ref_counters (station_id, day, last) VALUES (?, ?, 1) "
        "ON CONFLICT (station_id, day) DO UPDATE SET last = last + 1 RETURNING last",
        (station_id, day.strftime(DAY_FORMAT)),
    ).fetchone()
    return StationRef(station_id, day, int(row[0]))
