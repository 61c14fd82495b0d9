"""The speech port for tests: the simulator, plus a transcript of every call in order (what
was said, in which language, at which rate and volume; stops, pauses and repeats), so that a
test can check what a person would have heard, and what they would never hear.

For tests only (`devices.speech.driver = "recording"`): the transcript holds what was said,
which may be private, in memory, until the process ends; never on a station. It is bounded,
and never written to disk nor logged.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from devices.sim_speech import SimSpeech
from kiosk.core.devices import NORMAL_DELIVERY, Delivery

MAX_ENTRIES = 5000
"""A robot's whole run of a few flows says a few hundred things; the oldest go first."""


@dataclass(frozen=True)
class Said:
    """One call to the port: `action` is "speak", "stop", "pause", "resume" or "repeat"."""

    action: str
    text: str = ""
    lang: str = ""
    delivery: Delivery = NORMAL_DELIVERY


class RecordingSpeech(SimSpeech):
    """The simulated engine that also keeps a transcript (`entries`, `said`)."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.entries: deque[Said] = deque(maxlen=MAX_ENTRIES)

    @property
    def said(self) -> list[str]:
        """Every text spoken, in order (repeats included)."""
        return [entry.text for entry in list(self.entries) if entry.action in ("speak", "repeat")]

    def transcript(self) -> str:
        """Everything spoken, one utterance a line."""
        return "\n".join(self.said)

    def speak(self, text: str, lang: str, delivery: Delivery = NORMAL_DELIVERY) -> None:
        """Speak, and write it down."""
        if self.health().ready:
            self.entries.append(Said("speak", text, lang, delivery))
        super().speak(text, lang, delivery)

    def stop(self) -> None:
        """Stop, and write that down."""
        self.entries.append(Said("stop"))
        super().stop()

    def pause(self) -> None:
        """Pause, and write that down."""
        self.entries.append(Said("pause"))
        super().pause()

    def resume(self) -> None:
        """Resume, and write that down."""
        self.entries.append(Said("resume"))
        super().resume()

    def repeat(self) -> None:
        """Repeat the last utterance, and write down what was said again."""
        if self.last_text is not None and self.health().ready:
            self.entries.append(Said("repeat", self.last_text, self.last_lang or "",
                                     self.last_delivery or NORMAL_DELIVERY))
        if self.last_text is not None and self.last_lang is not None:
            SimSpeech.speak(self, self.last_text, self.last_lang,
                            self.last_delivery or NORMAL_DELIVERY)
