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
from kiosk.core.devices import NORMAL_DELIVERY, Delivery, DeviceHealth, DeviceKind

SPEECH_UNAVAILABLE = "speech-unavailable"

SCHEMA: Schema = {"available": boolean(True)}


class SimSpeech:
    """The `Speech` port, simulated; tests read `last_text`, `last_lang`, `last_delivery`,
    `spoken` (utterances begun, repeats included) and `paused`."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.SPEECH, SCHEMA)
        self._lock = threading.Lock()
        self.last_text: str | None = None
        self.last_lang: str | None = None
        self.last_delivery: Delivery | None = None
        self.spoken = 0
        self.paused = False

    def health(self) -> DeviceHealth:
        """Ready when the simulated engine is available."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        return READY_HEALTH if state["available"] else DeviceHealth(False, SPEECH_UNAVAILABLE)

    def speak(self, text: str, lang: str, delivery: Delivery = NORMAL_DELIVERY) -> None:
        """Replace the last utterance, as a real engine interrupts itself; an unavailable
        engine says nothing (and records nothing)."""
        if not self.health().ready:
            return
        with self._lock:
            self.last_text = text
            self.last_lang = lang
            self.last_delivery = delivery
            self.spoken += 1
            self.paused = False

    def stop(self) -> None:
        """Stop speaking: forget the text."""
        with self._lock:
            self.last_text = None
            self.paused = False

    def pause(self) -> None:
        """Hold the utterance (if there is one)."""
        with self._lock:
            self.paused = self.last_text is not None

    def resume(self) -> None:
        """Go on with the held utterance."""
        with self._lock:
            self.paused = False

    def repeat(self) -> None:
        """Say the last utterance again, if one is remembered and the engine is available."""
        if self.last_text is not None and self.last_lang is not None:
            self.speak(self.last_text, self.last_lang, self.last_delivery or NORMAL_DELIVERY)
