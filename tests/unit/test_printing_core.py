"""Printing in the core, without a window or a printer: a submitted request's receipt prints by
itself when a usable printer exists; the status says PRINTING until the printer port says the
job completed, PRINTED only then, FAILED with a reason otherwise; the receipt stays in the
session for "Print again" and goes with it; the screen's panel is a pure function of the state;
log lines never carry the number."""

from __future__ import annotations

import logging
import weakref
from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.core import intents as i
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    Schedule,
    Service,
    ServiceKind,
    SubmissionOutcome,
    SubmissionResult,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.events import LOGGER, EventType
from kiosk.core.flows.appointment import AppointmentFlow, AppointmentStep, appointment_receipt
from kiosk.core.flows.base import FlowContext
from kiosk.core.flows.request import (
    ChoosePlace,
    ChooseService,
    Confirm,
    EnterContact,
    SubmitRequest,
)
from kiosk.core.i18n import translate
from kiosk.core.printing import (
    REASON_FAILURES,
    PanelAction,
    PanelMode,
    PanelView,
    PrintAgain,
    PrinterView,
    PrintFailure,
    PrintReceipt,
    PrintResult,
    PrintStatus,
    PrintView,
    ReceiptDetails,
    failure_for,
    failure_message,
    panel_view,
    printer_view,
)
from kiosk.core.receipt import NumberKind
from kiosk.core.session import EndReason
from kiosk.core.submission import Submitted
from kiosk.locales import shipped_languages
from kiosk.settings.loader import ConfigSources, load_settings

SIGN = Service("open311:SIG-001", "Panneau abîmé", ServiceKind.REQUEST)  # no form
NUMBER = "104217"
STATION_REF = "demo-0001-20261124-0007"
WHEN = datetime(2026, 11, 24, 9, 30)
READY = DeviceHealth(ready=True)
PAPER_OUT = DeviceHealth(ready=False, reason="media-empty")


@pytest.fixture
def clock():
    return ManualClock(100.0)


@pytest.fixture
def core(clock):
    settings = load_settings(ConfigSources(), environ={
        "KIOSK__RECEIPTS__TRACKING_URL": '"https://ville.example/suivi/{number}"'})
    core = KioskCore(settings, clock, wall_clock=lambda: WHEN)
    core.effects = []
    core.on_effect(core.effects.append)
    core.dispatch(i.StartSession())
    return core


NUMBERED = SubmissionResult(SubmissionOutcome.NUMBERED, NUMBER)


def submit(core, result: SubmissionResult | None = NUMBERED) -> None:
    """A request to its last step, the central's answer being `result`."""
    core.dispatch(i.StartFlow("request"))
    core.dispatch(EffectDone(core.effects[-1], [SIGN]))
    core.dispatch(ChooseService(SIGN.id))
    core.dispatch(ChoosePlace())
    core.dispatch(EnterContact())
    core.dispatch(Confirm())
    assert isinstance(core.effects[-1], SubmitRequest)
    core.dispatch(EffectDone(core.effects[-1], Submitted(STATION_REF, result is not None,
                                                         result)))


def prints(core) -> list[PrintReceipt]:
    return [e for e in core.effects if isinstance(e, PrintReceipt)]


def finish(core, printed: bool, reason: str = "", health: DeviceHealth | None = None) -> None:
    core.dispatch(EffectDone(prints(core)[-1], PrintResult(printed, reason, health)))


# -- the receipt of a request ----------------------------------------------------------------------


def test_a_submitted_request_prints_its_receipt_by_itself(core):
    submit(core)
    [effect] = prints(core)
    receipt = effect.receipt
    assert receipt is core.state.session.receipt
    assert (receipt.number, receipt.number_kind) == (NUMBER, NumberKind.TRACKING)
    assert receipt.title == "Demande envoyée : Panneau abîmé"
    assert receipt.city == "Villeneuve-sur-Loire" and receipt.when == WHEN
    assert receipt.place.startswith("Hôtel de Ville, ")
    assert receipt.qr_content == "https://ville.example/suivi/104217"
    assert effect.session_id == core.state.session.id
    assert core.state.printing == PrintView(PrintStatus.PRINTING, effect_id=effect.effect_id)


