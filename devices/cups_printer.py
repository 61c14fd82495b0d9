"""The real receipt printer: a CUPS queue, driven with pycups, behind the `Printer` port.

What kiosk users complain about most is a printer status that lies (docs/architecture.md): "offline"
after every print, paper-out not shown and success shown anyway, a queue left paused after a refill.
So this driver:

* reads the queue from CUPS (missing, not accepting jobs, stopped) **and** asks the printer
  itself, with an IPP Get-Printer-Attributes to the queue's `ipp://`/`ipps://` device URI, for
  the physical condition. The queue's own printer-state-reasons only change while CUPS' backend
  runs a job, so between jobs they are stale ("media-empty-report" stays after a refill; a
  "media-jam-warning" from the last job flashes at the start of the next one); the device's
  answer is live. For other device URIs (usb://, socket://) the queue's reasons are used, and a
  fault must be seen on two consecutive readings before it is reported.
* reports the printer unreachable ("offline") only when two consecutive direct readings fail, or
  one fails while CUPS itself says "The printer may not exist or is unavailable at this time.":
  one refused connection while the printer restarts after a job is not an outage.
* resumes a queue that was stopped after a physical fault once the printer is ready again: the
  device, asked directly, reports no blocking reason and is not stopped, on two consecutive
  readings. A queue stopped on a healthy printer (a technician's `cupsdisable`) stays stopped.
* never raises for a physical condition: health() returns a DeviceHealth, print_file() a FAILED
  PrintJob with the reason, job() the job's state. Reasons are CUPS/IPP keywords
  (RFC 8011 §5.4.12 printer-state-reasons without their -error/-warning/-report suffix), plus
  "queue-missing", "not-accepting-jobs", "scheduler-not-running" and "offline".
* cancels a job that has not printed within `job_deadline_s`, so that a receipt held by an empty
  printer never comes out later, into the hands of the next person (docs/architecture.md, rule 4).

The class is safe to call from several threads: one lock serialises every CUPS request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import cups

from kiosk.core.devices import DeviceHealth, JobState, PrintJob

# RFC 8011 §5.4.11 printer-state.
PRINTER_IDLE = 3
PRINTER_PROCESSING = 4
PRINTER_STOPPED = 5

# RFC 8011 §5.3.7 job-state.
JOB_PENDING = 3
JOB_HELD = 4
JOB_PROCESSING = 5
JOB_STOPPED = 6
JOB_CANCELED = 7
JOB_ABORTED = 8
JOB_COMPLETED = 9

# RFC 8011 §13.1.5 status codes that mean something here.
IPP_NOT_FOUND = 0x0406
IPP_SERVICE_UNAVAILABLE = 0x0502
IPP_NOT_ACCEPTING_JOBS = 0x0506

IPP_DEFAULT_PORT = 631
"""RFC 8011 §4.1 / RFC 3510: the port of ipp:// and ipps:// URIs that name none."""

REASON_SUFFIXES = ("-error", "-warning", "-report")
"""RFC 8011 §5.4.12: a printer-state-reasons keyword may carry a severity suffix."""

PHYSICAL_FAULTS = (
    "media-jam", "media-empty", "media-needed", "cover-open", "door-open", "interlock-open",
    "input-tray-missing", "output-tray-missing", "output-area-full", "marker-supply-empty",
    "toner-empty", "offline", "shutdown",
)
"""printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9) under which nothing comes out
of the printer, in the order a person should fix them. Anything else ("media-low",
"toner-low", "connecting-to-device", CUPS' own "cups-…" reasons) is information."""

SAME_REASON = {"media-needed": "media-empty"}
"""A printer waiting for paper says both; the port reports one."""

UNREACHABLE_MESSAGE = "The printer may not exist or is unavailable at this time."
"""What CUPS' ipp backend puts in printer-state-message while it cannot reach the printer
(cups/backend/ipp.c, C locale)."""

CONFIRMATIONS = 2
"""Consecutive readings that make a transient condition a fact (see the module docstring)."""

