"""Fixtures of the badge tests: one real pcscd with vsmartcard's vpcd readers for the session
(tests/support/pcsc_daemons.py), running with the readers under their usual name at the start of
each test that uses it, and the station's PC/SC badge reader driver following it."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pcsc_daemons import READER, SOCKET_ENV, SOCKET_NAME, VPCD_DRIVER, PcscDaemon

_WORKDIR = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Point this process's PC/SC calls at the test pcscd before any test runs: libpcsclite
    reads PCSCLITE_CSOCK_NAME once per process, at its first call, and keeps it."""
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-pcscd-"))
    config.stash[_WORKDIR] = workdir
    os.environ[SOCKET_ENV] = str(workdir / SOCKET_NAME)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the test pcscd's directory (its socket, reader.conf and log)."""
    if _WORKDIR in config.stash:
        shutil.rmtree(config.stash[_WORKDIR], ignore_errors=True)


@pytest.fixture(scope="session")
def pcsc_daemon(pytestconfig: pytest.Config) -> Iterator[PcscDaemon]:
    """pcscd for the session, at the socket this process was pointed at."""
    missing = [what for what, there in (("pcscd", shutil.which("pcscd")),
                                        ("vsmartcard-vpcd", VPCD_DRIVER.exists())) if not there]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run provisioning/setup-dev.sh --test")
    daemon = PcscDaemon(pytestconfig.stash[_WORKDIR])
    assert os.environ[SOCKET_ENV] == str(daemon.socket_path)
    daemon.start()
    yield daemon
    daemon.stop()


@pytest.fixture
def pcscd(pcsc_daemon: PcscDaemon) -> PcscDaemon:
    """pcscd as a test expects to find it: running, the vpcd readers under their usual name."""
    pcsc_daemon.stop()
    pcsc_daemon.start()
    return pcsc_daemon


@pytest.fixture
def pcsc_reader(pcscd: PcscDaemon) -> Iterator[object]:
    """The station's PC/SC driver on the first vpcd reader, following it, ready."""
    from devices.pcsc_card_reader import PcscCardReader

    reader = PcscCardReader(READER)
    reader.start()
    try:
        wait_until(lambda: reader.health().ready, 5, "the reader to be ready")
        yield reader
    finally:
        reader.stop()


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Wait for `condition`; returns the seconds it took, fails the test after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.02)
    return time.monotonic() - start

