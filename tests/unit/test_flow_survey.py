"""The satisfaction survey as a state machine inside the core: offered at the end of another
flow, every question optional (Skip, Finish), answers kept when going back, only what was
answered sent, nothing sent when nothing was answered, anonymous answers, and outcomes that
arrive late or for nobody."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import pytest

from kiosk.core import intents as i
from kiosk.core.central import CentralFailure, RequestReport, RequestStatus, SurveyAnswer
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.registry import FLOWS
from kiosk.core.flows.survey import (
    CLARITY_SCORES,
    OVERALL_SCORES,
    ChooseHelp,
    FinishSurvey,
    HelpReceived,
    LeaveSurvey,
    RateClarity,
    RateOverall,
    SendSurvey,
    SkipQuestion,
    SurveyOutcome,
    start_survey,
)
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.core.submission import Submitted
from kiosk.settings.loader import ConfigSources, load_settings

REPORT = RequestReport(number="204518", service_name="Voirie", status=RequestStatus.IN_PROGRESS,
                       submitted_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))


@pytest.fixture
def core():
    settings = load_settings(ConfigSources(), environ={})
    core = KioskCore(settings, ManualClock(100.0))
    core.effects = []
    core.on_effect(core.effects.append)
    core.dispatch(i.StartSession())
    return core


def screen(core):
    return select_screen(core.state).screen


def at_tracking_result(core) -> None:
    """The end of a tracking flow, where the survey is offered."""
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("204518"))
    core.dispatch(EffectDone(core.effects[-1], REPORT))
    assert screen(core) == "tracking_result"
    core.effects.clear()


def test_the_survey_is_registered():
    assert FLOWS["survey"].start is start_survey


def test_answering_all_three_sends_one_anonymous_answer(core):
    at_tracking_result(core)
    core.dispatch(i.StartFlow("survey", "tracking"))
    assert screen(core) == "survey_overall"
    assert (core.state.flow.step, core.state.flow.steps) == (1, 3)
    core.dispatch(RateOverall(10))
    assert screen(core) == "survey_clarity"
    assert core.state.flow.step == 2
    core.dispatch(RateClarity(4))
    assert screen(core) == "survey_help"
    assert core.state.flow.step == 3
    assert core.effects == []
    core.dispatch(ChooseHelp(HelpReceived.AGENT))
    (effect,) = core.effects
    assert isinstance(effect, SendSurvey)
    assert effect.submission == SurveyAnswer(flow="tracking", station_id=core._settings.station.id,
                                         station_ref="", overall=10, clarity=4,
                                         help_received="agent")
    # Anonymous: the answer holds the flow, the station and the scores, nothing else.
    assert {f.name for f in fields(SurveyAnswer)} == {
        "flow", "station_id", "station_ref", "overall", "clarity", "help_received"}
    assert core.state.flow.busy, "the question stays on screen until the outbox has it"
    core.dispatch(EffectDone(effect, Submitted("DEMO-0001-20261122-0001", True)))
    assert screen(core) == "survey_thanks"
    assert core.state.session.flow.outcome is SurveyOutcome.RECORDED
    assert not core.state.flow.busy
    core.dispatch(LeaveSurvey())
    assert screen(core) == Screens.HOME
    assert core.state.flow is None


def test_skip_moves_on_without_an_answer(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(SkipQuestion())
    assert screen(core) == "survey_clarity"
    core.dispatch(RateClarity(2))
    core.dispatch(SkipQuestion())
    (effect,) = core.effects
    answer = effect.submission
    assert (answer.overall, answer.clarity, answer.help_received) == (
        None, 2, None)


def test_skipping_everything_sends_nothing(core):
    at_tracking_result(core)
    core.dispatch(i.StartFlow("survey", "tracking"))
    for _ in range(3):
        core.dispatch(SkipQuestion())
    assert core.effects == []
    assert screen(core) == "survey_thanks"
    assert core.state.session.flow.outcome is SurveyOutcome.NOTHING_ANSWERED


@pytest.mark.parametrize("step", [0, 1, 2])
def test_finish_with_nothing_answered_sends_nothing(core, step):
    core.dispatch(i.StartFlow("survey", "request"))
    for _ in range(step):
        core.dispatch(SkipQuestion())
    core.dispatch(FinishSurvey())
    assert core.effects == []
    assert screen(core) == "survey_thanks"


def test_finish_sends_what_was_answered_so_far(core):
    core.dispatch(i.StartFlow("survey", "request"))
    core.dispatch(RateOverall(0))
    core.dispatch(FinishSurvey())
    (effect,) = core.effects
    assert effect.submission.flow == "request"
    answer = effect.submission
    assert (answer.overall, answer.clarity, answer.help_received) == (
        0, None, None)
    core.dispatch(EffectDone(effect, Submitted("ref", True)))
    assert screen(core) == "survey_thanks"


def test_back_keeps_answers_so_they_can_be_changed(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(5))
    core.dispatch(RateClarity(3))
    core.dispatch(i.Back())
    assert screen(core) == "survey_clarity"
    assert core.state.session.flow.clarity == 3
    core.dispatch(i.Back())
    assert screen(core) == "survey_overall"
    assert core.state.session.flow.overall == 5
    core.dispatch(RateOverall(10))
    core.dispatch(SkipQuestion())
    core.dispatch(ChooseHelp("relative"))
    (effect,) = core.effects
    answer = effect.submission
    assert (answer.overall, answer.clarity, answer.help_received) == (
        10, 3, "relative")


def test_back_from_the_first_question_leaves_the_survey(core):
    at_tracking_result(core)
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(i.Back())
    assert screen(core) == Screens.HOME
    assert core.state.flow is None
    assert core.effects == []


@pytest.mark.parametrize("intent", [
    RateOverall(7), RateOverall(-1), RateClarity(0), RateClarity(6), ChooseHelp("mayor"),
    RateClarity(3), ChooseHelp("none"), LeaveSurvey(),
])
def test_answers_that_are_not_offered_here_change_nothing(core, intent):
    core.dispatch(i.StartFlow("survey", "tracking"))
    before = core.state.session.flow
    core.dispatch(intent)
    assert core.state.session.flow == before
    assert core.effects == []


def test_the_offered_values_are_jdma_s():
    assert OVERALL_SCORES == (0, 5, 10)
    assert CLARITY_SCORES == (1, 2, 3, 4, 5)
    assert {h.value for h in HelpReceived} == {"none", "agent", "relative", "association"}


def test_nothing_changes_while_the_answers_are_on_their_way(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(10))
    core.dispatch(FinishSurvey())
    waiting = core.state.session.flow
    for intent in (RateClarity(2), SkipQuestion(), FinishSurvey(), i.Back()):
        core.dispatch(intent)
        assert core.state.session.flow == waiting
    assert len(core.effects) == 1


def test_a_station_that_cannot_store_the_answers_still_thanks_without_claiming_it(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(5))
    core.dispatch(FinishSurvey())
    core.dispatch(EffectFailed(core.effects[-1], CentralFailure.REJECTED))
    assert screen(core) == "survey_thanks"
    assert core.state.session.flow.outcome is SurveyOutcome.NOT_RECORDED


def test_a_stale_outcome_is_ignored(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(5))
    core.dispatch(FinishSurvey())
    stale = SendSurvey(session_id=core.state.session.id, submission=None)
    core.dispatch(EffectDone(stale, Submitted("ref", True)))
    assert core.state.flow.busy
    assert screen(core) == "survey_clarity"


def test_an_outcome_after_the_session_ended_is_dropped(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(RateOverall(5))
    core.dispatch(FinishSurvey())
    late = core.effects[-1]
    core.dispatch(i.EndSession())
    core.dispatch(i.StartSession())
    core.dispatch(EffectDone(late, Submitted("ref", True)))
    assert screen(core) == Screens.HOME
    assert core.state.flow is None


@pytest.mark.parametrize("param", ["", "survey", "nonsense"])
def test_a_survey_about_no_flow_is_not_started(core, param):
    core.dispatch(i.StartFlow("survey", param))
    assert screen(core) == Screens.HOME
    assert core.state.flow is None


def test_thanks_back_goes_home(core):
    core.dispatch(i.StartFlow("survey", "tracking"))
    core.dispatch(FinishSurvey())
    core.dispatch(i.Back())
    assert screen(core) == Screens.HOME
