"""The assisted desk and staff badges in the core (kiosk/core/assist*.py, docs/assisted-mode.md):
a badge's verdict opens the PIN screen, the assisted session or maintenance; taking it off, or
the holder's inactivity, returns the desk to self-service with the visitor's session intact;
the console's messages do only what a facilitator may (nothing before a sign-in, no consent on
the visitor's behalf, no typing without it); the note never reaches the visitor's view or a
log line; an outcome feeds the statistics. On the real core, with a manual clock."""

from __future__ import annotations

import logging

import pytest

from kiosk.core import intents as i
from kiosk.core.assist import (
    AssistEnd,
    Check,
    CheckResult,
    CheckStatus,
    Consent,
    FacilitationStats,
    Outcome,
    PrintTest,
    ReadStationFacts,
    RecentEvent,
    RestartStation,
    Result,
    StaffBadge,
    StaffPhase,
    StationFacts,
    staff_of,
)
from kiosk.core.assist_console import console_view_of
from kiosk.core.assist_intents import (
    AnswerConsent,
    ConsentAnswer,
    EndStaffTurn,
    PinKey,
    ReadEvents,
    Restart,
    RunCheck,
)
from kiosk.core.assist_messages import (
    AgentAct,
    AgentActive,
    AskToType,
    CloseAssisted,
    SignOutAgent,
    StopTyping,
    WriteNote,
)
from kiosk.core.badge_auth import (
    BadgeAuth,
    BadgePolicy,
    CardPresented,
    ChallengeAnswered,
    EndReason,
    PinDigit,
    PinErase,
    PinSubmit,
    SignOut,
    step,
)
from kiosk.core.badges import EnrolledBadge, PinHash, Role, badge_proof
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import ChallengeAnswer, ChallengeStatus, DeviceHealth, DeviceKind
from kiosk.core.effects import EffectDone
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.screen_selection import select_console, select_screen
from kiosk.core.state import Screens
from kiosk.core.values import dumps, loads
from kiosk.core.view import view_of
from kiosk.settings.loader import ConfigSources, load_settings

NOTE = "Mme Durand, dossier CAF en attente"
FACILITATOR = StaffBadge(StaffPhase.SIGNED_IN, "F-0012", Role.FACILITATOR)
TECHNICIAN = StaffBadge(StaffPhase.SIGNED_IN, "T-0003", Role.TECHNICIAN)
IDLE_S = 600


def make_core(profile: str = "desk-assisted", **env: str) -> KioskCore:
    settings = load_settings(ConfigSources(profile=profile),
                             environ={"KIOSK__BADGES__IDLE_S": str(IDLE_S), **env})
    core = KioskCore(settings, ManualClock(1000.0))
    core.effects = []
    core.badge_commands = []
    core.on_effect(core.effects.append)
    core.on_badge(core.badge_commands.append)
    return core


@pytest.fixture
def core() -> KioskCore:
    return make_core()


def clock(core: KioskCore) -> ManualClock:
    return core._clock  # the manual clock the core was made with


def signed_in(core: KioskCore, staff: StaffBadge = FACILITATOR) -> KioskCore:
    core.staff_changed(StaffBadge(StaffPhase.PIN, staff.badge_id, staff.role))
    core.staff_changed(staff)
    return core


def visitor_touches(core: KioskCore, seconds: int) -> None:
    """`seconds` pass while the visitor, not the facilitator, touches the screen."""
    while seconds > 0:
        step_s = min(seconds, 100)
        clock(core).advance(step_s)
        core.activity()
        core.tick()
        seconds -= step_s


def in_tracking(core: KioskCore) -> str:
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104 217"))
    return core.state.session.id


# -- the badge's verdict ----------------------------------------------------------------------


def test_a_badge_waiting_for_its_pin_shows_the_pin_screen_over_the_visitors_session(core):
    session = in_tracking(core)
    core.staff_changed(StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR, typed=3))
    assert select_screen(core.state).screen == Screens.STAFF_PIN
    assert view_of(core.state).staff.typed == 3
    core.staff_changed(StaffBadge())  # taken off during the PIN
    assert select_screen(core.state).screen == "tracking_entry"
    assert core.state.session.id == session and core.state.assist.assisted is None


