"""Unit tests of the inactivity timer and of `KioskCore`, the single owner of `AppState`.

They prove docs/accessibility.md E1–E3 and E6 and docs/architecture.md rule 4 on a manual clock:
- the warning appears exactly at `idle_s`, counts down for `warning_s` (≥ 20 s) seconds, only an
  explicit "continue" extends it, and 11 extensions in a row each give a full idle period back;
- intents navigate inside a session, and do nothing once the session is gone;
- at expiry or at the end of a session, the session object itself is freed (weak reference),
  what the person entered is wiped, and language and accessibility return to the defaults;
- the event log never holds what the person typed.
"""

import gc
import logging
import weakref

import pytest

from kiosk.core import intents as i
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.session import CitizenSession, IdlePhase, IdleStatus, IdleTimer
from kiosk.core.state import AppState, Screens
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import MIN_WARNING_S

IDLE_S = 120
WARNING_S = 45
SECRET = "Zorglub-4711 rue Secrète"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


@pytest.fixture
def settings():
    settings = load_settings(ConfigSources(), environ={})
    assert (settings.session.idle_s, settings.session.warning_s) == (IDLE_S, WARNING_S)
    return settings


@pytest.fixture
def core(settings, clock) -> KioskCore:
    return KioskCore(settings, clock)


# -- IdleTimer --------------------------------------------------------------------------------


def test_the_packaged_warning_lasts_at_least_20_seconds(settings):
    assert settings.session.warning_s >= MIN_WARNING_S == 20


