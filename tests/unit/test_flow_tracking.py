"""The tracking flow as a state machine inside the core: numbers typed or scanned, the
central's answers (found, unknown, unreachable), Back, and answers that arrive too late."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.core import intents as i
from kiosk.core.central import CentralFailure, RequestReport, RequestStatus
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.base import CodeScanned
from kiosk.core.flows.tracking import (
    LookUpRequest,
    SubmitNumber,
    normalise_number,
    number_from_code,
)
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.settings.loader import ConfigSources, load_settings

REPORT = RequestReport(number="104217", service_name="Nid-de-poule",
                       status=RequestStatus.IN_PROGRESS,
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


@pytest.mark.parametrize(("text", "number"), [
    ("104 217", "104217"), ("abcd efgh", "ABCDEFGH"), ("demo-0001-20261122-0042",
                                                      "DEMO-0001-20261122-0042"),
    ("", None), ("12", None), ("<script>", None), ("1" * 41, None),
])
def test_normalise_number(text, number):
    assert normalise_number(text) == number


@pytest.mark.parametrize(("code", "number"), [
    ("104217", "104217"),
    ("https://www.villeneuve.fr/suivi/104217", "104217"),
    ("https://www.villeneuve.fr/suivi?numero=ABCDEFGH&lang=fr", "ABCDEFGH"),
    ("https://www.villeneuve.fr/", None),
    ("WIFI:S:café;T:WPA;;", None),
])
def test_number_from_scanned_code(code, number):
    assert number_from_code(code) == number


def test_typed_number_found_shows_the_timeline(core):
    core.dispatch(i.StartFlow("tracking"))
    assert screen(core) == "tracking_entry"
    core.dispatch(SubmitNumber("104 217"))
    (effect,) = core.effects
    assert isinstance(effect, LookUpRequest) and effect.number == "104217"
    assert core.state.flow.busy
    core.dispatch(EffectDone(effect, REPORT))
    assert screen(core) == "tracking_result"
    assert core.state.session.flow.report == REPORT
    assert core.state.flow.step == 2 and core.state.flow.steps == 2
    core.dispatch(i.Back())
    assert screen(core) == "tracking_entry"
    assert core.state.session.flow.text == "104 217", "Back keeps what was typed"
    core.dispatch(i.Back())
    assert screen(core) == Screens.HOME
    assert core.state.flow is None


def test_unknown_number_stays_on_entry_with_a_message(core):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("999999"))
    core.dispatch(EffectDone(core.effects[-1], None))
    assert screen(core) == "tracking_entry"
    assert core.state.flow.problem == "tracking.unknown_number"
    assert core.state.session.flow.text == "999999"


@pytest.mark.parametrize(("failure", "problem"), [
    (CentralFailure.NOT_FOUND, "tracking.unknown_number"),
    (CentralFailure.UNREACHABLE, "tracking.central_unavailable"),
    (CentralFailure.TIMEOUT, "tracking.central_unavailable"),
    # It answered, with something the kiosk cannot read: not "not answering".
    (CentralFailure.MALFORMED, "central.unusable"),
])
def test_failures_are_explained(core, failure, problem):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104217"))
    core.dispatch(EffectFailed(core.effects[-1], failure))
    assert core.state.flow.problem == problem
    assert not core.state.flow.busy


def test_bad_number_asks_no_central(core):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("12"))
    assert core.effects == []
    assert core.state.flow.problem == "tracking.bad_number"


def test_scanning_a_receipt_on_home_starts_tracking(core):
    assert screen(core) == Screens.HOME
    core.dispatch(CodeScanned("https://www.villeneuve.fr/suivi/104217"))
    assert core.state.flow.name == "tracking"
    assert core.effects[-1].number == "104217"


def test_an_answer_for_an_ended_session_is_dropped(core):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104217"))
    late = core.effects[-1]
    core.dispatch(i.EndSession())
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(EffectDone(late, REPORT))
    assert screen(core) == "tracking_entry"
    assert core.state.session.flow.report is None


def test_a_stale_answer_within_the_session_is_ignored(core):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("111111"))
    first = core.effects[-1]
    core.dispatch(SubmitNumber("104217"))
    core.dispatch(EffectDone(first, RequestReport("111111", "x", RequestStatus.CLOSED)))
    assert screen(core) == "tracking_entry"
    assert core.state.flow.busy
