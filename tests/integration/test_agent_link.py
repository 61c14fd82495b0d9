"""The console's link over a real Unix socket (kiosk/shell/agent_link.py, agent_wire.py), with
the real core on the station's side and a console speaking the wire format on the other; and
the supervisor that keeps `kiosk agent` running, with real processes
(kiosk/shell/agent_supervisor.py). docs/assisted-mode.md, "The link" and "The console's life".

The station's UI thread is this test's thread: what the link hands over is run when the test
pumps it, as Kivy's clock would between two frames."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import socket
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.core import intents as i
from kiosk.core.assist import StaffBadge, StaffPhase
from kiosk.core.assist_console import ConsoleView
from kiosk.core.assist_messages import AgentAct, FieldTexts, Hello, WriteNote
from kiosk.core.badges import Role
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.state import Screens
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.shell.agent_link import AgentLink
from kiosk.shell.agent_supervisor import ConsoleSupervisor
from kiosk.shell.agent_wire import LineReader, connect, encode, socket_path

FACILITATOR = StaffBadge(StaffPhase.SIGNED_IN, "F-0012", Role.FACILITATOR)


class Station:
    """The real core, its link, and the queue standing for its UI thread."""

    def __init__(self, tmp_path: Path) -> None:
        self.settings = load_settings(ConfigSources(profile="desk-assisted"), environ={
            "KIOSK__DATA_DIR": f'"{tmp_path}"'})
        self.core = KioskCore(self.settings, ManualClock(1000.0))
        self.ui: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.link = AgentLink(socket_path(self.settings), Hello(self.settings),
                              self.core.from_agent, self.ui.put)
        self.core.subscribe(self.link.publish)

    def pump(self, until: Callable[[], object], timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        while not until():
            with contextlib.suppress(queue.Empty):
                self.ui.get(timeout=0.02)()
            assert time.monotonic() < end, "timed out"


class Console:
    """The console's end: the wire format, nothing else."""

    def __init__(self, path: Path) -> None:
        self.sock = connect(path)
        self.sock.settimeout(5)
        self.reader = LineReader(self.sock)

    def read(self) -> object:
        return self.reader.read()

    def read_until(self, wanted: Callable[[object], bool]) -> object:
        while True:
            message = self.read()
            assert message is not None, "the station closed the link"
            if wanted(message):
                return message

    def send(self, message: object) -> None:
        self.sock.sendall(encode(message))

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    running = Station(tmp_path)
    running.link.start()
    yield running
    running.link.stop()


def test_the_socket_is_the_station_users_alone(station):
    path = socket_path(station.settings)
    assert stat.S_ISSOCK(path.stat().st_mode)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_console_is_greeted_then_sees_nothing_of_the_visitor_before_a_sign_in(station):
    station.core.dispatch(i.StartSession())
    station.core.dispatch(i.StartFlow("tracking"))
    console = Console(socket_path(station.settings))
    hello = console.read()
    assert isinstance(hello, Hello) and hello.settings == station.settings
    first = console.read()
    assert first == ConsoleView(Screens.AGENT_LOCKED)
    station.core.staff_changed(StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR))
    station.core.staff_changed(FACILITATOR)
    view = console.read_until(lambda m: isinstance(m, ConsoleView) and m.citizen is not None)
    assert view.screen == Screens.AGENT_DESK
    assert view.citizen.screen == "tracking_entry" and view.desk.facilitator == "F-0012"
    console.close()


def test_the_agents_intents_reach_the_visitors_session(station):
    station.core.staff_changed(FACILITATOR)
    console = Console(socket_path(station.settings))
    console.read_until(lambda m: isinstance(m, ConsoleView) and m.desk is not None)
    console.send(AgentAct(i.StartFlow("places")))
    station.pump(lambda: station.core.state.flow is not None)
    assert station.core.state.flow.name == "places"
    view = console.read_until(lambda m: isinstance(m, ConsoleView) and m.citizen is not None
                              and m.citizen.flow is not None)
    assert view.citizen.flow.name == "places"
    console.send(WriteNote("à rappeler"))
    station.pump(lambda: station.core.state.assist.assisted.note == "à rappeler")
    console.close()


