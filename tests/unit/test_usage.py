"""Usage counted from the core's states and effects (kiosk/core/usage.py), with the real core
and real flows on a manual clock: sessions, flows completed or abandoned and where, languages,
the seated layout and speech, survey scores; each once per session; nothing a person typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.core import intents as i
from kiosk.core.central import RequestReport, RequestStatus
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone
from kiosk.core.flows.survey import ChooseHelp, RateClarity, RateOverall
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.usage import AssistedUse, UsageCounter
from kiosk.settings.loader import ConfigSources, load_settings

REPORT = RequestReport(number="104217", service_name="Nid-de-poule",
                       status=RequestStatus.IN_PROGRESS,
                       submitted_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
CANARY = "Zoé Canari 0612345678"


def station(clock: ManualClock | None = None, **env: str
            ) -> tuple[KioskCore, UsageCounter, list[object]]:
    core = KioskCore(load_settings(ConfigSources(), environ=env), clock or ManualClock(100.0))
    counter = UsageCounter()
    effects: list[object] = []
    core.subscribe(counter.observe)
    core.on_effect(counter.effect)
    core.on_effect(effects.append)
    return core, counter, effects


def track(core: KioskCore, effects: list[object], number: str = "104217") -> None:
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber(number))
    core.dispatch(EffectDone(effects[-1], REPORT))


def test_nothing_is_counted_before_anyone_comes():
    _core, counter, _effects = station()
    assert counter.usage.sessions == 0 and not counter.usage.completed


def test_a_flow_that_reaches_its_last_screen_is_completed_once_per_session():
    core, counter, effects = station()
    core.dispatch(i.StartSession())
    track(core, effects)
    assert core.state.flow.screen == "tracking_result"
    track(core, effects, "104218")  # a second number in the same session
    core.dispatch(i.Back())
    core.dispatch(i.Back())  # back home after reading the result: not abandoned
    core.dispatch(i.EndSession())
    usage = counter.usage
    assert usage.sessions == 1
    assert dict(usage.completed) == {"tracking": 1}
    assert dict(usage.abandoned) == {}
    assert dict(usage.languages) == {"fr": 1}


def test_a_flow_left_before_its_end_is_abandoned_where_it_stood():
    core, counter, _effects = station()
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104217"))  # waiting for the central: still "tracking_entry"
    core.dispatch(i.EndSession())
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("places"))
    core.dispatch(i.StartAgain())
    assert dict(counter.usage.abandoned) == {("tracking", "tracking_entry"): 1,
                                              ("places", "places_list"): 1}
    assert counter.usage.sessions == 2
    assert not counter.usage.completed


def test_a_session_that_times_out_in_a_flow_abandons_it():
    clock = ManualClock(100.0)
    core, counter, _effects = station(clock)
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    clock.advance(10_000)  # the inactivity warning, then its end
    core.tick()
    assert core.state.session is None
    assert dict(counter.usage.abandoned) == {("tracking", "tracking_entry"): 1}


def test_languages_each_session_used_are_counted_once_per_session():
    core, counter, _effects = station()
    core.dispatch(i.StartSession())
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.SetLanguage("fr"))
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.EndSession())
    core.dispatch(i.StartSession())
    assert dict(counter.usage.languages) == {"fr": 2, "en": 1}


def test_seated_and_speech_sessions():
    core, counter, _effects = station(KIOSK__ACCESSIBILITY__SEATED_LAYOUT="true",
                                      KIOSK__ACCESSIBILITY__AUDIO="true")
    for _ in range(3):
        core.dispatch(i.StartSession())
        core.dispatch(i.EndSession())
    usage = counter.usage
    assert (usage.sessions, usage.seated_sessions, usage.speech_sessions) == (3, 3, 3)


def test_survey_scores_by_question_and_the_survey_completed():
    core, counter, _effects = station()
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(10))
    core.dispatch(RateClarity(4))
    core.dispatch(ChooseHelp("agent"))
    assert dict(counter.usage.satisfaction) == {("overall", 10): 1, ("clarity", 4): 1,
                                                ("help:agent", 1): 1}
    assert "survey" not in counter.usage.completed, "waiting for the outbox: not done yet"


def test_what_a_person_types_is_never_counted():
    core, counter, _effects = station()
    core.dispatch(i.StartSession())
    core.dispatch(i.Remember("home.search", CANARY))
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber(CANARY))
    core.dispatch(i.EndSession())
    assert dict(counter.usage.abandoned) == {("tracking", "tracking_entry"): 1}
    assert CANARY not in repr(counter.usage)
    for part in CANARY.split():
        assert part not in repr(counter.usage)


def test_a_snapshot_does_not_change_under_its_reader():
    core, counter, _effects = station()
    core.dispatch(i.StartSession())
    before = counter.usage
    core.dispatch(i.StartFlow("places"))
    core.dispatch(i.EndSession())
    assert before.abandoned == {} and counter.usage.abandoned != {}
    with pytest.raises(TypeError):
        counter.usage.abandoned[("x", "y")] = 1  # type: ignore[index]


def test_assisted_counts_come_from_the_assisted_mode_as_they_are():
    _core, counter, _effects = station()
    usage = counter.with_assisted(AssistedUse(sessions=2, minutes=37.5))
    assert (usage.assisted_sessions, usage.assisted_minutes) == (2, 37.5)
    assert counter.with_assisted(AssistedUse()).assisted_sessions == 0
