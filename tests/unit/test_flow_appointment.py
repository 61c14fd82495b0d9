"""The appointment flow as a state machine in the core: procedures, the ANTS number checked
before anything is sent, documents, days then times, contact, the summary with "Change", and
the ways a booking ends (booked; slot taken meanwhile; central silent: nothing promised)."""

from __future__ import annotations

import gc
import weakref
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core import intents as i
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    CentralFailure,
    Schedule,
    Slot,
    SlotStatus,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.appointment import (
    AppointmentStep,
    BookSlot,
    ChangeItem,
    ChooseDay,
    ChooseDocuments,
    ChooseProcedure,
    ChooseSlot,
    Confirm,
    EnterAnts,
    EnterContact,
    EnterName,
    LoadSchedules,
    LoadSlots,
    Retry,
)
from kiosk.core.flows.booking import SLOT_WINDOW_DAYS, SlotChoice, normalise_reference
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.core.submission import Submitted
from kiosk.settings.loader import ConfigSources, load_settings

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # a Monday
PASSPORT = Schedule("chrono:passeport-cni/depot-demande", "Passeport et carte d'identité",
                    place="Mairie, service État civil", duration_min=20, needs_ants_number=True)
BULKY = Schedule("chrono:encombrants/collecte", "Collecte des encombrants",
                 place="À votre domicile", duration_min=240)


def slot(schedule: Schedule, day: int, hour: int, minute: int = 0) -> Slot:
    start = datetime(2026, 11, day, hour, minute, tzinfo=PARIS)
    return Slot(f"{schedule.id}@{day}-{hour}{minute:02d}", schedule.id, start,
                start + timedelta(minutes=schedule.duration_min))


PASSPORT_SLOTS = [slot(PASSPORT, 25, 9), slot(PASSPORT, 24, 14, 20), slot(PASSPORT, 24, 9),
                  Slot("busy", PASSPORT.id, datetime(2026, 11, 26, 9, tzinfo=PARIS),
                       datetime(2026, 11, 26, 9, 20, tzinfo=PARIS), SlotStatus.BUSY),
                  slot(PASSPORT, 23, 9)]  # this one is already past at NOW


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


def to_days(core, schedules=(PASSPORT, BULKY)):
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, list(schedules))
    core.dispatch(ChooseProcedure(PASSPORT.id))
    core.dispatch(EnterAnts("ab12 cd34 ef"))
    core.dispatch(ChooseDocuments(2))


def to_summary(core):
    to_days(core)
    answer_last(core, PASSPORT_SLOTS)
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[2].id))
    core.dispatch(EnterName("  Jeanne   Martin "))
    core.dispatch(EnterContact("06 12 34 56 78", ""))


def test_procedures_are_loaded_then_the_passport_asks_ants_and_documents(core):
    core.dispatch(i.StartFlow("appointment"))
    assert isinstance(core.effects[-1], LoadSchedules)
    assert core.state.flow.busy and screen(core) == "appointment_procedure"
    answer_last(core, [PASSPORT, BULKY])
    assert not core.state.flow.busy
    core.dispatch(ChooseProcedure(PASSPORT.id))
    assert screen(core) == "appointment_ants"
    assert (core.state.flow.step, core.state.flow.steps) == (2, 9)
    core.dispatch(EnterAnts("ab12cd34ef"))
    assert screen(core) == "appointment_documents"
    assert flow(core).ants_number == "AB12CD34EF"
    core.dispatch(ChooseDocuments(2))
    assert screen(core) == "appointment_day"
    effect = core.effects[-1]
    assert isinstance(effect, LoadSlots) and effect.schedule_id == PASSPORT.id
    assert (effect.start, effect.end) == (NOW.date(), NOW.date() + timedelta(SLOT_WINDOW_DAYS))


