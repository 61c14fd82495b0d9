"""Handlers for the sender, built from the core's central ports.

The sender knows no protocol; the app shell gives it one handler per kind of item. These
functions turn the ports (implemented by the adapters) into such handlers, and each port's
answer into the reference and outcome the outbox records.
"""

from __future__ import annotations

from kiosk.core.central import (
    Appointment,
    AppointmentBook,
    BookingRequest,
    RequestDesk,
    RequestSubmission,
    SurveyAnswer,
    SurveySink,
)
from kiosk.outbox.sender import Handler
from kiosk.outbox.store import DeliveryResult, ItemKind

#: `DeliveryResult.outcome` of a survey answer the central took.
SURVEY_SENT = "sent"


def request_handler(desk: RequestDesk) -> Handler:
    """Submit a request; the reference is its number, or the batch token until the number
    comes (outcome "numbered", "pending" or "unnumbered", as SubmissionOutcome)."""

    def deliver(submission: RequestSubmission, key: str) -> DeliveryResult:
        result = desk.submit(submission, key)
        return DeliveryResult(result.number or result.token, result.outcome.value, result)

    return deliver


def booking_handler(book: AppointmentBook) -> Handler:
    """Book a slot; the reference is the central's booking id (outcome "booked")."""

    def deliver(request: BookingRequest, key: str) -> DeliveryResult:
        appointment = book.book(request, key)
        return DeliveryResult(appointment.id, appointment.status.value, appointment)

    return deliver


def cancellation_handler(book: AppointmentBook) -> Handler:
    """Cancel a booking; the reference is the booking id (outcome "cancelled")."""

    def deliver(appointment: Appointment, key: str) -> DeliveryResult:
        cancelled = book.cancel(appointment, key)
        return DeliveryResult(cancelled.id, cancelled.status.value, cancelled)

    return deliver


def survey_handler(sink: SurveySink) -> Handler:
    """Send survey answers; the reference is the central's (outcome "sent")."""

    def deliver(answer: SurveyAnswer, key: str) -> DeliveryResult:
        reference = sink.send(answer, key)
        return DeliveryResult(reference, SURVEY_SENT, reference)

    return deliver


def handlers_for(desk: RequestDesk | None = None, book: AppointmentBook | None = None,
                 sink: SurveySink | None = None) -> dict[ItemKind, Handler]:
    """The handlers for the ports a station has (a kind without a port is never queued)."""
    handlers: dict[ItemKind, Handler] = {}
    if desk is not None:
        handlers[ItemKind.REQUEST] = request_handler(desk)
    if book is not None:
        handlers[ItemKind.BOOKING] = booking_handler(book)
        handlers[ItemKind.CANCELLATION] = cancellation_handler(book)
    if sink is not None:
        handlers[ItemKind.SURVEY] = survey_handler(sink)
    return handlers
