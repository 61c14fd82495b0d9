"""The station's memory holds what people typed: no core file may carry it to disk and no other
process of the station's user may read it (kiosk/shell/memory_seal.py, systemd/kiosk.service)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from station_process import running_station

PROBE = ("from kiosk.shell import memory_seal as m; print(m.is_sealed()); m.seal(); "
         "print(m.is_sealed())")


def test_seal_forbids_core_files_and_ptrace():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=30, check=True)
    assert done.stdout.split() == ["False", "True"]


def allow_core_files() -> None:
    """A child's start without the seal: core files of up to 1 MiB allowed."""
    resource.setrlimit(resource.RLIMIT_CORE, (2**20, 2**20))


def core_limit(pid: int) -> tuple[str, str]:
    """Soft and hard "Max core file size" of a running process (proc(5), limits)."""
    for line in Path(f"/proc/{pid}/limits").read_text(encoding="utf-8").splitlines():
        if line.startswith("Max core file size"):
            soft, hard = line.split()[4:6]
            return soft, hard
    raise AssertionError("no core file size in /proc/PID/limits")


def test_the_station_process_refuses_core_files(tmp_path):
    with running_station(tmp_path, preexec_fn=allow_core_files) as station:
        assert core_limit(station.pid) == ("0", "0")


@pytest.mark.ui
def test_the_app_runs_sealed(kiosk):
    from kiosk.shell import memory_seal

    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")
    assert memory_seal.is_sealed()
