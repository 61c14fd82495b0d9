"""Reading and flipping simulator state by name, for the CLI, the demo and tests.

`set_sim_state(data_dir, "printer", state="paper-out")` is the same change a person makes by
editing `sim/printer.json`, validated first so a typo is refused with a clear message rather
than turning the device into "sim-state-unreadable".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices import sim_card_reader, sim_headset, sim_printer, sim_scanner, sim_speech
from devices.sim_state import Schema, SimStateStore, check_field
from kiosk.core.devices import DeviceKind

SCHEMAS: dict[DeviceKind, Schema] = {
    DeviceKind.PRINTER: sim_printer.SCHEMA,
    DeviceKind.CARD_READER: sim_card_reader.SCHEMA,
    DeviceKind.SCANNER: sim_scanner.SCHEMA,
    DeviceKind.SPEECH: sim_speech.SCHEMA,
    DeviceKind.HEADSET: sim_headset.SCHEMA,
}

DEVICE_NAMES = tuple(kind.value for kind in SCHEMAS)


def _store(data_dir: Path, device: str) -> SimStateStore:
    try:
        kind = DeviceKind(device)
    except ValueError:
        raise ValueError(
            f"unknown device {device!r} (known: {', '.join(DEVICE_NAMES)})"
        ) from None
    return SimStateStore(Path(data_dir), kind, SCHEMAS[kind])


def set_sim_state(data_dir: Path, device: str, **fields: Any) -> dict[str, Any]:
    """Set some fields of a simulator's state and return the whole new state. Raises
    ValueError for an unknown device, an unknown field or a value it does not accept. A state
    file that cannot be read is replaced: unset fields then take their defaults."""
    store = _store(data_dir, device)
    if not fields:
        raise ValueError(f"{device}: nothing to set (fields: {', '.join(store.schema)})")
    for name, value in fields.items():
        check_field(device, store.schema, name, value)

    def apply(state: dict[str, Any]) -> dict[str, Any]:
        state.update(fields)
        return dict(state)

    return store.modify(apply, recover=True)


def read_sim_state(data_dir: Path, device: str) -> dict[str, Any]:
    """A simulator's whole state (created with the defaults if missing). Raises ValueError for
    an unknown device or a state file that cannot be used, saying which and why."""
    return _store(data_dir, device).read()
