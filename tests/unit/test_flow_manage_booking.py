"""The manage-booking flow as a state machine in the core: a booking found by its typed or
scanned reference, shown, then cancelled (after a confirmation) or moved (the new slot booked
first, the old booking cancelled only then; if the new booking fails the old one stays)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core import intents as i
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    CentralFailure,
    Holder,
    Schedule,
    Slot,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.base import CodeScanned
from kiosk.core.flows.booking import (
    BookSlot,
    CancelBooking,
    LoadSlots,
    reference_from_code,
)
from kiosk.core.flows.manage_booking import (
    AskCancel,
    AskMove,
    ChooseDay,
    ChooseSlot,
    ConfirmCancel,
    ConfirmHolder,
    ConfirmMove,
    FindBooking,
    FoundBooking,
    ManageOutcome,
    Retry,
    SubmitReference,
)
from kiosk.core.name_match import names_match
from kiosk.core.printing import PrintReceipt
from kiosk.core.receipt import NumberKind
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.core.submission import Submitted
from kiosk.settings.loader import ConfigSources, load_settings

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
PASSPORT = Schedule("chrono:passeport-cni/depot-demande", "Passeport et carte d'identité",
                    place="Mairie, service État civil", duration_min=20, needs_ants_number=True)
OLD_START = datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)
HOLDER = Holder(name="Jeanne Martin", phone="0612345678", ants_number="AB12CD34EF",
                documents=2)
OLD = Appointment("41", PASSPORT.id, OLD_START, OLD_START + timedelta(minutes=20),
                  AppointmentStatus.BOOKED, {"cancel_url": "x"}, holder=HOLDER)
NEW = Slot("depot-demande:2026-11-25-1000", PASSPORT.id,
           datetime(2026, 11, 25, 10, tzinfo=PARIS), datetime(2026, 11, 25, 10, 20, tzinfo=PARIS))
SAME_TIME = Slot("same", PASSPORT.id, OLD_START, OLD.end)


@pytest.fixture
def core():
    settings = load_settings(ConfigSources(), environ={})
    core = KioskCore(settings, ManualClock(100.0), wall_clock=lambda: NOW)
    core.effects = []
    core.on_effect(core.effects.append)
    core.dispatch(i.StartSession())
    return core


def flow(core):
    return core.state.session.flow


def screen(core):
    return select_screen(core.state).screen


def answer_last(core, value):
    core.dispatch(EffectDone(core.effects[-1], value))


def fail_last(core, failure):
    core.dispatch(EffectFailed(core.effects[-1], failure))


def found(core, appointment=OLD):
    core.dispatch(i.StartFlow("manage_booking"))
    core.dispatch(SubmitReference(" 41 "))
    answer_last(core, FoundBooking(appointment, PASSPORT))


def ask(core, intent, name: str = "martin") -> None:
    """Ask to cancel or move, and give the name the booking is under when asked."""
    core.dispatch(intent)
    if screen(core) == "booking_verify":
        core.dispatch(ConfirmHolder(name))


def to_move_confirm(core):
    found(core)
    ask(core, AskMove())
    answer_last(core, [SAME_TIME, NEW])
    core.dispatch(ChooseDay(NEW.start.date()))
    core.dispatch(ChooseSlot(NEW.id))


def test_a_typed_reference_is_looked_up_and_shown(core):
    core.dispatch(i.StartFlow("manage_booking"))
    assert screen(core) == "booking_find"
    core.dispatch(SubmitReference("4 1"))
    effect = core.effects[-1]
    assert isinstance(effect, FindBooking) and effect.reference == "41"
    assert core.state.flow.busy
    answer_last(core, FoundBooking(OLD, PASSPORT))
    assert screen(core) == "booking_detail"
    assert flow(core).schedule == PASSPORT and flow(core).can_change
    assert (core.state.flow.step, core.state.flow.steps) == (2, 5)


def test_a_scanned_receipt_starts_and_looks_up(core):
    core.dispatch(i.StartFlow("manage_booking", "41"))
    assert isinstance(core.effects[-1], FindBooking)
    core.dispatch(CodeScanned("https://rdv.example.fr/annuler?booking=41"))
    assert core.effects[-1].reference == "41"
    assert reference_from_code("https://rdv.example.fr/rdv/57") == "57"


def test_an_unreadable_answer_says_ask_at_the_front_desk(core):
    core.dispatch(i.StartFlow("manage_booking"))
    core.dispatch(SubmitReference("996"))
    fail_last(core, CentralFailure.MALFORMED)  # it answered, unreadably
    assert core.state.flow.problem == "central.unusable"


def test_unknown_cancelled_or_malformed_references_say_what_to_do(core):
    core.dispatch(i.StartFlow("manage_booking"))
    core.dispatch(SubmitReference("12/34"))
    assert core.state.flow.problem == "booking.problem.bad_reference"
    assert flow(core).text == "12/34"
    core.dispatch(SubmitReference("999"))
    answer_last(core, None)
    assert core.state.flow.problem == "booking.problem.unknown"
    assert flow(core).text == "999" and screen(core) == "booking_find"
    core.dispatch(SubmitReference("998"))
    fail_last(core, CentralFailure.CONFLICT)
    assert core.state.flow.problem == "booking.problem.cancelled"
    core.dispatch(SubmitReference("997"))
    fail_last(core, CentralFailure.UNREACHABLE)
    assert core.state.flow.problem == "booking.problem.unavailable"
    core.dispatch(Retry())
    assert core.effects[-1].reference == "997"


def test_a_past_booking_is_shown_but_cannot_be_changed(core):
    past = Appointment("40", PASSPORT.id, NOW - timedelta(days=1), NOW - timedelta(hours=23),
                       AppointmentStatus.BOOKED)
    found(core, past)
    assert core.state.flow.problem == "booking.problem.past"
    core.dispatch(AskCancel())
    core.dispatch(AskMove())
    assert screen(core) == "booking_detail"


def test_cancel_after_confirmation(core):
    found(core)
    ask(core, AskCancel())
    assert screen(core) == "booking_cancel"
    core.dispatch(i.Back())
    assert screen(core) == "booking_detail"
    ask(core, AskCancel())
    core.dispatch(ConfirmCancel())
    effect = core.effects[-1]
    assert isinstance(effect, CancelBooking) and effect.submission == OLD
    core.dispatch(i.Back())
    assert screen(core) == "booking_cancel", "nothing moves while it cancels"
    answer_last(core, Submitted("", delivered=True))
    assert screen(core) == "booking_done"
    assert flow(core).outcome is ManageOutcome.CANCELLED
    assert (core.state.flow.step, core.state.flow.steps) == (5, 5)


def test_a_cancellation_left_in_the_outbox_says_it_will_be_sent(core):
    found(core)
    ask(core, AskCancel())
    core.dispatch(ConfirmCancel())
    answer_last(core, Submitted("", delivered=False))
    assert flow(core).outcome is ManageOutcome.CANCEL_QUEUED


def test_a_refused_cancellation_keeps_the_person_on_the_question(core):
    found(core)
    ask(core, AskCancel())
    core.dispatch(ConfirmCancel())
    fail_last(core, CentralFailure.REJECTED)
    assert screen(core) == "booking_cancel"
    assert core.state.flow.problem == "booking.problem.not_cancelled"


def test_move_books_the_new_slot_then_cancels_the_old(core):
    to_move_confirm(core)
    assert screen(core) == "booking_move"
    assert flow(core).slot_choice().days == (NEW.start.date(),), "the old time is not offered"
    assert (core.state.flow.step, core.state.flow.steps) == (6, 7)
    core.dispatch(ConfirmMove())
    effect = core.effects[-1]
    assert isinstance(effect, BookSlot)
    request = effect.submission
    assert request.slot == NEW
    assert (request.name, request.phone, request.ants_number, request.documents) == (
        "Jeanne Martin", "0612345678", "AB12CD34EF", 2), "booked under the same name"
    new = Appointment("42", PASSPORT.id, NEW.start, NEW.end, AppointmentStatus.BOOKED)
    answer_last(core, Submitted("ref", True, new))
    cancel = core.effects[-1]
    assert isinstance(cancel, CancelBooking) and cancel.submission.id == "41"
    assert screen(core) == "booking_move" and core.state.flow.busy
    answer_last(core, Submitted("", delivered=True))
    assert screen(core) == "booking_done"
    assert flow(core).outcome is ManageOutcome.MOVED and flow(core).moved_to.id == "42"
    assert (core.state.flow.step, core.state.flow.steps) == (7, 7)


def test_if_the_new_booking_fails_the_old_one_stays(core):
    to_move_confirm(core)
    core.dispatch(ConfirmMove())
    effects = len(core.effects)
    fail_last(core, CentralFailure.TIMEOUT)
    assert len(core.effects) == effects, "no cancellation of the old booking"
    assert screen(core) == "booking_move"
    assert core.state.flow.problem == "booking.problem.not_moved"


def test_a_new_slot_taken_meanwhile_offers_fresh_days(core):
    to_move_confirm(core)
    core.dispatch(ConfirmMove())
    fail_last(core, CentralFailure.CONFLICT)
    assert screen(core) == "appointment_day"
    assert isinstance(core.effects[-1], LoadSlots)
    assert core.state.flow.problem == "appointment.problem.slot_taken"


@pytest.mark.parametrize(("failure", "outcome"), [
    (CentralFailure.REJECTED, ManageOutcome.MOVED_CANCEL_FAILED),
    (CentralFailure.NOT_FOUND, ManageOutcome.MOVED)])
def test_the_old_booking_that_cannot_be_cancelled_is_said(core, failure, outcome):
    to_move_confirm(core)
    core.dispatch(ConfirmMove())
    answer_last(core, Submitted("ref", True, Appointment("42", PASSPORT.id, NEW.start, NEW.end,
                                  AppointmentStatus.BOOKED)))
    fail_last(core, failure)
    assert flow(core).outcome is outcome


def test_queued_cancellation_of_the_old_booking(core):
    to_move_confirm(core)
    core.dispatch(ConfirmMove())
    answer_last(core, Submitted("ref", True, Appointment("42", PASSPORT.id, NEW.start, NEW.end,
                                  AppointmentStatus.BOOKED)))
    answer_last(core, Submitted("", delivered=False))
    assert flow(core).outcome is ManageOutcome.MOVED_CANCEL_QUEUED


def test_back_walks_the_move_steps(core):
    to_move_confirm(core)
    for expected in ("appointment_slot", "appointment_day",
                     "booking_detail", "booking_find", Screens.HOME):
        core.dispatch(i.Back())
        assert screen(core) is expected


def test_choosing_a_day_without_slots_is_refused(core):
    found(core)
    ask(core, AskMove())
    answer_last(core, [])
    assert core.state.flow.problem == "appointment.problem.no_slots"
    core.dispatch(ChooseDay(date(2026, 11, 30)))
    assert core.state.flow.problem == "appointment.problem.day_gone"


def receipts(core) -> list:
    return [e.receipt for e in core.effects if isinstance(e, PrintReceipt)]


def test_a_move_prints_the_new_time_and_reference(core):
    to_move_confirm(core)
    core.dispatch(ConfirmMove())
    answer_last(core, Submitted("ref", True, Appointment("42", PASSPORT.id, NEW.start, NEW.end,
                                  AppointmentStatus.BOOKED)))
    assert receipts(core) == [], "nothing printed before the old booking is dealt with"
    answer_last(core, Submitted("", delivered=True))
    [receipt] = receipts(core)
    assert (receipt.number, receipt.number_kind, receipt.when) == ("42", NumberKind.BOOKING,
                                                                   NEW.start)
    assert receipt.title == f"Rendez-vous déplacé : {PASSPORT.name}"
    assert core.state.session.receipt is receipt, "kept for Print again"


def test_a_cancellation_prints_nothing(core):
    found(core)
    ask(core, AskCancel())
    core.dispatch(ConfirmCancel())
    answer_last(core, Submitted("", delivered=True))
    assert screen(core) == "booking_done"
    assert receipts(core) == [] and core.state.session.receipt is None


# -- the name the booking is under ----------------------------------------------------------------


def test_nothing_changes_until_the_name_the_booking_is_under_is_typed(core):
    found(core)
    core.dispatch(AskCancel())
    assert screen(core) == "booking_verify"
    assert (core.state.flow.step, core.state.flow.steps) == (3, 5)
    core.dispatch(ConfirmCancel())
    assert not any(isinstance(e, CancelBooking) for e in core.effects)
    core.dispatch(ConfirmHolder("Jeanne Dupont"))
    assert screen(core) == "booking_verify"
    assert core.state.flow.problem == "booking.problem.name_mismatch"
    assert flow(core).name_text == "Jeanne Dupont", "kept for the person to correct"
    core.dispatch(ConfirmHolder("  MARTIN  jeanne "))
    assert screen(core) == "booking_cancel" and flow(core).name_text == ""
    core.dispatch(i.Back())
    core.dispatch(AskMove())
    assert screen(core) == "appointment_day", "asked once per booking"


def test_three_wrong_names_let_the_booking_go(core):
    found(core)
    core.dispatch(AskMove())
    for _ in range(3):
        core.dispatch(ConfirmHolder("Durand"))
    assert screen(core) == "booking_find"
    assert core.state.flow.problem == "booking.problem.name_tries"
    assert flow(core).found is None and flow(core).reference == ""


def test_a_new_look_up_asks_the_name_again_without_more_tries(core):
    found(core)
    ask(core, AskCancel())
    core.dispatch(i.Back())
    core.dispatch(i.Back())
    core.dispatch(SubmitReference("41"))
    answer_last(core, FoundBooking(OLD, PASSPORT))
    core.dispatch(AskCancel())
    assert screen(core) == "booking_verify"
    core.dispatch(ConfirmHolder("Durand"))
    core.dispatch(ConfirmHolder("Durand"))
    core.dispatch(i.Back())
    core.dispatch(SubmitReference("41"))
    answer_last(core, FoundBooking(OLD, PASSPORT))
    core.dispatch(AskCancel())
    core.dispatch(ConfirmHolder("Durand"))
    assert core.state.flow.problem == "booking.problem.name_tries", "three in all"


def test_a_booking_with_no_name_on_record_is_changed_at_the_desk(core):
    nameless = Appointment("43", PASSPORT.id, OLD_START, OLD.end, AppointmentStatus.BOOKED)
    found(core, nameless)
    core.dispatch(AskCancel())
    assert screen(core) == "booking_detail"
    assert core.state.flow.problem == "booking.problem.desk_only"


@pytest.mark.parametrize(("typed", "holder", "matches"), [
    ("dupont", "Jean Dupont", True),
    ("DUPONT Jean", "Jean Dupont", True),
    ("Hélène", "helene LEFÈVRE-Durand", True),
    ("lefevre durand", "Hélène Lefèvre-Durand", True),
    ("Dupond", "Jean Dupont", False),
    ("Jean Dupont Martin", "Jean Dupont", False),
    ("", "Jean Dupont", False),
    ("J", "J Dupont", False),
    ("dupont", "", False),
])
def test_names_match_as_words_whatever_case_accents_and_order(typed, holder, matches):
    assert names_match(typed, holder) is matches