def test_what_is_not_a_message_is_refused_and_a_broken_console_is_dropped(station, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    station.core.staff_changed(FACILITATOR)
    console = Console(socket_path(station.settings))
    console.read_until(lambda m: isinstance(m, ConsoleView))
    console.send(i.StartFlow("places"))  # a value, but no console message: refused
    console.sock.sendall(b'{"$": "subprocess:Popen", "fields": {"args": ["true"]}}\n')
    deadline = time.monotonic() + 5
    while station.link.connected:
        assert time.monotonic() < deadline, "the console that sent a foreign type is dropped"
        time.sleep(0.02)
    station.pump(lambda: True)
    assert station.core.state.flow is None
    assert "assist.refused" in caplog.text and "console.lost" in caplog.text
    again = Console(socket_path(station.settings))  # the station listens still
    assert isinstance(again.read(), Hello)
    assert again.read().desk.facilitator == "F-0012"
    again.close()


def test_a_new_console_replaces_the_old_one(station):
    first = Console(socket_path(station.settings))
    assert isinstance(first.read(), Hello)
    second = Console(socket_path(station.settings))
    assert isinstance(second.read(), Hello)
    assert _closed(first.sock)
    assert station.link.connected and station.link.connections == 2
    second.close()


def test_a_console_that_stops_reading_never_holds_the_station(station):
    station.core.staff_changed(FACILITATOR)
    console = Console(socket_path(station.settings))
    assert isinstance(console.read(), Hello)  # accepted: from now on, it reads nothing
    station.core.dispatch(i.StartSession())
    started = time.monotonic()
    # Every one a new view of 60 kB, to a console that reads nothing. How many fit before the
    # link gives up depends on how the writer's batches fell (it sends only the latest view of
    # each): a few hundred; ten times that is far past any socket buffer and queue.
    for n in range(5000):
        station.core.dispatch(i.Remember("home.search", f"{n} " + "x" * 60_000))
        if not station.link.connected:
            break
    station.link.send(FieldTexts("home", ("x",)))
    assert time.monotonic() - started < 20
    assert not station.link.connected, "dropped once its messages no longer fit"
    console.close()


def _closed(sock: socket.socket) -> bool:
    """Whether the station closed this connection (the rest of its messages read first)."""
    sock.settimeout(5)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


# -- the supervisor ---------------------------------------------------------------------------


def wait_for(condition: Callable[[], object], timeout: float, check: Callable[[], None]) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        check()
        time.sleep(0.05)


def test_the_supervisor_keeps_a_console_while_one_is_wanted(tmp_path):
    connected = {"now": False}
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = ConsoleSupervisor(command, lambda: connected["now"], grace_s=0.3)
    try:
        supervisor.check(wanted=False)
        assert supervisor.pid is None
        wait_for(lambda: supervisor.pid is not None, 5, lambda: supervisor.check(True))
        first = supervisor.pid
        os.kill(first, signal.SIGKILL)  # the console dies while a facilitator is signed in
        wait_for(lambda: supervisor.pid not in (None, first), 5, lambda: supervisor.check(True))
        assert supervisor.started == 2
        second = supervisor.pid
        supervisor.check(wanted=False)  # nobody signed in: the console it started goes
        wait_for(lambda: not _alive(second), 10, lambda: supervisor.check(False))
        connected["now"] = True  # a console started elsewhere (systemd) is there
        for _ in range(10):
            supervisor.check(True)
            time.sleep(0.05)
        assert supervisor.pid is None and supervisor.started == 2
    finally:
        supervisor.stop()


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(
        f"/proc/{pid}/stat").exists() else "X"
    return status != "Z"