DEVICE_CONNECT_TIMEOUT_S = 0.5
"""A direct reading gives up after this: a printer on the local network answers a TCP
connection in milliseconds, and health() must not hold the station's device poll (every 2 s)."""

DEFAULT_JOB_DEADLINE_S = 120.0
"""A receipt not printed two minutes after "Confirm" is for someone who has left: cancel it."""

MAX_REMEMBERED_JOBS = 1000
"""Final job states kept for job(), bounded (memory that grows over weeks:
docs/architecture.md)."""

QUEUE_ATTRIBUTES = [
    "printer-state", "printer-state-reasons", "printer-state-message",
    "printer-is-accepting-jobs", "device-uri",
]
DEVICE_ATTRIBUTES = ["printer-state", "printer-state-reasons"]
JOB_ATTRIBUTES = ["job-state", "job-printer-state-reasons"]

READY = DeviceHealth(ready=True)
SCHEDULER_DOWN = "scheduler-not-running"
QUEUE_MISSING = "queue-missing"
NOT_ACCEPTING = "not-accepting-jobs"
PAUSED = "paused"
OFFLINE = "offline"
UNKNOWN_JOB = "unknown-job"
NOT_PRINTED_IN_TIME = "not-printed-in-time"
PRINT_REFUSED = "print-refused"
REFUSED_PREFIX = "refused-"
"""Id prefix of a job that never reached CUPS (CUPS job ids are numbers)."""


class _SchedulerDownError(Exception):
    """cupsd did not answer."""


@dataclass(frozen=True)
class QueueReading:
    """The queue as CUPS sees it."""

    state: int
    reasons: frozenset[str]
    message: str
    accepting: bool
    device_uri: str


@dataclass(frozen=True)
class DeviceReading:
    """The printer as it answers for itself; `reachable` False when it did not answer."""

    reachable: bool
    state: int = PRINTER_IDLE
    reasons: frozenset[str] = frozenset()


def keywords(values: Any) -> frozenset[str]:
    """printer-state-reasons as bare keywords: suffixes dropped, synonyms merged, "none" gone.
    pycups gives a list, or a single string when there is one value."""
    if isinstance(values, str):
        values = [values]
    out = set()
    for value in values or ():
        word = str(value)
        for suffix in REASON_SUFFIXES:
            if word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if word and word != "none":
            out.add(SAME_REASON.get(word, word))
    return frozenset(out)


def first_fault(reasons: Iterable[str]) -> str | None:
    """The most urgent physical fault among `reasons`, if any."""
    present = set(reasons)
    return next((fault for fault in PHYSICAL_FAULTS if fault in present), None)


