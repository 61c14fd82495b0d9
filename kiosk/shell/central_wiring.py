"""The station's link to the central systems: adapters (or the embedded reference peer), the
outbox and its sender, and the handlers that run the flows' central effects.

Everything here is built on a worker thread after the first frame: starting the embedded peer
or reading the outbox must never delay the attract screen. A handler that runs before the link
is up waits for it (a person cannot reach a central step in that time anyway).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.central import (
    AppointmentBook,
    CentralError,
    CentralFailure,
    RequestDesk,
    RequestReport,
    RequestStatus,
    RequestTracker,
    Schedule,
    Service,
    ServiceCatalogue,
    SubmissionOutcome,
    SubmissionResult,
    SurveySink,
)
from kiosk.core.events import EventType, Ident, record
from kiosk.core.flows.request import LoadForm, LoadServices, SubmissionReceipt, SubmitRequest
from kiosk.core.flows.services import Catalogue, LoadCatalogue, catalogue_of
from kiosk.core.flows.survey import SendSurvey
from kiosk.core.flows.tracking import LookUpRequest
from kiosk.core.state import Connectivity
from kiosk.settings.models import RequestSystem, Settings

if TYPE_CHECKING:
    from kiosk.adapters.credentials import Credentials
    from kiosk.outbox.sender import OutboxSender
    from kiosk.outbox.store import Outbox

# httpx, the adapters and SQLite are imported by `connect`, on the link's worker thread: the
# first screen is drawn before any of them is loaded.
from kiosk.shell.booking_handlers import booking_handlers

OUTBOX_FILE = "outbox.sqlite3"
PEER_FILE = "peer.sqlite3"
# How long a handler waits for the link to come up before it reports the central unreachable:
# the embedded peer starts in well under a second; a credentials error never comes up at all.
LINK_WAIT_S = 10.0
# How long the thanks screen may wait for the central to take survey answers once they are
# in the outbox: about 1 s keeps the person's flow of thought uninterrupted (J. Nielsen,
# "Usability Engineering", 1993, ch. 5, response-time limits). Later, the sender delivers.
SURVEY_WAIT_S = 1.0

Handler = Callable[[Any], Any]


@dataclass
class CentralLink:
    """The ports a station has (None: the city runs no such system), the outbox, its sender
    and, in a demo, the embedded peer."""

    catalogue: ServiceCatalogue | None
    desk: RequestDesk | None
    tracker: RequestTracker | None
    book: AppointmentBook | None
    sink: SurveySink | None
    outbox: Outbox
    sender: OutboxSender
    station_id: str
    answer_wait_s: float
    peer: Any = None

    def close(self) -> None:
        """Stop sending, close the outbox, stop the peer."""
        self.sender.stop()
        self.outbox.close()
        if self.peer is not None:
            self.peer.stop()


@dataclass(frozen=True)
class _Endpoints:
    open311: str | None
    jurisdiction: str | None
    wcs: str | None
    chrono: str | None
    credentials: Credentials
    open311_format: str = "auto"
    open311_keys: bool = False  # whether the Open311 server honours idempotency keys


def _endpoints(settings: Settings, data_dir: Path) -> tuple[_Endpoints, Any]:
    """Where each system is, and the credentials; starts the embedded peer when asked."""
    from kiosk.adapters.credentials import Credentials, load_credentials

    central = settings.central
    if central.embedded_peer:
        from kiosk.peer.personality import Personality
        from kiosk.peer.server import start_peer

        peer = start_peer(port=0, data=data_dir / PEER_FILE,
                          personality=Personality(frozenset(central.peer_personality)))
        creds = Credentials(**{k: peer.credentials[k] for k in (
            "open311_api_key", "publik_orig", "publik_key", "fleet_token")})
        use_open311 = central.requests is RequestSystem.OPEN311
        return _Endpoints(peer.open311_url if use_open311 else None, None, peer.wcs_url,
                          peer.chrono_url, creds), peer
    required = [name for name, endpoint in (("open311", central.open311),
                                            ("publik", central.wcs or central.chrono))
                if endpoint is not None]
    if central.credentials_file is None:
        if required:
            raise CentralError(CentralFailure.UNAUTHORISED,
                               "central.credentials_file: not set")
        creds = Credentials()
    else:
        creds = load_credentials(central.credentials_file, required=required)
    return _Endpoints(
        central.open311.base_url if central.open311 else None,
        central.open311.jurisdiction_id if central.open311 else None,
        central.wcs.base_url if central.wcs else None,
        central.chrono.base_url if central.chrono else None,
        creds,
        central.open311.format.value if central.open311 else "auto",
        central.open311.idempotency_keys if central.open311 else False,
    ), None


def connect(settings: Settings, on_connectivity: Callable[[Connectivity], None]) -> CentralLink:
    """Build the adapters, open the outbox and start its sender."""
    from kiosk.adapters.http import HttpClient
    from kiosk.adapters.open311 import Open311Adapter
    from kiosk.adapters.publik_chrono import ChronoAdapter
    from kiosk.adapters.publik_wcs import WcsAdapter
    from kiosk.outbox.handlers import handlers_for
    from kiosk.outbox.sender import OutboxSender
    from kiosk.outbox.store import Outbox

    endpoints, peer = _endpoints(settings, settings.data_dir)
    creds = endpoints.credentials
    http = HttpClient.from_settings(settings.central)
    tz = settings.site.timezone
    open311 = wcs = chrono = None
    if endpoints.open311 and creds.open311_api_key:
        open311 = Open311Adapter(http, endpoints.open311, creds.open311_api_key,
                                 jurisdiction_id=endpoints.jurisdiction,
                                 fmt=endpoints.open311_format, timezone=tz)
    if endpoints.wcs and creds.publik_orig and creds.publik_key:
        wcs = WcsAdapter(http, endpoints.wcs, creds.publik_orig, creds.publik_key, timezone=tz)
    if endpoints.chrono and creds.publik_orig and creds.publik_key:
        chrono = ChronoAdapter(http, endpoints.chrono, creds.publik_orig, creds.publik_key,
                               timezone=tz)
    requests: Open311Adapter | WcsAdapter | None = open311
    if wcs is not None and (open311 is None or settings.central.requests is RequestSystem.WCS):
        requests = wcs
    outbox = Outbox(settings.data_dir / OUTBOX_FILE)
    search = open311 if requests is open311 and not endpoints.open311_keys else None
    sender = OutboxSender(outbox, handlers_for(desk=requests, book=chrono, sink=wcs,
                                               search=search),
                          on_connectivity=on_connectivity)
    sender.start()
    record(EventType.CENTRAL_LINKED, requests=Ident(type(requests).__name__),
           appointments=chrono is not None, survey=wcs is not None, embedded=peer is not None)
    return CentralLink(catalogue=requests, desk=requests, tracker=requests, book=chrono,
                       sink=wcs, outbox=outbox, sender=sender,
                       station_id=settings.station.id,
                       answer_wait_s=settings.central.answer_wait_s, peer=peer)


class CentralConnector:
    """Builds the link once, on a worker thread, and hands it to the effect handlers."""

    def __init__(self, settings: Settings,
                 on_connectivity: Callable[[Connectivity], None]) -> None:
        self._settings = settings
        self._on_connectivity = on_connectivity
        self._ready = threading.Event()
        self._link: CentralLink | None = None
        self._closed = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Connect in the background."""
        threading.Thread(target=self._connect, name="central-link", daemon=True).start()

    def _connect(self) -> None:
        try:
            link = connect(self._settings, self._on_connectivity)
        except Exception as err:  # credentials, data dir, peer: the station stays usable
            record(EventType.CENTRAL_UNAVAILABLE, logging.ERROR,
                   error=Ident(type(err).__name__))
            self._on_connectivity(Connectivity.OFFLINE)
        else:
            with self._lock:
                if self._closed:
                    link.close()
                    return
                self._link = link
        finally:
            self._ready.set()

    def link(self) -> CentralLink:
        """The link, once up; CentralError(UNREACHABLE) when it could not be built."""
        if not self._ready.wait(LINK_WAIT_S) or self._link is None:
            raise CentralError(CentralFailure.UNREACHABLE, "the central link is not up")
        return self._link

    @property
    def call_timeout_s(self) -> float:
        """The time limit of one call to a central system (a booking waits that long)."""
        return self._settings.central.timeout_s

    def close(self) -> None:
        """Stop what was started (the app is stopping)."""
        with self._lock:
            self._closed = True
            link, self._link = self._link, None
        if link is not None:
            link.close()


