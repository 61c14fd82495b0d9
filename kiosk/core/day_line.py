"""The attract screen's line of the day: something useful now, from the city's places file
(docs/visual-design.md, "The attract screen"): whether the town hall nearest the station is
open and until when, "Hôtel de Ville : Ouvert, ferme à 17 h 30"."""

from __future__ import annotations

from datetime import datetime

from kiosk.core.i18n import translate
from kiosk.core.places import PlaceDirectory, PlaceKind, walk
from kiosk.core.places_text import status_text


def day_line(places: PlaceDirectory, lat: float, long: float, now: datetime,
             language: str) -> str:
    """The line for the town hall nearest (`lat`, `long`) with published hours; "" when the
    file has none."""
    halls = [p for p in places.places if p.kind is PlaceKind.TOWN_HALL and p.hours is not None]
    if not halls:
        return ""
    nearest = min(halls, key=lambda p: walk(lat, long, p.lat, p.long).straight_m)
    return translate("attract.day_line", language, place=nearest.name,
                     status=status_text(nearest.hours, now, language))
