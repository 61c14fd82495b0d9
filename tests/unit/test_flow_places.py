"""The places flow inside the core: started from its home entry, filtered by kind, a place
opened and closed, the week shown where it does not fit, Back step by step, and the moment the
hours are worked out for renewed at every touch."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core import intents as i
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.flows.places import (
    ChooseKind,
    OpenPlace,
    PlacesFlow,
    PlacesStep,
    ShowList,
    ShowPage,
    ShowWeek,
)
from kiosk.core.home_entries import home_entries, matching_entries
from kiosk.core.places import EMPTY_DIRECTORY, PlaceKind
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import Screens
from kiosk.settings.loader import ConfigSources, load_settings

PARIS = ZoneInfo("Europe/Paris")
LIBRARY = "41999-08020101-001"
TOWN_HALL = "41999-01010401-001"


class Wall:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 15, 0, tzinfo=PARIS)  # a Tuesday afternoon

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall():
    return Wall()


def make_core(wall, places=None):
    settings = load_settings(ConfigSources(), environ={})
    if places is None:
        places = read_places(places_path(settings.places.file))
    core = KioskCore(settings, ManualClock(100.0), wall_clock=wall, places=places)
    core.dispatch(i.StartSession())
    return core


@pytest.fixture
def core(wall):
    return make_core(wall)


def flow(core) -> PlacesFlow:
    value = core.state.session.flow
    assert isinstance(value, PlacesFlow)
    return value


def screen(core):
    return select_screen(core.state).screen


def test_the_home_entry_starts_the_flow_and_is_found_by_its_keywords():
    entry = next(e for e in home_entries() if e.key == "home.entry.places")
    assert entry.intent() == i.StartFlow("places")
    assert entry in matching_entries("piscine", "fr")
    assert entry in matching_entries("dechetterie", "fr")
    assert entry in matching_entries("opening hours", "en")


def test_the_list_groups_by_kind_nearest_first(core):
    core.dispatch(i.StartFlow("places"))
    assert screen(core) == "places_list"
    assert (core.state.flow.step, core.state.flow.steps) == (1, 2)
    listing = flow(core).listing()
    kinds = [item.place.kind for item in listing]
    assert kinds == sorted(kinds, key=list(PlaceKind).index)
    assert listing[0].place.uid == TOWN_HALL and listing[0].walk.here
    for kind in PlaceKind:
        routes = [item.walk.route_m for item in listing if item.place.kind is kind]
        assert routes == sorted(routes)


def test_filter_by_kind_and_back_to_all(core):
    core.dispatch(i.StartFlow("places"))
    core.dispatch(ShowPage(1))
    core.dispatch(ChooseKind(PlaceKind.LIBRARY))
    assert flow(core).page == 0, "a new filter starts on its first page"
    assert {item.place.kind for item in flow(core).listing()} == {PlaceKind.LIBRARY}
    core.dispatch(ChooseKind(None))
    assert len(flow(core).listing()) == 9


def test_a_kind_without_places_is_not_offered(wall):
    settings = load_settings(ConfigSources(), environ={})
    full = read_places(places_path(settings.places.file))
    only_pools = type(full)(tuple(p for p in full.places if p.kind is PlaceKind.POOL), "test")
    core = make_core(wall, only_pools)
    core.dispatch(i.StartFlow("places"))
    core.dispatch(ChooseKind(PlaceKind.LIBRARY))
    assert flow(core).kind is None
    assert flow(core).directory.kinds() == (PlaceKind.POOL,)


def test_a_place_then_back_step_by_step(core, wall):
    core.dispatch(i.StartFlow("places"))
    core.dispatch(ChooseKind(PlaceKind.LIBRARY))
    core.dispatch(OpenPlace(LIBRARY))
    assert screen(core) == "places_detail"
    assert core.state.flow.step == 2
    chosen = flow(core).chosen()
    assert chosen is not None and chosen.place.name == "Médiathèque Jean-de-La-Fontaine"
    assert chosen.walk.minutes == 5
    core.dispatch(ShowWeek(True))
    assert flow(core).week
    core.dispatch(i.Back())
    assert screen(core) == "places_detail" and not flow(core).week
    core.dispatch(i.Back())
    assert screen(core) == "places_list"
    assert flow(core).kind is PlaceKind.LIBRARY, "the list is where it was left"
    assert flow(core).uid == LIBRARY, "the last place opened, for the keyboard focus"
    core.dispatch(i.Back())
    assert screen(core) == Screens.HOME
    assert core.state.flow is None


def test_see_the_other_places_goes_back_to_the_list(core):
    core.dispatch(i.StartFlow("places"))
    core.dispatch(OpenPlace(LIBRARY))
    core.dispatch(ShowWeek(True))
    core.dispatch(ShowList())
    assert screen(core) == "places_list"
    assert not flow(core).week


def test_an_unknown_place_or_a_week_outside_a_place_changes_nothing(core):
    core.dispatch(i.StartFlow("places"))
    before = flow(core)
    core.dispatch(OpenPlace("nowhere"))
    core.dispatch(ShowWeek(True))
    assert flow(core) == before
    core.dispatch(ShowPage(-3))
    assert flow(core).page == 0


def test_every_touch_renews_the_moment_of_the_hours(core, wall):
    core.dispatch(i.StartFlow("places"))
    assert flow(core).as_of == wall.now
    wall.now = wall.now.replace(hour=18, minute=5)
    core.dispatch(OpenPlace(LIBRARY))
    assert flow(core).as_of == wall.now
    wall.now = wall.now.replace(hour=18, minute=30)
    core.dispatch(i.Back())
    assert flow(core).as_of == wall.now


def test_a_kind_as_the_start_parameter(core):
    core.dispatch(i.StartFlow("places", "pool"))
    assert flow(core).kind is PlaceKind.POOL
    assert screen(core) == "places_list"


def test_no_places_says_so(wall):
    core = make_core(wall, EMPTY_DIRECTORY)
    core.dispatch(i.StartFlow("places"))
    assert core.state.flow.problem == "places.none"
    assert flow(core).listing() == ()


def test_starting_again_or_leaving_ends_the_flow(core):
    core.dispatch(i.StartFlow("places"))
    core.dispatch(OpenPlace(LIBRARY))
    core.dispatch(i.StartAgain())
    assert core.state.session.flow is None
    assert screen(core) == Screens.HOME


def test_the_flow_value_holds_nothing_typed(core):
    core.dispatch(i.StartFlow("places"))
    value = flow(core)
    assert value.step is PlacesStep.LIST
    assert set(vars(value)) == {"directory", "origin", "as_of", "step", "kind", "page", "uid",
                                "week"}
