"""Printing a receipt, as the person sees it: the request to print, where it stands, and why it
did not print.

Users of kiosks complain most about a printer status that lies (docs/architecture.md): "printed"
while the printer was out of paper. So the status says PRINTING until the printer port reports the
job completed (for CUPS: job-state 9, after the driver's own cross-checks), PRINTED only then,
and FAILED with a reason in every other ending. Nothing here claims success on its own.

Pure: the shell renders the receipt, hands it to the printer port and follows the job
(kiosk/shell/printing.py); the core decides when to print and what the screen says (the
functions at the end: each takes a state and gives the next one and the effects to run). The
receipt itself stays in the citizen session (it holds the private number, receipt.py);
`AppState.printing` holds only the status, which carries nothing personal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.devices import DeviceHealth
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.events import EventType, Ident, record
from kiosk.core.receipt import Receipt

if TYPE_CHECKING:
    from kiosk.core.state import AppState

Effects = tuple[Effect, ...]


class PrintStatus(StrEnum):
    """Where the printing of the session's receipt stands."""

    IDLE = "idle"
    """Nothing asked yet in this session."""
    PRINTING = "printing"
    """Sent; the printer has not said it is done."""
    PRINTED = "printed"
    """The printer port reported the job completed."""
    FAILED = "failed"
    """Not printed: refused, canceled, aborted, never finished in time, or no usable printer."""


class PrintFailure(StrEnum):
    """Why a receipt did not print (or cannot now), in the words a person gets told; each has
    the message `print.failure.<value>`."""

    PAPER_OUT = "paper-out"
    JAM = "jam"
    PAUSED = "paused"
    """The queue is stopped (a technician's cupsdisable, or CUPS after a backend error)."""
    NOT_ACCEPTING = "not-accepting"
    """The queue refuses new jobs (cupsreject)."""
    GONE = "gone"
    """The printer or the print system does not answer."""
    NO_PRINTER = "no-printer"
    """The station has no printer it can find (the configured queue does not exist)."""
    TIMED_OUT = "timed-out"
    """The job never finished; it was canceled so that it cannot come out later for someone
    else (devices/cups_printer.py, job deadline)."""
    ERROR = "error"
    """Anything else: the person is told it did not print, without a cause."""


# The printer port's reasons (kiosk/core/devices.py): IPP printer-state-reasons keywords
# without their severity suffix (RFC 8011 §5.4.12, PWG 5100.9), as devices/cups_printer.py and
# devices/sim_printer.py report them, plus those drivers' own reasons. The core cannot import
# the drivers, so the keywords are written out here.
REASON_FAILURES: dict[str, PrintFailure] = {
    "media-empty": PrintFailure.PAPER_OUT,
    "media-needed": PrintFailure.PAPER_OUT,
    "media-jam": PrintFailure.JAM,
    "paused": PrintFailure.PAUSED,
    "not-accepting-jobs": PrintFailure.NOT_ACCEPTING,
    "offline": PrintFailure.GONE,
    "shutdown": PrintFailure.GONE,
    "scheduler-not-running": PrintFailure.GONE,
    "sim-state-unreadable": PrintFailure.GONE,
    "driver-error": PrintFailure.GONE,  # kiosk/shell/device_monitor.py: a driver that raised
    "queue-missing": PrintFailure.NO_PRINTER,
    "not-printed-in-time": PrintFailure.TIMED_OUT,
}

TIMED_OUT_REASON = "not-printed-in-time"
"""The reason the shell reports when it stopped following a job that never finished."""


JOB_FAILURES = frozenset({PrintFailure.TIMED_OUT, PrintFailure.ERROR})
"""Failures of a job rather than conditions of the printer: still true once it is usable."""


def failure_for(reason: str) -> PrintFailure:
    """What to tell a person for a printer port reason."""
    return REASON_FAILURES.get(reason, PrintFailure.ERROR)


def failure_message(failure: PrintFailure) -> str:
    """The message key of a failure."""
    return f"print.failure.{failure.value}"


# -- the printer, as the receipt panel sees it -------------------------------------------------


@dataclass(frozen=True)
class PrinterView:
    """Whether a receipt can be printed now, derived from the printer's last DeviceHealth
    (AppState.printer). Before the first reading the printer counts as usable, like every
    device (devices.UNKNOWN_HEALTH): a print that then fails says so."""

    usable: bool
    reason: str = "ok"
    """The port's reason when not usable ("media-empty", "paused", "offline", ...)."""

    @property
    def problem(self) -> PrintFailure | None:
        """What is wrong with the printer, in the words a person gets told."""
        return None if self.usable else failure_for(self.reason)


