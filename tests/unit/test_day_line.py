"""Unit tests of the attract screen's line of the day (kiosk/core/day_line.py): the town hall
nearest the station, open or closed now and until when, in the session's language; nothing
when the places file has no town hall with hours."""

from datetime import datetime

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
