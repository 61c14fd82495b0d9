"""The systemd watchdog is fed by the UI loop itself (kiosk/shell/systemd_notify.py): the
real app, with the test's own notify socket (a Unix datagram socket) and WATCHDOG_USEC as
systemd sets them, says READY=1 once its first screen is drawn, then WATCHDOG=1; a callback
that blocks the UI loop stops the pings (systemd would restart the app), which come back when
it returns. tests/integration/test_systemd_unit.py does the same with a `kiosk run`
process."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

#: WatchdogSec= as systemd passes it: pings at least twice per period (sd_watchdog_enabled(3)).
WATCHDOG_USEC = 400_000
FREEZE_S = 2.0

pytestmark = pytest.mark.ui


class Listener:
    """What arrives on the socket, with when, read on a thread of the test's own."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.received: list[tuple[float, bytes]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                message = self.sock.recv(4096)
            except OSError:
                return
            self.received.append((time.monotonic(), message))

    def pings(self, start: float = 0.0, end: float = float("inf")) -> list[float]:
        return [t for t, m in self.received if b"WATCHDOG=1" in m and start <= t < end]


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[Listener]:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    # The app reads these when it is built, in this forked test's own process.
    os.environ["NOTIFY_SOCKET"] = str(path)
    os.environ["WATCHDOG_USEC"] = str(WATCHDOG_USEC)
    listener = Listener(sock)
    try:
        yield listener
    finally:
        sock.close()


def test_ready_then_pings_from_the_ui_loop_which_stop_when_it_freezes(notify, kiosk):
    from kivy.clock import Clock

    driver = kiosk.driver
    driver.wait_until(lambda: len(notify.pings()) >= 3, 20, "three pings")
    messages = [m for _t, m in notify.received]
    ready = next(i for i, m in enumerate(messages) if b"READY=1" in m)
    assert not any(b"WATCHDOG=1" in m for m in messages[:ready]), "a ping before READY=1"

    frozen: list[float] = []

    def block(_dt: float) -> None:
        frozen.append(time.monotonic())
        time.sleep(FREEZE_S)  # a callback that never returns in time: the UI loop is stuck
        frozen.append(time.monotonic())

    Clock.schedule_once(block)
    driver.wait_until(lambda: len(frozen) == 2, 20, "the frozen callback to return")
    start, end = frozen
    assert notify.pings(start + 0.05, end) == [], "pinged while the UI loop was frozen"
    driver.wait_until(lambda: len(notify.pings(end)) >= 3, 20, "the pings back with the loop")
