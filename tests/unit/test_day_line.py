"""Unit tests of the attract screen's line of the day (kiosk/core/day_line.py): the town hall
nearest the station, open or closed now and until when, in the session's language; nothing
when the places file has no town hall with hours."""

from datetime import date, datetime, timedelta

import pytest

from kiosk.core.day_line import day_line
from kiosk.core.opening_hours import parse_opening_hours
from kiosk.core.places import PlaceDirectory, PlaceKind, PublicPlace

HOURS = parse_opening_hours("Mo-Fr 08:30-12:00,13:30-17:30")


def place(uid: str, kind: PlaceKind, lat: float, hours=HOURS) -> PublicPlace:
    return PublicPlace(uid=uid, kind=kind, name=f"Place {uid}", address="1 rue", lat=lat,
                       long=2.0, hours=hours)


DIRECTORY = PlaceDirectory(places=(
    place("far", PlaceKind.TOWN_HALL, 47.10),
    place("near", PlaceKind.TOWN_HALL, 47.01),
    place("library", PlaceKind.LIBRARY, 47.0),
))


def test_the_nearest_town_hall_says_until_when_it_is_open():
    tuesday_morning = datetime(2025, 3, 4, 10, 5)
    line = day_line(DIRECTORY, 47.0, 2.0, tuesday_morning, "en")
    assert line.startswith("Place near: ")
    assert "12" in line and "Open" in line


def test_after_hours_it_says_when_it_opens_again():
    saturday = datetime(2025, 3, 8, 18, 0)
    line = day_line(DIRECTORY, 47.0, 2.0, saturday, "fr")
    assert line.startswith("Place near : ")
    assert "Fermé" in line and "lundi" in line


def test_no_town_hall_with_hours_no_line():
    assert day_line(PlaceDirectory(), 47.0, 2.0, datetime(2025, 3, 4, 10), "fr") == ""
    no_hours = PlaceDirectory(places=(place("x", PlaceKind.TOWN_HALL, 47.0, hours=None),))
    assert day_line(no_hours, 47.0, 2.0, datetime(2025, 3, 4, 10), "fr") == ""


def test_the_line_of_a_saturday_evening_loads_no_babel():
    """The attract screen shows the line at start: naming Monday must not load Babel and its
    data for the language (3–4 MiB the idle station would hold; docs/performance.md)."""
    import subprocess
    import sys

    probe = """
import sys
from datetime import datetime
from kiosk.core.day_line import day_line
from kiosk.core.opening_hours import parse_opening_hours
from kiosk.core.places import PlaceDirectory, PlaceKind, PublicPlace
hall = PublicPlace(uid="h", kind=PlaceKind.TOWN_HALL, name="Mairie", address="1 rue", lat=47.0,
                   long=2.0, hours=parse_opening_hours("Mo-Fr 08:30-12:00,13:30-17:30"))
line = day_line(PlaceDirectory(places=(hall,)), 47.0, 2.0, datetime(2025, 3, 8, 18, 0), "fr")
print("lundi" in line, "babel" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["True", "False"]


@pytest.mark.parametrize("language", ["fr", "en", "fr_FALC"])
def test_weekdays_and_months_are_written_as_babel_writes_them(language):
    """The catalogs' names (kiosk/core/places_text.py) are CLDR's, every day of a year."""
    from babel.dates import format_date, get_day_names

    from kiosk.core.dates import babel_locale
    from kiosk.core.places_text import date_text, weekday_name

    locale = babel_locale(language)
    for offset in range(366):
        day = date(2028, 1, 1) + timedelta(days=offset)
        assert weekday_name(day, language) == get_day_names("wide", locale=locale)[day.weekday()]
        assert date_text(day, language) == format_date(day, "EEEE d MMMM", locale=locale)
