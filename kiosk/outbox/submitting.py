"""The one way a station hands a person's submission to the central: store it in the outbox (a
station reference, an idempotency key, an fsync) before anything else, send it at once, wait
for the central's answer while the person waits, then keep it or take it back as the flow
chose (kiosk/core/submission.py, `Delivery`).

Whatever the central does meanwhile, nothing stored is lost: an item the central has not taken
stays in the outbox (delivered later by the sender, under the same key) unless the flow asked
for it to be withdrawn; `OutboxSender.withdraw` waits for an attempt under way, so a booking the
central took after all is reported as booked, never lost.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.core.central import CentralError, CentralFailure
from kiosk.core.submission import Delivery, Submission, Submitted
from kiosk.outbox.codec import kind_of
from kiosk.outbox.sender import OutboxSender
from kiosk.outbox.store import DeliveryResult, ItemState, Outbox

# Beyond the HTTP time limit of a withdrawn-if-unanswered call itself: starting the attempt
# and committing its result (one fsync, kiosk/outbox/store.py synchronous=FULL). After
# timeout_s + this, the attempt has ended, so the answer the screen gets is the central's.
WITHDRAW_MARGIN_S = 2.0
# Attempts while the person waits, RETRY_PAUSE_S apart: a second one recovers an answer lost
# on the way back (a dropped connection after the central booked); a third covers a brief
# outage. More would only keep the person waiting for a central that is down.
WITHDRAW_ATTEMPTS = 3
RETRY_PAUSE_S = 0.5
# How long the survey's thanks screen may wait for the central once the answers are stored:
# about 1 s keeps the person's flow of thought uninterrupted (J. Nielsen, "Usability
# Engineering", 1993, ch. 5, response-time limits). Later, the sender delivers.
BACKGROUND_WAIT_S = 1.0


@dataclass(frozen=True)
class Patience:
    """How long a person waits: for an answer (settings `central.answer_wait_s`), and the
    time limit of one call (`central.timeout_s`)."""

    answer_wait_s: float
    call_timeout_s: float


class Submitter:
    """Submits through one outbox and its sender (module docstring)."""

    def __init__(self, outbox: Outbox, sender: OutboxSender, station_id: str,
                 patience: Patience, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._outbox = outbox
        self._sender = sender
        self._station_id = station_id
        self._patience = patience
        self._clock = clock
        self._sleep = sleep

    def submit(self, submission: Submission, delivery: Delivery) -> Submitted:
        """Store, send, wait, keep or withdraw. Raises CentralError when the central refused
        it, when the station has no port for it (nothing is stored then), and for a withdrawn
        submission the central did not take."""
        kind = kind_of(submission)
        if not self._sender.delivers(kind):
            raise CentralError(CentralFailure.REJECTED, f"this station has no port for {kind}")
        ref = ""
        if hasattr(submission, "station_ref"):  # a cancellation carries the booking's own
            ref = self._outbox.new_reference(self._station_id)
            submission = replace(submission, station_ref=ref)  # type: ignore[type-var]
        key = self._outbox.enqueue(submission).key
        # Stored (and fsync'd): from here on it reaches the central, unless withdrawn.
        match delivery:
            case Delivery.WITHDRAW:
                return self._until_answered_or_withdrawn(key, ref)
            case Delivery.BACKGROUND:
                with contextlib.suppress(CentralError):
                    return self._answered(ref, self._sender.deliver_now(key, min(
                        BACKGROUND_WAIT_S, self._patience.answer_wait_s)))
                return Submitted(ref, delivered=False)
        try:
            return self._answered(ref, self._sender.deliver_now(
                key, self._patience.answer_wait_s))
        except CentralError:
            stored = self._outbox.get(key)
            if stored is not None and stored.state is ItemState.PENDING:
                return Submitted(ref, delivered=False)  # the sender keeps trying
            raise

    def _until_answered_or_withdrawn(self, key: str, ref: str) -> Submitted:
        patience = self._patience
        deadline = self._clock() + max(patience.answer_wait_s,
                                       patience.call_timeout_s + WITHDRAW_MARGIN_S)
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._answered(ref, self._sender.deliver_now(
                    key, max(0.0, deadline - self._clock())))
            except CentralError as err:
                if err.retryable and attempts < WITHDRAW_ATTEMPTS and (
                        self._clock() + RETRY_PAUSE_S < deadline):
                    # Perhaps only the answer was lost: the same key again gets the central's
                    # answer to the first attempt, not a second submission.
                    self._sleep(RETRY_PAUSE_S)
                    continue
                late = self._sender.withdraw(key, WITHDRAW_MARGIN_S, err.failure)
                if late is None:
                    raise
                return Submitted(ref, delivered=True, reference=late.reference or "")

    @staticmethod
    def _answered(ref: str, result: DeliveryResult) -> Submitted:
        return Submitted(ref, delivered=True, answer=result.answer,
                         reference=result.reference or "")
