"""Runs the core's `PrintReceipt` effect: draws the receipt into a private file, prints it through
the station's printer port, follows the job to its end, deletes the file, and reports how it
ended. It runs on an effect worker thread (kiosk/shell/effect_runner.py), never on the UI
thread: drawing takes tens of milliseconds and a job takes seconds.

"Printed" is reported only when the port says the job completed; a job still pending or printing
after `limit_s` is reported not printed (kiosk/core/printing.py). The drawn file holds the
private number (kiosk/core/receipt.py), so it lives in a directory only the station's user can
read, under a random name, and is deleted whatever happens; files left by a crash are deleted
at the next start.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.core.devices import DeviceKind, JobState, Printer, PrintJob
from kiosk.core.events import EventType, Ident, record
from kiosk.core.printing import TIMED_OUT_REASON, PrintReceipt, PrintResult
from kiosk.settings.models import Settings
from kiosk.shell.device_monitor import read_health

JOB_TITLE = "Receipt"
"""The print job's title, in CUPS' job history: never the number or the title of the receipt."""
PRINT_DIR = "printing"
"""Sub-directory of the data dir where receipts are drawn, mode 0700."""
JOB_DIR_PREFIX = "job-"
PRIVATE_DIR_MODE = 0o700
POLL_S = 0.2
"""A job through CUPS completes in about 1.3 s (docs/devices.md §3): five looks a second
show "Printed" within a fifth of a second of the printer finishing."""
FOLLOW_LIMIT_S = 150.0
"""Longest a job is followed. Longer than the CUPS driver's own deadline
(devices/cups_printer.py DEFAULT_JOB_DEADLINE_S, 120 s), after which it cancels the job and
reports it failed: stopping earlier would leave a job nobody cancels, which could come out
later into the hands of the next person (docs/architecture.md, rule 4)."""

Sleep = Callable[[float], None]


class ReceiptPrinting:
    """The handler of `PrintReceipt` for one printer."""

    def __init__(self, printer: Printer, paper: str, data_dir: Path, *,
                 on_finished: Callable[[], None] | None = None, poll_s: float = POLL_S,
                 limit_s: float = FOLLOW_LIMIT_S,
                 clock: Callable[[], float] = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._printer = printer
        self._paper = paper
        self._root = Path(data_dir) / PRINT_DIR
        self._on_finished = on_finished
        self._poll_s = poll_s
        self._limit_s = limit_s
        self._clock = clock
        self._sleep = sleep

    def purge_leftovers(self) -> int:
        """Delete receipts drawn before a crash or a power cut; returns how many jobs' files."""
        if not self._root.is_dir():
            return 0
        count = 0
        for entry in self._root.iterdir():
            if entry.name.startswith(JOB_DIR_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
                count += 1
        return count

    def _workdir(self) -> Path:
        self._root.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        self._root.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
        return Path(tempfile.mkdtemp(prefix=JOB_DIR_PREFIX, dir=self._root))  # 0700 too

    def __call__(self, effect: PrintReceipt) -> PrintResult:
        """Print `effect.receipt` and follow the job; raises only on a program error (the
        effect runner then reports the print failed)."""
        if effect.receipt is None:
            raise ValueError("PrintReceipt without a receipt")
        # Pillow and qrcode are loaded when a session first needs them, not at start
        # (kiosk/shell/session_modules.py); here on the effect worker's thread if not yet.
        from kiosk.receipts import render_receipt

        workdir = self._workdir()
        try:
            path = render_receipt(effect.receipt, self._paper, workdir)
            job = self._follow(self._printer.print_file(path, JOB_TITLE), effect.effect_id)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if self._on_finished is not None:
                self._on_finished()
        health = read_health(DeviceKind.PRINTER, self._printer.health)
        if job.state is JobState.COMPLETED:
            return PrintResult(printed=True, health=health)
        return PrintResult(printed=False, reason=job.reason or "job-failed", health=health)

    def _follow(self, job: PrintJob, effect_id: int) -> PrintJob:
        """The job's state until it is completed or failed, or FAILED past the time limit."""
        deadline = self._clock() + self._limit_s
        while job.state in (JobState.PENDING, JobState.PRINTING):
            if self._clock() >= deadline:
                record(EventType.PRINT_FAILED, logging.ERROR, effect_id=effect_id,
                       job=Ident(job.job_id), reason=Ident(TIMED_OUT_REASON), followed=False)
                return PrintJob(job.job_id, JobState.FAILED, TIMED_OUT_REASON)
            self._sleep(self._poll_s)
            job = self._printer.job(job.job_id)
        return job


def print_handlers(printer: Printer, settings: Settings,
                   on_finished: Callable[[], None] | None = None) -> dict[type, Any]:
    """The effect handlers for printing, for the station's printer and paper; deletes receipts
    a previous run left behind."""
    printing = ReceiptPrinting(printer, settings.receipts.paper.value, settings.data_dir,
                               on_finished=on_finished)
    printing.purge_leftovers()
    return {PrintReceipt: printing}
