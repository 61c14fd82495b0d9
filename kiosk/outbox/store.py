"""The outbox's store: one SQLite file in which every submission is committed before the
screen says "sent" (docs/central-systems.md, "The outbox").

What it keeps, and for how long:
- a pending item holds its payload (the submission as JSON: personal data) until delivered;
- delivering drops the payload in the same transaction that records the central's reference,
  so there is never a moment when the station holds both a confirmed delivery and the data;
- a permanently refused item keeps its payload for `failed_retention_s` (7 days by default) so
  that a technician can act on it, then `purge` drops it;
- delivered and failed rows keep only identifiers (kind, idempotency key, station reference,
  the central's reference, outcome, failure kind, times) for `delivered_retention_s` (a year
  by default) so that a receipt's station reference can still be matched to the central's
  number, then `purge` deletes them.

Each pending item also keeps what its attempts taught (docs/central-systems.md): whether one
of them was sent and lost its answer (`unsure`: the central may hold it, so it is looked up
before it is sent again), and how many answers were server errors or unreadable
(`bad_answers`: such retries are bounded, then the item is kept for a technician).

Dropped payloads must not linger in the file: `secure_delete` zeroes freed content, and the
write-ahead log, which still holds the page images of earlier transactions, is checkpointed
and truncated soon after a payload is dropped (`scrub`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.core.central import CentralFailure
from kiosk.outbox import codec, references
from kiosk.outbox.codec import ItemKind, Submission

__all__ = [
    "Delivered", "DeliveryResult", "DueItem", "DuplicateKeyError", "ItemKind", "ItemState",
    "Outbox", "OutboxCounts", "OutboxItem", "Outcome", "PurgeReport", "Refused", "Retry",
]

#: Layout of the database below (PRAGMA user_version); a newer file is refused, not misread.
#: 2 added `unsure` and `bad_answers` (MIGRATIONS brings a file of layout 1 up to date).
DB_SCHEMA_VERSION = 2
# Design rule 4 keeps a refused submission no longer than needed; a week covers a technician's
# visit after a weekend.
DEFAULT_FAILED_RETENTION_S = 7 * 86_400
# A receipt's station reference stays resolvable to the central's number for a year.
DEFAULT_DELIVERED_RETENTION_S = 365 * 86_400
# While deliveries keep coming, the log is truncated at most this often (each truncation costs
# a checkpoint and two fsyncs); when the sender goes idle it is truncated at once.
DEFAULT_SCRUB_INTERVAL_S = 1.0
# Another process (`kiosk doctor`) may hold the file briefly; wait rather than fail.
BUSY_TIMEOUT_S = 5.0
# The file holds personal data: owner only.
FILE_MODE = 0o600


class ItemState(StrEnum):
    """Where an item stands."""

    PENDING = "pending"  # waiting to be sent, or being retried
    DELIVERED = "delivered"  # the central took it; the payload is gone
    FAILED = "failed"  # the central refused it for good; kept for a technician, then purged


class DuplicateKeyError(ValueError):
    """An item with this idempotency key is already in the outbox."""


@dataclass(frozen=True)
class DeliveryResult:
    """What a handler returns when the central took a submission: its reference for it (the
    tracking number, a batch token, the booking id; None when the service gives none) and the
    outcome in one word ("numbered", "pending", "booked", "cancelled", "sent", ...).
    `answer` carries the port's own return value to a screen that waits; it is not stored."""

    reference: str | None
    outcome: str
    answer: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class OutboxItem:
    """One item, without its payload (that is only handed to the sender and to technicians).
    `unsure`: an attempt was sent and its answer lost; `bad_answers`: server errors and
    unreadable answers so far (module docstring)."""

    key: str
    kind: ItemKind
    station_ref: str | None
    state: ItemState
    attempts: int
    next_attempt_at: float
    created_at: float
    delivered_at: float | None
    failed_at: float | None
    central_ref: str | None
    outcome: str | None
    last_failure: CentralFailure | None
    holds_payload: bool
    unsure: bool = False
    bad_answers: int = 0


@dataclass(frozen=True)
class DueItem:
    """A pending item handed to the sender, with its payload, when it was stored, and what
    its attempts taught (see OutboxItem)."""

    key: str
    kind: ItemKind
    attempts: int
    payload: str = field(repr=False)
    created_at: float = 0.0
    unsure: bool = False
    bad_answers: int = 0


@dataclass(frozen=True)
class Delivered:
    """The central took the item."""

    key: str
    result: DeliveryResult
    at: float


