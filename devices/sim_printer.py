"""A simulated receipt printer: "prints" by copying the file into `<data_dir>/sim/printed/`.

Its state file (`sim/printer.json`, `{"state": "online"}`) injects the faults that kiosk users
complain about most: the printer offline, out of paper, jammed. A print on a printer that is not
online returns a FAILED job with the reason instead of a false success, as the real driver must.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from pathlib import Path

from devices.sim_state import (
    READY_HEALTH,
    UNREADABLE_HEALTH,
    Schema,
    SimStateStore,
    choice,
    sim_dir,
)
from kiosk.core.devices import DeviceHealth, DeviceKind, JobState, PrintJob

ONLINE = "online"
OFFLINE = "offline"
PAPER_OUT = "paper-out"
JAM = "jam"

SCHEMA: Schema = {"state": choice(ONLINE, ONLINE, OFFLINE, PAPER_OUT, JAM)}

# Reasons use the IPP/CUPS printer-state-reasons keywords: "media-empty" and "media-jam" are
# RFC 8011 §5.4.12 keywords. For an unreachable printer IPP says "offline-report" (PWG 5100.9);
# the port's vocabulary keeps the plain "offline".
REASONS = {OFFLINE: "offline", PAPER_OUT: "media-empty", JAM: "media-jam"}

UNKNOWN_JOB = "unknown-job"
OUTPUT_UNWRITABLE = "sim-output-unwritable"

PRINTED_DIR_NAME = "printed"

MAX_REMEMBERED_JOBS = 1000
"""Jobs remembered for `job()`: far more than a session needs, and bounded so that a station
running for months does not grow (docs/architecture.md, "memory that grows over weeks")."""

MAX_TITLE_CHARS = 60
"""Longest title kept in an output file name; the rest is cut."""

_FILE_NUMBER = re.compile(r"^(\d+)-")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class SimPrinter:
    """The `Printer` port, simulated."""

    def __init__(self, data_dir: Path) -> None:
        self._store = SimStateStore(data_dir, DeviceKind.PRINTER, SCHEMA)
        self.output_dir = sim_dir(data_dir) / PRINTED_DIR_NAME
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, PrintJob] = OrderedDict()
        self._last_number: int | None = None

    def health(self) -> DeviceHealth:
        """Ready only when the simulated printer is online."""
        state = self._store.load()
        if state is None:
            return UNREADABLE_HEALTH
        if state["state"] == ONLINE:
            return READY_HEALTH
        return DeviceHealth(ready=False, reason=REASONS[state["state"]])

    def print_file(self, path: Path, title: str) -> PrintJob:
        """Copy `path` into the output folder when online; otherwise a FAILED job with the
        reason. Raises FileNotFoundError only when `path` is not a file (a program error)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"print_file: no such file: {path}")
        health = self.health()
        with self._lock:
            number = self._next_number()
            job_id = f"sim-{number:04d}"
            if not health.ready:
                job = PrintJob(job_id, JobState.FAILED, health.reason)
            else:
                job = self._copy(path, title, number, job_id)
            self._remember(job)
            return job

    def job(self, job_id: str) -> PrintJob:
        """The recorded state of a job; an unknown id is a FAILED job, never an exception."""
        with self._lock:
            known = self._jobs.get(job_id)
        return known if known is not None else PrintJob(job_id, JobState.FAILED, UNKNOWN_JOB)

    def _copy(self, path: Path, title: str, number: int, job_id: str) -> PrintJob:
        """Copy through a temporary file so that a watcher never sees half a receipt."""
        target = self.output_dir / f"{number:04d}-{safe_title(title)}{_safe_suffix(path)}"
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.output_dir, prefix=".printing-")
            os.close(fd)
            try:
                shutil.copyfile(path, tmp_name)
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except OSError:  # disk full, read-only data dir: the sim's paper is missing
            return PrintJob(job_id, JobState.FAILED, OUTPUT_UNWRITABLE)
        return PrintJob(job_id, JobState.COMPLETED)

    def _next_number(self) -> int:
        """One more than any job so far, including files printed before a restart."""
        if self._last_number is None:
            self._last_number = 0
            if self.output_dir.is_dir():
                for entry in self.output_dir.iterdir():
                    match = _FILE_NUMBER.match(entry.name)
                    if match:
                        self._last_number = max(self._last_number, int(match.group(1)))
        self._last_number += 1
        return self._last_number

    def _remember(self, job: PrintJob) -> None:
        self._jobs[job.job_id] = job
        while len(self._jobs) > MAX_REMEMBERED_JOBS:
            self._jobs.popitem(last=False)


def safe_title(title: str) -> str:
    """A title usable in a file name on any file system: ASCII letters, digits, dot, dash and
    underscore ("Reçu n° 42" → "Recu-n-42"); "receipt" when nothing is left."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_title).strip("-._")[:MAX_TITLE_CHARS].rstrip("-._")
    return cleaned or "receipt"


def _safe_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""

