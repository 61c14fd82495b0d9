"""The peer's state in SQLite: what it received (requests, forms, surveys, bookings, heartbeats,
enrolments and the stations' keys), the enrolment tokens it issued, the stored answers of
idempotent POSTs, and the offset of its clock.

One connection shared by the server's threads behind a re-entrant lock: every read and every
transaction holds it, so a POST's check of its Idempotency-Key, its record and its stored answer
are one atomic step. WAL journal with synchronous=NORMAL: a test server needs consistency after
a crash of the process, not durability against power loss, and NORMAL keeps commits free of an
fsync (SQLite docs, "WAL mode": NORMAL is consistent and durable except on power loss).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    number TEXT UNIQUE,              -- 6 digits; NULL for a blackbox service
    token TEXT UNIQUE,               -- batch services only
    number_visible_at TEXT,          -- when the number is known (ISO UTC, peer clock)
    service_code TEXT NOT NULL,
    requested_at TEXT NOT NULL,      -- ISO UTC, peer clock
    fields TEXT NOT NULL,            -- JSON: everything received but the api_key
    history TEXT,                    -- JSON lifecycle replacing the service's (seeded requests)
    origin TEXT NOT NULL,            -- 'seed' or 'post'
    idempotency_key TEXT
);
CREATE TABLE IF NOT EXISTS forms (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    number INTEGER NOT NULL,         -- w.c.s. formdata id, per formdef
    tracking_code TEXT UNIQUE,
    submitted_at TEXT NOT NULL,
    body TEXT NOT NULL,              -- JSON: data, meta, context as received
    idempotency_key TEXT,
    UNIQUE (slug, number)
);
CREATE TABLE IF NOT EXISTS bookings (
    id INTEGER PRIMARY KEY,          -- Chrono booking_id
    agenda TEXT NOT NULL,
    meeting_type TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    start TEXT NOT NULL,             -- local wall time "YYYY-MM-DD HH:MM:SS"
    end TEXT NOT NULL,
    body TEXT NOT NULL,              -- JSON: the fillslot payload
    booked_at TEXT NOT NULL,
    idempotency_key TEXT,
    cancelled_at TEXT,
    cancel_idempotency_key TEXT
);
CREATE INDEX IF NOT EXISTS bookings_agenda ON bookings (agenda, start);
CREATE INDEX IF NOT EXISTS requests_requested ON requests (requested_at);
CREATE TABLE IF NOT EXISTS heartbeats (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    station_id TEXT,
    body TEXT NOT NULL,              -- JSON: the OTLP ExportMetricsServiceRequest
    idempotency_key TEXT
);
CREATE TABLE IF NOT EXISTS enrolments (
    fleet_id TEXT PRIMARY KEY,
    station_id TEXT NOT NULL UNIQUE,
    profile TEXT NOT NULL,
    site TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    idempotency_key TEXT
);
CREATE TABLE IF NOT EXISTS enrolment_tokens (
    token_sha256 TEXT PRIMARY KEY,   -- the one-time token itself is never stored
    station_id TEXT NOT NULL,
    station_name TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE IF NOT EXISTS station_credentials (
    station_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,        -- base64 of the station's Ed25519 public key
    token_sha256 TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    stored_at TEXT NOT NULL
);
"""


class PeerStore:
    """The SQLite file and the lock that serialises its use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all (re-entrant: the outermost wins)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """One statement (inside a transaction when it writes with others)."""
        with self._lock:
            return self._db.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """One statement for each parameter set (inside a transaction)."""
        with self._lock:
            self._db.executemany(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row a query gives."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row a query gives, if any."""
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        found = self.row("SELECT value FROM meta WHERE key = ?", (key,))
        return None if found is None else str(found["value"])

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the meta table."""
        self.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def close(self) -> None:
        """Close the file (the peer is stopped)."""
        with self._lock:
            self._db.close()


def iso(moment: datetime) -> str:
    """The storage form of an instant: ISO 8601 in UTC, to the microsecond."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    """An instant read back from storage."""
    return datetime.fromisoformat(text)


class PeerClock:
    """The peer's idea of now: the wall clock plus an offset that POST /_peer/clock moves
    forward. Statuses, batch numbers and slots follow it; signature freshness does not (a
    signature is about the transport, checked against the real clock)."""

    _KEY = "clock_offset_s"

    def __init__(self, store: PeerStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._offset = float(store.meta(self._KEY) or 0.0)

    @property
    def offset_s(self) -> float:
        """How far ahead of the wall clock the peer is."""
        return self._offset

    def now(self) -> datetime:
        """The peer's now (UTC)."""
        return datetime.now(UTC) + timedelta(seconds=self._offset)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward; returns the new now."""
        if seconds < 0:
            raise ValueError("the peer clock only moves forward")
        with self._lock:
            self._offset += seconds
            self._store.set_meta(self._KEY, repr(self._offset))
        return self.now()
