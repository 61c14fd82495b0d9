"""The station's memory holds what people typed: no core file may carry it to disk and no other
process of the station's user may read it (kiosk/shell/memory_seal.py, systemd/kiosk.service)."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert os.environ.get("DISPLAY"), "the station needs an X server (pytest-xvfb's)"
    notify = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    sock.settimeout(30)
    (tmp_path / "data").mkdir()
    env = {**os.environ, "NOTIFY_SOCKET": str(notify),
           "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"'}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "run"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=allow_core_files)
    try:
        while b"READY=1" not in sock.recv(4096):
            pass
        assert core_limit(proc.pid) == ("0", "0")
    finally:
        proc.terminate()
        proc.wait(15)
        sock.close()


@pytest.mark.ui
def test_the_app_runs_sealed(kiosk):
    from kiosk.shell import memory_seal

    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")
    assert memory_seal.is_sealed()