def test_other_procedures_skip_the_ants_steps(core):
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, [PASSPORT, BULKY])
    core.dispatch(ChooseProcedure(BULKY.id))
    assert screen(core) == "appointment_day"
    assert (core.state.flow.step, core.state.flow.steps) == (2, 7)


def test_a_wrong_ants_number_is_refused_before_sending_and_kept(core):
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, [PASSPORT])
    core.dispatch(ChooseProcedure(PASSPORT.id))
    effects = len(core.effects)
    for typed in ("AB12CD34E", "AB12CD34EF1", "AB12-CD34-É1", ""):
        core.dispatch(EnterAnts(typed))
        view = core.state.flow
        assert view.problem == "appointment.problem.ants"
        assert ("example", "AB12CD34EF") in view.problem_args
        assert flow(core).ants_text == typed, "what was typed stays in the field"
        assert screen(core) == "appointment_ants"
    assert len(core.effects) == effects, "nothing is sent for a malformed number"
    core.dispatch(ChooseDocuments(3))
    assert screen(core) == "appointment_ants", "documents come after the number"


def test_documents_are_one_to_five(core):
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, [PASSPORT])
    core.dispatch(ChooseProcedure(PASSPORT.id))
    core.dispatch(EnterAnts("AB12CD34EF"))
    for wrong in (0, 6, -1):
        core.dispatch(ChooseDocuments(wrong))
        assert core.state.flow.problem == "appointment.problem.documents"
    core.dispatch(ChooseDocuments(5))
    assert flow(core).documents == 5


def test_days_then_times_of_the_day_only_free_and_future(core):
    to_days(core)
    answer_last(core, PASSPORT_SLOTS)
    choice: SlotChoice = flow(core).slot_choice()
    assert choice.days == (date(2026, 11, 24), date(2026, 11, 25)), "past and busy slots left out"
    core.dispatch(ChooseDay(date(2026, 11, 26)))
    assert core.state.flow.problem == "appointment.problem.day_gone"
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    assert screen(core) == "appointment_slot"
    assert [s.start.hour for s in flow(core).slot_choice().slots_of(date(2026, 11, 24))] == [9, 14]
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[0].id))  # a slot of another day
    assert core.state.flow.problem == "appointment.problem.day_gone"
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[1].id))
    assert screen(core) == "appointment_name"
    assert flow(core).slot == PASSPORT_SLOTS[1]


def test_no_free_day_says_so(core):
    to_days(core)
    answer_last(core, [])
    assert core.state.flow.problem == "appointment.problem.no_slots"
    core.dispatch(Retry())
    assert isinstance(core.effects[-1], LoadSlots)


def test_name_required_phone_and_email_checked_and_kept(core):
    to_days(core)
    answer_last(core, PASSPORT_SLOTS)
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[2].id))
    core.dispatch(EnterName("   "))
    assert core.state.flow.problem == "appointment.problem.name"
    assert flow(core).name_text == "   "
    core.dispatch(EnterName("J" * 101))
    assert core.state.flow.problem == "appointment.problem.name_too_long"
    assert flow(core).name_text == "J" * 101
    core.dispatch(EnterName("Jeanne Martin"))
    assert screen(core) == "appointment_contact"
    core.dispatch(EnterContact("06 12", "jeanne@exemple.fr"))
    assert core.state.flow.problem == "appointment.problem.phone"
    assert ("example", "06 12 34 56 78") in core.state.flow.problem_args
    assert (flow(core).phone_text, flow(core).email_text) == ("06 12", "jeanne@exemple.fr")
    core.dispatch(EnterContact("", "jeanne@"))
    assert core.state.flow.problem == "appointment.problem.email"
    assert flow(core).email_text == "jeanne@"
    core.dispatch(EnterContact("", ""))
    assert screen(core) == "appointment_summary", "both are optional"