class CupsPrinter:
    """The `Printer` port on a CUPS queue."""

    def __init__(self, queue: str, *, job_deadline_s: float = DEFAULT_JOB_DEADLINE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.queue = queue
        self.job_deadline_s = job_deadline_s
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: cups.Connection | None = None
        self._unreachable_streak = 0
        self._candidate: str | None = None
        self._candidate_streak = 0
        self._fault: str | None = None
        self._resume_armed = False
        self._ready_streak = 0
        self._submitted: dict[str, float] = {}
        self._final: OrderedDict[str, PrintJob] = OrderedDict()
        self._refusals = 0
        self._at_device: set[str] = set()
        self._interrupted: set[str] = set()

    # -- the port ----------------------------------------------------------------------------

    def health(self) -> DeviceHealth:
        """Can a receipt be printed now? Reads CUPS and the printer; resumes a queue stopped
        after a fault once the printer is ready again."""
        with self._lock:
            return self._health()

    def print_file(self, path: Path, title: str) -> PrintJob:
        """Send `path` (PNG or PDF) to the queue. A physical fault or a stopped queue, under
        which CUPS would silently keep the job, gives a FAILED job with the reason and nothing is
        sent; CUPS' own refusals (queue missing, not accepting jobs) come back the same way.
        Raises FileNotFoundError only when `path` is not a file (a program error)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"print_file: no such file: {path}")
        with self._lock:
            health = self._health()
            if not health.ready and health.reason not in (QUEUE_MISSING, NOT_ACCEPTING):
                return self._refused(health.reason)
            try:
                number = self._connection().printFile(self.queue, str(path), title, {})
            except cups.IPPError as error:
                self._forget_connection_if_down(error)
                reason = _refusal(error)
                if reason == PRINT_REFUSED and self._queue_missing():
                    reason = QUEUE_MISSING  # libcups says 0x0500 "No such file or directory"
                return self._refused(reason)
            except (RuntimeError, cups.HTTPError):
                self._conn = None
                return self._refused(SCHEDULER_DOWN)
            job_id = str(number)
            self._submitted[job_id] = self._clock()
            while len(self._submitted) > MAX_REMEMBERED_JOBS:  # jobs nobody followed
                self._submitted.pop(next(iter(self._submitted)))
            return PrintJob(job_id, JobState.PENDING)

    def job(self, job_id: str) -> PrintJob:
        """Where the job stands: pending, printing (with the printer's fault as reason while it
        waits), completed, or failed with the reason. A job past its deadline is canceled."""
        with self._lock:
            known = self._final.get(job_id)
            if known is not None:
                return known
            try:
                number = int(job_id)
            except ValueError:
                return PrintJob(job_id, JobState.FAILED, UNKNOWN_JOB)
            try:
                attrs = self._connection().getJobAttributes(
                    number, requested_attributes=JOB_ATTRIBUTES)
            except cups.IPPError as error:
                self._forget_connection_if_down(error)
                if error.args and error.args[0] == IPP_NOT_FOUND:
                    return self._finish(PrintJob(job_id, JobState.FAILED, UNKNOWN_JOB))
                return PrintJob(job_id, JobState.PENDING, SCHEDULER_DOWN)
            except (RuntimeError, cups.HTTPError):
                self._conn = None
                return PrintJob(job_id, JobState.PENDING, SCHEDULER_DOWN)
            return self._job_from(job_id, number, attrs)

    # -- jobs --------------------------------------------------------------------------------

    def _job_from(self, job_id: str, number: int, attrs: dict[str, Any]) -> PrintJob:
        state = int(attrs.get("job-state", JOB_PENDING))
        if state == JOB_COMPLETED:
            if job_id in self._interrupted:  # see _note_outage
                return self._finish(PrintJob(job_id, JobState.FAILED, OFFLINE))
            # CUPS sometimes calls "completed" a job the printer aborted (out of paper) once it
            # has marked the queue "cups-ipp-missing-job-history": the printer, asked now,
            # still showing a fault means the receipt did not come out.
            health = self._health()
            if not health.ready and health.reason in PHYSICAL_FAULTS and health.reason != OFFLINE:
                return self._finish(PrintJob(job_id, JobState.FAILED, health.reason))
            return self._finish(PrintJob(job_id, JobState.COMPLETED))
        if state in (JOB_CANCELED, JOB_ABORTED):
            reason = first_fault(keywords(attrs.get("job-printer-state-reasons"))) or (
                "job-canceled" if state == JOB_CANCELED else "job-aborted")
            return self._finish(PrintJob(job_id, JobState.FAILED, reason))
        health = self._health()
        submitted = self._submitted.get(job_id)
        if submitted is not None and self._clock() - submitted > self.job_deadline_s:
            # Reported failed either way: the person has been told to ask at the desk.
            with contextlib.suppress(cups.IPPError, RuntimeError, cups.HTTPError):
                self._connection().cancelJob(number)
            reason = health.reason if not health.ready else NOT_PRINTED_IN_TIME
            return self._finish(PrintJob(job_id, JobState.FAILED, reason))
        reason = "" if health.ready else health.reason
        if state == JOB_PROCESSING:
            return PrintJob(job_id, JobState.PRINTING, reason)
        if state == JOB_HELD:
            return PrintJob(job_id, JobState.PENDING, reason or "job-held")
        return PrintJob(job_id, JobState.PENDING, reason)  # pending, or stopped mid-job

    def _refused(self, reason: str) -> PrintJob:
        """A job that never reached CUPS, under an id of its own that job() knows."""
        self._refusals += 1
        return self._finish(PrintJob(f"{REFUSED_PREFIX}{self._refusals}", JobState.FAILED, reason))

    def _finish(self, job: PrintJob) -> PrintJob:
        """Remember a final state (a finished job's state never changes)."""
        self._submitted.pop(job.job_id, None)
        self._interrupted.discard(job.job_id)
        self._at_device.discard(job.job_id)
        self._final[job.job_id] = job
        while len(self._final) > MAX_REMEMBERED_JOBS:
            self._final.popitem(last=False)
        return job

    # -- health ------------------------------------------------------------------------------

    def _health(self) -> DeviceHealth:
        try:
            queue = self._read_queue()
        except _SchedulerDownError:
            return DeviceHealth(ready=False, reason=SCHEDULER_DOWN)
        if queue is None:
            return DeviceHealth(ready=False, reason=QUEUE_MISSING)
        device = self._read_device(queue.device_uri)
        fault = self._confirmed_fault(queue, device)
        self._note_outage(device, fault)
        if queue.state == PRINTER_STOPPED and self._resume_if_ready(queue, device, fault):
            queue = self._read_queue_or(queue)
        self._fault = fault
        if not queue.accepting:
            return DeviceHealth(ready=False, reason=NOT_ACCEPTING)
        if fault is not None:
            return DeviceHealth(ready=False, reason=fault)
        if queue.state == PRINTER_STOPPED:
            return DeviceHealth(ready=False, reason=PAUSED)
        return READY

    def _confirmed_fault(self, queue: QueueReading, device: DeviceReading | None) -> str | None:
        """The physical fault to report now, after the cross-checks of the module docstring."""
        if device is None:
            candidate = first_fault(queue.reasons)
            if candidate is None and queue.message == UNREACHABLE_MESSAGE:
                candidate = OFFLINE
            if candidate is None:
                self._candidate, self._candidate_streak = None, 0
                return None
            same = candidate == self._candidate
            self._candidate = candidate
            self._candidate_streak = self._candidate_streak + 1 if same else 1
            return candidate if self._candidate_streak >= CONFIRMATIONS else self._fault
        if not device.reachable:
            self._unreachable_streak += 1
            if (self._unreachable_streak >= CONFIRMATIONS
                    or queue.message == UNREACHABLE_MESSAGE):
                return OFFLINE
            return self._fault  # one failed reading changes nothing yet
        self._unreachable_streak = 0
        fault = first_fault(device.reasons)
        if fault is None and device.state == PRINTER_STOPPED:
            fault = "shutdown" if "shutdown" in device.reasons else PAUSED
        return fault

    def _note_outage(self, device: DeviceReading | None, fault: str | None) -> None:
        """Remember which jobs the printer lost. When a printer dies mid-job and comes back,
        CUPS' backend finds no trace of the job on it and reports the job completed
        (job-printer-state-reasons "cups-ipp-missing-job-history", a reason that then stays
        on the queue for good). So a job that was at the printer (the printer busy while the
        job was not finished) when the printer went offline is failed, whatever CUPS says."""
        if device is not None and device.reachable:
            self._at_device = set(self._submitted) if device.state == PRINTER_PROCESSING else set()
        elif fault == OFFLINE:
            self._interrupted |= self._at_device

    def _resume_if_ready(self, queue: QueueReading, device: DeviceReading | None,
                         fault: str | None) -> bool:
        """Resume a queue that stopped because of a fault, once the printer has been ready on
        CONFIRMATIONS consecutive direct readings; True when it was resumed."""
        if fault is not None or self._fault is not None or first_fault(queue.reasons):
            self._resume_armed = True
        ready_now = (fault is None and device is not None and device.reachable
                     and device.state != PRINTER_STOPPED and first_fault(device.reasons) is None)
        if not (self._resume_armed and ready_now):
            self._ready_streak = 0
            return False
        self._ready_streak += 1
        if self._ready_streak < CONFIRMATIONS:
            return False
        try:
            self._connection().enablePrinter(self.queue)
        except (cups.IPPError, RuntimeError, cups.HTTPError):
            return False  # tried again at the next reading
        self._resume_armed, self._ready_streak = False, 0
        return True

    def _read_queue(self) -> QueueReading | None:
        """The queue's attributes; None when CUPS has no such queue."""
        try:
            attrs = self._connection().getPrinterAttributes(
                self.queue, requested_attributes=QUEUE_ATTRIBUTES)
        except cups.IPPError as error:
            if error.args and error.args[0] == IPP_NOT_FOUND:
                return None
            self._conn = None
            raise _SchedulerDownError from error
        except (RuntimeError, cups.HTTPError) as error:
            self._conn = None
            raise _SchedulerDownError from error
        if self._resume_armed and int(attrs.get("printer-state", 0)) != PRINTER_STOPPED:
            self._resume_armed, self._ready_streak = False, 0  # resumed by someone else
        return QueueReading(
            state=int(attrs.get("printer-state", PRINTER_IDLE)),
            reasons=keywords(attrs.get("printer-state-reasons")),
            message=str(attrs.get("printer-state-message") or ""),
            accepting=bool(attrs.get("printer-is-accepting-jobs", True)),
            device_uri=str(attrs.get("device-uri") or ""),
        )

    def _queue_missing(self) -> bool:
        try:
            return self._read_queue() is None
        except _SchedulerDownError:
            return False

    def _read_queue_or(self, previous: QueueReading) -> QueueReading:
        """The queue read again after resuming it (the previous reading if that fails)."""
        try:
            return self._read_queue() or previous
        except _SchedulerDownError:
            return previous

    def _read_device(self, device_uri: str) -> DeviceReading | None:
        """The printer's own state over IPP; None when the device URI is not ipp:// or ipps://
        (then only the queue's reasons are known)."""
        parts = urlsplit(device_uri)
        if parts.scheme not in ("ipp", "ipps") or not parts.hostname:
            return None
        host, port = parts.hostname, parts.port or IPP_DEFAULT_PORT
        try:  # a plain TCP probe first: libcups would wait far longer for a dead host
            socket.create_connection((host, port), timeout=DEVICE_CONNECT_TIMEOUT_S).close()
            encryption = (cups.HTTP_ENCRYPT_ALWAYS if parts.scheme == "ipps"
                          else cups.HTTP_ENCRYPT_IF_REQUESTED)
            attrs = cups.Connection(host=host, port=port, encryption=encryption) \
                .getPrinterAttributes(uri=device_uri, requested_attributes=DEVICE_ATTRIBUTES)
        except (OSError, RuntimeError, cups.IPPError, cups.HTTPError):
            return DeviceReading(reachable=False)
        return DeviceReading(
            reachable=True,
            state=int(attrs.get("printer-state", PRINTER_IDLE)),
            reasons=keywords(attrs.get("printer-state-reasons")),
        )

    def _connection(self) -> cups.Connection:
        """The connection to cupsd, opened on first use (libcups reconnects it by itself after
        cupsd restarts). Raises RuntimeError when cupsd does not answer."""
        if self._conn is None:
            self._conn = cups.Connection()
        return self._conn

    def _forget_connection_if_down(self, error: cups.IPPError) -> None:
        if error.args and error.args[0] == IPP_SERVICE_UNAVAILABLE:
            self._conn = None


def _refusal(error: cups.IPPError) -> str:
    """CUPS' refusal of a job, as a port reason."""
    status = error.args[0] if error.args else None
    if status == IPP_NOT_ACCEPTING_JOBS:
        return NOT_ACCEPTING
    if status == IPP_NOT_FOUND:
        return QUEUE_MISSING
    if status == IPP_SERVICE_UNAVAILABLE:
        return SCHEDULER_DOWN
    return PRINT_REFUSED
