"""Station references: their printed form, the parser, and the counter that never hands the
same number out twice (real SQLite files, reopened as after a restart)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from kiosk.outbox.references import (
    StationRef,
    StationRefError,
    format_reference,
    is_reference,
    parse_reference,
)
from kiosk.outbox.store import Outbox

DAY = date(2025, 6, 11)


def test_printed_form():
    assert format_reference("borne-1", DAY, 7) == "borne-1-20250611-0007"
    assert str(StationRef("B2", date(2026, 1, 2), 1234)) == "B2-20260102-1234"
    assert format_reference("b", DAY, 10_000) == "b-20250611-10000"  # a fifth digit, not a refusal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("borne-1-20250611-0007", StationRef("borne-1", DAY, 7)),
        ("  mairie-annexe-2-20250611-0042\n", StationRef("mairie-annexe-2", DAY, 42)),
        ("x-20250101-20250611-0001", StationRef("x-20250101", DAY, 1)),
        ("b-20250611-10000", StationRef("b", DAY, 10_000)),
    ],
)
def test_parser_reads_what_is_printed(text, expected):
    assert parse_reference(text) == expected
    assert is_reference(text)
    assert parse_reference(str(expected)) == expected


@pytest.mark.parametrize(
    "text",
    ["", "borne-1", "borne-1-20250611", "borne-1-20250611-007", "borne-1-2025061-0007",
     "borne-1-20250231-0007", "borne-1-20250611-0000", "-20250611-0007", "bo rne-20250611-0007",
     "borne_1-20250611-0007", "123456", "ABCDEFGH", "a" * 33 + "-20250611-0001"],
)
def test_parser_refuses_anything_else(text):
    assert not is_reference(text)
    with pytest.raises(StationRefError) as caught:
        parse_reference(text)
    if text.strip():
        assert text.strip() not in str(caught.value)  # says what is wrong, not what was typed


def test_a_bad_station_id_is_refused():
    with pytest.raises(StationRefError):
        format_reference("borne 1", DAY, 1)
    with pytest.raises(StationRefError):
        format_reference("borne-1", DAY, 0)


def test_counter_per_station_and_per_day(tmp_path):
    with Outbox(tmp_path / "outbox.db") as outbox:
        first = [outbox.new_reference("borne-1", DAY) for _ in range(3)]
        other_station = outbox.new_reference("borne-2", DAY)
        next_day = outbox.new_reference("borne-1", date(2025, 6, 12))
    assert first == ["borne-1-20250611-0001", "borne-1-20250611-0002", "borne-1-20250611-0003"]
    assert other_station == "borne-2-20250611-0001"
    assert next_day == "borne-1-20250612-0001"


def test_today_by_default_from_the_outbox_clock(tmp_path):
    noon_utc = 1_749_643_200.0  # 2025-06-11 12:00 UTC: the 11th from UTC−12 to UTC+11
    with Outbox(tmp_path / "outbox.db", clock=lambda: noon_utc) as outbox:
        assert outbox.new_reference("borne-1") == "borne-1-20250611-0001"


def test_never_repeats_across_reopen_even_when_the_clock_goes_back(tmp_path):
    path = tmp_path / "outbox.db"
    seen: list[str] = []
    for _ in range(3):
        with Outbox(path) as outbox:
            seen += [outbox.new_reference("borne-1", DAY) for _ in range(5)]
            seen.append(outbox.new_reference("borne-1", date(2025, 6, 10)))  # clock set back
    assert len(seen) == len(set(seen)) == 18
    assert seen[-2] == "borne-1-20250611-0015"
    assert seen[-1] == "borne-1-20250610-0003"


def test_concurrent_allocation_from_two_connections_is_unique(tmp_path):
    path = tmp_path / "outbox.db"
    outboxes = [Outbox(path), Outbox(path)]  # two connections to one file, as two processes
    got: list[str] = []
    lock = threading.Lock()

    def take(outbox: Outbox) -> None:
        for _ in range(100):
            ref = outbox.new_reference("borne-1", DAY)
            with lock:
                got.append(ref)

    threads = [threading.Thread(target=take, args=(outboxes[n % 2],)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for outbox in outboxes:
        outbox.close()
    counters = sorted(parse_reference(r).counter for r in got)
    assert counters == list(range(1, 401))
