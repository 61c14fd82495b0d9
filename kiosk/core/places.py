"""The city's public places for "Practical information": town halls, libraries, swimming pools
and waste centres, with their address, phone, opening hours and walking distance from the
station.

They come from a CSV file in the French open-data schema for public facilities, the SCDL
"équipements collectifs publics" (OpenDataFrance, published on schema.data.gouv.fr as
`scdl/equipements`, version 0.1.5): one row per facility, `EQUIP_TYPE` the nomenclature's term
("Mairie", "Bibliothèque", "Piscine", "Déchèterie"…), `EQUIP_OUVERTURE` the hours in the
OpenStreetMap `opening_hours` syntax (see `kiosk.core.opening_hours`). A city can hand the
kiosk the file it already publishes: rows of other facility types (stadiums, schools…) are
left out. The file is read once, at start (kiosk/adapters/places_file.py); nothing is
fetched at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.opening_hours import OpeningHours, OpeningHoursError, parse_opening_hours
from kiosk.core.text import fold
from kiosk.settings.loader import ConfigError

# -- walking -----------------------------------------------------------------------------------

# Mean Earth radius R1 = 6 371 008.8 m of the Geodetic Reference System 1980 (H. Moritz,
# "Geodetic Reference System 1980", Journal of Geodesy 74, 2000): the sphere that the
# haversine formula needs, within 0.5 % of the ellipsoid over a town.
EARTH_RADIUS_M = 6_371_008.8
# Walking speed 1.07 m/s (3.5 ft/s): the speed the US MUTCD (2009 edition, section 4E.06)
# sets for timing pedestrian crossings, lowered from 4.0 ft/s so that slower walkers, many of
# them older people, are covered. A kiosk's times should hold for them too.
WALKING_SPEED_M_S = 1.07
# Streets are not straight lines: walking routes are about 1.2 times the straight-line
# distance in towns (G. F. Newell, "Traffic Flow on Transportation Networks", 1980) and
# 1.21–1.23 around transit stations (P. O'Sullivan and J. Morrall, "Walking distances to and
# from light-rail transit stations", Transportation Research Record 1538, 1996). Rounded up
# to 1.25, so that a time shown is rather long than short.
DETOUR_FACTOR = 1.25
# Closer than this (straight line), the place is where the station stands: "you are here".
HERE_M = 60.0
# Beyond an hour's walk a walking time helps nobody: only the distance is shown.
MAX_WALK_MIN = 60


@dataclass(frozen=True)
class Walk:
    """How far a place is from the station on foot."""

    straight_m: float
    #: estimated length of the walk (straight line × DETOUR_FACTOR)
    route_m: float
    minutes: int

    @property
    def here(self) -> bool:
        """The place is where the station stands."""
        return self.straight_m < HERE_M

    @property
    def walkable(self) -> bool:
        """Close enough for a walking time to make sense."""
        return self.minutes <= MAX_WALK_MIN


def haversine_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in metres between two WGS 84 positions (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(long2 - long1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def walk(lat1: float, long1: float, lat2: float, long2: float) -> Walk:
    """The walk from the first position to the second: length and minutes (at least 1)."""
    straight = haversine_m(lat1, long1, lat2, long2)
    route = straight * DETOUR_FACTOR
    minutes = max(1, math.ceil(route / WALKING_SPEED_M_S / 60))
    return Walk(straight, route, minutes)


# -- places ------------------------------------------------------------------------------------


class PlaceKind(StrEnum):
    """The kinds of place the kiosk shows, in the order it lists them."""

    TOWN_HALL = "town_hall"
    LIBRARY = "library"
    POOL = "pool"
    WASTE_CENTRE = "waste_centre"


# Terms of the CRIGE PACA nomenclature that `EQUIP_TYPE` holds, folded, and the kind each is
# shown as. Both spellings of "déchèterie" are in use.
EQUIP_TYPES: dict[str, PlaceKind] = {
    "mairie": PlaceKind.TOWN_HALL,
    "mairie annexe": PlaceKind.TOWN_HALL,
    "mairie de quartier": PlaceKind.TOWN_HALL,
    "hotel de ville": PlaceKind.TOWN_HALL,
    "bibliotheque": PlaceKind.LIBRARY,
    "mediatheque": PlaceKind.LIBRARY,
    "piscine": PlaceKind.POOL,
    "centre aquatique": PlaceKind.POOL,
    "decheterie": PlaceKind.WASTE_CENTRE,
    "dechetterie": PlaceKind.WASTE_CENTRE,
}
# Columns the kiosk reads (the schema's other columns may be there and are ignored).
REQUIRED_COLUMNS = ("EQUIP_UID", "EQUIP_TYPE", "EQUIP_NOM", "ADR_NUMERO", "ADR_NOMVOIE",
                    "ADR_CODEPOSTAL", "ADR_COMMUNE", "EQUIP_LAT", "EQUIP_LONG")
OPTIONAL_COLUMNS = ("EQUIP_OUVERTURE", "EQUIP_TEL")
# ADR_NUMERO for a street or a place without numbers (SCDL).
NO_NUMBER = "99999"
MAX_TEXT = 200


@dataclass(frozen=True)
class PublicPlace:
    """One public place."""

    uid: str
    kind: PlaceKind
    name: str
    #: one line: number and street, postcode and town
    address: str
    lat: float
    long: float
    #: None when the city publishes no hours for it
    hours: OpeningHours | None = None
    #: as written in the file ("+33 254123456"); empty when none
    phone: str = ""


@dataclass(frozen=True)
class PlaceDirectory:
    """Every place the kiosk shows, in the file's order."""

    places: tuple[PublicPlace, ...] = ()
    #: where they were read from
    source: str = ""

    def get(self, uid: str) -> PublicPlace | None:
        """The place with this `EQUIP_UID`."""
        return next((p for p in self.places if p.uid == uid), None)

    def kinds(self) -> tuple[PlaceKind, ...]:
        """The kinds that have at least one place, in listing order."""
        present = {p.kind for p in self.places}
        return tuple(k for k in PlaceKind if k in present)


