"""A simulated contactless reader for staff badges.

Its state file (`sim/card_reader.json`, `{"reader": "present", "card": null, "key": null}`)
plugs and unplugs the reader ("absent"), stops the card service ("pcsc-unavailable", as when
pcscd is down), and puts a card on it by UID, which is how a test or a demo "taps a badge". With
`key` (64 hex digits) the card is a badge holding that key and answers the station's challenge
with it; without, it is a plain card. The keys in this file are demo keys: the file is readable
by anyone, as every simulator's state is.

Insertions and removals are seen when the reader is next asked (`read_event`, `card`), by
comparing the file with what was seen before: a card replaced by another between two readings
is a removal then an insertion.
"""

from __future__ import annotations

import re
import threading
from collections import deque
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
from kiosk.core.badges import KEY_BYTES, badge_proof
from kiosk.core.devices import (
    Card,
    CardEvent,
    CardEventKind,
    ChallengeAnswer,
    ChallengeStatus,
    DeviceHealth,
    DeviceKind,
)

PRESENT = "present"
ABSENT = "absent"
NO_SERVICE = "pcsc-unavailable"
READER_ABSENT = "reader-absent"
"""The reasons the PC/SC driver gives (devices/pcsc_card_reader.py)."""

UID_BYTES = (4, 7, 10)
"""ISO/IEC 14443-3 §6.5.4: a UID is single (4 bytes), double (7) or triple (10) size."""

_HEX = re.compile(r"[0-9A-Fa-f]+")

MAX_EVENTS = 64
"""Insertions and removals kept for `read_event`; older ones go if nobody reads them."""


def is_uid(value: Any) -> bool:
    """A card UID as hex digits, of one of the ISO/IEC 14443-3 sizes."""
    return (isinstance(value, str) and _HEX.fullmatch(value) is not None
            and len(value) in {2 * n for n in UID_BYTES})


def is_key(value: Any) -> bool:
    """A badge key as hex digits."""
    return isinstance(value, str) and _HEX.fullmatch(value) is not None and (
        len(value) == 2 * KEY_BYTES)


SCHEMA: Schema = {
    "reader": choice(PRESENT, PRESENT, ABSENT, NO_SERVICE),
    "card": StateField(None, lambda v: v is None or is_uid(v),
                       "null or a card UID of 8, 14 or 20 hex digits"),
    "key": StateField(None, lambda v: v is None or is_key(v),
                      f"null or a badge key of {2 * KEY_BYTES} hex digits"),
}


class SimCardReader:
    """The `CardReader` port, simulated."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.CARD_READER, SCHEMA)
        self._lock = threading.Lock()
        self._seen: Card | None = None
        self._events: deque[CardEvent] = deque(maxlen=MAX_EVENTS)

    def health(self) -> DeviceHealth:
        """Ready when the simulated reader is plugged in and its card service runs."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        if state["reader"] == PRESENT:
            return READY_HEALTH
        return DeviceHealth(False, NO_SERVICE if state["reader"] == NO_SERVICE else READER_ABSENT)

    def card(self) -> Card | None:
        """The badge on the reader (UID in upper case), None without a card or a reader."""
        with self._lock:
            return self._look()

    def read_event(self) -> CardEvent | None:
        """The next insertion or removal since the file was last looked at."""
        with self._lock:
            self._look()
            return self._events.popleft() if self._events else None

    def challenge(self, nonce: bytes) -> ChallengeAnswer:
        """The simulated card's answer: a proof with its key, or no badge application."""
        state = self._store.load()
        card = _card_of(state)
        if state is None or card is None:
            return ChallengeAnswer(ChallengeStatus.NO_CARD)
        if state["key"] is None:
            return ChallengeAnswer(ChallengeStatus.NO_APPLICATION, uid=card.uid)
        return ChallengeAnswer(ChallengeStatus.ANSWERED, uid=card.uid,
                               proof=badge_proof(bytes.fromhex(state["key"]), nonce))

    def _look(self) -> Card | None:
        """The card now, queueing the events that lead to it from the card seen before."""
        card = _card_of(self._store.load())
        if card != self._seen:
            if self._seen is not None:
                self._events.append(CardEvent(CardEventKind.REMOVED))
            if card is not None:
                self._events.append(CardEvent(CardEventKind.INSERTED, card))
            self._seen = card
        return card


def _card_of(state: dict[str, Any] | None) -> Card | None:
    if state is None or state["reader"] != PRESENT or state["card"] is None:
        return None
    return Card(uid=state["card"].upper())