def test_the_pin_screen_and_maintenance_come_before_the_out_of_order_screen():
    core = make_core(KIOSK__DEVICES__PRINTER__REQUIRED="true")
    core.device_health(DeviceKind.PRINTER, DeviceHealth(ready=False, reason="paper-out"))
    assert select_screen(core.state).screen == Screens.OUT_OF_ORDER
    core.staff_changed(StaffBadge(StaffPhase.PIN, "T-0003", Role.TECHNICIAN))
    assert select_screen(core.state).screen == Screens.STAFF_PIN
    core.staff_changed(TECHNICIAN)
    assert select_screen(core.state).screen == Screens.MAINTENANCE
    core.staff_changed(StaffBadge())
    assert select_screen(core.state).screen == Screens.OUT_OF_ORDER


def test_pin_keys_go_to_the_badge_terminal_and_nowhere_else(core, caplog):
    caplog.set_level(logging.DEBUG)
    core.dispatch(PinKey("7"))  # no badge: nothing to type for
    assert core.badge_commands == []
    core.staff_changed(StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR))
    before = core.state
    for key in ("4", "8", "erase", "2", "enter"):
        core.dispatch(PinKey(key))
    assert core.badge_commands == [PinDigit("4"), PinDigit("8"), PinErase(), PinDigit("2"),
                                   PinSubmit()]
    assert core.state == before, "the state holds no digit: the terminal's count comes back"
    assert "4" not in repr(core.badge_commands) and "4" not in repr(PinKey("4"))
    assert not [r for r in caplog.records if r.name == "kiosk.events"]
    core.dispatch(EndStaffTurn())
    assert core.badge_commands[-1] == SignOut(EndReason.ASKED)
    assert core.state.assist.staff == StaffBadge()


def test_keys_of_the_visitors_session_wait_while_a_staff_screen_is_up(core):
    in_tracking(core)
    core.staff_changed(StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR))
    nav = core.state.nav
    core.dispatch(i.Back())  # Escape on the PIN screen
    assert core.state.nav == nav and core.state.session.flow is not None


def test_a_facilitators_badge_opens_nothing_without_a_second_screen():
    core = make_core("desk")
    core.staff_changed(StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR))
    assert select_screen(core.state).screen == Screens.ATTRACT
    assert core.badge_commands == [SignOut(EndReason.ASKED)]
    core.staff_changed(TECHNICIAN)  # a technician's opens maintenance on any station
    assert core.state.assist.maintenance is not None


def test_the_projection_of_badge_authentication_keeps_no_digit():
    badge = EnrolledBadge("F-0012", "04A1B2C3D4E5F6", Role.FACILITATOR, bytes(32),
                          PinHash.of("4826", n=2))
    nonce = bytes(range(16))
    auth, _ = step(BadgeAuth(BadgePolicy.of([badge], 300)),
                   CardPresented(badge.uid, nonce), 1000.0)
    auth, _ = step(auth, ChallengeAnswered(nonce, ChallengeAnswer(
        ChallengeStatus.ANSWERED, badge.uid, badge_proof(bytes(32), nonce))), 1000.0)
    auth, _ = step(auth, PinDigit("9"), 1000.0)
    shown = staff_of(auth, 1000.0)
    assert shown == StaffBadge(StaffPhase.PIN, "F-0012", Role.FACILITATOR, typed=1)
    for _ in range(5):
        for digit in "1111":
            auth, _ = step(auth, PinDigit(digit), 1000.0)
        auth, _ = step(auth, PinSubmit(), 1000.0)
    locked = staff_of(auth, 1100.0)
    assert (locked.phase, locked.role, locked.locked_s) == (
        StaffPhase.LOCKED_OUT, Role.FACILITATOR, 200)


# -- the assisted session ---------------------------------------------------------------------


def test_a_facilitator_signed_in_opens_the_assisted_session_and_the_banner(core):
    session = in_tracking(core)
    signed_in(core)
    assisted = core.state.assist.assisted
    assert (assisted.facilitator, assisted.consent) == ("F-0012", Consent.NONE)
    view = view_of(core.state)
    assert view.screen == "tracking_entry" and view.helping.facilitator == "F-0012"
    assert core.state.session.id == session
    console = console_view_of(core.state)
    assert console.screen == select_console(core.state) == Screens.AGENT_DESK
    assert console.citizen == view and console.desk.flow == "tracking"


def test_nothing_of_the_visitor_reaches_a_console_before_a_sign_in(core):
    in_tracking(core)
    console = console_view_of(core.state)
    assert (console.screen, console.citizen, console.desk) == (Screens.AGENT_LOCKED, None, None)
    core.from_agent(AgentAct(i.StartFlow("places")))
    core.from_agent(WriteNote(NOTE))
    assert core.state.session.flow.view().name == "tracking"
    assert NOTE not in dumps(core.state)


