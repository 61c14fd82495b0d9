"""The services catalogue as pure logic: requests and agendas in one list, a system that does
not answer makes it partial (not empty), search ignores case and accents."""

from __future__ import annotations

from datetime import datetime

from kiosk.core.central import CentralFailure, Place, Schedule, Service, ServiceKind
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.base import FlowContext
from kiosk.core.flows.services import (
    Catalogue,
    LoadCatalogue,
    RetryCatalogue,
    ServicesFlow,
    catalogue_of,
    start_services,
)

POTHOLE = Service("open311:VOI-001", "Nid-de-poule", ServiceKind.REQUEST, group="Voirie",
                  keywords=("trottoir", "chaussée"))
PASSPORT = Schedule("chrono:passeport-cni/depot-demande", "Passeport et carte d'identité",
                    place="Hôtel de Ville")
CTX = FlowContext("s1", "borne-1", "fr", datetime(2026, 11, 22, 10, 0), Place())


def test_requests_then_appointments_each_starting_its_own_flow():
    catalogue = catalogue_of([POTHOLE], [PASSPORT])
    assert [(e.id, e.flow) for e in catalogue.entries] == [
        (POTHOLE.id, "request"), (PASSPORT.id, "appointment")]
    assert not catalogue.partial


def test_appointment_services_of_a_desk_are_not_requests():
    booking_like = Service("wcs:x", "X", ServiceKind.APPOINTMENT)
    assert catalogue_of([booking_like], []).entries == ()


def test_a_system_that_does_not_answer_makes_the_list_partial():
    catalogue = catalogue_of(None, [PASSPORT])
    assert catalogue.partial and [e.id for e in catalogue.entries] == [PASSPORT.id]


def test_search_ignores_case_and_accents_and_looks_at_keywords_and_place():
    pothole, passport = catalogue_of([POTHOLE], [PASSPORT]).entries
    assert pothole.matches("CHAUSSEE") and pothole.matches("voirie trottoir")
    assert not pothole.matches("passeport")
    assert passport.matches("carte identite") and passport.matches("hotel de ville")


def test_the_flow_loads_shows_fails_and_retries():
    step = start_services(CTX, "")
    (effect,) = step.effects
    assert isinstance(effect, LoadCatalogue) and step.flow.view().busy
    failed = step.flow.handle(EffectFailed(effect, CentralFailure.UNREACHABLE), CTX).flow
    assert failed.view().problem == "services.unavailable" and not failed.view().busy
    again = failed.handle(RetryCatalogue(), CTX)
    (retry,) = again.effects
    done = again.flow.handle(EffectDone(retry, catalogue_of([POTHOLE], None)), CTX).flow
    assert isinstance(done, ServicesFlow)
    assert done.view().problem == "services.partial" and done.catalogue.entries
    stale = done.handle(EffectDone(effect, Catalogue(())), CTX).flow
    assert stale is done, "an answer nobody waits for changes nothing"
    assert done.back(CTX).flow is None


def test_a_catalogue_that_cannot_be_read_is_not_called_unanswered():
    step = start_services(CTX, "")
    (effect,) = step.effects
    unreadable = step.flow.handle(EffectFailed(effect, CentralFailure.MALFORMED), CTX).flow
    assert unreadable.view().problem == "central.unusable"
