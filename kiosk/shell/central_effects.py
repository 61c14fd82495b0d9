"""What runs each effect the flows ask of the central systems, over the station's link
(kiosk/shell/central_wiring.py): reads go to the ports, every submission goes through the one
submitter of the outbox (kiosk/outbox/submitting.py). Nothing here decides anything: the flows
chose what to ask and, for a submission, what becomes of it unanswered."""

from __future__ import annotations

import contextlib
from typing import TypeVar

from kiosk.core.central import CentralError, CentralFailure, RequestReport, Schedule, Service
from kiosk.core.effects import EffectHandler
from kiosk.core.flows.appointment import LoadSchedules
from kiosk.core.flows.booking import LoadSlots
from kiosk.core.flows.manage_booking import FindBooking, FoundBooking
from kiosk.core.flows.request import LoadForm, LoadServices
from kiosk.core.flows.services import Catalogue, LoadCatalogue, catalogue_of
from kiosk.core.flows.tracking import LookUpRequest
from kiosk.core.submission import Submit, Submitted
from kiosk.shell.central_wiring import CentralConnector

T = TypeVar("T")


def _port(port: T | None, what: str) -> T:
    if port is None:
        raise CentralError(CentralFailure.REJECTED, f"this station has no {what}")
    return port


def central_effects(connector: CentralConnector) -> dict[type, EffectHandler]:
    """The handler of each central effect, by effect type."""

    def submit(effect: Submit) -> Submitted:
        if effect.submission is None:
            raise CentralError(CentralFailure.REJECTED, "nothing to submit")
        return connector.link().submitter.submit(effect.submission, effect.delivery)

    def load_services(_effect: LoadServices) -> tuple[Service, ...]:
        return tuple(_port(connector.link().catalogue, "service catalogue").services())

    def load_form(effect: LoadForm) -> object:
        return _port(connector.link().catalogue, "service catalogue").form(effect.service_id)

    def look_up(effect: LookUpRequest) -> RequestReport | None:
        from kiosk.outbox.lookup import look_up as look_up_number

        link = connector.link()
        tracker = _port(link.tracker, "request tracking")
        return look_up_number(effect.number, link.station_id, link.outbox, link.desk, tracker)

    def load_catalogue(_effect: LoadCatalogue) -> Catalogue:
        """Both systems' offers; one that fails leaves a partial catalogue. When both fail,
        an unreadable answer is said as such, not as "not answering"."""
        link = connector.link()
        services: tuple[Service, ...] | None = ()
        schedules: tuple[Schedule, ...] | None = ()
        failures: list[CentralFailure] = []
        if link.catalogue is not None:
            try:
                services = tuple(link.catalogue.services())
            except CentralError as err:
                services, failures = None, [*failures, err.failure]
        if link.book is not None:
            try:
                schedules = tuple(link.book.schedules())
            except CentralError as err:
                schedules, failures = None, [*failures, err.failure]
        if services is None and schedules is None:
            failure = (CentralFailure.MALFORMED if CentralFailure.MALFORMED in failures
                       else CentralFailure.UNREACHABLE)
            raise CentralError(failure, "no central system gave its catalogue")
        return catalogue_of(services, schedules)

    def load_schedules(_effect: LoadSchedules) -> tuple[Schedule, ...]:
        return tuple(_port(connector.link().book, "appointment book").schedules())

    def load_slots(effect: LoadSlots) -> tuple[object, ...]:
        if effect.start is None or effect.end is None:
            raise CentralError(CentralFailure.REJECTED, "no date range")
        book = _port(connector.link().book, "appointment book")
        return tuple(book.free_slots(effect.schedule_id, effect.start, effect.end))

    def find_booking(effect: FindBooking) -> FoundBooking | None:
        book = _port(connector.link().book, "appointment book")
        appointment = book.appointment(effect.reference)
        if appointment is None:
            return None
        schedule = None
        with contextlib.suppress(CentralError):  # the booking is shown without its title
            schedule = next((s for s in book.schedules() if s.id == appointment.schedule_id),
                            None)
        return FoundBooking(appointment, schedule)

    return {Submit: submit, LoadCatalogue: load_catalogue, LoadServices: load_services,
            LoadForm: load_form, LookUpRequest: look_up, LoadSchedules: load_schedules,
            LoadSlots: load_slots, FindBooking: find_booking}
