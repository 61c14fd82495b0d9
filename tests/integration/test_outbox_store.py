"""The outbox store on a real SQLite file: what is kept, for how long, and that a dropped
payload is gone from the file's bytes, not merely from query results."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime

import pytest

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    CentralFailure,
    Contact,
    Place,
    RequestSubmission,
    SurveyAnswer,
)
from kiosk.core.clock import ManualClock
from kiosk.outbox import codec
from kiosk.outbox.store import (
    DB_SCHEMA_VERSION,
    Delivered,
    DeliveryResult,
    DuplicateKeyError,
    ItemKind,
    ItemState,
    Outbox,
    Refused,
    Retry,
)

T0 = 1_750_000_000.0
DAY_S = 86_400
# Distinctive enough never to appear in a SQLite file by chance.
SECRET = "Zéphyrine-Quatremains-7731"


def request(ref: str, secret: str = SECRET) -> RequestSubmission:
    return RequestSubmission(
        service_id="open311:001", answers={"kind": "encombrant"},
        place=Place(lat=48.85, long=2.35), station_id="borne-1", station_ref=ref,
        description=f"Devant chez {secret}", contact=Contact(first_name=secret, phone="0612"),
    )


def file_bytes(outbox: Outbox) -> bytes:
    """Everything SQLite keeps on disk for this outbox: the database, its log, its index."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = outbox.path.with_name(outbox.path.name + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def outbox(tmp_path, clock):
    with Outbox(tmp_path / "data" / "outbox.db", clock=clock) as box:
        yield box


def test_durability_settings_are_in_force(outbox):
    conn = outbox._conn  # the store's own connection: these pragmas are per connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_the_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "outbox.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    with Outbox(path) as box:
        box.add(ItemKind.REQUEST, "k", codec.encode(request("k")))
        for suffix in ("", "-wal"):
            mode = stat.S_IMODE(path.with_name(path.name + suffix).stat().st_mode)
            assert mode == 0o600, suffix


def test_add_and_look_up(outbox, clock):
    item = outbox.enqueue(request("borne-1-20250615-0001"))
    assert item.key == "borne-1-20250615-0001"  # a request's key is its station reference
    assert item.state is ItemState.PENDING
    stored = outbox.get(item.key)
    assert stored == item
    assert stored.created_at == stored.next_attempt_at == T0
    assert outbox.by_station_ref("borne-1-20250615-0001") == (item,)
    assert outbox.by_station_ref("borne-1-20250615-0002") == ()
    assert outbox.get("nope") is None
    assert codec.decode(outbox.payload(item.key)) == request("borne-1-20250615-0001")


def test_bookings_and_cancellations_get_a_fresh_uuid_key(outbox):
    appointment = Appointment("12", "chrono:a/b", datetime(2025, 6, 1, tzinfo=UTC),
                              datetime(2025, 6, 1, 1, tzinfo=UTC), AppointmentStatus.BOOKED)
    a = outbox.enqueue(appointment)
    b = outbox.enqueue(appointment)
    assert a.key != b.key and len(a.key) == 36
    assert a.kind is ItemKind.CANCELLATION and a.station_ref is None
    survey = outbox.enqueue(SurveyAnswer("request", "borne-1", "borne-1-20250615-0009", 5))
    assert survey.key == "borne-1-20250615-0009"