def test_summary_then_confirm_books_through_one_effect(core):
    to_summary(core)
    assert screen(core) == "appointment_summary"
    core.dispatch(Confirm())
    effect = core.effects[-1]
    assert isinstance(effect, BookSlot)
    request = effect.submission
    assert request.slot == PASSPORT_SLOTS[2]
    assert (request.name, request.phone, request.email) == ("Jeanne Martin", "0612345678", "")
    assert (request.ants_number, request.documents) == ("AB12CD34EF", 2)
    assert request.station_id == core._settings.station.id
    assert core.state.flow.busy
    core.dispatch(i.Back())
    core.dispatch(ChangeItem(AppointmentStep.CONTACT))
    assert screen(core) == "appointment_summary", "nothing moves while it books"
    booked = Appointment("41", PASSPORT.id, request.slot.start, request.slot.end,
                         AppointmentStatus.BOOKED)
    core.dispatch(EffectDone(effect, Submitted("ref", True, booked)))
    assert screen(core) == "appointment_done"
    assert flow(core).appointment.id == "41"
    assert (core.state.flow.step, core.state.flow.steps) == (9, 9)
    core.dispatch(i.Back())
    assert screen(core) == Screens.HOME


def test_a_bulky_waste_booking_sends_no_ants_number(core):
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, [PASSPORT, BULKY])
    core.dispatch(ChooseProcedure(PASSPORT.id))
    core.dispatch(EnterAnts("AB12CD34EF"))
    core.dispatch(i.Back())
    core.dispatch(i.Back())
    core.dispatch(ChooseProcedure(BULKY.id))
    bulky = slot(BULKY, 24, 8)
    answer_last(core, [bulky])
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(bulky.id))
    core.dispatch(EnterName("Jean Dupont"))
    core.dispatch(EnterContact())
    core.dispatch(Confirm())
    request = core.effects[-1].submission
    assert (request.ants_number, request.documents) == ("", 1)


def test_slot_taken_meanwhile_goes_back_to_fresh_days_keeping_the_rest(core):
    to_summary(core)
    core.dispatch(Confirm())
    fail_last(core, CentralFailure.CONFLICT)
    assert screen(core) == "appointment_day"
    assert core.state.flow.problem == "appointment.problem.slot_taken"
    assert isinstance(core.effects[-1], LoadSlots), "fresh slots are asked for"
    assert flow(core).slots == () and flow(core).slot is None
    fresh = [s for s in PASSPORT_SLOTS if s != PASSPORT_SLOTS[2]]
    answer_last(core, fresh)
    assert core.state.flow.problem == "appointment.problem.slot_taken", "the message stays"
    assert PASSPORT_SLOTS[2] not in flow(core).slots
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[1].id))
    assert screen(core) == "appointment_summary", "contact, ANTS kept: back to summary"
    assert (flow(core).name, flow(core).ants_number, flow(core).documents) == (
        "Jeanne Martin", "AB12CD34EF", 2)


@pytest.mark.parametrize("failure", [CentralFailure.UNREACHABLE, CentralFailure.TIMEOUT,
                                     CentralFailure.SERVER_ERROR])
def test_central_down_at_confirmation_promises_nothing_and_keeps_everything(core, failure):
    to_summary(core)
    core.dispatch(Confirm())
    fail_last(core, failure)
    assert screen(core) == "appointment_summary"
    assert core.state.flow.problem == "appointment.problem.not_booked"
    assert flow(core).appointment is None
    assert flow(core).slot == PASSPORT_SLOTS[2]
    core.dispatch(Retry())
    assert isinstance(core.effects[-1], BookSlot)


def test_a_refused_booking_says_so(core):
    to_summary(core)
    core.dispatch(Confirm())
    fail_last(core, CentralFailure.REJECTED)
    assert core.state.flow.problem == "appointment.problem.refused"


