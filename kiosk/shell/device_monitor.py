"""Reads device health off the UI thread and hands each reading to the core on the UI thread,
so that a slow driver (CUPS, pcscd) never freezes the screen and never raises into Kivy."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.events import EventType, record

HealthSource = Callable[[], DeviceHealth]
Deliver = Callable[[DeviceKind, DeviceHealth], None]


def read_health(kind: DeviceKind, source: HealthSource) -> DeviceHealth:
    """One reading; a driver that raises counts as a device that is not ready."""
    try:
        return source()
    except Exception as err:  # a driver bug must not stop the monitor
        record(EventType.DEVICE_STATUS, logging.ERROR, device=kind, ready=False,
               error=type(err).__name__)
        return DeviceHealth(ready=False, reason="driver-error")


class DeviceMonitor:
    """A daemon thread that reads every device each `period_s` seconds."""

    def __init__(self, sources: Mapping[DeviceKind, HealthSource], deliver: Deliver,
                 period_s: float) -> None:
        self._sources = dict(sources)
        self._deliver = deliver
        self._period_s = period_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="device-monitor", daemon=True)

    def start(self) -> None:
        """Begin reading."""
        self._thread.start()

    def poll_now(self) -> None:
        """Read again at once (after a print job, a test flipping a simulator)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop reading; returns when the thread has ended."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            for kind, source in self._sources.items():
                self._deliver(kind, read_health(kind, source))
            self._wake.wait(self._period_s)
            self._wake.clear()