@pytest.mark.parametrize(("result", "key"), [
    (None, "receipt.next.queued"),
    (SubmissionResult(SubmissionOutcome.PENDING, token="t-1"), "receipt.next.pending"),
    (SubmissionResult(SubmissionOutcome.UNNUMBERED), "receipt.next.unnumbered"),
])
def test_without_a_central_number_the_receipt_carries_the_station_reference(core, result, key):
    submit(core, result)
    receipt = core.state.session.receipt
    assert (receipt.number, receipt.number_kind) == (STATION_REF, NumberKind.STATION)
    assert receipt.next_steps == (translate(key, "fr"),)
    assert receipt.qr_content == STATION_REF, "no tracking page for a station reference"


def test_printed_only_when_the_port_says_completed(core):
    submit(core)
    assert core.state.printing.status is PrintStatus.PRINTING
    core.dispatch(i.Open(core.state.nav[-1]))  # anything else meanwhile changes nothing
    assert core.state.printing.status is PrintStatus.PRINTING
    finish(core, printed=True, health=READY)
    assert core.state.printing == PrintView(PrintStatus.PRINTED, effect_id=prints(core)[0]
                                            .effect_id, printed=1)


@pytest.mark.parametrize(("reason", "failure"), [
    ("media-empty", PrintFailure.PAPER_OUT), ("media-jam", PrintFailure.JAM),
    ("paused", PrintFailure.PAUSED), ("not-accepting-jobs", PrintFailure.NOT_ACCEPTING),
    ("offline", PrintFailure.GONE), ("queue-missing", PrintFailure.NO_PRINTER),
    ("not-printed-in-time", PrintFailure.TIMED_OUT), ("job-aborted", PrintFailure.ERROR),
])
def test_a_failed_job_says_why_and_never_printed(core, reason, failure):
    submit(core)
    finish(core, printed=False, reason=reason)
    assert core.state.printing.status is PrintStatus.FAILED
    assert core.state.printing.failure is failure
    assert core.state.printing.printed == 0


def test_a_handler_that_crashed_is_a_failure_not_a_success(core):
    submit(core)
    from kiosk.core.central import CentralFailure

    core.dispatch(EffectFailed(prints(core)[-1], CentralFailure.MALFORMED))
    assert core.state.printing.status is PrintStatus.FAILED
    assert core.state.printing.failure is PrintFailure.ERROR


def test_the_printer_health_read_at_the_end_of_the_job_comes_with_the_outcome(core):
    core.device_health(DeviceKind.PRINTER, READY)
    submit(core)
    finish(core, printed=False, reason="media-empty", health=PAPER_OUT)
    assert core.state.printer == PrinterView(usable=False, reason="media-empty")
    view = panel_view(core.state.printing, core.state.printer, has_receipt=True)
    assert view.action is None, "no Try again on a printer known to be out of paper"


def test_with_no_usable_printer_nothing_is_sent_and_the_screen_says_why(core):
    core.device_health(DeviceKind.PRINTER, PAPER_OUT)
    submit(core)
    assert prints(core) == []
    assert core.state.session.receipt is not None, "kept for when the printer is back"
    assert core.state.printing.status is PrintStatus.FAILED
    assert core.state.printing.failure is PrintFailure.PAPER_OUT
    core.dispatch(PrintAgain())
    assert prints(core) == [], "a late tap on a hidden button prints nothing"
    core.device_health(DeviceKind.PRINTER, READY)
    core.dispatch(PrintAgain())
    [effect] = prints(core)
    assert effect.receipt is core.state.session.receipt
    assert core.state.printing.status is PrintStatus.PRINTING


