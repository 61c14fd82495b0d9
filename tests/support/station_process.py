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
def running_station(tmp_path: Path, preexec_fn: Callable[[], None] | None = None
                    ) -> Iterator[subprocess.Popen[bytes]]:
    """`kiosk run` on the packaged configuration, its data in `tmp_path`; stopped on exit."""
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
                            preexec_fn=preexec_fn)
    try:
        while b"READY=1" not in sock.recv(4096):
            pass
        yield proc
    finally:
        proc.terminate()
        proc.wait(15)
        sock.close()