def _port(port: Any, what: str) -> Any:
    if port is None:
        raise CentralError(CentralFailure.REJECTED, f"this station has no {what}")
    return port


def _queued_report(number: str) -> RequestReport:
    return RequestReport(number=number, service_name="", status=RequestStatus.QUEUED)


def effect_handlers(connector: CentralConnector) -> dict[type, Handler]:
    """What runs each central effect of the flows."""

    def load_services(_effect: LoadServices) -> Any:
        return tuple(_port(connector.link().catalogue, "service catalogue").services())

    def load_form(effect: LoadForm) -> Any:
        return _port(connector.link().catalogue, "service catalogue").form(effect.service_id)

    def submit_request(effect: SubmitRequest) -> SubmissionReceipt:
        link = connector.link()
        _port(link.desk, "request desk")
        if effect.submission is None:
            raise CentralError(CentralFailure.REJECTED, "no submission")
        ref = link.outbox.new_reference(link.station_id)
        link.outbox.enqueue(replace(effect.submission, station_ref=ref))
        # Stored (and fsync'd): from here on the request will reach the central.
        try:
            delivered = link.sender.deliver_now(ref, link.answer_wait_s)
        except CentralError as err:
            if err.retryable or err.failure is CentralFailure.MALFORMED:
                # The sender keeps trying (an unreadable answer a few times too): the
                # station reference is the person's receipt.
                return SubmissionReceipt(ref)
            raise
        answer = delivered.answer
        if not isinstance(answer, SubmissionResult):
            return SubmissionReceipt(ref)
        return SubmissionReceipt(ref, answer)

    def look_up(effect: LookUpRequest) -> RequestReport | None:
        from kiosk.outbox.store import ItemState

        link = connector.link()
        tracker = _port(link.tracker, "request tracking")
        number = effect.number
        prefix = link.station_id.upper() + "-"
        if number.upper().startswith(prefix):
            ref = link.station_id + "-" + number[len(prefix):]
            items = link.outbox.by_station_ref(ref)
            if not items:
                return None
            item = items[0]
            if item.state is ItemState.DELIVERED and item.outcome == SubmissionOutcome.PENDING:
                # A batch service answered with a token: its number may have come since.
                found = link.desk.number_for(item.central_ref) if (
                    link.desk and item.central_ref) else None
                return tracker.report(found) if found else _queued_report(number)
            if item.state is ItemState.DELIVERED and item.central_ref:
                return tracker.report(item.central_ref)
            if item.state is ItemState.PENDING:
                return _queued_report(number)
            return None
        return tracker.report(number)

    def send_survey(effect: SendSurvey) -> str:
        """Store the answers under a station reference (the survey's idempotency key), then
        give the central a moment; offline, the sender delivers them later. Returns the
        reference (never shown: the answers are anonymous)."""
        link = connector.link()
        _port(link.sink, "survey sink")
        if effect.answer is None:
            raise CentralError(CentralFailure.REJECTED, "no answer")
        ref = link.outbox.new_reference(link.station_id)
        link.outbox.enqueue(replace(effect.answer, station_ref=ref))
        # Stored (and fsync'd): the answers will reach the central, or wait for a technician.
        with contextlib.suppress(CentralError):
            link.sender.deliver_now(ref, min(SURVEY_WAIT_S, link.answer_wait_s))
        return ref

    def load_catalogue(_effect: LoadCatalogue) -> Catalogue:
        link = connector.link()
        services: tuple[Service, ...] | None = ()
        schedules: tuple[Schedule, ...] | None = ()
        if link.catalogue is not None:
            try:
                services = tuple(link.catalogue.services())
            except CentralError:
                services = None
        if link.book is not None:
            try:
                schedules = tuple(link.book.schedules())
            except CentralError:
                schedules = None
        if services is None and schedules is None:
            raise CentralError(CentralFailure.UNREACHABLE, "no central system answered")
        return catalogue_of(services, schedules)

    return {LoadCatalogue: load_catalogue, LoadServices: load_services, LoadForm: load_form,
            SubmitRequest: submit_request, LookUpRequest: look_up, SendSurvey: send_survey,
            **booking_handlers(connector)}
