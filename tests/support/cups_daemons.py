"""Real printing daemons for tests and benchmarks: the system D-Bus, avahi-daemon, cupsd, an
IPP Everywhere printer (ippeveprinter) on a free port, and a CUPS queue on it.

Works as root on a fresh Debian machine where cups, cups-client, cups-bsd, cups-ipp-utils,
avahi-daemon and dbus are installed and nothing runs (docs/devices.md §3 has the commands
and their failures), and on a machine where some of these daemons already run: a daemon that
answers is used as it is and left running; only what this module started is stopped. The queue
and the printer are always this module's own, under names no real station uses.

The printer's print engine is tests/support/fake_print_cmd.sh: it copies each document into
`output_dir` and reads `mode_file` to run out of paper, jam or print slowly. The printer's own
web form (/media) loads or empties its paper trays, as a person refilling it would.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRINT_COMMAND = Path(__file__).with_name("fake_print_cmd.sh")
DBUS_SOCKET = Path("/run/dbus/system_bus_socket")
DBUS_PID_FILE = Path("/run/dbus/pid")
DOCUMENT_FORMATS = "application/pdf,image/png,image/pwg-raster"
"""What the test printer accepts: a receipt printer that takes PNG and PDF as they are."""
START_TIMEOUT_S = 15.0
FULL_TRAY_SHEETS = 250
"""ippeveprinter's /media form: any level above 0 (and 25 or more, not "low") is paper."""

MODES = ("ok", "media-empty", "media-jam", "slow")


class DaemonError(RuntimeError):
    """A daemon would not start: the message says which, and what it printed."""


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=check)