def printer_view(health: DeviceHealth) -> PrinterView:
    """The printer's usability from its health."""
    return PrinterView(usable=health.ready, reason="ok" if health.ready else health.reason)


@dataclass(frozen=True)
class PrintView:
    """The printing of the session's receipt (AppState.printing): nothing personal."""

    status: PrintStatus = PrintStatus.IDLE
    failure: PrintFailure | None = None
    #: the PrintReceipt effect this status is about; an outcome for another one is stale
    effect_id: int | None = None
    #: receipts that came out in this session, so a test or a log can tell two prints apart
    printed: int = 0


# -- what the core asks of the shell, and the answer -------------------------------------------


@dataclass(frozen=True)
class PrintReceipt(Effect):
    """Render `receipt` for the station's paper, print it, follow the job to its end."""

    receipt: Receipt | None = None


@dataclass(frozen=True)
class PrintResult:
    """How a print ended, as the printer port said: completed, or failed with its reason."""

    printed: bool
    reason: str = ""
    """The port's reason when not printed (an IPP keyword or a driver's own, never text)."""
    health: DeviceHealth | None = None
    """The printer's health read as the job ended: the screen then shows the failure and the
    printer's condition together, never "Try again" for a printer that just ran out of paper
    and has not been polled since."""


# -- what a person asks --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintAgain:
    """Print the session's receipt again: "Try again" after a failure, "Print again" after a
    success (a second copy). Ignored while a print is under way or with no usable printer."""


# -- what the receipt panel shows ---------------------------------------------------------------


class PanelMode(StrEnum):
    """The receipt panel's states."""

    HIDDEN = "hidden"
    """No receipt in this session."""
    PRINTING = "printing"
    PRINTED = "printed"
    NOT_PRINTED = "not-printed"
    """Failed, or not tried: the number and the QR code are on screen instead."""


class PanelAction(StrEnum):
    """The panel's one button; its label is `print.action.<value>`."""

    PRINT = "print"
    TRY_AGAIN = "try-again"
    PRINT_AGAIN = "print-again"


@dataclass(frozen=True)
class PanelView:
    """What the receipt panel shows for a state: pure, so that it is tested without a window."""

    mode: PanelMode
    message: str = ""
    """Key of the status line ("print.printing", "print.printed", "print.not_printed")."""
    problem: str = ""
    """Key of what is wrong with the printer or the job, if anything."""
    show_code: bool = False
    """The number and the QR code on screen, with "You can photograph this"."""
    action: PanelAction | None = None
    """The button offered; none while printing, none without a usable printer (docs/architecture.md:
    print buttons are hidden when there is no usable printer)."""


def panel_view(printing: PrintView, printer: PrinterView, has_receipt: bool) -> PanelView:
    """The receipt panel for the session's print status and the printer's usability.

    While a job is under way and the printer turns unusable (it died, ran out of paper), the
    number and the QR code come on screen at once: the person does not wait for the job's
    deadline to leave with their number.
    """
    if not has_receipt:
        return PanelView(PanelMode.HIDDEN)
    usable = printer.usable
    now_wrong = failure_message(printer.problem) if printer.problem is not None else ""
    match printing.status:
        case PrintStatus.PRINTING:
            return PanelView(PanelMode.PRINTING, "print.printing", now_wrong,
                             show_code=not usable)
        case PrintStatus.PRINTED:
            return PanelView(PanelMode.PRINTED, "print.printed",
                             action=PanelAction.PRINT_AGAIN if usable else None)
        case PrintStatus.FAILED:
            failure = printing.failure or PrintFailure.ERROR
            # The printer as it is now says why; once it is usable again, a past condition
            # (paper out, since refilled) is no longer true and is not shown.
            problem = now_wrong or (failure_message(failure) if failure in JOB_FAILURES
                                    else "")
            return PanelView(PanelMode.NOT_PRINTED, "print.not_printed", problem,
                             show_code=True,
                             action=PanelAction.TRY_AGAIN if usable else None)
    return PanelView(PanelMode.NOT_PRINTED, "", now_wrong, show_code=True,
                     action=PanelAction.PRINT if usable else None)


# -- what every receipt of the station carries --------------------------------------------------


