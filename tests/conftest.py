"""Shared fixtures, and the forked run of UI tests.

UI tests run the real app in a real Kivy window (Xvfb, started by pytest-xvfb). Kivy allows one
window per process, so every test marked `ui` runs in a forked child; the parent pytest process
never imports Kivy. (pytest-forked cannot serialise pytest 9's reports, so the fork is here,
through pytest's own report serialisation hooks.)
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from peer_support import Peer

from kiosk.adapters.http import HttpClient
from kiosk.core.clock import ManualClock
from kiosk.peer.server import start_peer
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import Settings

REPO = Path(__file__).resolve().parents[1]

# The real CUPS stack of the printing tests (tests/support/print_fixtures.py), the real pcscd
# of the badge tests (tests/support/pcsc_fixtures.py).
pytest_plugins = ["print_fixtures", "pcsc_fixtures"]


def station_environ(tmp_path: Path, **env: str) -> dict[str, str]:
    """Data in `tmp_path`, the embedded reference peer as the central (over real HTTP on
    loopback), plus KIOSK__… overrides."""
    return {"KIOSK__DATA_DIR": f'"{tmp_path / "data"}"',
            "KIOSK__CENTRAL__EMBEDDED_PEER": "true", **env}


def station_sources(tmp_path: Path, profile: str | None = None) -> ConfigSources:
    """The packaged configuration, under the test's own `etc/site.toml` and
    `etc/machine.toml` where it wrote them."""
    etc = tmp_path / "etc"

    def written(name: str) -> Path | None:
        return etc / name if (etc / name).is_file() else None

    return ConfigSources(profile=profile, site=written("site.toml"),
                         machine=written("machine.toml"))


def make_settings(tmp_path: Path, profile: str | None = None, **env: str) -> Settings:
    """The station's settings: `station_sources` and `station_environ`."""
    return load_settings(station_sources(tmp_path, profile),
                         environ=station_environ(tmp_path, **env))


@dataclass
class Kiosk:
    """A running station, its driver and its manual clock."""

    driver: Any
    station: Any
    clock: ManualClock
    settings: Settings

    @property
    def app(self) -> Any:
        """The KioskApp."""
        return self.station.app

    @property
    def screen(self) -> str:
        """The screen on display."""
        return self.app.current_screen

    def idle(self, seconds: float) -> None:
        """Let `seconds` pass with nobody touching, and the app notice."""
        self.clock.advance(seconds)
        self.driver.pump(0.35)


@pytest.fixture
def peer() -> Iterator[Peer]:
    """A running reference peer and its control endpoints. The peer's own tests, which drive
    it at the HTTP level, have a `peer` fixture of their own."""
    running = start_peer()
    try:
        yield Peer(running)
    finally:
        running.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    """The adapters' HTTP client, with room for a peer under load. Tests of answers from a
    local test server use a shorter timeout of their own."""
    with HttpClient(5.0) as client:
        yield client


# A UI test that has not finished after this long is killed and reported as failed.
UI_TEST_TIMEOUT_S = 240


def _child_reports(item: pytest.Item, write_fd: int) -> None:
    from _pytest.runner import runtestprotocol

    try:
        reports = runtestprotocol(item, log=False)
        hook = item.config.hook
        payload = [hook.pytest_report_to_serializable(config=item.config, report=r)
                   for r in reports]
        data = json.dumps({"reports": payload}, default=str)
    except BaseException:
        data = json.dumps({"crash": traceback.format_exc()})
    with os.fdopen(write_fd, "w") as out:
        out.write(data)


def _crash_report(item: pytest.Item, message: str) -> pytest.TestReport:
    return pytest.TestReport(item.nodeid, item.location, {}, "failed", message, "call")


def _run_forked(item: pytest.Item) -> list[pytest.TestReport]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child runs the whole test protocol, then leaves without cleanup
        os.close(read_fd)
        try:
            _child_reports(item, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + UI_TEST_TIMEOUT_S
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return [_crash_report(item, f"UI test killed after {UI_TEST_TIMEOUT_S} s")]
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    raw = b"".join(chunks)
    if not raw:
        return [_crash_report(item, f"UI test process died (wait status {status})")]
    data = json.loads(raw)
    if "crash" in data:
        return [_crash_report(item, data["crash"])]
    hook = item.config.hook
    reports = [hook.pytest_report_from_serializable(config=item.config, data=d)
               for d in data["reports"]]
    for report in reports:
        # A skip's (path, line, reason) comes back from JSON as a list; pytest's summary of
        # skipped tests expects the tuple it sent.
        if report.skipped and isinstance(report.longrepr, list):
            report.longrepr = tuple(report.longrepr)
    return reports


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """Run `ui` tests in a forked child: one Kivy window per process."""
    if item.get_closest_marker("ui") is None:
        return None
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    for report in _run_forked(item):
        item.ihook.pytest_runtest_logreport(report=report)
    # What the parent set up for earlier tests (a package, its fixtures) and the next test does
    # not need is torn down here, as pytest's own protocol does after each test: otherwise a
    # package whose last tests are `ui` ones stays set up, and every forked
    # test after it fails with "previous item was not torn down properly".
    item.session._setupstate.teardown_exact(nextitem)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


@pytest.fixture
def kiosk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Kiosk]:
    """The real app in a real window, on a manual clock. Options come from
    `@pytest.mark.kiosk(profile=..., env={...}, callback_errors=False, wall_clock=None)`
    ("{tmp}" in an `env` value is the test's temporary directory); with
    `callback_errors=True`, exceptions the crash guard keeps the app alive through are
    expected (the test of the guard itself); `wall_clock` is the local time the screen-power
    schedule follows. A test that wrote `etc/site.toml` or `etc/machine.toml` in its
    `tmp_path` before the station starts gets a station that reads and watches them."""
    if request.node.get_closest_marker("ui") is None:
        pytest.fail("the kiosk fixture is for tests marked `ui` (one Kivy window per process)")
    marker = request.node.get_closest_marker("kiosk")
    options = marker.kwargs if marker else {}
    sources = station_sources(tmp_path, options.get("profile"))
    # "{tmp}" in an override is the test's temporary directory (a badge file made there).
    env = {key: value.replace("{tmp}", str(tmp_path))
           for key, value in options.get("env", {}).items()}
    environ = station_environ(tmp_path, **env)
    settings = load_settings(sources, environ=environ)
    from kiosk.shell.reload import WatchedConfig
    from kiosk.shell.runner import RunOptions, build_station

    clock = ManualClock(start=1000.0)
    watched = WatchedConfig.of(sources, environ) if (tmp_path / "etc").is_dir() else None
    station = build_station(settings, RunOptions(fullscreen=True), clock=clock, watched=watched,
                            wall_clock=options.get("wall_clock"))
    from kiosk.shell.driver import KioskDriver

    driver = KioskDriver(station.app)
    driver.start()
    try:
        yield Kiosk(driver, station, clock, settings)
    finally:
        driver.stop()
    # The crash guard keeps a station alive through an exception in a callback; in a test,
    # that exception is a failure (its log line, app.callback_error, says where).
    caught = station.crash_guard.caught
    if caught and not options.get("callback_errors", False):
        pytest.fail(f"the crash guard caught {caught} exception(s) in Kivy callbacks")
