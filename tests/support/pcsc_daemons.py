"""A real pcscd with vsmartcard's vpcd virtual readers, and badges put on them by the project's
emulator (devices/badge_emulator.py), for the badge tests.

pcscd runs in the foreground as this module's child, killed by its PID (there is no systemd
here). It is kept apart from any other pcscd of the machine: it gets its listening socket the
way systemd's socket activation hands it over (LISTEN_FDS, pcscd's `sd_listen_fds`), bound at
a path of the test session, which PC/SC clients find through PCSCLITE_CSOCK_NAME; its readers
come from a reader.conf directory of its own (`pcscd -c`), with vpcd on two free ports instead
of the packaged 35963.

What a test can do to it: kill it and start it again (pcscd crashed and restarted; the readers
go and come back with it), and start it with the reader under another name (the configured
reader unplugged while pcscd runs). pcscd 1.9 does not re-read reader.conf while running
(SIGUSR1 adds no reader), so a reader cannot come and go without a restart of the daemon.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
"""Where libpcsclite looks for pcscd's socket instead of /run/pcscd/pcscd.comm."""
SOCKET_NAME = "pcscd.comm"
READER = "Virtual PCD 00 00"
"""The first of the two readers vpcd declares under the friendly name "Virtual PCD"."""
START_TIMEOUT_S = 10.0


class PcscError(RuntimeError):
    """pcscd or the emulator would not start: the message says which and what it printed."""


def free_port_pair() -> int:
    """A TCP port that is free, as is the next one (vpcd listens on both)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise PcscError("no two consecutive free TCP ports")


def reader_conf(friendly_name: str, port: int) -> str:
    """A reader.conf entry for vpcd: its readers are "<name> 00 00" on `port` and
    "<name> 00 01" on `port + 1`."""
    return (f'FRIENDLYNAME "{friendly_name}"\nDEVICENAME /dev/null:0x{port:04X}\n'
            f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{port:04X}\n")


@dataclass
class PcscDaemon:
    """A pcscd of the test session; `socket_path` is what PCSCLITE_CSOCK_NAME must name."""

    workdir: Path
    port: int = field(default_factory=free_port_pair)
    process: subprocess.Popen[bytes] | None = None

    @property
    def socket_path(self) -> Path:
        """pcscd's listening socket."""
        return self.workdir / SOCKET_NAME

    @property
    def log_path(self) -> Path:
        """What pcscd printed (-f: its log goes to stdout)."""
        return self.workdir / "pcscd.log"

    def start(self, friendly_name: str = "Virtual PCD") -> None:
        """Start pcscd with vpcd's readers under `friendly_name`; returns once the first reader
        listens for a card."""
        if self.process is not None:
            raise PcscError("pcscd is already running")
        conf = self.workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "vpcd").write_text(reader_conf(friendly_name, self.port))
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.socket_path))
        self.socket_path.chmod(0o666)
        listener.listen(64)
        fd = listener.fileno()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _EXEC_ACTIVATED, str(fd), "pcscd", "-f", "-i", "-c",
                 str(conf)], pass_fds=(fd,), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        # pcscd holds the socket now; when it dies, the socket dies with it.
        listener.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise PcscError(f"pcscd did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop pcscd (SIGTERM: it cleans up after itself) and wait for it to be gone."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """Kill pcscd (SIGKILL: the way a crash leaves things) and wait for it to be gone."""
        self._end(signal.SIGKILL)

    def _end(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signum)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


_EXEC_ACTIVATED = """
import os, sys
os.dup2(int(sys.argv[1]), 3)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execvp(sys.argv[2], sys.argv[2:])
"""
"""Exec a daemon the way systemd's socket activation starts it: its socket as fd 3,
LISTEN_FDS=1, and LISTEN_PID its own PID (kept across exec)."""


def _listening(port: int) -> bool:
    """Is vpcd waiting for a card on `port`? (Asked without connecting: a connection would be
    taken for a card.)"""
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True,
                         check=False).stdout
    return bool(out.strip())


@dataclass
class EmulatedBadge:
    """A badge emulator process: on the reader while it runs."""

    process: subprocess.Popen[bytes]

    def remove(self) -> None:
        """Take the badge off the reader (SIGTERM closes its connection) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)


@contextlib.contextmanager
def badge_on_reader(daemon: PcscDaemon, uid: str, *card: str) -> Iterator[EmulatedBadge]:
    """The emulator on the daemon's first reader, with `card` its options (`--key HEX`,
    `--no-key` or `--plain`); taken off when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devices.badge_emulator", "--uid", uid, *card,
         "--port", str(daemon.port)], cwd=REPO, stdin=subprocess.DEVNULL)
    badge = EmulatedBadge(process)
    try:
        yield badge
    finally:
        badge.remove()


def pcsc_environment(daemon: PcscDaemon) -> dict[str, str]:
    """The environment of a process that talks to this pcscd."""
    return {**os.environ, SOCKET_ENV: str(daemon.socket_path)}
