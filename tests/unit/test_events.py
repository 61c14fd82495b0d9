"""Unit tests of the event catalogue and of the one logging call (docs/architecture.md rule 4).

They prove that an event line carries identifiers only: `Ident`, enum members, numbers and
booleans are written as they are, while a plain `str` (which may be a name, a phone number or
free text) and any other object are redacted; and that every event type has its own dotted
name.
"""

import logging
import re
from pathlib import Path

import pytest

from kiosk.core.devices import DeviceKind
from kiosk.core.events import LOGGER, EventType, Ident, format_event, record
from kiosk.core.session import EndReason


def test_identifiers_enums_numbers_and_booleans_are_written():
    line = format_event(
        EventType.SESSION_ENDED,
        {"session": Ident("a1b2c3"), "reason": EndReason.TIMEOUT, "seconds": 45,
         "ready": False, "ratio": 1.5, "device": DeviceKind.CARD_READER},
    )
    # Keys in sorted order, after the event name.
    assert line == (
        "session.ended device=card_reader ratio=1.5 ready=False reason=timeout seconds=45 "
        "session=a1b2c3"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Jean Dupont", "<redacted str>"),
        ("06 12 34 56 78", "<redacted str>"),
        (Path("/home/jean/lettre.pdf"), "<redacted PosixPath>"),
        ({"name": "Jean"}, "<redacted dict>"),
        (["Jean"], "<redacted list>"),
        (b"Jean", "<redacted bytes>"),
        (None, "<redacted NoneType>"),
    ],
)
def test_plain_strings_and_other_objects_are_redacted(value, shown):
    line = format_event(EventType.SESSION_STARTED, {"value": value, "session": Ident("s1")})
    assert line == f"session.started session=s1 value={shown}"
    assert "Jean" not in line
    assert "06 12" not in line


def test_record_logs_one_line_on_the_events_logger(caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk.events")
    record(EventType.DEVICE_STATUS, logging.WARNING, device=DeviceKind.PRINTER, ready=False,
           reason=Ident("paper-out"), name="Jean Dupont")  # type: ignore[arg-type]
    assert LOGGER.name == "kiosk.events"
    [entry] = [r for r in caplog.records if r.name == "kiosk.events"]
    assert entry.levelno == logging.WARNING
    assert entry.getMessage() == (
        "device.status device=printer name=<redacted str> ready=False reason=paper-out"
    )


def test_every_event_type_has_its_own_dotted_name():
    values = [member.value for member in EventType.__members__.values()]
    assert len(values) == len(set(values)), "two event types share a name (an enum alias)"
    assert len(values) >= 19
    dotted = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$")
    assert [v for v in values if not dotted.match(v)] == []
