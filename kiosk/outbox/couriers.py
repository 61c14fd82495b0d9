"""Couriers for the sender, built from the core's central ports: each carries one kind of
submission to the central.

The sender knows no protocol; the app shell gives it one courier per kind of item. These
functions turn the ports (implemented by the adapters) into such couriers, and each port's
answer into the reference and outcome the outbox records. A request desk whose central does
not honour idempotency keys comes with its search (`RequestSearch`): its courier can then
look a request up before it is sent again (`kiosk.outbox.sender.FindingCourier`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.core.central import (
    Appointment,
    AppointmentBook,
    BookingRequest,
    RequestDesk,
    RequestSearch,
    RequestSubmission,
    SubmissionResult,
    SurveyAnswer,
    SurveySink,
)
from kiosk.outbox.sender import Courier, FindingCourier
from kiosk.outbox.store import DeliveryResult, ItemKind

#: `DeliveryResult.outcome` of a survey answer the central took.
SURVEY_SENT = "sent"


def _delivered(result: SubmissionResult) -> DeliveryResult:
    return DeliveryResult(result.number or result.token, result.outcome.value, result)


class _FindingRequestHandler:
    """Submits through the desk, and finds a request already sent through the search."""

    def __init__(self, desk: RequestDesk, search: RequestSearch) -> None:
        self._desk = desk
        self._search = search

    def __call__(self, submission: RequestSubmission, key: str) -> DeliveryResult:
        return _delivered(self._desk.submit(submission, key))

    def find(self, submission: RequestSubmission, since: float) -> DeliveryResult | None:
        found = self._search.find(submission, datetime.fromtimestamp(since, UTC))
        return None if found is None else _delivered(found)


def request_courier(desk: RequestDesk, search: RequestSearch | None = None) -> Courier:
    """Submit a request; the reference is its number, or the batch token until the number
    comes (outcome "numbered", "pending" or "unnumbered", as SubmissionOutcome). With
    `search` (a central that ignores idempotency keys), the courier also finds a request
    already sent."""
    if search is not None:
        courier: FindingCourier = _FindingRequestHandler(desk, search)
        return courier

    def deliver(submission: RequestSubmission, key: str) -> DeliveryResult:
        return _delivered(desk.submit(submission, key))

    return deliver


def booking_courier(book: AppointmentBook) -> Courier:
    """Book a slot; the reference is the central's booking id (outcome "booked")."""

    def deliver(request: BookingRequest, key: str) -> DeliveryResult:
        appointment = book.book(request, key)
        return DeliveryResult(appointment.id, appointment.status.value, appointment)

    return deliver


def cancellation_courier(book: AppointmentBook) -> Courier:
    """Cancel a booking; the reference is the booking id (outcome "cancelled")."""

    def deliver(appointment: Appointment, key: str) -> DeliveryResult:
        cancelled = book.cancel(appointment, key)
        return DeliveryResult(cancelled.id, cancelled.status.value, cancelled)

    return deliver


def survey_courier(sink: SurveySink) -> Courier:
    """Send survey answers; the reference is the central's (outcome "sent")."""

    def deliver(answer: SurveyAnswer, key: str) -> DeliveryResult:
        reference = sink.send(answer, key)
        return DeliveryResult(reference, SURVEY_SENT, reference)

    return deliver


def couriers_for(desk: RequestDesk | None = None, book: AppointmentBook | None = None,
                 sink: SurveySink | None = None,
                 search: RequestSearch | None = None) -> dict[ItemKind, Courier]:
    """The couriers for the ports a station has (a kind without a port is never queued).
    `search`: the desk's central ignores idempotency keys, and requests are looked up there
    before being sent again."""
    couriers: dict[ItemKind, Courier] = {}
    if desk is not None:
        couriers[ItemKind.REQUEST] = request_courier(desk, search)
    if book is not None:
        couriers[ItemKind.BOOKING] = booking_courier(book)
        couriers[ItemKind.CANCELLATION] = cancellation_courier(book)
    if sink is not None:
        couriers[ItemKind.SURVEY] = survey_courier(sink)
    return couriers
