"""The device ports: what the station needs from a printer, a card reader, a scanner, a
speech engine and a headphone jack. Drivers and simulators in `devices/` implement them.

Drivers return status values for physical events (paper out, card removed); they raise only
for configuration errors, so nothing physical ever raises into the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.settings.speech_steps import DEFAULT_RATE_PERCENT, DEFAULT_VOLUME_LEVEL


class DeviceKind(StrEnum):
    """The devices a station may have."""

    PRINTER = "printer"
    CARD_READER = "card_reader"
    SCANNER = "scanner"
    SPEECH = "speech"
    HEADSET = "headset"


@dataclass(frozen=True)
class DeviceHealth:
    """Whether a device can be used now, and a short machine-readable reason when not."""

    ready: bool
    reason: str = "ok"


UNKNOWN_HEALTH = DeviceHealth(ready=True, reason="unknown")
"""Before the first reading, a device counts as usable: a station does not flash the
out-of-order screen while it boots."""


class JobState(StrEnum):
    """Where a print job stands."""

    PENDING = "pending"
    PRINTING = "printing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    """A job handed to a printer."""

    job_id: str
    state: JobState
    reason: str = ""


@runtime_checkable
class Printer(Protocol):
    """A receipt printer."""

    def health(self) -> DeviceHealth:
        """Can a receipt be printed now?"""
        ...

    def print_file(self, path: Path, title: str) -> PrintJob:
        """Send a rendered receipt (PNG or PDF); returns at once with the job's first state."""
        ...

    def job(self, job_id: str) -> PrintJob:
        """The current state of a job."""
        ...


@dataclass(frozen=True)
class Card:
    """A card on the reader, by its UID (upper-case hex); None when the card gave no UID."""

    uid: str | None


class CardEventKind(StrEnum):
    """What happened on the reader."""

    INSERTED = "inserted"
    REMOVED = "removed"


@dataclass(frozen=True)
class CardEvent:
    """A card put on the reader (with the card) or taken off it. A reader unplugged, or the
    card service stopped, with a card on it, is a removal."""

    kind: CardEventKind
    card: Card | None = None


class ChallengeStatus(StrEnum):
    """How a badge took the station's challenge (docs/badges.md)."""

    ANSWERED = "answered"
    """The badge application answered with a proof; the core checks it."""
    NO_APPLICATION = "no-application"
    """The card has no badge application: a plain card."""
    DECLINED = "declined"
    """The badge application would not answer (no key, or an error status)."""
    NO_CARD = "no-card"
    """No card on the reader any more."""
    READER_FAILED = "reader-failed"
    """The reader or the card service failed during the exchange."""


@dataclass(frozen=True)
class ChallengeAnswer:
    """What the card on the reader answered to a challenge, and the UID it gave in the same
    exchange."""

    status: ChallengeStatus
    uid: str | None = None
    proof: bytes = b""


@runtime_checkable
class CardReader(Protocol):
    """A contactless reader for staff badges."""

    def health(self) -> DeviceHealth:
        """Is the reader present and working?"""
        ...

    def card(self) -> Card | None:
        """The card on the reader now, if any."""
        ...

    def read_event(self) -> CardEvent | None:
        """The next insertion or removal not yet read, if any (never blocks)."""
        ...

    def challenge(self, nonce: bytes) -> ChallengeAnswer:
        """Ask the card on the reader to prove its key over `nonce` (blocks for the exchange,
        tens of milliseconds: call it off the UI thread)."""
        ...


@runtime_checkable
class Scanner(Protocol):
    """A QR code and barcode scanner."""

    def health(self) -> DeviceHealth:
        """Is the scanner present?"""
        ...

    def read(self) -> str | None:
        """The next scanned code not yet read, if any (never blocks)."""
        ...


@dataclass(frozen=True)
class Delivery:
    """How fast and how loud an utterance is said: one of the rate steps, in per cent of the
    normal rate, and a volume level (kiosk/settings/speech_steps.py, docs/accessibility.md
    H12, H13)."""

    rate_percent: int = DEFAULT_RATE_PERCENT
    volume_level: int = DEFAULT_VOLUME_LEVEL


NORMAL_DELIVERY = Delivery()


@runtime_checkable
class Speech(Protocol):
    """A speech engine. Every call returns at once: speaking happens on the driver's own
    thread, never on the UI thread."""

    def health(self) -> DeviceHealth:
        """Can the station speak?"""
        ...

    def speak(self, text: str, lang: str, delivery: Delivery = NORMAL_DELIVERY) -> None:
        """Say `text` in the voice of `lang` ("fr", "en", "fr_FALC"), interrupting what was
        being said."""
        ...

    def stop(self) -> None:
        """Stop speaking and forget the last utterance: `repeat` then says nothing (what was
        said may be private, and the person or the session has moved on)."""
        ...

    def pause(self) -> None:
        """Hold the current utterance where it is."""
        ...

    def resume(self) -> None:
        """Go on with a held utterance from where it was held."""
        ...

    def repeat(self) -> None:
        """Say the last utterance again from its start."""
        ...


@runtime_checkable
class Headset(Protocol):
    """The headphone jack of the station's audio output."""

    def health(self) -> DeviceHealth:
        """Can the jack be read?"""
        ...

    def plugged(self) -> bool:
        """Is a headset in the jack now? False while the jack cannot be read; never blocks."""
        ...
