"""A simulated speech engine.

Its state file (`sim/speech.json`, `{"available": true}`) switches the engine on and off. What
it "says" stays in memory only, and only the last utterance: spoken text may be personal (a
name read back, a phone number), so it is never written to disk nor logged
(docs/architecture.md rule 4).
"""

from __future__ import annotations

import threading
from pathlib import Path

from devices.sim_state import READY_HEALTH, UNREADABLE_HEALTH, Schema, SimStateStore, boolean
from kiosk.core.devices import DeviceHealth, DeviceKind

SPEECH_UNAVAILABLE = "speech-unavailable"

SCHEMA: Schema = {"available": boolean(True)}


class SimSpeech:
    """The `Speech` port, simulated; tests read `last_text`, `last_lang` and `spoken`."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.SPEECH, SCHEMA)
        self._lock = threading.Lock()
        self.last_text: str | None = None
        self.last_lang: str | None = None
        self.spoken = 0

    def health(self) -> DeviceHealth:
        """Ready when the simulated engine is available."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        return READY_HEALTH if state["available"] else DeviceHealth(False, SPEECH_UNAVAILABLE)

    def speak(self, text: str, lang: str) -> None:
        """Replace the last utterance, as a real engine interrupts itself; an unavailable
        engine says nothing (and records nothing)."""
        if not self.health().ready:
            return
        with self._lock:
            self.last_text = text
            self.last_lang = lang
            self.spoken += 1

    def stop(self) -> None:
        """Stop speaking: forget the text."""
        with self._lock:
            self.last_text = None
