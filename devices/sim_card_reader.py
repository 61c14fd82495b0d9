"""A simulated smart-card reader for staff badges.

Its state file (`sim/card_reader.json`, `{"reader": "present", "card": null}`) plugs and
unplugs the reader and puts a badge on it by UID, which is how a test or a demo "taps a badge".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from devices.sim_state import (
    READY_HEALTH,
    UNREADABLE_HEALTH,
    Schema,
    SimStateStore,
    StateField,
    choice,
)
from kiosk.core.devices import Card, DeviceHealth, DeviceKind

PRESENT = "present"
ABSENT = "absent"
READER_ABSENT = "reader-absent"

UID_BYTES = (4, 7, 10)
"""ISO/IEC 14443-3 §6.5.4: a UID is single (4 bytes), double (7) or triple (10) size."""

_HEX = re.compile(r"[0-9A-Fa-f]+")


def is_uid(value: Any) -> bool:
    """A card UID as hex digits, of one of the ISO/IEC 14443-3 sizes."""
    return (isinstance(value, str) and _HEX.fullmatch(value) is not None
            and len(value) in {2 * n for n in UID_BYTES})


SCHEMA: Schema = {
    "reader": choice(PRESENT, PRESENT, ABSENT),
    "card": StateField(None, lambda v: v is None or is_uid(v),
                       "null or a card UID of 8, 14 or 20 hex digits"),
}


class SimCardReader:
    """The `CardReader` port, simulated."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.CARD_READER, SCHEMA)

    def health(self) -> DeviceHealth:
        """Ready when the simulated reader is plugged in."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        return READY_HEALTH if state["reader"] == PRESENT else DeviceHealth(False, READER_ABSENT)

    def card(self) -> Card | None:
        """The badge on the reader (UID in upper case), None without a card or a reader."""
        state = self._store.load()
        if state is None or state["reader"] != PRESENT or state["card"] is None:
            return None
        return Card(uid=state["card"].upper())