@pytest.mark.parametrize("end", ["removed", "idle"])
def test_the_badge_taken_off_or_the_agent_idle_returns_to_self_service(core, end):
    session = in_tracking(core)
    signed_in(core)
    core.from_agent(WriteNote(NOTE))
    flow = core.state.session.flow
    if end == "removed":
        core.staff_changed(StaffBadge())
    else:
        visitor_touches(core, IDLE_S - 1)
        core.from_agent(AgentActive())  # the facilitator is there: the count starts again
        visitor_touches(core, IDLE_S - 1)
        assert core.state.assist.assisted is not None
        visitor_touches(core, 1)
        assert core.badge_commands[-1] == SignOut(EndReason.IDLE)
    assert core.state.assist.assisted is None
    assert core.state.session.id == session and core.state.session.flow == flow
    assert select_screen(core.state).screen == "tracking_entry"
    assert view_of(core.state).helping is None
    assert core.state.assist.stats.unclosed == 1
    assert core.state.assist.stats.unclosed_minutes == (0 if end == "removed" else 19)
    assert NOTE not in dumps(core.state)
    if end == "idle":  # the badge still on the reader does not open it again
        core.staff_changed(FACILITATOR)
        assert core.state.assist.assisted is None


def test_the_visitors_consent_is_theirs_for_one_screen_and_typing_needs_it(core):
    in_tracking(core)
    signed_in(core)
    core.from_agent(AgentAct(i.Remember("home.search", "passeport")))
    assert core.state.session.get("home.search") == ""
    assert not core.agent_may_type()
    core.from_agent(AskToType())
    assert view_of(core.state).helping.consent is Consent.ASKED
    core.from_agent(AgentAct(AnswerConsent(ConsentAnswer.GIVE)))  # not the agent's to give
    assert core.state.assist.assisted.consent is Consent.ASKED
    core.dispatch(AnswerConsent(ConsentAnswer.GIVE))  # the visitor, on their screen
    assert core.agent_may_type()
    core.from_agent(AgentAct(i.Remember("home.search", "passeport")))
    assert core.state.session.get("home.search") == "passeport"
    core.dispatch(i.Back())  # the visitor leaves the screen they agreed on
    assert not core.agent_may_type()
    assert select_screen(core.state).screen == Screens.HOME
    core.from_agent(AskToType())
    core.dispatch(AnswerConsent(ConsentAnswer.REFUSE))
    assert core.state.assist.assisted.consent is Consent.NONE
    core.from_agent(AskToType())
    core.from_agent(StopTyping())
    assert core.state.assist.assisted.consent is Consent.NONE


def test_the_agent_acts_on_the_visitors_step_but_never_ends_their_session(core):
    session = in_tracking(core)
    signed_in(core)
    core.from_agent(AgentAct(i.Back()))
    assert select_screen(core.state).screen == Screens.HOME
    core.from_agent(AgentAct(i.EndSession()))
    assert core.state.session.id == session
    core.from_agent(AgentAct(i.StartFlow("places")))
    assert core.state.flow.name == "places"


def test_a_facilitator_at_an_idle_desk_starts_a_procedure_and_a_session_opens(core):
    signed_in(core)
    assert core.state.session is None
    core.from_agent(AgentAct(i.StartFlow("tracking")))
    assert core.state.session is not None and core.state.flow.name == "tracking"


def test_the_note_stays_off_the_visitors_view_and_the_log(core, caplog):
    caplog.set_level(logging.DEBUG)
    in_tracking(core)
    signed_in(core)
    core.from_agent(WriteNote(NOTE))
    assert console_view_of(core.state).desk.note == NOTE
    assert NOTE not in dumps(view_of(core.state))
    assert NOTE not in repr(core.state) and NOTE not in caplog.text
    core.end_session(i_reason())  # the visitor leaves: the note about them goes
    assert core.state.assist.assisted.note == ""
    assert core.state.assist.assisted.facilitator == "F-0012"


def i_reason():
    from kiosk.core.session import EndReason as SessionEnd

    return SessionEnd.FINISHED


