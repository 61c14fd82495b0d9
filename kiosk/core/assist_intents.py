"""What the public screen asks of the core for staff and for the assisted desk: the PIN pad,
ending a badge's turn, the maintenance screen's buttons, and the visitor's answer to "may the
facilitator type for you?". Like every intent, screens send them with `app.send`.

The console's messages are another set (kiosk/core/assist_messages.py): none of these can come
from the facilitator's console, so the visitor's consent is the visitor's alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.core.assist import Check


class PinPadKey(StrEnum):
    """The keys of the PIN pad that are not digits."""

    ERASE = "erase"
    ENTER = "enter"


@dataclass(frozen=True)
class PinKey:
    """A key of the PIN pad: a digit, or erase, or enter. Never logged, never kept in the
    state: the badge terminal alone holds the digits (kiosk/core/badge_auth.py)."""

    key: str = field(repr=False)


@dataclass(frozen=True)
class EndStaffTurn:
    """"Cancel" on the PIN screen, "Close" on the maintenance screen: the badge's turn ends;
    it must be taken off and presented again."""


@dataclass(frozen=True)
class RunCheck:
    """A check of the maintenance screen: test print, card test, central test."""

    check: Check


@dataclass(frozen=True)
class ReadEvents:
    """Read the recent event types again."""


@dataclass(frozen=True)
class Restart:
    """Restart the station (maintenance)."""


class ConsentAnswer(StrEnum):
    """What the visitor answered about being typed for."""

    GIVE = "give"
    REFUSE = "refuse"


@dataclass(frozen=True)
class AnswerConsent:
    """The visitor's answer on their own screen (the question the banner puts)."""

    answer: ConsentAnswer


StaffIntent = PinKey | EndStaffTurn | RunCheck | ReadEvents | Restart
"""Intents of the staff screens, taken with or without a visitor's session."""
