"""A simulated QR code and barcode scanner.

Its state file (`sim/scanner.json`, `{"present": true, "queue": []}`) holds codes waiting to be
"scanned". `read()` takes the first one and writes the file back atomically under a lock, so
each queued code is read exactly once even while `queue_scan` adds more from another process.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from devices.sim_state import (
    READY_HEALTH,
    UNREADABLE_HEALTH,
    Schema,
    SimStateError,
    SimStateStore,
    StateField,
    boolean,
)
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.events import EventType, Ident, record

SCANNER_ABSENT = "scanner-absent"


def is_code_list(value: Any) -> bool:
    """A list of non-empty strings (a scan is never empty)."""
    return isinstance(value, list) and all(isinstance(c, str) and c for c in value)


SCHEMA: Schema = {
    "present": boolean(True),
    "queue": StateField([], is_code_list, "a list of non-empty strings"),
}


class SimScanner:
    """The `Scanner` port, simulated."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.SCANNER, SCHEMA)

    def health(self) -> DeviceHealth:
        """Ready when the simulated scanner is plugged in."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        return READY_HEALTH if state["present"] else DeviceHealth(False, SCANNER_ABSENT)

    def read(self) -> str | None:
        """The next queued code, removed from the file; None when there is none, the scanner is
        unplugged or its state unusable. Never raises and never blocks for long."""
        state = self._store.load()  # cheap: cached until the file changes
        if state is None or not state["present"] or not state["queue"]:
            return None
        try:
            return self._store.modify(_pop_if_present)
        except SimStateError:
            return None
        except OSError as err:  # the code stays queued rather than being read twice
            record(EventType.DEVICE_STATUS, logging.WARNING, device=DeviceKind.SCANNER,
                   error=Ident(type(err).__name__))
            return None


def _pop_if_present(state: dict[str, Any]) -> str | None:
    if not state["present"] or not state["queue"]:
        return None
    return state["queue"].pop(0)


def queue_scan(data_dir: Path, code: str) -> None:
    """Queue a code as if it had been scanned (tests, the demo, a person at the CLI). Raises
    ValueError for an empty code or a state file that cannot be used."""
    if not isinstance(code, str) or not code:
        raise ValueError("a scanned code must be a non-empty string")
    store = SimStateStore(data_dir, DeviceKind.SCANNER, SCHEMA)
    store.modify(lambda state: state["queue"].append(code))
