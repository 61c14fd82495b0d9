"""The whole state is a value that serialises: `loads(dumps(state)) == state` for states the
core really builds (a booking at its summary and done with its receipt kept, a request with its
answers, tracking with a report, the places with their hours), for the view screens get, and
for intents; a message naming a type outside the kiosk's value modules is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core import intents as i
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    RequestReport,
    RequestStatus,
    Schedule,
    Slot,
    StatusStep,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.effects import EffectDone
from kiosk.core.flows.appointment import (
    ChooseDocuments,
    ChooseProcedure,
    Confirm,
    EnterAnts,
    EnterContact,
    EnterName,
)
from kiosk.core.flows.booking import ChooseDay, ChooseSlot
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.submission import Submitted
from kiosk.core.values import ValueTextError, dumps, loads
from kiosk.core.view import view_of
from kiosk.settings.loader import ConfigSources, load_settings

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
PASSPORT = Schedule("chrono:passeport-cni/depot-demande", "Passeport et carte d'identité",
                    place="Mairie, service État civil", duration_min=20, needs_ants_number=True)
START = datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)
SLOT = Slot("chrono:passeport@24-900", PASSPORT.id, START, START + timedelta(minutes=20))


@pytest.fixture
def core():
    settings = load_settings(ConfigSources(), environ={})
    places = read_places(places_path(settings.places.file))
    core = KioskCore(settings, ManualClock(100.0), wall_clock=lambda: NOW, places=places)
    core.effects = []
    core.on_effect(core.effects.append)
    core.dispatch(i.StartSession())
    core.device_health(DeviceKind.PRINTER, DeviceHealth(ready=True))
    return core


def answer_last(core, value):
    core.dispatch(EffectDone(core.effects[-1], value))


def round_trips(value):
    again = loads(dumps(value))
    assert again == value
    assert dumps(again) == dumps(value), "one text for one value"
    return again


def test_a_booking_from_its_summary_to_its_receipt_round_trips(core):
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.Remember("home.search", "passeport"))
    core.dispatch(i.StartFlow("appointment"))
    answer_last(core, [PASSPORT])
    core.dispatch(ChooseProcedure(PASSPORT.id))
    core.dispatch(EnterAnts("ab12 cd34 ef"))
    core.dispatch(ChooseDocuments(2))
    answer_last(core, [SLOT])
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(SLOT.id))
    core.dispatch(EnterName("Jeanne Martin"))
    core.dispatch(EnterContact("06 12 34 56 78", ""))
    summary = round_trips(core.state)
    assert summary.session.flow.name == "Jeanne Martin"
    assert round_trips(view_of(core.state)).flow.content.slots.chosen == SLOT
    core.dispatch(Confirm())
    booked = Appointment("41", PASSPORT.id, START, SLOT.end, AppointmentStatus.BOOKED)
    answer_last(core, Submitted("borne-1-20261123-0001", True, booked))
    done = round_trips(core.state)
    assert done.session.receipt.number == "41", "the receipt kept for Print again"
    assert done.printing.effect_id is not None, "printing, as the state says"
    assert round_trips(view_of(core.state)).receipt.number == "41"


def test_tracking_and_the_places_round_trip(core):
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104 217"))
    history = (StatusStep(RequestStatus.RECEIVED, datetime(2026, 11, 2, 9, tzinfo=PARIS)),
               StatusStep(RequestStatus.IN_PROGRESS, datetime(2026, 11, 5, tzinfo=PARIS), "Vu"))
    answer_last(core, RequestReport("104217", "Nid de poule", RequestStatus.IN_PROGRESS,
                                    history))
    round_trips(core.state)
    round_trips(view_of(core.state))
    core.dispatch(i.Back())
    core.dispatch(i.Back())
    core.dispatch(i.StartFlow("places"))
    state = round_trips(core.state)
    assert state.session.flow.directory.places, "the whole directory, with its hours"
    round_trips(view_of(core.state))


def test_intents_round_trip():
    for intent in (i.StartFlow("tracking", "104217"), i.Open("help"), i.SetLanguage("en"),
                   ChooseDay(date(2026, 11, 24)), EnterContact("0612345678", "")):
        round_trips(intent)


def test_a_type_from_elsewhere_is_refused():
    with pytest.raises(ValueTextError, match="not a module of the kiosk's values"):
        loads('{"$": "subprocess:Popen", "fields": {"args": ["true"]}}')
    with pytest.raises(ValueTextError, match="no such type"):
        loads('{"$": "kiosk.core.state:Nothing", "fields": {}}')
    with pytest.raises(ValueTextError, match="not JSON"):
        loads("{")