def test_an_unreadable_answer_says_ask_at_the_front_desk(core):
    to_summary(core)
    core.dispatch(Confirm())
    fail_last(core, CentralFailure.MALFORMED)
    assert core.state.flow.problem == "central.unusable"
    assert flow(core).appointment is None
    core.dispatch(i.StartFlow("appointment"))
    fail_last(core, CentralFailure.MALFORMED)
    assert core.state.flow.problem == "central.unusable"


def test_central_down_while_loading(core):
    core.dispatch(i.StartFlow("appointment"))
    fail_last(core, CentralFailure.UNREACHABLE)
    assert core.state.flow.problem == "appointment.problem.unavailable"
    core.dispatch(Retry())
    assert isinstance(core.effects[-1], LoadSchedules)
    answer_last(core, [])
    assert core.state.flow.problem == "appointment.problem.no_procedures"


def test_change_from_the_summary_comes_back_to_it(core):
    to_summary(core)
    core.dispatch(ChangeItem(AppointmentStep.CONTACT))
    assert screen(core) == "appointment_contact"
    core.dispatch(EnterContact("", "jeanne@exemple.fr"))
    assert screen(core) == "appointment_summary"
    core.dispatch(ChangeItem(AppointmentStep.NAME))
    core.dispatch(EnterName("Jeanne Martin-Durand"))
    assert screen(core) == "appointment_summary", "the contact is not asked again"
    assert (flow(core).name, flow(core).phone) == ("Jeanne Martin-Durand", "")
    core.dispatch(ChangeItem(AppointmentStep.ANTS))
    core.dispatch(EnterAnts("ZZ99ZZ99ZZ"))
    assert screen(core) == "appointment_summary"
    core.dispatch(ChangeItem(AppointmentStep.DAY))
    assert isinstance(core.effects[-1], LoadSlots)
    answer_last(core, PASSPORT_SLOTS)
    core.dispatch(ChooseDay(date(2026, 11, 25)))
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[0].id))
    assert screen(core) == "appointment_summary"
    assert flow(core).slot == PASSPORT_SLOTS[0]
    core.dispatch(ChangeItem(AppointmentStep.DOCUMENTS))
    core.dispatch(i.Back())
    assert screen(core) == "appointment_summary", "Back from a change: the summary"


def test_changing_the_procedure_asks_for_a_new_time_only(core):
    to_summary(core)
    core.dispatch(ChangeItem(AppointmentStep.PROCEDURE))
    core.dispatch(ChooseProcedure(BULKY.id))
    assert screen(core) == "appointment_day", "the old slot belongs to the passport"
    bulky = slot(BULKY, 24, 8)
    answer_last(core, [bulky])
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(bulky.id))
    assert screen(core) == "appointment_summary"
    assert flow(core).name == "Jeanne Martin"


def test_stale_answers_are_ignored_and_back_walks_the_steps(core):
    to_days(core)
    stale = core.effects[-1]
    core.dispatch(i.Back())
    assert screen(core) == "appointment_documents"
    core.dispatch(EffectDone(stale, PASSPORT_SLOTS))
    assert flow(core).slots == ()
    for expected in ("appointment_ants", "appointment_procedure",
                     Screens.HOME):
        core.dispatch(i.Back())
        assert screen(core) is expected


def test_a_preselected_procedure_is_chosen_once_loaded(core):
    core.dispatch(i.StartFlow("appointment", BULKY.id))
    answer_last(core, [PASSPORT, BULKY])
    assert screen(core) == "appointment_day"


def test_a_session_that_ends_forgets_everything(core):
    to_summary(core)
    holding = weakref.ref(core.state.session)
    core.dispatch(i.EndSession())
    assert core.state.session is None
    gc.collect()
    assert holding() is None, "nothing keeps the session that held the booking"


def test_references_as_people_type_them():
    assert normalise_reference(" 104 217 ") == "104217"
    assert normalise_reference("7") == "7"
    assert normalise_reference("ab-12") == "AB-12"
    assert normalise_reference("") is None
    assert normalise_reference("12/34") is None
