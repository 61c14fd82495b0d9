"""A simulated headphone jack.

Its state file (`sim/headset.json`, `{"present": true, "plugged": false}`) says whether the
jack can be read and whether a headset is in it: `kiosk sim headset plugged=true` is a person
plugging their headset in (docs/accessibility.md H14).
"""

from __future__ import annotations

from pathlib import Path

from devices.sim_state import READY_HEALTH, UNREADABLE_HEALTH, Schema, SimStateStore, boolean
from kiosk.core.devices import DeviceHealth, DeviceKind

JACK_ABSENT = "jack-absent"

SCHEMA: Schema = {"present": boolean(True), "plugged": boolean(False)}


class SimHeadset:
    """The `Headset` port, simulated."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.HEADSET, SCHEMA)

    def health(self) -> DeviceHealth:
        """Ready while the simulated jack is there and its state file can be used."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        return READY_HEALTH if state["present"] else DeviceHealth(False, JACK_ABSENT)

    def plugged(self) -> bool:
        """A headset in a jack that can be read (the file is re-read only when it changed)."""
        state = self._store.load()
        return bool(state and state["present"] and state["plugged"])