@dataclass(frozen=True)
class Retry:
    """The attempt failed in a way that may pass: try again at `next_attempt_at`. `unsure`:
    it was sent and its answer lost; `bad_answer`: a server error or an unreadable answer."""

    key: str
    failure: CentralFailure
    next_attempt_at: float
    at: float
    unsure: bool = False
    bad_answer: bool = False


@dataclass(frozen=True)
class Refused:
    """The central refused the item for good, it can no longer be read, or it is kept for a
    technician (the central kept failing; whether it took it cannot be told)."""

    key: str
    failure: CentralFailure
    at: float
    unsure: bool = False


Outcome = Delivered | Retry | Refused


@dataclass(frozen=True)
class OutboxCounts:
    """For health reports: what waits, what needs a technician."""

    pending: int
    failed: int  # refused items whose payload is still held
    oldest_pending_at: float | None


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed."""

    payloads_dropped: int
    rows_deleted: int


_KINDS = ", ".join(f"'{k.value}'" for k in ItemKind)
_STATES = ", ".join(f"'{s.value}'" for s in ItemState)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ({_KINDS})),
    idempotency_key TEXT NOT NULL UNIQUE,
    station_ref TEXT,
    payload TEXT,
    state TEXT NOT NULL CHECK (state IN ({_STATES})),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at REAL NOT NULL,
    delivered_at REAL,
    failed_at REAL,
    central_ref TEXT,
    outcome TEXT,
    last_failure TEXT,
    unsure INTEGER NOT NULL DEFAULT 0,
    bad_answers INTEGER NOT NULL DEFAULT 0,
    -- the privacy rule, held by the database itself
    CHECK (state != 'pending' OR payload IS NOT NULL),
    CHECK (state != 'delivered' OR payload IS NULL)
);
CREATE INDEX IF NOT EXISTS items_due ON items (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS items_station_ref ON items (station_ref) WHERE station_ref IS NOT NULL;
"""
#: From each older layout to the next (PRAGMA user_version → statements).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE items ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE items ADD COLUMN bad_answers INTEGER NOT NULL DEFAULT 0"),
}
_COLUMNS = ("idempotency_key, kind, station_ref, state, attempts, next_attempt_at, created_at, "
            "delivered_at, failed_at, central_ref, outcome, last_failure, payload IS NOT NULL, "
            "unsure, bad_answers")
_DUE_COLUMNS = "idempotency_key, kind, attempts, payload, created_at, unsure, bad_answers"


def _item(row: tuple[Any, ...]) -> OutboxItem:
    (key, kind, station_ref, state, attempts, next_at, created, delivered, failed, central_ref,
     outcome, failure, holds, unsure, bad_answers) = row
    return OutboxItem(
        key=key, kind=ItemKind(kind), station_ref=station_ref, state=ItemState(state),
        attempts=attempts, next_attempt_at=next_at, created_at=created, delivered_at=delivered,
        failed_at=failed, central_ref=central_ref, outcome=outcome,
        last_failure=CentralFailure(failure) if failure else None, holds_payload=bool(holds),
        unsure=bool(unsure), bad_answers=bad_answers,
    )