def test_a_key_is_queued_once(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    with pytest.raises(DuplicateKeyError):
        outbox.enqueue(request("r-20250615-0001"))
    assert outbox.counts().pending == 1


def test_add_refuses_a_payload_it_could_not_send(outbox):
    with pytest.raises(ValueError, match="given as booking"):
        outbox.add(ItemKind.BOOKING, "k", codec.encode(request("k")))
    with pytest.raises(codec.CodecError):
        outbox.add(ItemKind.REQUEST, "k", '{"name": "Zéphyrine"}')
    assert outbox.counts().pending == 0


def test_delivery_records_the_central_reference_and_drops_the_payload(outbox, clock):
    outbox.enqueue(request("r-20250615-0001"))
    clock.advance(2)
    outbox.record([Delivered("r-20250615-0001", DeliveryResult("123456", "numbered"), clock())])
    item = outbox.get("r-20250615-0001")
    assert (item.state, item.central_ref, item.outcome) == (ItemState.DELIVERED, "123456",
                                                            "numbered")
    assert item.delivered_at == T0 + 2 and item.attempts == 1
    assert not item.holds_payload and outbox.payload(item.key) is None
    assert outbox.counts().pending == 0


def test_the_schema_itself_forbids_a_delivered_item_with_its_payload(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    with pytest.raises(sqlite3.IntegrityError):
        outbox._conn.execute("UPDATE items SET state = 'delivered'")


def test_a_dropped_payload_is_gone_from_the_file_bytes(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.enqueue(request("r-20250615-0002", secret="Other-Person-4242"))
    secret = SECRET.encode("utf-8")
    assert secret in file_bytes(outbox)  # control: a pending payload is there to be found
    outbox.record([Delivered("r-20250615-0001", DeliveryResult("1", "numbered"), T0)])
    assert outbox.scrub(force=True)
    assert secret not in file_bytes(outbox)
    assert b"Other-Person-4242" in file_bytes(outbox)  # the one still pending is kept


def test_without_secure_delete_and_truncation_sqlite_would_keep_it(tmp_path):
    """Why the store sets secure_delete and truncates the log: plain SQLite keeps the text."""
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (payload TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (SECRET,))
    conn.execute("UPDATE t SET payload = NULL")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    leftovers = path.read_bytes() + path.with_name("plain.db-wal").read_bytes()
    conn.close()
    assert SECRET.encode("utf-8") in leftovers


def test_retry_and_refusal_are_recorded(outbox, clock):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.enqueue(request("r-20250615-0002"))
    outbox.record([Retry("r-20250615-0001", CentralFailure.TIMEOUT, T0 + 30, T0),
                   Refused("r-20250615-0002", CentralFailure.REJECTED, T0)])
    retried, refused = outbox.get("r-20250615-0001"), outbox.get("r-20250615-0002")
    assert (retried.state, retried.attempts, retried.next_attempt_at, retried.last_failure) == (
        ItemState.PENDING, 1, T0 + 30, CentralFailure.TIMEOUT)
    assert (refused.state, refused.last_failure, refused.failed_at) == (
        ItemState.FAILED, CentralFailure.REJECTED, T0)
    assert refused.holds_payload  # kept for a technician
    assert [i.key for i in outbox.due(T0 + 29, 10)] == []
    assert [i.key for i in outbox.due(T0 + 30, 10)] == ["r-20250615-0001"]
    counts = outbox.counts()
    assert (counts.pending, counts.failed, counts.oldest_pending_at) == (1, 1, T0)


def test_a_result_is_written_once(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.record([Delivered("r-20250615-0001", DeliveryResult("1", "numbered"), T0)])
    outbox.record([Delivered("r-20250615-0001", DeliveryResult("2", "numbered"), T0),
                   Refused("r-20250615-0001", CentralFailure.REJECTED, T0)])
    item = outbox.get("r-20250615-0001")
    assert (item.state, item.central_ref, item.attempts) == (ItemState.DELIVERED, "1", 1)


def test_due_leaves_out_items_in_flight_and_respects_the_limit(outbox, clock):
    for n in range(1, 6):
        outbox.enqueue(request(f"r-20250615-000{n}"))
        clock.advance(1)
    due = outbox.due(clock(), 2, skip={"r-20250615-0001"})
    assert [i.key for i in due] == ["r-20250615-0002", "r-20250615-0003"]
    assert outbox.next_attempt_at(skip={"r-20250615-0001"}) == T0 + 1


def test_an_item_scheduled_beyond_any_backoff_is_due_when_the_clock_went_back(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.record([Retry("r-20250615-0001", CentralFailure.TIMEOUT, T0 + 200, T0)])
    wall_clock_set_back = T0 - DAY_S
    assert outbox.due(wall_clock_set_back, 10) == []
    assert [i.key for i in outbox.due(wall_clock_set_back, 10,
                                      latest=wall_clock_set_back + 300)] == ["r-20250615-0001"]


def test_failed_payloads_are_purged_after_the_retention(outbox, clock):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.record([Refused("r-20250615-0001", CentralFailure.REJECTED, T0)])
    assert outbox.purge(T0 + 7 * DAY_S - 1).payloads_dropped == 0
    assert SECRET.encode() in file_bytes(outbox)
    report = outbox.purge(T0 + 7 * DAY_S)
    assert (report.payloads_dropped, report.rows_deleted) == (1, 0)
    item = outbox.get("r-20250615-0001")
    assert item.state is ItemState.FAILED and not item.holds_payload
    assert outbox.counts().failed == 0
    assert SECRET.encode() not in file_bytes(outbox)


def test_finished_rows_are_deleted_after_a_year(outbox):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.enqueue(request("r-20250615-0002"))
    outbox.record([Delivered("r-20250615-0001", DeliveryResult("1", "numbered"), T0)])
    assert outbox.purge(T0 + 365 * DAY_S - 1).rows_deleted == 0
    assert outbox.purge(T0 + 365 * DAY_S).rows_deleted == 1
    assert outbox.get("r-20250615-0001") is None
    assert outbox.get("r-20250615-0002").state is ItemState.PENDING  # pending is never purged


def test_retention_is_configurable(tmp_path):
    with Outbox(tmp_path / "o.db", failed_retention_s=60) as box:
        box.enqueue(request("r-20250615-0001"))
        box.record([Refused("r-20250615-0001", CentralFailure.UNAUTHORISED, T0)])
        assert box.purge(T0 + 60).payloads_dropped == 1


def test_a_technician_can_requeue_a_refused_item(outbox, clock):
    outbox.enqueue(request("r-20250615-0001"))
    outbox.record([Refused("r-20250615-0001", CentralFailure.UNAUTHORISED, T0)])
    clock.advance(100)
    assert outbox.requeue("r-20250615-0001")
    item = outbox.get("r-20250615-0001")
    assert (item.state, item.attempts, item.next_attempt_at) == (ItemState.PENDING, 0, T0 + 100)
    assert not outbox.requeue("r-20250615-0001")  # not refused any more
    assert not outbox.requeue("unknown")


def test_reschedule_makes_every_pending_item_due(outbox):
    for n in (1, 2):
        outbox.enqueue(request(f"r-20250615-000{n}"))
        outbox.record([Retry(f"r-20250615-000{n}", CentralFailure.UNREACHABLE, T0 + 99, T0)])
    assert outbox.reschedule_pending(T0 + 1) == 2
    assert len(outbox.due(T0 + 1, 10)) == 2


def test_everything_survives_a_reopen(tmp_path, clock):
    path = tmp_path / "o.db"
    with Outbox(path, clock=clock) as box:
        box.enqueue(request("r-20250615-0001"))
        box.enqueue(request("r-20250615-0002"))
        box.record([Delivered("r-20250615-0002", DeliveryResult("77", "numbered"), T0)])
    with Outbox(path, clock=clock) as box:
        assert box.get("r-20250615-0001").holds_payload
        assert box.get("r-20250615-0002").central_ref == "77"


def test_a_newer_database_layout_is_refused(tmp_path):
    path = tmp_path / "o.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={DB_SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer"):
        Outbox(path)


#: An outbox file as the first layout wrote it (before `unsure` and `bad_answers`).
LAYOUT_1 = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE,
    station_ref TEXT, payload TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL, created_at REAL NOT NULL, delivered_at REAL, failed_at REAL,
    central_ref TEXT, outcome TEXT, last_failure TEXT);
PRAGMA user_version=1;
"""


def test_a_first_layout_file_is_brought_up_to_date_and_keeps_its_items(tmp_path):
    path = tmp_path / "o.db"
    payload = codec.encode(request("S-1"))
    with sqlite3.connect(path) as conn:
        conn.executescript(LAYOUT_1)
        conn.execute("INSERT INTO items (kind, idempotency_key, station_ref, payload, state, "
                     "attempts, next_attempt_at, created_at, last_failure) "
                     "VALUES ('request', 'S-1', 'S-1', ?, 'pending', 3, 10, 5, 'timeout')",
                     (payload,))
    conn.close()
    with Outbox(path) as outbox:
        item = outbox.get("S-1")
        assert item is not None and item.attempts == 3 and item.holds_payload
        assert not item.unsure and item.bad_answers == 0
        outbox.record([Retry("S-1", CentralFailure.SERVER_ERROR, 20, 11, unsure=True,
                             bad_answer=True)])
        item = outbox.get("S-1")
        assert item.unsure and item.bad_answers == 1 and item.attempts == 4
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == DB_SCHEMA_VERSION
    conn.close()
