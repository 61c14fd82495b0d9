"""Which receipt a flow leaves the person with, once it has one.

After a flow step the core asks `receipt_of(flow, ...)`; a receipt it had not kept yet is kept
in the session (for "Print again") and printed at once when a usable printer exists. A flow
gets a receipt by registering a builder here, as flows register their starters in
flows/registry.py: a builder returns None until the flow has something to print (usually its
last step) and must not raise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.core.central import Appointment, Schedule, SubmissionOutcome
from kiosk.core.flows.appointment import AppointmentFlow, AppointmentStep
from kiosk.core.flows.base import FlowContext
from kiosk.core.flows.manage_booking import ManageBookingFlow, ManageStep
from kiosk.core.flows.request import RequestFlow, RequestStep
from kiosk.core.i18n import translate
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import NumberKind, Receipt

ReceiptBuilder = Callable[[Any, FlowContext, ReceiptDetails, datetime], Receipt | None]
"""(flow, context, the station's receipt details, when it was done) → the receipt or None."""


def request_receipt(flow: RequestFlow, ctx: FlowContext, details: ReceiptDetails,
                    when: datetime) -> Receipt | None:
    """A request's receipt once it is submitted: the central's tracking number, or the
    station reference while the central has not given one (offline, batch, blackbox), with
    what the person can do with it."""
    receipt = flow.receipt
    if flow.step is not RequestStep.DONE or receipt is None:
        return None
    lang = ctx.language
    result = receipt.result
    if result is not None and result.outcome is SubmissionOutcome.NUMBERED and result.number:
        number, kind, next_key = result.number, NumberKind.TRACKING, "receipt.next.numbered"
    else:
        number, kind = receipt.station_ref, NumberKind.STATION
        next_key = {None: "receipt.next.queued",
                    SubmissionOutcome.PENDING: "receipt.next.pending",
                    SubmissionOutcome.UNNUMBERED: "receipt.next.unnumbered"}.get(
            result.outcome if result is not None else None, "receipt.next.queued")
    service = flow.form.service.name if flow.form is not None else ""
    title = (translate("receipt.title.request", lang, service=service) if service
             else translate("receipt.title.request_plain", lang))
    return Receipt(
        city=details.city, title=title, when=when, place=details.place, number=number,
        number_kind=kind, language=lang, next_steps=(translate(next_key, lang),),
        tracking_url=details.tracking_url, logo=details.logo,
    )


def appointment_receipt(flow: AppointmentFlow, ctx: FlowContext, details: ReceiptDetails,
                        when: datetime) -> Receipt | None:
    """A booked appointment's receipt: the procedure, its day and time (not the moment it was
    booked), its place, and the booking reference that moving or cancelling asks for."""
    if flow.step is not AppointmentStep.DONE or flow.appointment is None:
        return None
    return _booking_receipt(flow.appointment, flow.schedule, "appointment", ctx, details)


def moved_receipt(flow: ManageBookingFlow, ctx: FlowContext, details: ReceiptDetails,
                  _when: datetime) -> Receipt | None:
    """A moved booking's receipt: the new day and time and the new booking's reference (the
    old receipt now tells the wrong time). A cancellation leaves nothing to keep."""
    if flow.step is not ManageStep.DONE or flow.moved_to is None:
        return None
    return _booking_receipt(flow.moved_to, flow.schedule, "moved", ctx, details)


def _booking_receipt(appointment: Appointment, schedule: Schedule | None, title: str,
                     ctx: FlowContext, details: ReceiptDetails) -> Receipt:
    lang = ctx.language
    heading = (translate(f"receipt.title.{title}", lang, service=schedule.name)
               if schedule is not None else translate(f"receipt.title.{title}_plain", lang))
    place = schedule.place if schedule is not None and schedule.place else details.place
    return Receipt(
        city=details.city, title=heading, when=appointment.start, place=place,
        number=appointment.id, number_kind=NumberKind.BOOKING, language=lang,
        next_steps=(translate("receipt.next.appointment", lang),),
        tracking_url=details.tracking_url, logo=details.logo,
    )


RECEIPT_BUILDERS: dict[type, ReceiptBuilder] = {
    RequestFlow: request_receipt,
    AppointmentFlow: appointment_receipt,
    ManageBookingFlow: moved_receipt,
}


def receipt_of(flow: object, ctx: FlowContext, details: ReceiptDetails,
               when: datetime) -> Receipt | None:
    """The receipt `flow` leaves the person with now, if any. A number no receipt can hold
    (Receipt raises ValueError) gives none: the screen still shows it."""
    builder = RECEIPT_BUILDERS.get(type(flow))
    if builder is None:
        return None
    try:
        return builder(flow, ctx, details, when)
    except ValueError:
        return None