EMPTY_DIRECTORY = PlaceDirectory()


class PlacesFileError(ConfigError):
    """A places file the kiosk cannot use: one line naming the file, the row and place, the
    field and the reason."""

    def __init__(self, message: str) -> None:
        super().__init__([message])


def format_phone(phone: str) -> str:
    """A French number as people dial it ("+33 254123456" → "02 54 12 34 56"); anything
    else as written."""
    digits = re.sub(r"[\s.()-]", "", phone)
    if digits.startswith("+33"):
        digits = "0" + digits[3:].removeprefix("0")
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    return phone.strip()


def parse_places(rows: list[dict[str, str]], source: str) -> PlaceDirectory:
    """Places from CSV rows (dicts by column name); rows of other facility types are left
    out. Raises PlacesFileError for the first problem found."""
    places: list[PublicPlace] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        kind = EQUIP_TYPES.get(fold(row.get("EQUIP_TYPE") or ""))
        if kind is None:
            continue
        place = _place(row, kind, f"{source}: row {number}")
        if place.uid in seen:
            raise PlacesFileError(f"{source}: row {number} ({place.name}): EQUIP_UID: "
                                  f"{place.uid!r} is already used by an earlier row")
        seen.add(place.uid)
        places.append(place)
    if not places:
        raise PlacesFileError(
            f"{source}: no town hall, library, swimming pool or waste centre in the file "
            f"(EQUIP_TYPE must be one of: {', '.join(sorted(EQUIP_TYPES))})"
        )
    return PlaceDirectory(tuple(places), source)


def _place(row: dict[str, str], kind: PlaceKind, where: str) -> PublicPlace:
    def text(column: str, required: bool = True) -> str:
        value = " ".join((row.get(column) or "").split())
        if required and not value:
            raise PlacesFileError(f"{label}: {column}: required but empty")
        if len(value) > MAX_TEXT:
            raise PlacesFileError(f"{label}: {column}: longer than {MAX_TEXT} characters")
        return value

    def coordinate(column: str, limit: float) -> float:
        raw = text(column)
        try:
            value = float(raw)
        except ValueError:
            raise PlacesFileError(f"{label}: {column}: {raw!r} is not a decimal number "
                                  "(WGS 84 degrees, with a point)") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise PlacesFileError(f"{label}: {column}: {raw!r} is not between "
                                  f"-{limit:g} and {limit:g}")
        return value

    name = " ".join((row.get("EQUIP_NOM") or "").split())
    label = f"{where} ({name or row.get('EQUIP_UID') or 'no name'})"
    uid, name = text("EQUIP_UID"), text("EQUIP_NOM")
    number, street = text("ADR_NUMERO"), text("ADR_NOMVOIE")
    postcode, town = text("ADR_CODEPOSTAL"), text("ADR_COMMUNE")
    street_line = street if number == NO_NUMBER else f"{number} {street}"
    lat, long = coordinate("EQUIP_LAT", 90), coordinate("EQUIP_LONG", 180)
    hours_text = text("EQUIP_OUVERTURE", required=False)
    hours = None
    if hours_text:
        try:
            hours = parse_opening_hours(hours_text)
        except OpeningHoursError as err:
            raise PlacesFileError(f"{label}: EQUIP_OUVERTURE: {err}") from None
    return PublicPlace(uid=uid, kind=kind, name=name, address=f"{street_line}, {postcode} {town}",
                 lat=lat, long=long, hours=hours, phone=text("EQUIP_TEL", required=False))
