"""The screen-power schedule (kiosk/core/panel_power.py): where the hours come from (the
configuration, the place the configuration names, the place where the station stands), a day
lit from its first opening to its last closing with the margin, holidays and nights dark,
never during a session, a touch keeping the panel lit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core.panel_power import ALWAYS_LIT, PanelMode, in_hours, panel_mode, power_plan
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings

PLACES = read_places(places_path(Path("places.csv")))
#: The packaged station stands at the packaged town hall (config/places.csv, first row):
#: "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off".
TOWN_HALL = "41999-01010401-001"
MONDAY = datetime(2026, 3, 2)  # not a holiday
EASTER_MONDAY = datetime(2026, 4, 6)


def settings(**env: str):
    return load_settings(ConfigSources(), environ={f"KIOSK__POWER__{k.upper()}": v
                                                   for k, v in env.items()})


def at(day: datetime, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return day.replace(hour=hour, minute=minute)


def test_lit_all_the_time_unless_asked():
    assert power_plan(settings(), PLACES) is ALWAYS_LIT
    assert panel_mode(ALWAYS_LIT, at(MONDAY, "03:00"), False, float("inf")) is PanelMode.LIT


def test_the_hours_of_the_place_where_the_station_stands():
    plan = power_plan(settings(night='"off"'), PLACES)
    assert plan.source == TOWN_HALL and plan.hours is not None


def test_the_hours_of_a_place_named_or_of_the_configuration():
    named = power_plan(settings(night='"dim"', place='"41999-01010401-002"'), PLACES)
    assert named.source == "41999-01010401-002"
    own = power_plan(settings(night='"dim"', hours='"Mo-Su 06:00-23:00"'), PLACES)
    assert own.source == "configuration"
    assert in_hours(own, at(MONDAY, "22:59")) and not in_hours(own, at(MONDAY, "23:45"))


@pytest.mark.parametrize(("env", "words"), [
    ({"hours": '"Mo-Fr 8h-17h"'}, "power.hours"),
    ({"place": '"no-such-place"'}, "power.place: no place 'no-such-place'"),
])
def test_hours_or_a_place_that_cannot_be_used_are_refused_naming_the_field(env, words):
    with pytest.raises(ConfigError) as caught:
        power_plan(settings(night='"off"', **env), PLACES)
    assert words in str(caught.value)


@pytest.mark.parametrize(("hhmm", "lit"), [
    ("07:59", False), ("08:00", True),   # 08:30 opening less 30 minutes
    ("12:45", True),                     # the lunch break keeps the panel lit
    ("17:59", True), ("18:00", False),   # 17:30 closing plus 30 minutes
    ("03:00", False),
])
def test_a_day_is_lit_from_its_first_opening_to_its_last_closing(hhmm, lit):
    plan = power_plan(settings(night='"off"'), PLACES)
    assert in_hours(plan, at(MONDAY, hhmm)) is lit


def test_a_public_holiday_and_a_sunday_stay_dark():
    plan = power_plan(settings(night='"off"'), PLACES)
    assert not in_hours(plan, at(EASTER_MONDAY, "10:00"))
    assert not in_hours(plan, at(datetime(2026, 3, 8), "10:00"))  # a Sunday


def test_hours_past_midnight_and_a_margin_into_the_next_day():
    plan = power_plan(settings(night='"off"', hours='"Fr 20:00-02:00"', margin_min="60"),
                      PLACES)
    friday = datetime(2026, 3, 6)
    assert in_hours(plan, at(friday, "23:30"))
    assert in_hours(plan, friday.replace(day=7, hour=2, minute=59))
    assert not in_hours(plan, friday.replace(day=7, hour=3, minute=1))


def test_never_during_a_session_and_a_touch_keeps_it_lit_a_while():
    plan = power_plan(settings(night='"off"', wake_s="60"), PLACES)
    night = at(MONDAY, "23:00")
    assert panel_mode(plan, night, False, float("inf")) is PanelMode.OFF
    assert panel_mode(plan, night, True, float("inf")) is PanelMode.LIT
    assert panel_mode(plan, night, False, 59.0) is PanelMode.LIT
    assert panel_mode(plan, night, False, 60.0) is PanelMode.OFF
    dim = power_plan(settings(night='"dim"'), PLACES)
    assert panel_mode(dim, night, False, float("inf")) is PanelMode.DIM
    assert panel_mode(dim, at(MONDAY, "10:00"), False, float("inf")) is PanelMode.LIT


def test_a_station_with_no_place_of_its_own_is_always_lit():
    far = load_settings(ConfigSources(), environ={
        "KIOSK__POWER__NIGHT": '"off"', "KIOSK__SITE__LOCATION__LAT": "47.7"})
    plan = power_plan(far, PLACES)
    assert plan.hours is None
    assert panel_mode(plan, at(MONDAY, "03:00"), False, float("inf")) is PanelMode.LIT
