"""Keeps the facilitator's console running while a facilitator is signed in: the station starts
`kiosk agent` when no console has joined within a grace period (on an appliance, systemd's
kiosk-agent.service has usually started one already), and starts it again when it dies. A
console it started is stopped once nobody is signed in. Whatever happens to the console, the
visitor's screen is not touched (docs/assisted-mode.md, "The console's life")."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
from collections.abc import Callable, Sequence

from kiosk.core.events import EventType, record

GRACE_S = 1.5
"""How long a console started elsewhere (systemd) has to join before the station starts one."""
STOP_TIMEOUT_S = 5.0


class ConsoleSupervisor:
    """Starts `command` when a console is wanted and none is connected."""

    def __init__(self, command: Sequence[str], connected: Callable[[], bool],
                 grace_s: float = GRACE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._command = list(command)
        self._connected = connected
        self._grace_s = grace_s
        self._clock = clock
        self._process: subprocess.Popen[bytes] | None = None
        #: consoles asked to stop, and when they are killed if they have not
        self._leaving: list[tuple[subprocess.Popen[bytes], float]] = []
        self._missing_since: float | None = None
        self.started = 0

    @property
    def pid(self) -> int | None:
        """The process id of the console this supervisor started, while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def check(self, wanted: bool) -> None:
        """Look again (every half second, on the UI thread): start, reap or stop the console.
        Never waits for a process."""
        self._reap()
        process = self._process
        if process is not None and process.poll() is not None:
            record(EventType.CONSOLE_EXITED, logging.WARNING if wanted else logging.INFO,
                   code=process.returncode)
            self._process = process = None
        if not wanted:
            self._missing_since = None
            if process is not None:
                self._process = None
                process.terminate()
                self._leaving.append((process, self._clock() + STOP_TIMEOUT_S))
            return
        if self._connected() or process is not None:
            self._missing_since = None
            return
        now = self._clock()
        if self._missing_since is None:
            self._missing_since = now
        if now - self._missing_since >= self._grace_s:
            self._start()

    def _start(self) -> None:
        try:
            self._process = subprocess.Popen(self._command, stdin=subprocess.DEVNULL)
        except OSError as err:
            record(EventType.CONSOLE_EXITED, logging.ERROR, error=type(err).__name__)
            return
        self.started += 1
        self._missing_since = None
        record(EventType.CONSOLE_STARTED, pid=self._process.pid)

    def _reap(self) -> None:
        leaving = []
        for process, kill_at in self._leaving:
            if process.poll() is not None:
                continue
            if self._clock() >= kill_at:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            leaving.append((process, kill_at))
        self._leaving = leaving

    def stop(self) -> None:
        """Stop every console this supervisor started, and wait for them (the station is
        stopping): SIGTERM, then SIGKILL."""
        leaving = [p for p, _ in self._leaving]
        if self._process is not None:
            leaving.append(self._process)
        self._process, self._leaving = None, []
        for process in leaving:
            if process.poll() is None:
                process.terminate()
        for process in leaving:
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