def test_try_again_and_print_again_reprint_the_kept_receipt(core):
    submit(core)
    finish(core, printed=False, reason="media-jam", health=READY)
    core.dispatch(PrintAgain())
    assert len(prints(core)) == 2
    assert prints(core)[1].receipt is prints(core)[0].receipt
    core.dispatch(PrintAgain())
    assert len(prints(core)) == 2, "nothing more while a print is under way"
    finish(core, printed=True)
    core.dispatch(PrintAgain())
    assert len(prints(core)) == 3
    finish(core, printed=True)
    assert core.state.printing.printed == 2


def test_no_inactivity_warning_while_the_receipt_prints(core, clock):
    idle_s = load_settings(ConfigSources(), environ={}).session.idle_s
    submit(core)
    clock.advance(idle_s + 5)
    core.tick()
    assert core.state.warning_remaining_s is None and core.state.session is not None
    finish(core, printed=True)
    clock.advance(idle_s - 1)
    core.tick()
    assert core.state.warning_remaining_s is None, "counted from the printer's answer"
    clock.advance(2)
    core.tick()
    assert core.state.warning_remaining_s is not None


def test_a_stale_outcome_changes_nothing(core):
    submit(core)
    first = prints(core)[0]
    finish(core, printed=False, reason="offline")
    core.dispatch(PrintAgain())
    core.dispatch(EffectDone(first, PrintResult(True)))
    assert core.state.printing.status is PrintStatus.PRINTING


def test_the_receipt_prints_once_however_often_the_flow_moves(core):
    submit(core)
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(Confirm())  # ignored at the last step, still a step
    assert len(prints(core)) == 1
    assert core.state.session.receipt.language == "en", "Print again prints in English"
    assert core.state.session.receipt.when == WHEN


def test_the_receipt_and_its_status_go_with_the_session(core):
    submit(core)
    receipt = weakref.ref(core.state.session.receipt)
    core.effects.clear()  # the effect runner lets go of an effect once it has run
    core.end_session(EndReason.FINISHED)
    assert core.state.printing == PrintView()
    assert receipt() is None, "nothing holds the receipt once the session has ended"


def test_a_print_ending_after_its_session_shows_nothing_to_the_next_person(core):
    submit(core)
    effect = prints(core)[0]
    core.end_session(EndReason.TIMEOUT)
    core.dispatch(i.StartSession())
    core.dispatch(EffectDone(effect, PrintResult(True)))
    assert core.state.printing == PrintView()
    assert core.state.session.receipt is None


def test_start_again_drops_the_receipt(core):
    submit(core)
    effect = prints(core)[0]
    core.dispatch(i.StartAgain())
    assert core.state.session.receipt is None
    assert core.state.printing == PrintView()
    core.dispatch(EffectDone(effect, PrintResult(True)))
    assert core.state.printing == PrintView()


def test_log_lines_say_what_happened_without_the_number(core, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER.name)
    core.device_health(DeviceKind.PRINTER, READY)
    submit(core)
    finish(core, printed=False, reason="media-empty", health=PAPER_OUT)
    core.device_health(DeviceKind.PRINTER, READY)
    core.dispatch(PrintAgain())
    finish(core, printed=True)
    lines = [r.getMessage() for r in caplog.records]
    text = "\n".join(lines)
    for event in (EventType.PRINT_REQUESTED, EventType.PRINT_FAILED, EventType.PRINT_COMPLETED,
                  EventType.PRINTER_STATE):
        assert any(line.startswith(event.value + " ") for line in lines), event
    assert "failure=paper-out" in text and "reason=media-empty" in text
    assert NUMBER not in text and "104 217" not in text and STATION_REF not in text


# -- the printer and the panel ------------------------------------------------------------------


def test_printer_view_from_health():
    assert printer_view(READY) == PrinterView(usable=True)
    assert printer_view(DeviceHealth(ready=True, reason="unknown")).usable
    view = printer_view(PAPER_OUT)
    assert view == PrinterView(usable=False, reason="media-empty")
    assert view.problem is PrintFailure.PAPER_OUT


def test_every_reason_the_drivers_give_has_a_failure():
    for reason in ("media-empty", "media-jam", "offline", "paused", "not-accepting-jobs",
                   "queue-missing", "scheduler-not-running", "not-printed-in-time",
                   "sim-state-unreadable"):
        assert reason in REASON_FAILURES
    assert failure_for("cover-open") is PrintFailure.ERROR
    assert failure_for("") is PrintFailure.ERROR