def _due(row: tuple[Any, ...]) -> DueItem:
    key, kind, attempts, payload, created, unsure, bad_answers = row
    return DueItem(key=key, kind=ItemKind(kind), attempts=attempts, payload=payload,
                   created_at=created, unsure=bool(unsure), bad_answers=bad_answers)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, and make its name durable."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        os.chmod(path, FILE_MODE)  # tighten a file an earlier version left readable
        return
    os.close(fd)
    # A new file's directory entry is only durable once its directory is synced.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Outbox:
    """The outbox of one station. Safe to share between threads (a writing connection and a
    reading one, each behind its lock).

    `clock` gives wall-clock seconds since the epoch: times are stored and outlive a reboot,
    so the monotonic clock the core uses for sessions will not do."""

    def __init__(self, path: Path | str, *,
                 failed_retention_s: float = DEFAULT_FAILED_RETENTION_S,
                 delivered_retention_s: float = DEFAULT_DELIVERED_RETENTION_S,
                 scrub_interval_s: float = DEFAULT_SCRUB_INTERVAL_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.failed_retention_s = failed_retention_s
        self.delivered_retention_s = delivered_retention_s
        self._scrub_interval_s = scrub_interval_s
        self._clock = clock
        self._lock = threading.RLock()
        # A log left by a previous run may hold dropped payloads: truncate it at first chance.
        self._needs_scrub = True
        self._last_scrub = float("-inf")
        _create_private(self.path)
        # Two connections: the writer, and a reader so that looking for due items never waits
        # for a commit's fsync (in WAL mode readers and the writer do not block each other).
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                     timeout=BUSY_TIMEOUT_S)
        self._read_lock = threading.Lock()
        try:
            self._configure()
            self._reader = sqlite3.connect(self.path, isolation_level=None,
                                           check_same_thread=False, timeout=BUSY_TIMEOUT_S)
            self._reader.execute("PRAGMA query_only=ON")
        except BaseException:
            self._conn.close()
            raise

    # -- opening ------------------------------------------------------------------------------

    def _configure(self) -> None:
        conn = self._conn
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"outbox: journal_mode is {mode}, not wal")
        # Durability on power loss. In WAL mode a commit appends to the -wal file; with
        # synchronous=NORMAL that file is only fsync'd at checkpoints, so the last commits
        # before a power cut can roll back although `add` had returned. synchronous=FULL
        # fsyncs the WAL at every commit ("the extra WAL sync following each transaction helps
        # ensure that transactions are durable across a power loss", sqlite.org/pragma.html
        # #pragma_synchronous): an acknowledged add survives. WAL keeps it cheap (one
        # sequential append and one fsync per transaction, readers never block the writer).
        conn.execute("PRAGMA synchronous=FULL")
        # Freed content (a dropped payload, a purged row) is overwritten with zeros instead of
        # lingering in free pages (sqlite.org/pragma.html#pragma_secure_delete).
        conn.execute("PRAGMA secure_delete=ON")
        with self._write():
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > DB_SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"outbox: database layout {version} is newer than this kiosk's "
                    f"({DB_SCHEMA_VERSION})")
            existing = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name = 'items'").fetchone()[0]
            if existing:
                for step in range(max(version, 1), DB_SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        conn.execute(statement)
            for statement in (_SCHEMA + ";" + references.SCHEMA).split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={DB_SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (and fsync'd) when the block ends."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of one query, from the last committed state."""
        with self._read_lock:
            return self._reader.execute(sql, params).fetchall()

    def close(self) -> None:
        """Truncate the log (no dropped payload left in it) and close the file."""
        with self._lock, self._read_lock:
            try:
                self._reader.close()
                self.scrub(force=True)
            finally:
                self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- adding -------------------------------------------------------------------------------

    def add(self, kind: ItemKind, key: str, payload: str, *,
            station_ref: str | None = None) -> OutboxItem:
        """Store one submission; returns once it is committed to disk. The payload must be
        what `codec.encode` wrote for this kind (checked, so nothing unsendable is queued)."""
        kind = ItemKind(kind)
        decoded_kind, _ = codec.decode_document(payload)
        if decoded_kind is not kind:
            raise ValueError(f"outbox: a {decoded_kind.value} payload given as {kind.value}")
        if not key:
            raise ValueError("outbox: an idempotency key is required")
        now = self._clock()
        try:
            with self._write() as conn:
                conn.execute(
                    "INSERT INTO items (kind, idempotency_key, station_ref, payload, state, "
                    "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                    (kind.value, key, station_ref, payload, ItemState.PENDING.value, now, now),
                )
        except sqlite3.IntegrityError:
            raise DuplicateKeyError(f"outbox: key {key} is already queued") from None
        return OutboxItem(key=key, kind=kind, station_ref=station_ref,
                          state=ItemState.PENDING, attempts=0, next_attempt_at=now,
                          created_at=now, delivered_at=None, failed_at=None, central_ref=None,
                          outcome=None, last_failure=None, holds_payload=True)

    def enqueue(self, submission: Submission, key: str | None = None) -> OutboxItem:
        """Store a submission under the key the station's contract gives it: a request's or a
        survey answer's key is its station reference, a booking's or a cancellation's a fresh
        UUID4."""
        kind = codec.kind_of(submission)
        station_ref: str | None = getattr(submission, "station_ref", None)
        if key is None:
            if kind in (ItemKind.REQUEST, ItemKind.SURVEY):
                if not station_ref:
                    raise ValueError(f"outbox: a {kind.value} needs its station reference")
                key = station_ref
            else:
                key = str(uuid.uuid4())
        return self.add(kind, key, codec.encode(submission), station_ref=station_ref)

    def new_reference(self, station_id: str, day: date | None = None) -> str:
        """The next station reference of `station_id` for `day` (today, local time, by
        default); committed before it is returned, so it is never handed out twice."""
        if day is None:
            day = datetime.fromtimestamp(self._clock()).date()
        with self._write() as conn:
            ref = references.allocate(conn, station_id, day)
        return str(ref)

    # -- looking up ---------------------------------------------------------------------------

    def get(self, key: str) -> OutboxItem | None:
        """An item by its idempotency key."""
        rows = self._read(f"SELECT {_COLUMNS} FROM items WHERE idempotency_key = ?", (key,))
        return _item(rows[0]) if rows else None

    def by_station_ref(self, station_ref: str) -> tuple[OutboxItem, ...]:
        """Items carrying a station reference, oldest first: how a receipt's reference is
        matched to the central's number once it is known."""
        rows = self._read(f"SELECT {_COLUMNS} FROM items WHERE station_ref = ? ORDER BY id",
                          (station_ref,))
        return tuple(_item(r) for r in rows)

    def payload(self, key: str) -> str | None:
        """The payload of a pending or refused item (for a technician), None once dropped."""
        rows = self._read("SELECT payload FROM items WHERE idempotency_key = ?", (key,))
        return rows[0][0] if rows else None

    def counts(self) -> OutboxCounts:
        """Pending items, refused items still held, and the oldest pending one's age."""
        [(pending, oldest, failed)] = self._read(
            "SELECT count(*) FILTER (WHERE state = ?), min(created_at) FILTER (WHERE state = ?), "
            "count(*) FILTER (WHERE state = ? AND payload IS NOT NULL) FROM items",
            (ItemState.PENDING.value, ItemState.PENDING.value, ItemState.FAILED.value))
        return OutboxCounts(pending=pending, failed=failed, oldest_pending_at=oldest)

    # -- sending ------------------------------------------------------------------------------

    def due(self, now: float, limit: int, skip: Iterable[str] = (),
            latest: float | None = None) -> list[DueItem]:
        """Up to `limit` pending items whose time has come, earliest first, leaving out the
        keys in `skip` (already being sent). An item scheduled after `latest` is due too: the
        wall clock went back, and no backoff is that long."""
        skipped = set(skip)
        if limit <= 0:
            return []
        horizon = float("inf") if latest is None else latest
        rows = self._read(
            f"SELECT {_DUE_COLUMNS} FROM items "
            "WHERE state = ? AND (next_attempt_at <= ? OR next_attempt_at > ?) "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (ItemState.PENDING.value, now, horizon, limit + len(skipped)))
        items = [_due(r) for r in rows if r[0] not in skipped]
        return items[:limit]

    def pending_item(self, key: str) -> DueItem | None:
        """A pending item with its payload, whatever its schedule (a screen is waiting)."""
        rows = self._read(
            f"SELECT {_DUE_COLUMNS} FROM items WHERE idempotency_key = ? AND state = ?",
            (key, ItemState.PENDING.value))
        return _due(rows[0]) if rows else None

    def next_attempt_at(self, skip: Iterable[str] = ()) -> float | None:
        """When the next pending item (not in `skip`) is due, or None when none waits."""
        skipped = set(skip)
        rows = self._read(
            "SELECT idempotency_key, next_attempt_at FROM items WHERE state = ? "
            "ORDER BY next_attempt_at LIMIT ?", (ItemState.PENDING.value, len(skipped) + 1))
        return next((float(r[1]) for r in rows if r[0] not in skipped), None)

    def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write the results of attempts, all in one transaction (one fsync for the batch).
        A delivery drops its payload in that same transaction. Only pending items change:
        a result that arrives twice is written once."""
        if not outcomes:
            return
        pending = ItemState.PENDING.value
        dropped = False
        with self._write() as conn:
            for o in outcomes:
                if isinstance(o, Delivered):
                    cur = conn.execute(
                        "UPDATE items SET state = ?, payload = NULL, attempts = attempts + 1, "
                        "delivered_at = ?, central_ref = ?, outcome = ? "
                        "WHERE idempotency_key = ? AND state = ?",
                        (ItemState.DELIVERED.value, o.at, o.result.reference, o.result.outcome,
                         o.key, pending))
                    dropped = dropped or cur.rowcount > 0
                elif isinstance(o, Retry):
                    conn.execute(
                        "UPDATE items SET attempts = attempts + 1, next_attempt_at = ?, "
                        "last_failure = ?, unsure = max(unsure, ?), "
                        "bad_answers = bad_answers + ? WHERE idempotency_key = ? AND state = ?",
                        (o.next_attempt_at, o.failure.value, int(o.unsure), int(o.bad_answer),
                         o.key, pending))
                else:
                    conn.execute(
                        "UPDATE items SET state = ?, attempts = attempts + 1, failed_at = ?, "
                        "last_failure = ?, unsure = max(unsure, ?) "
                        "WHERE idempotency_key = ? AND state = ?",
                        (ItemState.FAILED.value, o.at, o.failure.value, int(o.unsure), o.key,
                         pending))
            if dropped:
                self._needs_scrub = True
        if dropped:
            self.scrub()

    def reschedule_pending(self, now: float) -> int:
        """Make every pending item due now (the central answers again: flush the backlog)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET next_attempt_at = ? WHERE state = ? AND next_attempt_at > ?",
                (now, ItemState.PENDING.value, now))
        return cur.rowcount

    def withdraw(self, key: str, failure: CentralFailure) -> OutboxItem | None:
        """Take back an item the person was told did not go through (a booking that got no
        answer in time: a slot is never promised, so it must not be booked later behind their
        back). A pending item becomes failed with `failure`, and its payload is dropped at
        once, as is a refused item's: nobody will act on it, so nothing personal is kept
        (rule 4). A delivered item is left as it is. Returns the item as it now stands (None
        when there is no such key). The caller makes sure no attempt is under way
        (`OutboxSender.withdraw`)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET payload = NULL, "
                "last_failure = CASE WHEN state = ? THEN ? ELSE last_failure END, "
                "state = ?, failed_at = coalesce(failed_at, ?) "
                "WHERE idempotency_key = ? AND state != ?",
                (ItemState.PENDING.value, failure.value, ItemState.FAILED.value, self._clock(),
                 key, ItemState.DELIVERED.value))
            if cur.rowcount:
                self._needs_scrub = True
        if cur.rowcount:
            self.scrub()
        return self.get(key)

    # -- technicians and housekeeping ----------------------------------------------------------

    def requeue(self, key: str) -> bool:
        """Send a refused item again (after a technician fixed the cause, a wrong API key say).
        False when there is no refused item with this key still holding its payload. An
        item whose answer was once lost stays `unsure`: it is looked up before it is sent."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET state = ?, attempts = 0, bad_answers = 0, next_attempt_at = ?, "
                "failed_at = NULL "
                "WHERE idempotency_key = ? AND state = ? AND payload IS NOT NULL",
                (ItemState.PENDING.value, self._clock(), key, ItemState.FAILED.value))
        return cur.rowcount > 0

    def purge(self, now: float | None = None) -> PurgeReport:
        """Drop the payloads of items refused more than `failed_retention_s` ago, and delete
        finished rows older than `delivered_retention_s`; then truncate the log."""
        now = self._clock() if now is None else now
        with self._write() as conn:
            dropped = conn.execute(
                "UPDATE items SET payload = NULL WHERE state = ? AND payload IS NOT NULL "
                "AND failed_at <= ?",
                (ItemState.FAILED.value, now - self.failed_retention_s)).rowcount
            deleted = conn.execute(
                "DELETE FROM items WHERE state != ? AND payload IS NULL "
                "AND coalesce(delivered_at, failed_at) <= ?",
                (ItemState.PENDING.value, now - self.delivered_retention_s)).rowcount
            if dropped or deleted:
                self._needs_scrub = True
        self.scrub(force=True)
        return PurgeReport(payloads_dropped=dropped, rows_deleted=deleted)

    def scrub(self, force: bool = False) -> bool:
        """Checkpoint the write-ahead log into the database and truncate it to zero bytes, so
        that page images holding dropped payloads leave the -wal file (secure_delete has
        already zeroed them in the new pages). Only when a payload was dropped since the last
        truncation; at most every `scrub_interval_s` unless `force`. True when the log holds
        no dropped payload."""
        with self._lock:
            if not self._needs_scrub:
                return True
            now = time.monotonic()
            if not force and now - self._last_scrub < self._scrub_interval_s:
                return False
            busy, _, _ = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            self._last_scrub = now
            # Another connection reading an old snapshot keeps the log: try again later.
            self._needs_scrub = bool(busy)
            return not busy

    @property
    def needs_scrub(self) -> bool:
        """Whether a dropped payload may still be in the -wal file."""
        return self._needs_scrub
