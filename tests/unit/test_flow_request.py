"""The request flow as a state machine in the core: services, one question per step with
checks that keep what was typed, the place, the contact, the summary with "Change", and the
three ways it ends (a number, a station reference while offline, no number for blackbox)."""

from __future__ import annotations

import pytest

from kiosk.core import intents as i
from kiosk.core.central import (
    CentralFailure,
    Choice,
    FieldType,
    FormField,
    Service,
    ServiceForm,
    ServiceKind,
    SubmissionOutcome,
    SubmissionResult,
    Tracking,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.request import (
    AnswerField,
    ChangeItem,
    ChoosePlace,
    ChooseService,
    Confirm,
    EnterContact,
    LoadForm,
    LoadServices,
    RequestStep,
    SubmitRequest,
)
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.core.submission import Submitted
from kiosk.settings.loader import ConfigSources, load_settings

POTHOLE = Service("open311:voirie-nid", "Nid-de-poule", ServiceKind.REQUEST, group="Voirie",
                  has_form=True)
LAMP = Service("open311:eclairage", "Lampadaire en panne", ServiceKind.REQUEST,
               tracking=Tracking.NONE)
AGENDA = Service("chrono:passeport/base", "Passeport", ServiceKind.APPOINTMENT)
FORM = ServiceForm(POTHOLE, (
    FormField("size", "Taille du trou", FieldType.CHOICE, required=True, order=2,
              choices=(Choice("small", "Petit"), Choice("large", "Grand"))),
    FormField("depth", "Profondeur en cm", FieldType.NUMBER, order=1),
    FormField("seen", "Vu le", FieldType.DATE, required=True, order=3),
))


@pytest.fixture
def core():
    settings = load_settings(ConfigSources(), environ={})
    core = KioskCore(settings, ManualClock(100.0))
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


def to_summary(core):
    core.dispatch(i.StartFlow("request"))
    answer_last(core, [POTHOLE, LAMP, AGENDA])
    core.dispatch(ChooseService(POTHOLE.id))
    answer_last(core, FORM)
    core.dispatch(AnswerField("12"))
    core.dispatch(AnswerField("large"))
    core.dispatch(AnswerField("02/11/2026"))
    core.dispatch(ChoosePlace())
    core.dispatch(EnterContact(email="", phone="06 12 34 56 78"))


def test_services_then_one_question_per_step_in_order(core):
    core.dispatch(i.StartFlow("request"))
    assert isinstance(core.effects[-1], LoadServices)
    assert core.state.flow.busy
    answer_last(core, [POTHOLE, LAMP, AGENDA])
    assert [s.id for s in flow(core).services] == [POTHOLE.id, LAMP.id], "no appointments here"
    assert screen(core) == "request_service"
    core.dispatch(ChooseService(POTHOLE.id))
    assert isinstance(core.effects[-1], LoadForm)
    answer_last(core, FORM)
    assert screen(core) == "request_field"
    assert flow(core).current_field.code == "depth", "questions come in the form's order"
    assert (core.state.flow.step, core.state.flow.steps) == (2, 7)


def test_a_refused_answer_names_the_field_and_keeps_the_text(core):
    core.dispatch(i.StartFlow("request"))
    answer_last(core, [POTHOLE])
    core.dispatch(ChooseService(POTHOLE.id))
    answer_last(core, FORM)
    core.dispatch(AnswerField("douze"))
    view = core.state.flow
    assert view.problem == "error.number"
    assert ("label", "Profondeur en cm") in view.problem_args
    assert flow(core).drafts["depth"] == "douze"
    assert flow(core).current_field.code == "depth"
    core.dispatch(AnswerField(""))  # optional: may be left empty
    assert flow(core).current_field.code == "size"
    core.dispatch(AnswerField(""))
    assert core.state.flow.problem == "error.required"
    core.dispatch(AnswerField("huge"))
    assert core.state.flow.problem == "error.choice"


def test_summary_change_comes_back_to_the_summary(core):
    to_summary(core)
    assert screen(core) == "request_summary"
    assert dict(flow(core).answers) == {"depth": "12", "size": "large", "seen": "2026-11-02"}
    assert flow(core).phone == "0612345678"
    core.dispatch(ChangeItem(RequestStep.FIELD, 1))
    assert flow(core).current_field.code == "size"
    core.dispatch(AnswerField("small"))
    assert screen(core) == "request_summary"
    assert flow(core).answers["size"] == "small"
    core.dispatch(ChangeItem(RequestStep.PLACE))
    core.dispatch(ChoosePlace("12 rue des Lilas"))
    assert screen(core) == "request_summary"


def test_confirm_sends_through_the_outbox_with_the_station_place(core):
    to_summary(core)
    core.dispatch(Confirm())
    effect = core.effects[-1]
    assert isinstance(effect, SubmitRequest)
    sent = effect.submission
    assert sent.service_id == POTHOLE.id
    assert sent.place.lat == core._settings.site.location.lat
    assert sent.place.address == core._settings.site.location.address
    assert sent.station_id == core._settings.station.id
    assert sent.contact.phone == "0612345678"
    core.dispatch(i.Back())
    assert screen(core) == "request_summary", "no going back while it is being sent"
    answer = SubmissionResult(SubmissionOutcome.NUMBERED, number="104217")
    core.dispatch(EffectDone(effect, Submitted("demo-0001-20261122-0001", True, answer)))
    assert screen(core) == "request_done"
    assert flow(core).outcome is SubmissionOutcome.NUMBERED


def test_offline_the_person_leaves_with_the_station_reference(core):
    to_summary(core)
    core.dispatch(Confirm())
    core.dispatch(EffectDone(core.effects[-1], Submitted("demo-0001-20261122-0002", False)))
    assert screen(core) == "request_done"
    assert flow(core).outcome is None
    assert flow(core).receipt.station_ref.endswith("0002")


@pytest.mark.parametrize(("failure", "problem"), [
    (CentralFailure.UNREACHABLE, "request.central_unavailable"),
    (CentralFailure.SERVER_ERROR, "request.central_unavailable"),
    (CentralFailure.MALFORMED, "central.unusable"),
])
def test_an_unreadable_answer_is_told_apart_from_silence(core, failure, problem):
    core.dispatch(i.StartFlow("request"))
    core.dispatch(EffectFailed(core.effects[-1], failure))
    assert core.state.flow.problem == problem


def test_a_failed_load_can_be_retried(core):
    core.dispatch(i.StartFlow("request"))
    core.dispatch(EffectFailed(core.effects[-1], CentralFailure.UNREACHABLE))
    assert core.state.flow.problem == "request.central_unavailable"
    from kiosk.core.flows.request import Retry

    core.dispatch(Retry())
    assert isinstance(core.effects[-1], LoadServices)
    assert len(core.effects) == 2


def test_bad_contact_is_refused_with_an_example(core):
    to_summary(core)
    core.dispatch(ChangeItem(RequestStep.CONTACT))
    core.dispatch(EnterContact(email="marie.dupont@", phone=""))
    assert core.state.flow.problem == "error.email"
    assert flow(core).email == "marie.dupont@"


def test_back_walks_the_steps_and_leaves(core):
    to_summary(core)
    for expected in ("request_contact", "request_place",
                     "request_field", "request_field",
                     "request_field", "request_service", Screens.HOME):
        core.dispatch(i.Back())
        assert screen(core) is expected