def test_active_before_idle_s_and_warning_exactly_at_idle_s(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    clock.advance(IDLE_S - 0.5)
    assert timer.status() == IdleStatus(IdlePhase.ACTIVE)
    clock.advance(0.5)
    assert timer.status() == IdleStatus(IdlePhase.WARNING, remaining_s=WARNING_S)


def test_the_warning_counts_down_for_warning_s_then_expires(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    clock.advance(IDLE_S)
    seen = []
    for _ in range(WARNING_S):
        status = timer.status()
        assert status.phase is IdlePhase.WARNING
        seen.append(status.remaining_s)
        clock.advance(1)
    assert seen == list(range(WARNING_S, 0, -1))
    assert timer.status() == IdleStatus(IdlePhase.EXPIRED)


def test_the_last_fraction_of_a_second_still_shows_one_second(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    clock.advance(IDLE_S + WARNING_S - 0.25)
    assert timer.status() == IdleStatus(IdlePhase.WARNING, remaining_s=1)
    clock.advance(0.25)
    assert timer.status().phase is IdlePhase.EXPIRED


def test_activity_restarts_the_idle_count_before_the_warning(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    clock.advance(IDLE_S - 1)
    timer.activity()
    clock.advance(IDLE_S - 1)
    assert timer.status().phase is IdlePhase.ACTIVE
    clock.advance(1)
    assert timer.status().phase is IdlePhase.WARNING


def test_activity_during_the_warning_does_not_extend_but_extend_does(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    clock.advance(IDLE_S + 10)
    timer.activity()
    assert timer.status() == IdleStatus(IdlePhase.WARNING, remaining_s=WARNING_S - 10)
    timer.extend()
    assert timer.status() == IdleStatus(IdlePhase.ACTIVE)
    clock.advance(IDLE_S - 1)
    assert timer.status().phase is IdlePhase.ACTIVE


def test_eleven_consecutive_extensions_each_restore_a_full_idle_period(clock):
    timer = IdleTimer(clock, IDLE_S, WARNING_S)
    for round_ in range(11):
        clock.advance(IDLE_S - 1)
        assert timer.status().phase is IdlePhase.ACTIVE, round_
        clock.advance(1)
        assert timer.status() == IdleStatus(IdlePhase.WARNING, remaining_s=WARNING_S), round_
        clock.advance(WARNING_S - 1)  # answer at the very last second
        assert timer.status() == IdleStatus(IdlePhase.WARNING, remaining_s=1), round_
        timer.extend()
        assert timer.status() == IdleStatus(IdlePhase.ACTIVE), round_


# -- KioskCore: navigation and intents --------------------------------------------------------


def test_no_session_at_start(core, settings):
    assert core.state.session is None
    assert core.state.nav == ()
    assert core.state.language == "fr"
    assert core.state.accessibility == settings.accessibility


def test_start_session_creates_a_session_on_home(core):
    core.dispatch(i.StartSession())
    session = core.state.session
    assert isinstance(session, CitizenSession)
    assert core.state.nav == (Screens.HOME,)
    assert core.state.warning_remaining_s is None
    # A second touch on the attract screen does not replace the session.
    core.dispatch(i.StartSession())
    assert core.state.session is session


def test_open_and_back_navigate_inside_the_session(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.Open(Screens.HELP))
    assert core.state.nav == (Screens.HOME, Screens.HELP)
    core.dispatch(i.Open(Screens.HELP))  # a double tap opens it once
    assert core.state.nav == (Screens.HOME, Screens.HELP)
    core.dispatch(i.Back())
    assert core.state.nav == (Screens.HOME,)
    core.dispatch(i.Back())  # nothing below home
    assert core.state.nav == (Screens.HOME,)


def test_set_language_only_to_an_offered_language(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.SetLanguage("en"))
    assert core.state.language == "en"
    core.dispatch(i.SetLanguage("de"))
    assert core.state.language == "en"
    core.dispatch(i.SetLanguage("fr"))
    assert core.state.language == "fr"


def test_remember_keeps_the_value_in_the_session_only(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.Remember("search", "passeport"))
    assert core.state.session.get("search") == "passeport"
    assert "passeport" not in repr(core.state)
    core.dispatch(i.Remember("search", ""))
    assert core.state.session.get("search") == ""


def test_start_again_wipes_entries_but_keeps_language(core):
    core.dispatch(i.StartSession())
    session = core.state.session
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.Remember("address", SECRET))
    assert core.state.session.get("address") == SECRET
    core.dispatch(i.StartAgain())
    assert core.state.session.id == session.id, "the same session goes on"
    assert core.state.session.get("address") == ""
    assert core.state.nav == (Screens.HOME,)
    assert core.state.language == "en"


# -- KioskCore: inactivity --------------------------------------------------------------------


def test_tick_shows_the_warning_at_idle_s_and_continue_clears_it(core, clock):
    core.dispatch(i.StartSession())
    clock.advance(IDLE_S - 1)
    core.tick()
    assert core.state.warning_remaining_s is None
    clock.advance(1)
    core.tick()
    assert core.state.warning_remaining_s == WARNING_S
    clock.advance(10)
    core.activity()  # a touch somewhere else does not answer the warning
    core.tick()
    assert core.state.warning_remaining_s == WARNING_S - 10
    core.dispatch(i.ContinueSession())
    assert core.state.warning_remaining_s is None
    clock.advance(IDLE_S - 1)
    core.tick()
    assert core.state.warning_remaining_s is None
    assert core.state.session is not None


def _assert_back_to_defaults(state: AppState, settings) -> None:
    assert state.session is None
    assert state.nav == ()
    assert state.warning_remaining_s is None
    assert state.language == settings.languages.default == "fr"
    assert state.accessibility == settings.accessibility


def _busy_session(core: KioskCore) -> weakref.ref[CitizenSession]:
    """A session with a language change, a screen and a personal value; only a weak reference
    to it is returned."""
    core.dispatch(i.StartSession())
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.Remember("address", SECRET))
    return weakref.ref(core.state.session)


def test_at_expiry_the_session_object_is_gone_and_settings_reset(core, clock, settings):
    ref = _busy_session(core)
    assert ref() is not None
    clock.advance(IDLE_S + WARNING_S - 1)
    core.tick()
    assert core.state.warning_remaining_s == 1
    clock.advance(1)
    core.tick()
    _assert_back_to_defaults(core.state, settings)
    gc.collect()
    assert ref() is None


def test_end_session_frees_the_session_and_resets_settings(core, settings):
    ref = _busy_session(core)
    core.dispatch(i.EndSession())
    _assert_back_to_defaults(core.state, settings)
    gc.collect()
    assert ref() is None


def test_what_the_person_entered_is_wiped_at_expiry(core, clock):
    core.dispatch(i.StartSession())
    core.dispatch(i.Remember("address", SECRET))
    holding = weakref.ref(core.state.session)
    assert holding().get("address") == SECRET
    clock.advance(IDLE_S + WARNING_S)
    core.tick()
    assert core.state.session is None
    gc.collect()
    assert holding() is None, "nothing keeps the session that held what was typed"


def test_intents_after_expiry_change_nothing(core, clock):
    core.dispatch(i.StartSession())
    clock.advance(IDLE_S + WARNING_S)
    core.tick()
    after_expiry = core.state
    calls = []
    core.subscribe(calls.append)
    for intent in (i.Open(Screens.HELP), i.Back(), i.SetLanguage("en"), i.ContinueSession(),
                   i.StartAgain(), i.Remember("address", SECRET), i.EndSession()):
        core.dispatch(intent)
        core.activity()
        clock.advance(IDLE_S + WARNING_S)
        core.tick()
    assert core.state is after_expiry
    assert calls == []


def test_a_continue_arriving_after_the_expiry_time_does_not_revive_the_session(core, clock):
    # The shell ticks every 0.25 s; a tap queued behind a stalled UI loop may be dispatched
    # after the warning has run out but before the next tick. Expiry is a matter of time, not
    # of when tick() happens to run: the session must end all the same.
    core.dispatch(i.StartSession())
    core.dispatch(i.Remember("address", SECRET))
    clock.advance(IDLE_S)
    core.tick()
    assert core.state.warning_remaining_s == WARNING_S
    clock.advance(WARNING_S)  # the warning has run out; no tick yet
    core.dispatch(i.ContinueSession())
    core.tick()
    assert core.state.session is None


def test_listeners_are_called_with_each_new_state(core, clock):
    calls: list[AppState] = []
    core.subscribe(calls.append)
    core.dispatch(i.StartSession())
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.Open(Screens.HELP))  # no change, no call
    core.dispatch(i.SetLanguage("en"))
    clock.advance(IDLE_S)
    core.tick()
    core.tick()  # same second left, no call
    core.dispatch(i.ContinueSession())
    core.dispatch(i.EndSession())
    summary = [(s.session is not None, s.nav, s.language, s.warning_remaining_s) for s in calls]
    home, helping = (Screens.HOME,), (Screens.HOME, Screens.HELP)
    assert summary == [
        (True, home, "fr", None),
        (True, helping, "fr", None),
        (True, helping, "en", None),
        (True, helping, "en", WARNING_S),
        (True, helping, "en", None),
        (False, (), "fr", None),
    ]
    assert calls[-1] is core.state


# -- privacy of the event log -----------------------------------------------------------------


def test_the_event_log_never_holds_what_the_person_entered(core, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk.events")
    core.dispatch(i.StartSession())
    core.dispatch(i.Remember("address", SECRET))
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.Open(Screens.HELP))
    clock.advance(IDLE_S)
    core.tick()
    core.dispatch(i.ContinueSession())
    clock.advance(IDLE_S + WARNING_S)
    core.tick()
    core.tick()

    events = [r for r in caplog.records if r.name == "kiosk.events"]
    messages = [r.getMessage() for r in events]
    # The session really was logged, by event type and id.
    assert [m.split()[0] for m in messages] == [
        "session.started", "session.language_changed", "session.idle_warning",
        "session.extended", "session.ended",
    ]
    assert "reason=timeout" in messages[-1]
    for record, message in zip(events, messages, strict=True):
        assert "Zorglub" not in message
        assert "Secrète" not in message
        assert SECRET not in repr(record.args)
    assert "Zorglub" not in caplog.text
