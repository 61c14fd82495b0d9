"""What the evdev drivers share: an input node followed on a thread of their own, looked for
again every second while it is absent, its health logged on each change, and a close() that
wakes the thread at once through a pipe (the headphone jack, devices/evdev_jack.py; the
scanner, devices/evdev_scanner.py).

Nothing physical raises: a subclass's `_attempt` finds and opens its node, reads it with
`_events` until it goes away, and says what happened through `_set_health`; anything else it
raises is logged with its type and the thread starts over (docs/architecture.md).
"""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Iterator
from pathlib import Path

from devices.evdev_keys import EVENT_SIZE, EventStream, InputEvent
from kiosk.core.devices import UNKNOWN_HEALTH, DeviceHealth, DeviceKind
from kiosk.core.events import EventType, Ident, record

REOPEN_S = 1.0
"""Pause between two attempts to find and open the node: a device plugged back in is in use
again within a second, well inside one device poll (2 s by default)."""
PRESENCE_CHECK_S = 0.5
"""While no event comes, how often the node's path is checked: an unplugged device is reported
within half a second (the read fails at once on an evdev node; this also covers links)."""
STOP_WAIT_S = 2.0
"""How long close() waits for the reader thread (it wakes within milliseconds)."""
READY = DeviceHealth(ready=True)


class NodeFollower:
    """An input node read on a thread of its own. Subclasses set `kind`, `reader_failed` and
    `read_events`, call `_start` last in their __init__, and define `_attempt`."""

    kind: DeviceKind
    #: the health reason when the thread met an unexpected error
    reader_failed: str
    #: events taken per read
    read_events: int

    def _start(self, name: str) -> None:
        self._health = UNKNOWN_HEALTH
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def health(self) -> DeviceHealth:
        """The node's health as last seen by the thread."""
        with self._lock:
            return self._health

    def close(self) -> None:
        """Stop following the node; safe to call twice."""
        if self._stop.is_set():
            return
        self._stop.set()
        os.write(self._wake_w, b"x")
        self._thread.join(STOP_WAIT_S)
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _attempt(self) -> None:
        """Find, open and read the node once, until it goes away or close() is called."""
        raise NotImplementedError

    def _failed(self, health: DeviceHealth) -> None:
        """The thread met an unexpected error: the device is not usable meanwhile."""
        self._set_health(health)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._attempt()
            except Exception as err:  # the reader never dies silently (docs/architecture.md)
                record(EventType.DEVICE_STATUS, logging.ERROR, device=self.kind,
                       error=Ident(type(err).__name__))
                self._failed(DeviceHealth(False, self.reader_failed))
            self._stop.wait(REOPEN_S)

    def _events(self, fd: int, path: Path) -> Iterator[InputEvent]:
        """The node's events until it goes away (its path gone, ENODEV, an end of file) or
        close() is called."""
        stream = EventStream()
        while True:
            readable, _, _ = select.select([fd, self._wake_r], [], [], PRESENCE_CHECK_S)
            if self._wake_r in readable:
                return
            if not readable:
                if not path.exists():
                    return
                continue
            try:
                data = os.read(fd, self.read_events * EVENT_SIZE)
            except BlockingIOError:
                continue
            except OSError:  # ENODEV: unplugged
                return
            if not data:  # an evdev node never ends; only a stream that was closed does
                return
            yield from stream.feed(data)

    def _set_health(self, health: DeviceHealth) -> None:
        with self._lock:
            self._health_changed(health)

    def _health_changed(self, health: DeviceHealth) -> None:
        """With the lock held: logged under it, so that whoever sees the new health finds it
        logged."""
        if health != self._health:
            self._health = health
            record(EventType.DEVICE_STATUS, logging.INFO if health.ready else logging.WARNING,
                   device=self.kind, reason=Ident(health.reason))