@pytest.mark.parametrize("language", sorted(shipped_languages()))
def test_every_failure_and_action_has_words_in_every_language(language):
    keys = [failure_message(f) for f in PrintFailure]
    keys += [f"print.action.{a.value}" for a in PanelAction]
    keys += ["print.printing", "print.printed", "print.not_printed", "print.photograph"]
    for key in keys:
        assert translate(key, language) != key, key


USABLE = PrinterView(usable=True)
JAMMED = PrinterView(usable=False, reason="media-jam")


def test_panel_hidden_without_a_receipt():
    assert panel_view(PrintView(), USABLE, has_receipt=False).mode is PanelMode.HIDDEN


def test_panel_printing_shows_no_button_and_no_success():
    view = panel_view(PrintView(PrintStatus.PRINTING), USABLE, True)
    assert (view.mode, view.message, view.action, view.show_code) == (
        PanelMode.PRINTING, "print.printing", None, False)


def test_panel_printing_on_a_printer_gone_unusable_shows_the_code_at_once():
    view = panel_view(PrintView(PrintStatus.PRINTING), PrinterView(False, "offline"), True)
    assert view.mode is PanelMode.PRINTING and view.show_code
    assert view.problem == "print.failure.gone" and view.action is None


def test_panel_printed_offers_print_again_only_with_a_usable_printer():
    printed = PrintView(PrintStatus.PRINTED, printed=1)
    assert panel_view(printed, USABLE, True) == PanelView(
        PanelMode.PRINTED, "print.printed", action=PanelAction.PRINT_AGAIN)
    assert panel_view(printed, JAMMED, True).action is None


def test_panel_failed_shows_the_code_the_reason_and_try_again_when_usable():
    failed = PrintView(PrintStatus.FAILED, PrintFailure.JAM)
    now_jammed = panel_view(failed, JAMMED, True)
    assert now_jammed.mode is PanelMode.NOT_PRINTED and now_jammed.show_code
    assert now_jammed.problem == "print.failure.jam" and now_jammed.action is None
    cleared = panel_view(failed, USABLE, True)
    assert cleared.problem == "", "a jam since cleared is not shown as a jam"
    assert cleared.action is PanelAction.TRY_AGAIN and cleared.show_code
    timed_out = panel_view(PrintView(PrintStatus.FAILED, PrintFailure.TIMED_OUT), USABLE, True)
    assert timed_out.problem == "print.failure.timed-out"


# -- the receipt of an appointment --------------------------------------------------------------


def test_a_booked_appointment_has_a_receipt_with_its_reference_day_and_place():
    schedule = Schedule("chrono:passeport-cni/depot-demande", "Passeport",
                        place="Mairie, service État civil")
    start = datetime(2026, 12, 1, 14, 30)
    booked = AppointmentFlow(
        step=AppointmentStep.DONE, schedules=(schedule,), schedule_id=schedule.id,
        appointment=Appointment("1207", schedule.id, start, start, AppointmentStatus.BOOKED))
    ctx = FlowContext(session_id="s1", station_id="demo-0001", language="fr", now=WHEN,
                      place=None)
    details = ReceiptDetails(city="Villeneuve-sur-Loire", place="Hôtel de Ville")
    receipt = appointment_receipt(booked, ctx, details, WHEN)
    assert (receipt.number, receipt.number_kind) == ("1207", NumberKind.BOOKING)
    assert receipt.title == "Rendez-vous : Passeport"
    assert receipt.when == start, "the appointment's day and time, not the booking's"
    assert receipt.place == "Mairie, service État civil"
    assert receipt.qr_content == "1207", "a booking reference, read back by a kiosk"
    assert receipt.next_steps == (translate("receipt.next.appointment", "fr"),)
    assert appointment_receipt(replace(booked, step=AppointmentStep.SUMMARY), ctx, details,
                               WHEN) is None
