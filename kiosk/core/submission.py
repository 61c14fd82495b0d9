"""Handing something to the central systems: one effect for every submission (a request, a
booking, a cancellation, survey answers), with what happens when the central does not answer
while the person waits chosen by the flow that submits.

The shell runs every `Submit` the same way (kiosk/outbox/submitting.py): store it in the outbox
under an idempotency key (and fsync) before anything else, send it at once, wait for the
central's answer as long as `Delivery` says, then keep it in the outbox or take it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.core.central import Appointment, BookingRequest, RequestSubmission, SurveyAnswer
from kiosk.core.effects import Effect

Submission = RequestSubmission | BookingRequest | Appointment | SurveyAnswer
"""What can be submitted (an `Appointment` is submitted to be cancelled)."""


class Delivery(StrEnum):
    """What becomes of a submission the central has not answered while the person waited."""

    KEEP = "keep"
    """It stays in the outbox and is delivered when the central answers: a request (the
    person leaves with the station reference), a cancellation (cancelling late is still what
    was asked, and it frees the slot)."""
    WITHDRAW = "withdraw"
    """It is sent again under the same key while the person waits (an answer lost on the way
    back is recovered), then taken back and the person is told nothing was done: a booking.
    A slot is never promised while the central does not answer, and a booking delivered later,
    behind the back of someone told it failed, would hold a slot nobody uses."""
    BACKGROUND = "background"
    """The person waits a moment only; it is delivered later: survey answers."""


@dataclass(frozen=True)
class Submit(Effect):
    """Store `submission` in the outbox, send it, and wait as `delivery` says. Each flow
    names its submissions with a subclass that sets `delivery`."""

    delivery: ClassVar[Delivery] = Delivery.KEEP
    submission: Submission | None = None


@dataclass(frozen=True)
class Submitted:
    """What a `Submit` gave: the station reference it was stored under ("" for a
    cancellation, which carries the booking's own), whether the central has it, and the
    central's answer when it came while the person waited."""

    station_ref: str
    delivered: bool
    #: the port's answer: a SubmissionResult, an Appointment, the survey's reference
    answer: object = None
    #: the central's reference as the outbox recorded it (a booking taken while the screen
    #: waited for the last commit has this and no `answer`)
    reference: str = ""
