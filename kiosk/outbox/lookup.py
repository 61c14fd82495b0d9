"""Tracking a number the station itself gave: a station reference (`<station>-<YYYYMMDD>-<NNNN>`)
printed when the central had not answered in time. The outbox knows what became of it: still
waiting, delivered with the central's number (then the central is asked), or delivered to a
batch service whose number may have come since."""

from __future__ import annotations

from kiosk.core.central import (
    RequestDesk,
    RequestReport,
    RequestStatus,
    RequestTracker,
    SubmissionOutcome,
)
from kiosk.outbox.store import ItemState, Outbox


def queued_report(number: str) -> RequestReport:
    """What the timeline says of a request still waiting to reach the central."""
    return RequestReport(number=number, service_name="", status=RequestStatus.QUEUED)


def look_up(number: str, station_id: str, outbox: Outbox, desk: RequestDesk | None,
            tracker: RequestTracker) -> RequestReport | None:
    """The report for a typed or scanned number: a station reference through the outbox,
    anything else from the central. None when nobody knows the number."""
    prefix = station_id.upper() + "-"
    if not number.upper().startswith(prefix):
        return tracker.report(number)
    items = outbox.by_station_ref(station_id + "-" + number[len(prefix):])
    if not items:
        return None
    item = items[0]
    if item.state is ItemState.DELIVERED and item.outcome == SubmissionOutcome.PENDING:
        # A batch service answered with a token: its number may have come since.
        found = desk.number_for(item.central_ref) if desk and item.central_ref else None
        return tracker.report(found) if found else queued_report(number)
    if item.state is ItemState.DELIVERED and item.central_ref:
        return tracker.report(item.central_ref)
    if item.state is ItemState.PENDING:
        return queued_report(number)
    return None
