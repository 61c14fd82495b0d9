"""A real `kiosk run` process, started as systemd would and handed over once it has told
systemd it is ready (its first screen drawn)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def notifying_station(tmp_path: Path, preexec_fn: Callable[[], None] | None = None,
                      watchdog_usec: int | None = None, command: list[str] | None = None
                      ) -> Iterator[tuple[subprocess.Popen[bytes], socket.socket, list[bytes]]]:
    """`kiosk run` on the packaged configuration, its data in `tmp_path`, with the test's own
    NOTIFY_SOCKET (and WATCHDOG_USEC, as systemd sets it for WatchdogSec=): the process, the
    socket, and the messages read until READY=1 (READY=1 last); stopped (SIGTERM) on exit.
    `command` runs instead of `python -m kiosk run` (a wrapper of it)."""
    assert os.environ.get("DISPLAY"), "the station needs an X server (pytest-xvfb's)"
    notify = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    sock.settimeout(30)
    (tmp_path / "data").mkdir()
    env = {**os.environ, "NOTIFY_SOCKET": str(notify),
           "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"'}
    if watchdog_usec is not None:
        env["WATCHDOG_USEC"] = str(watchdog_usec)
    proc = subprocess.Popen(command or [sys.executable, "-m", "kiosk", "run"], env=env,
                            cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=preexec_fn)
    try:
        messages = [sock.recv(4096)]
        while b"READY=1" not in messages[-1]:
            messages.append(sock.recv(4096))
        yield proc, sock, messages
    finally:
        proc.terminate()
        proc.wait(15)
        sock.close()


@contextmanager
def running_station(tmp_path: Path, preexec_fn: Callable[[], None] | None = None
                    ) -> Iterator[subprocess.Popen[bytes]]:
    """`kiosk run` on the packaged configuration, its data in `tmp_path`; stopped on exit."""
    with notifying_station(tmp_path, preexec_fn) as (proc, _sock, _messages):
        yield proc