def test_closing_with_an_outcome_feeds_the_statistics(core, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    in_tracking(core)
    signed_in(core)
    core.from_agent(CloseAssisted(Outcome("no-such-flow", Result.DONE, 12)))
    core.from_agent(CloseAssisted(Outcome("tracking", Result.DONE, 100000)))
    assert core.state.assist.assisted is not None, "refused: unknown procedure, minutes"
    core.from_agent(CloseAssisted(Outcome("tracking", Result.DONE, 12)))
    assert core.state.assist.assisted is None
    assert core.badge_commands[-1] == SignOut(EndReason.ASKED)
    signed_in(core)
    core.from_agent(CloseAssisted(Outcome("other", Result.REDIRECTED, 5)))
    assert core.state.assist.stats.counts() == {
        "assisted_sessions": 2, "assisted_minutes": 17, "assisted_unclosed": 0,
        "assisted_unclosed_minutes": 0,
        "assisted_result.done": 1, "assisted_result.redirected": 1,
        "assisted_procedure.other": 1, "assisted_procedure.tracking": 1}
    closed = [r.getMessage() for r in caplog.records if "assist.closed" in r.getMessage()]
    assert closed[0] == ("assist.closed badge=F-0012 minutes=12 procedure=tracking "
                         "result=done")


def test_signing_out_at_the_console_counts_as_unclosed(core):
    signed_in(core)
    core.from_agent(SignOutAgent())
    assert core.state.assist.assisted is None
    assert core.state.assist.stats == FacilitationStats(unclosed=1)


def test_minutes_count_while_assisted(core):
    signed_in(core)
    clock(core).advance(125)
    core.from_agent(AgentActive())
    assert core.state.assist.assisted.minutes == 2
    assert console_view_of(core.state).desk.minutes == 2


# -- maintenance ------------------------------------------------------------------------------


def test_maintenance_runs_its_checks_and_keeps_their_results(core):
    signed_in(core, TECHNICIAN)
    assert isinstance(core.effects[-1], ReadStationFacts)
    recent = (RecentEvent("10:32:05", "info", "badge.signed_in"),)
    core.dispatch(EffectDone(core.effects[-1], StationFacts(recent, "3f9a01c2")))
    core.dispatch(RunCheck(Check.PRINT))
    core.dispatch(RunCheck(Check.PRINT))  # once at a time
    prints = [e for e in core.effects if isinstance(e, PrintTest)]
    assert len(prints) == 1 and prints[0].receipt.number == "TEST"
    view = view_of(core.state).maintenance
    assert view.visit.result(Check.PRINT).status is CheckStatus.RUNNING
    assert view.visit.events == recent and view.visit.config_version == "3f9a01c2"
    core.dispatch(EffectDone(prints[0], CheckResult(CheckStatus.PASSED, "", 240)))
    assert core.state.assist.maintenance.result(Check.PRINT).ms == 240
    core.dispatch(ReadEvents())
    assert isinstance(core.effects[-1], ReadStationFacts)
    core.dispatch(Restart())
    assert isinstance(core.effects[-1], RestartStation)
    assert core.state.assist.maintenance.restarting
    core.dispatch(EndStaffTurn())
    assert core.state.assist.maintenance is None
    assert select_screen(core.state).screen == Screens.ATTRACT


def test_maintenance_untouched_for_the_idle_time_closes(core):
    signed_in(core, TECHNICIAN)
    clock(core).advance(IDLE_S - 1)
    core.activity()  # a touch on the maintenance screen
    clock(core).advance(IDLE_S - 1)
    core.tick()
    assert core.state.assist.maintenance is not None
    clock(core).advance(1)
    core.tick()
    assert core.state.assist.maintenance is None
    assert core.badge_commands[-1] == SignOut(EndReason.IDLE)


# -- the messages as values -------------------------------------------------------------------


def test_the_console_view_and_the_messages_round_trip(core):
    in_tracking(core)
    signed_in(core)
    core.from_agent(WriteNote(NOTE))
    view = console_view_of(core.state)
    assert loads(dumps(view)) == view
    for message in (AgentAct(SubmitNumber("104217")), AskToType(), WriteNote(NOTE),
                    CloseAssisted(Outcome("tracking", Result.PARTLY_DONE, 3)), AgentActive()):
        assert loads(dumps(message)) == message
    assert loads(dumps(core.state)) == core.state
    assert AssistEnd.IDLE.value == "idle"


def test_the_facilitator_answers_the_visitors_inactivity_warning(core):
    session = in_tracking(core)
    signed_in(core)
    clock(core).advance(core._settings.session.idle_s)
    core.tick()
    assert console_view_of(core.state).desk.visitor_warned
    core.from_agent(AgentAct(i.ContinueSession()))
    assert core.state.warning_remaining_s is None and core.state.session.id == session
    assert not console_view_of(core.state).desk.visitor_warned