def _wait(condition: object, what: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise DaemonError(f"{what} did not come up within {timeout:.0f} s")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Does something accept connections on `port`?"""
    try:
        socket.create_connection((host, port), timeout=0.2).close()
    except OSError:
        return False
    return True


def dbus_running() -> bool:
    """Does the system bus accept connections?"""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            sock.connect(str(DBUS_SOCKET))
    except OSError:
        return False
    return True


def avahi_running() -> bool:
    """Is avahi-daemon up (`avahi-daemon --check`)?"""
    return _run("avahi-daemon", "--check", check=False).returncode == 0


def cupsd_running() -> bool:
    """Does cupsd answer (`lpstat -r`; its exit code is 0 either way)?"""
    return _run("lpstat", "-r", check=False).stdout.strip() == "scheduler is running"


@dataclass
class PrintStack:
    """The daemons, the test printer and its queue."""

    workdir: Path
    queue: str
    port: int = 0
    output_dir: Path = field(init=False)
    mode_file: Path = field(init=False)
    spool_dir: Path = field(init=False)
    printer_log: Path = field(init=False)
    started: list[str] = field(default_factory=list)
    """The daemons this stack started (and so stops)."""
    _dbus_pid: int | None = None
    _cupsd: subprocess.Popen[bytes] | None = None
    _printer: subprocess.Popen[bytes] | None = None
    _trays: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.output_dir = self.workdir / "printed"
        self.mode_file = self.workdir / "printer_mode"
        self.spool_dir = self.workdir / "spool"
        self.printer_log = self.workdir / "ippeveprinter.log"

    @property
    def device_uri(self) -> str:
        """The printer's IPP URI, as the queue's device-uri holds it."""
        return f"ipp://localhost:{self.port}/ipp/print"

    # -- the printer's behaviour ---------------------------------------------------------------

    def waiting_jobs(self) -> dict[int, dict[str, object]]:
        """Jobs of this stack's queue not finished yet (the machine's cupsd may hold other
        queues' jobs: another test run's)."""
        import cups

        jobs = cups.Connection().getJobs(which_jobs="not-completed",
                                         requested_attributes=["job-printer-uri"])
        return {job_id: attrs for job_id, attrs in jobs.items()
                if str(attrs.get("job-printer-uri", "")).endswith(f"/printers/{self.queue}")}

    def set_mode(self, mode: str) -> None:
        """How the next job prints (see fake_print_cmd.sh)."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: one of {MODES}")
        self.mode_file.write_text(mode + "\n")

    def printed(self) -> list[Path]:
        """Documents that came out of the printer, oldest first."""
        return sorted(p for p in self.output_dir.iterdir()
                      if not p.name.startswith(".") and p.suffix != ".type")

    def content_type(self, printed: Path) -> str:
        """The MIME type the printer received `printed` as."""
        return printed.with_suffix(".type").read_text().strip()

    def load_paper(self, sheets: int = FULL_TRAY_SHEETS) -> None:
        """Fill (or, with 0, empty) every tray through the printer's /media form. The form
        replaces the whole media state, so every tray's size and type are sent back as they
        were when the printer started."""
        if not self._trays:
            raise DaemonError("ippeveprinter's /media page showed no tray")
        query = urllib.parse.urlencode(
            {**self._trays, **{f"level{n}": sheets for n in self._tray_numbers()}})
        urllib.request.urlopen(f"http://127.0.0.1:{self.port}/media?{query}", timeout=5).read()

    def _tray_numbers(self) -> list[str]:
        return sorted({key[4:] for key in self._trays if key.startswith("size")})

    def _read_trays(self) -> dict[str, str]:
        """Each tray's selected size and type on the /media form (`size1`, `type1`, ...)."""
        page = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/media", timeout=5).read()
        form = {}
        for name, options in re.findall(rb'<select name="((?:size|type)\d+)">(.*?)</select>',
                                        page):
            selected = re.search(rb"<option selected>([^<]*)</option>", options)
            if selected:
                form[name.decode()] = selected.group(1).decode()
        return form

    def device_reasons(self) -> frozenset[str]:
        """The printer's own printer-state-reasons, asked directly over IPP, as keywords."""
        import cups

        from devices.cups_printer import keywords

        attrs = cups.Connection(host="localhost", port=self.port).getPrinterAttributes(
            uri=self.device_uri, requested_attributes=["printer-state", "printer-state-reasons"])
        return keywords(attrs["printer-state-reasons"])

    def device_state(self) -> int:
        """The printer's own printer-state (3 idle, 4 processing, 5 stopped)."""
        import cups

        attrs = cups.Connection(host="localhost", port=self.port).getPrinterAttributes(
            uri=self.device_uri, requested_attributes=["printer-state"])
        return int(attrs["printer-state"])

    def printer_running(self) -> bool:
        """Is the test printer's process alive and listening?"""
        return self._printer is not None and self._printer.poll() is None and port_open(
            self.port)

    def kill_printer(self) -> None:
        """The printer dies at once (power cut), with the job it was printing: its whole
        process group, print command included, gets SIGKILL."""
        if self._printer is not None and self._printer.poll() is None:
            os.killpg(self._printer.pid, signal.SIGKILL)
            self._printer.wait(timeout=10)
        self._printer = None

    def start_printer(self) -> None:
        """Start (or restart, same port) the test printer and wait until it answers."""
        self.kill_printer()
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, KIOSK_PRINT_OUT=str(self.output_dir),
                   KIOSK_PRINT_MODE=str(self.mode_file))
        log = self.printer_log.open("ab")
        self._printer = subprocess.Popen(
            ["ippeveprinter", "-p", str(self.port), "-n", "localhost", "-d", str(self.spool_dir),
             "-k", "-c", str(PRINT_COMMAND), "-f", DOCUMENT_FORMATS, "-r", "off",
             "-M", "Kiosk", "-m", "Receipt 80", f"kiosk-test-{self.port}"],
            stdout=log, stderr=log, env=env, start_new_session=True,
        )
        log.close()
        try:
            _wait(lambda: self._printer is not None and (
                self._printer.poll() is not None or port_open(self.port)), "ippeveprinter")
        except DaemonError:
            self.kill_printer()
            raise
        if self._printer.poll() is not None:
            tail = self.printer_log.read_text(errors="replace")[-600:]
            self._printer = None
            raise DaemonError(f"ippeveprinter exited at start:\n{tail}")
        self._trays = self._read_trays()

    # -- the stack -------------------------------------------------------------------------------

    def start(self) -> PrintStack:
        """Everything up, the queue added and enabled."""
        for tool in ("dbus-daemon", "avahi-daemon", "cupsd", "ippeveprinter", "lpadmin"):
            if shutil.which(tool) is None:
                raise DaemonError(f"{tool} is not installed (provisioning/setup-dev.sh --test)")
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.set_mode("ok")
        self._start_dbus()
        self._start_avahi()
        self._start_cupsd()
        self.port = self.port or free_port()
        self.start_printer()
        self.add_queue()
        return self

    def add_queue(self) -> None:
        """The queue on the test printer, enabled and accepting (IPP Everywhere, no driver)."""
        done = _run("lpadmin", "-p", self.queue, "-E", "-v", self.device_uri, "-m", "everywhere",
                    check=False)
        if done.returncode != 0:
            raise DaemonError(f"lpadmin -p {self.queue}: {done.stderr.strip()}")

    def remove_queue(self) -> None:
        """Delete the queue (while cupsd runs: queues persist in /etc/cups/printers.conf)."""
        _run("lpadmin", "-x", self.queue, check=False)

    def stop(self) -> None:
        """Remove the queue and stop what this stack started, in reverse order."""
        with contextlib.suppress(Exception):
            _run("cancel", "-a", self.queue, check=False)
        if cupsd_running():
            self.remove_queue()
        self.kill_printer()
        if self._cupsd is not None:
            self._cupsd.terminate()
            try:
                self._cupsd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._cupsd.kill()
            self._cupsd = None
        if "avahi-daemon" in self.started:
            _run("avahi-daemon", "--kill", check=False)
        if self._dbus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._dbus_pid, signal.SIGTERM)
            DBUS_PID_FILE.unlink(missing_ok=True)
            self._dbus_pid = None
        self.started.clear()

    def _start_dbus(self) -> None:
        if dbus_running():
            return
        DBUS_PID_FILE.parent.mkdir(parents=True, exist_ok=True)
        DBUS_PID_FILE.unlink(missing_ok=True)  # a stale pid file stops dbus-daemon
        done = _run("dbus-daemon", "--system", "--fork", "--print-pid", check=False)
        if done.returncode != 0:
            raise DaemonError(f"dbus-daemon --system: {done.stderr.strip()}")
        self._dbus_pid = int(done.stdout.split()[0])
        self.started.append("dbus-daemon")
        _wait(dbus_running, "the D-Bus system bus")

    def _start_avahi(self) -> None:
        if avahi_running():
            return
        done = _run("avahi-daemon", "--no-drop-root", "--no-rlimits", "-D", check=False)
        if done.returncode != 0:
            raise DaemonError(f"avahi-daemon: {done.stderr.strip()}")
        self.started.append("avahi-daemon")
        _wait(avahi_running, "avahi-daemon")

    def _start_cupsd(self) -> None:
        if cupsd_running():
            return
        log_path = self.workdir / "cupsd.log"
        with log_path.open("ab") as log:
            self._cupsd = subprocess.Popen(["cupsd", "-f"], stdout=log, stderr=log,
                                           start_new_session=True)
        self.started.append("cupsd")
        cupsd = self._cupsd
        _wait(lambda: cupsd_running() or cupsd.poll() is not None, "cupsd")
        if cupsd.poll() is not None:
            self._cupsd = None
            error = log_path.read_text(errors="replace").strip()
            raise DaemonError(f"cupsd exited at start: {error[-600:]}")


def start_stack(workdir: Path, queue: str) -> PrintStack:
    """A running PrintStack in `workdir`; stops whatever it started if a later step fails."""
    stack = PrintStack(workdir=workdir, queue=queue)
    try:
        return stack.start()
    except BaseException:
        stack.stop()
        raise
