"""A receipt as data: what the person did, when and where, the number to keep, what comes next.

Pure: no Pillow, no printer. `kiosk.receipts` draws a receipt, the printer port prints the
drawing, and the same model gives the words and groups read aloud (docs/accessibility.md H9).
Nothing personal is on a receipt unless the service needs it (`personal_lines`, empty by default): a
receipt forgotten on the printer tells the next passer-by nothing about who took it
(docs/architecture.md, rule 4). The number itself counts as private (docs/accessibility.md H7), so
it never goes into a file name, a print job title or a log line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from kiosk.core.i18n import translate

# kiosk/settings/models.py, ReceiptSettings.tracking_url: the placeholder a template holds.
NUMBER_PLACEHOLDER = "{number}"

# Groups read and copied back without losing one's place: three digits ("104 217", like a
# French phone number or an amount), four letters ("ABCD EFGH", the Publik tracking-code
# shape, docs/central-systems.md, "Tracking codes"). A part of four characters or fewer stays
# whole ("2026").
DIGIT_GROUP = 3
LETTER_GROUP = 4
WHOLE_UP_TO = 4

_ALLOWED = re.compile(r"^[A-Za-z0-9-]+$")
_SPACES = re.compile(r"\s+")


class NumberKind(StrEnum):
    """What the number on a receipt is; it decides its label and what the QR code holds."""

    TRACKING = "tracking"
    """The central's tracking number (Open311 service_request_id, w.c.s. tracking_code)."""
    BOOKING = "booking"
    """An appointment's reference (Publik Chrono booking)."""
    STATION = "station"
    """The station's own reference ("<station>-<YYYYMMDD>-<NNNN>", kiosk/outbox/references.py),
    when the central gave no number yet or gives none (Open311 batch and blackbox services)."""


def normalized_number(number: str) -> str:
    """The number without the spaces a person or a central may have put in it."""
    return _SPACES.sub("", number)


def number_groups(number: str, kind: NumberKind) -> tuple[str, ...]:
    """The number cut into the groups it is printed and read aloud in.

    A number with dashes (every station reference, "demo-0001-20261122-0042") keeps them as its
    groups and is printed exactly as written, so that what a person types back matches it
    character for character. Other numbers are cut into balanced groups, longest first:
    "104217" → "104", "217"; "1042173" → "104", "21", "73"; "ABCDEFGH" → "ABCD", "EFGH".
    """
    number = normalized_number(number)
    if kind is NumberKind.STATION or "-" in number:
        return tuple(part for part in number.split("-") if part)
    return tuple(_balanced(number, DIGIT_GROUP if number.isdigit() else LETTER_GROUP))


def grouped_number(number: str, kind: NumberKind) -> str:
    """The number as printed: groups joined by a space ("104 217", "ABCD EFGH"), or by the
    number's own dashes when it has some."""
    dashed = kind is NumberKind.STATION or "-" in normalized_number(number)
    return ("-" if dashed else " ").join(number_groups(number, kind))


def _balanced(part: str, size: int) -> list[str]:
    """`part` cut into ceil(len/size) groups whose lengths differ by one at most."""
    if len(part) <= max(size, WHOLE_UP_TO):
        return [part] if part else []
    count = -(-len(part) // size)
    base, longer = divmod(len(part), count)
    groups, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < longer else 0)
        groups.append(part[start:end])
        start = end
    return groups


def qr_content(number: str, kind: NumberKind, tracking_url: str | None) -> str:
    """What the receipt's QR code holds: the city's tracking page for a tracking number when a
    URL template is configured (a phone opens it), otherwise the bare number, which the kiosk's
    own scanner reads back on the tracking screen. Appointments and station references have no
    tracking page, so they always carry the bare number."""
    number = normalized_number(number)
    if kind is NumberKind.TRACKING and tracking_url:
        return tracking_url.replace(NUMBER_PLACEHOLDER, quote(number, safe=""))
    return number


def format_when(when: datetime, language: str) -> str:
    """A date and time as a person says it, in `language` ("mardi 1er décembre 2026 à 14 h 30",
    "Tuesday 1 December 2026, 14:30"). `when` is already in the station's time zone."""
    weekdays = [w.strip() for w in translate("receipt.weekdays", language).split(",")]
    months = [m.strip() for m in translate("receipt.months", language).split(",")]
    day = translate("receipt.day_one", language) if when.day == 1 else str(when.day)
    clock = translate("receipt.time", language, hour=when.hour, minute=f"{when.minute:02d}")
    return translate(
        "receipt.date_time", language, weekday=weekdays[when.weekday()], day=day,
        month=months[when.month - 1], year=when.year, time=clock,
    )


@dataclass(frozen=True)
class Receipt:
    """Everything printed on one receipt, already in the receipt's language.

    Raises ValueError when built with an empty number or one holding characters no central and
    no station reference uses (a program error, never a physical event).
    """

    city: str
    """The city's name, printed at the top."""
    title: str
    """What was done ("Demande d'enlèvement d'encombrants envoyée")."""
    when: datetime
    """When it was done, or the appointment's date and time, in the station's time zone."""
    place: str
    """Where: the town hall, the service's address, the appointment's desk."""
    number: str
    """The number to keep, as the central (or the station) gave it."""
    number_kind: NumberKind
    """Which kind of number it is."""
    language: str
    """The receipt's language (the session's)."""
    next_steps: tuple[str, ...] = ()
    """What happens next, one short sentence a line."""
    tracking_url: str | None = None
    """The city's tracking URL template with {number} (settings.receipts.tracking_url)."""
    logo: Path | None = None
    """The city's logo (settings.receipts.logo), if any."""
    personal_lines: tuple[str, ...] = field(default=())
    """Name or address, only for a service that needs them on paper; empty by default."""

    def __post_init__(self) -> None:
        number = normalized_number(self.number)
        if not number or not _ALLOWED.match(number):
            raise ValueError("a receipt number holds letters, digits and dashes only")
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "next_steps", tuple(self.next_steps))
        object.__setattr__(self, "personal_lines", tuple(self.personal_lines))

    @property
    def groups(self) -> tuple[str, ...]:
        """The number's groups, for reading aloud one group at a time."""
        return number_groups(self.number, self.number_kind)

    @property
    def printed_number(self) -> str:
        """The number as printed in large digits."""
        return grouped_number(self.number, self.number_kind)

    @property
    def qr_content(self) -> str:
        """What the QR code holds."""
        return qr_content(self.number, self.number_kind, self.tracking_url)

    @property
    def when_text(self) -> str:
        """The date and time in words, in the receipt's language."""
        return format_when(self.when, self.language)
