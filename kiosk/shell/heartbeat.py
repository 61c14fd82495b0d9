"""Heartbeats from the running station to the city's fleet: how it is (devices, connectivity,
outbox, disk, configuration, safe mode) and how it was used (anonymous counts), through the
fleet adapter (OTLP/HTTP JSON, kiosk/adapters/fleet.py), every `central.heartbeat_s` seconds.

Everything runs on a thread of its own: reading the outbox and the disk, and the HTTP call, never
touch the UI loop. What it reads of the app are values safe to read from another thread: the
core's current state (a frozen value), the usage counter's last snapshot (kiosk/core/usage.py)
and the reload status (kiosk/shell/reload.py). Nothing personal is in any of them, and the
adapter keeps only identifiers (kiosk/adapters/otlp_metrics.py).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.core.central import CentralError
from kiosk.core.devices import DeviceKind
from kiosk.core.events import EventType, Ident, record
from kiosk.core.fleet import Health, Heartbeat
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import AppState
from kiosk.core.usage import AssistedSource, UsageCounter, no_assistance
from kiosk.settings.models import Settings
from kiosk.shell.central_wiring import CentralConnector
from kiosk.shell.reload_check import ReloadStatus

if TYPE_CHECKING:
    from kiosk.adapters.http import HttpClient

# httpx and the fleet adapter are imported on the heartbeats' own thread, never on the UI
# thread (kiosk/shell/central_wiring.py does the same for the central link).

#: The first heartbeat goes this long after the first screen is drawn: the central link and
#: the devices' first readings are in by then.
FIRST_AFTER_S = 5.0
#: How long stopping waits for a heartbeat under way.
STOP_WAIT_S = 2.0


class HeartbeatSender:
    """Sends a heartbeat now and then, on its own thread; `soon()` sends one at once (a
    configuration refused)."""

    def __init__(self, settings: Callable[[], Settings], state: Callable[[], AppState],
                 usage: UsageCounter, connector: CentralConnector | None,
                 reload_status: Callable[[], ReloadStatus],
                 assisted: AssistedSource = no_assistance,
                 first_after_s: float = FIRST_AFTER_S) -> None:
        self._settings = settings
        self._state = state
        self._usage = usage
        self._connector = connector
        self._reload_status = reload_status
        self._assisted = assisted
        self._first_after_s = first_after_s
        self.started = datetime.now(UTC)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeats", daemon=True)
        self._unconfigured_said = False
        #: heartbeats the fleet took, for tests and `kiosk doctor`-like checks
        self.sent = 0

    def start(self) -> None:
        """Begin beating."""
        self._thread.start()

    def soon(self) -> None:
        """Send the next heartbeat now rather than at its time."""
        self._wake.set()

    def stop(self) -> None:
        """Stop beating. A heartbeat under way is not waited for long: the app is stopping,
        and the next start sends one."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=STOP_WAIT_S)

    def _run(self) -> None:
        from kiosk.adapters.http import HttpClient

        wait = self._first_after_s
        with HttpClient(self._settings().central.timeout_s) as http:
            while True:
                self._wake.wait(wait)
                self._wake.clear()
                if self._stop.is_set():
                    return
                self.beat(http)
                wait = self._settings().central.heartbeat_s

    def heartbeat(self, settings: Settings) -> Heartbeat:
        """What the station says now."""
        state = self._state()
        status = self._reload_status()
        depth, oldest_age = self._outbox()
        try:
            free = shutil.disk_usage(settings.data_dir).free
        except OSError:
            free = 0
        health = Health(
            devices={kind.value: state.health(kind).ready for kind in DeviceKind},
            connectivity=state.connectivity.value, outbox_depth=depth,
            outbox_oldest_age_s=oldest_age, disk_free_bytes=free,
            config_version=status.version, last_reload_error=status.last_error,
            restart_pending=status.restart_pending, safe_mode=False,
            screen=select_screen(state).screen)
        return Heartbeat(station_id=settings.station.id, site=settings.site.name,
                         profile=settings.profile.value, at=datetime.now(UTC),
                         counting_since=self.started, health=health,
                         usage=self._usage.with_assisted(self._assisted()))

    def _outbox(self) -> tuple[int, float]:
        link = self._connector.current() if self._connector is not None else None
        if link is None:
            return 0, 0.0
        try:
            counts = link.outbox.counts()
        except Exception as err:  # a closed or broken outbox must not stop the heartbeats
            record(EventType.HEARTBEAT_FAILED, logging.WARNING,
                   reason=Ident(f"outbox-{type(err).__name__}"))
            return 0, 0.0
        oldest = counts.oldest_pending_at
        return counts.pending, 0.0 if oldest is None else max(0.0, time.time() - oldest)

    def beat(self, http: HttpClient) -> bool:
        """One heartbeat; a failure is logged (by kind) and the next one tried at its time."""
        from kiosk.adapters.credentials import CredentialsError, load_credentials
        from kiosk.adapters.fleet import OtlpFleet

        settings = self._settings()
        central = settings.central
        if central.fleet_url is None or central.credentials_file is None:
            if not self._unconfigured_said:
                self._unconfigured_said = True
                record(EventType.HEARTBEAT_FAILED, reason=Ident("no-fleet"))
            return False
        try:
            token = load_credentials(central.credentials_file, required=("fleet",)).fleet_token
            OtlpFleet(http, central.fleet_url, token or "").heartbeat(self.heartbeat(settings))
        except (CentralError, CredentialsError, OSError) as err:
            kind = getattr(err, "failure", None) or type(err).__name__
            record(EventType.HEARTBEAT_FAILED, logging.WARNING, reason=Ident(str(kind)))
            return False
        self.sent += 1
        record(EventType.HEARTBEAT_SENT, safe_mode=False)
        return True
