"""The station's link to the central systems: adapters (or the embedded reference peer), the
outbox, its sender and the submitter (kiosk/shell/central_effects.py runs the flows' effects
over it).

Everything here is built on a worker thread after the first frame: starting the embedded peer
or reading the outbox must never delay the attract screen; it is built again the same way when a
configuration change between sessions changes the central systems. A handler that runs before
the link is up waits for it (a person cannot reach a central step in that time anyway).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.central import (
    AppointmentBook,
    CentralError,
    CentralFailure,
    RequestDesk,
    RequestTracker,
    ServiceCatalogue,
    SurveySink,
)
from kiosk.core.events import EventType, Ident, record
from kiosk.core.state import Connectivity
from kiosk.settings.models import RequestSystem, Settings

if TYPE_CHECKING:
    from kiosk.adapters.credentials import Credentials
    from kiosk.outbox.sender import OutboxSender
    from kiosk.outbox.store import Outbox
    from kiosk.outbox.submitting import Submitter

# httpx, the adapters and SQLite are imported by `connect`, on the link's worker thread: the
# first screen is drawn before any of them is loaded.

OUTBOX_FILE = "outbox.sqlite3"
PEER_FILE = "peer.sqlite3"
# How long a handler waits for the link to come up before it reports the central unreachable:
# the embedded peer starts in well under a second; a credentials error never comes up at all.
LINK_WAIT_S = 10.0


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
    submitter: Submitter
    station_id: str
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
    from kiosk.outbox.couriers import couriers_for
    from kiosk.outbox.sender import OutboxSender
    from kiosk.outbox.store import Outbox
    from kiosk.outbox.submitting import Patience, Submitter

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
    sender = OutboxSender(outbox, couriers_for(desk=requests, book=chrono, sink=wcs,
                                               search=search),
                          on_connectivity=on_connectivity)
    sender.start()
    record(EventType.CENTRAL_LINKED, requests=Ident(type(requests).__name__),
           appointments=chrono is not None, survey=wcs is not None, embedded=peer is not None)
    patience = Patience(settings.central.answer_wait_s, settings.central.timeout_s)
    submitter = Submitter(outbox, sender, settings.station.id, patience)
    return CentralLink(catalogue=requests, desk=requests, tracker=requests, book=chrono,
                       sink=wcs, outbox=outbox, sender=sender, submitter=submitter,
                       station_id=settings.station.id, peer=peer)


class CentralConnector:
    """Builds the link on a worker thread, and hands it to the effect handlers; builds it again
    from new settings when the configuration changes between sessions."""

    def __init__(self, settings: Settings,
                 on_connectivity: Callable[[Connectivity], None]) -> None:
        self._settings = settings
        self._on_connectivity = on_connectivity
        self._ready = threading.Event()
        self._link: CentralLink | None = None
        self._closed = False
        self._lock = threading.Lock()
        # One link at a time: a new one is built only once the one before is closed, so that
        # two senders never deliver the same outbox.
        self._connecting = threading.Lock()

    def start(self) -> None:
        """Connect in the background."""
        self.reconnect(self._settings)

    def reconnect(self, settings: Settings) -> None:
        """Close the link (its sender finishes what it is sending) and build it again from
        `settings`, in the background."""
        self._settings = settings
        threading.Thread(target=self._connect, args=(settings,), name="central-link",
                         daemon=True).start()

    def _connect(self, settings: Settings) -> None:
        with self._connecting:
            with self._lock:
                old, self._link = self._link, None
                closed = self._closed
                if not closed:
                    self._ready.clear()
            if old is not None:
                old.close()
            if closed:
                self._ready.set()
                return
            try:
                link = connect(settings, self._on_connectivity)
            except Exception as err:  # credentials, data dir, peer: the station stays usable
                record(EventType.CENTRAL_UNAVAILABLE, logging.ERROR,
                       error=Ident(type(err).__name__))
                self._on_connectivity(Connectivity.OFFLINE)
            else:
                with self._lock:
                    if not self._closed:
                        self._link, link = link, None
                if link is not None:  # closed meanwhile
                    link.close()
            finally:
                self._ready.set()

    def link(self) -> CentralLink:
        """The link, once up; CentralError(UNREACHABLE) when it could not be built."""
        if not self._ready.wait(LINK_WAIT_S) or self._link is None:
            raise CentralError(CentralFailure.UNREACHABLE, "the central link is not up")
        return self._link

    def current(self) -> CentralLink | None:
        """The link if it is up now, without waiting (health reports)."""
        return self._link

    def close(self) -> None:
        """Stop what was started (the app is stopping)."""
        with self._lock:
            self._closed = True
            link, self._link = self._link, None
        if link is not None:
            link.close()