@dataclass(frozen=True)
class ReceiptDetails:
    """What a receipt prints besides what was done: the station's city and place, the city's
    tracking URL template and logo (settings.site, settings.receipts)."""

    city: str
    place: str
    tracking_url: str | None = None
    logo: Path | None = None


def same_receipt(a: Receipt | None, b: Receipt | None) -> bool:
    """Whether two receipts are for the same thing (same number): a receipt built again (in
    another language, a second later) is not a new receipt, and is never printed again on
    its own."""
    return (a is not None and b is not None and a.number == b.number
            and a.number_kind is b.number_kind)


# -- when to print, and what the person is told (the controller calls these) ----------------------


def keep_receipt(state: AppState, receipt: Receipt | None) -> tuple[AppState, Effects]:
    """A flow step left a receipt the session had not kept yet: keep it (for "Print again")
    and print it at once; with no usable printer, the screen shows the number and the QR
    code instead."""
    session = state.session
    if session is None or receipt is None or same_receipt(receipt, session.receipt):
        return state, ()
    return start_print(replace(state, session=replace(session, receipt=receipt)), receipt)


def relocalise_receipt(state: AppState, again: Receipt | None) -> AppState:
    """After a language change the kept receipt is built again in the new language (same
    number, same time), so that "Print again" prints it so; nothing is printed now."""
    session = state.session
    if session is None or session.receipt is None or not same_receipt(again, session.receipt):
        return state
    return replace(state, session=replace(session, receipt=again))


def print_again(state: AppState) -> tuple[AppState, Effects]:
    """"Try again" or "Print again": ignored while a print is under way, and with no usable
    printer (the button is hidden then; a late tap does nothing)."""
    receipt = state.session.receipt if state.session else None
    if receipt is None or state.printing.status is PrintStatus.PRINTING:
        return state, ()
    if not state.printer.usable:
        return state, ()
    return start_print(state, receipt)


def start_print(state: AppState, receipt: Receipt) -> tuple[AppState, Effects]:
    """Ask the printer port for the receipt, or say at once that it cannot print."""
    session = state.session
    if session is None:
        return state, ()
    printer = state.printer
    if not printer.usable:
        failure = printer.problem or PrintFailure.ERROR
        record(EventType.PRINT_FAILED, logging.WARNING, session=session.id, sent=False,
               failure=failure, reason=Ident(printer.reason))
        return replace(state, printing=replace(
            state.printing, status=PrintStatus.FAILED, failure=failure, effect_id=None)), ()
    effect = PrintReceipt(session_id=session.id, receipt=receipt)
    record(EventType.PRINT_REQUESTED, session=session.id, effect_id=effect.effect_id)
    return replace(state, printing=replace(
        state.printing, status=PrintStatus.PRINTING, failure=None,
        effect_id=effect.effect_id)), (effect,)


def job_health(outcome: EffectDone | EffectFailed) -> DeviceHealth | None:
    """The printer's health as the job ended, when the port read it."""
    result = outcome.value if isinstance(outcome, EffectDone) else None
    return result.health if isinstance(result, PrintResult) else None


def job_ended(state: AppState, outcome: EffectDone | EffectFailed) -> AppState:
    """PRINTED only when the printer port said the job completed; FAILED otherwise. The
    outcome of a print of an ended session, or of one started again over, is dropped."""
    effect = outcome.effect
    if (state.session is None or effect.session_id != state.session.id
            or effect.effect_id != state.printing.effect_id):
        record(EventType.EFFECT_DROPPED, effect=Ident(effect.name), effect_id=effect.effect_id)
        return state
    result = outcome.value if isinstance(outcome, EffectDone) else None
    if not isinstance(result, PrintResult):  # the handler failed: not printed
        result = PrintResult(printed=False)
    if result.printed:
        record(EventType.PRINT_COMPLETED, session=state.session.id, effect_id=effect.effect_id)
        printing = replace(state.printing, status=PrintStatus.PRINTED, failure=None,
                           printed=state.printing.printed + 1)
    else:
        failure = failure_for(result.reason)
        record(EventType.PRINT_FAILED, logging.WARNING, session=state.session.id, sent=True,
               effect_id=effect.effect_id, failure=failure,
               reason=Ident(result.reason or "none"))
        printing = replace(state.printing, status=PrintStatus.FAILED, failure=failure)
    return replace(state, printing=printing)
