"""The places file (SCDL "équipements" CSV): the packaged one reads, a wrong one is refused on
one line naming file, row, place, column and reason; walking distance and time; places in
words in French and English; `kiosk run` stops before any window on a wrong file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from french_times import nbsp_times

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core.i18n import translate
from kiosk.core.opening_hours import DayHours, Span, parse_opening_hours
from kiosk.core.places import (
    DETOUR_FACTOR,
    EQUIP_TYPES,
    WALKING_SPEED_M_S,
    PlaceKind,
    PlacesFileError,
    format_phone,
    haversine_m,
    walk,
)
from kiosk.core.places_text import (
    KIND_KEYS,
    day_text,
    distance_text,
    kind_name,
    status_text,
    today_text,
    walk_short,
    walk_text,
    week_lines,
)
from kiosk.locales import DOMAIN, LOCALE_DIR
from kiosk.settings.loader import PACKAGED_CONFIG_DIR, ConfigError, load_settings

REPO = Path(__file__).resolve().parents[2]
HEADER = ("EQUIP_UID,EQUIP_TYPE,EQUIP_NOM,ADR_NUMERO,ADR_NOMVOIE,ADR_CODEPOSTAL,ADR_COMMUNE,"
          "EQUIP_LAT,EQUIP_LONG,EQUIP_OUVERTURE,EQUIP_TEL")
GOOD_ROW = ('41999-08020101-001,Médiathèque,Médiathèque Jean-de-La-Fontaine,21,Rue Nationale,'
            '41150,Villeneuve-sur-Loire,47.587,1.3356,"Tu 14:00-18:00; Sa 10:00-17:00",'
            '+33 261910200')
LIBRARY = "41999-08020101-001"
# 2026-11-23 is a Monday.
MONDAY_NOON = datetime(2026, 11, 23, 12, 0)


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "places.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


# -- the packaged file ------------------------------------------------------------------------


def test_the_packaged_file_is_the_default_and_reads():
    settings = load_settings(environ={})
    path = places_path(settings.places.file)
    assert path == PACKAGED_CONFIG_DIR / "places.csv"
    directory = read_places(path)
    assert directory.kinds() == tuple(PlaceKind)
    assert len(directory.places) == 9, "the stadium row is not a kind the kiosk shows"
    assert all(p.hours is not None and p.phone for p in directory.places)
    library = directory.get(LIBRARY)
    assert library is not None and library.kind is PlaceKind.LIBRARY
    assert library.address == "21 Rue Nationale, 41150 Villeneuve-sur-Loire"
    outdoor = next(p for p in directory.places if "plein air" in p.name)
    assert outdoor.address == "Parc des Bords-de-Loire, 41150 Villeneuve-sur-Loire", (
        "ADR_NUMERO 99999 means no number"
    )


def test_the_packaged_places_are_in_walking_reach_of_the_packaged_station():
    settings = load_settings(environ={})
    station = settings.site.location
    for place in read_places(places_path(settings.places.file)).places:
        assert walk(station.lat, station.long, place.lat, place.long).walkable, place.name


def test_an_absolute_path_is_kept(tmp_path):
    assert places_path(tmp_path / "x.csv") == tmp_path / "x.csv"


def test_a_semicolon_file_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "places.csv"
    row = GOOD_ROW.replace('"Tu 14:00-18:00; Sa 10:00-17:00"', '"Tu 14:00-18:00; Sa off"')
    # Re-split the comma row into semicolons, keeping the quoted hours whole.
    import csv
    import io

    fields = next(csv.reader(io.StringIO(row)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER.split(","))
    writer.writerow(fields)
    path.write_bytes("\ufeff".encode() + out.getvalue().encode("utf-8"))
    directory = read_places(path)
    assert directory.places[0].name == "Médiathèque Jean-de-La-Fontaine"


def test_rows_of_other_facility_types_are_left_out(tmp_path):
    stadium = GOOD_ROW.replace("41999-08020101-001,Médiathèque", "41999-05010101-001,Stade")
    directory = read_places(write(tmp_path, GOOD_ROW, stadium))
    assert [p.uid for p in directory.places] == [LIBRARY]


@pytest.mark.parametrize("term", ["Mairie", "MAIRIE ANNEXE", "Déchetterie", "Decheterie",
                                  "Centre aquatique", "Médiathèque"])
def test_equipment_types_are_matched_without_case_or_accents(term, tmp_path):
    row = GOOD_ROW.replace(",Médiathèque,", f",{term},")
    assert read_places(write(tmp_path, row)).places[0].kind in EQUIP_TYPES.values()


# -- a wrong file: one line, file, row, place, column, reason ---------------------------------


@pytest.mark.parametrize(("change", "expected"), [
    (("47.587", '"47,587"'), "row 2 (Médiathèque Jean-de-La-Fontaine): EQUIP_LAT: '47,587' is "
                             "not a decimal number (WGS 84 degrees, with a point)"),
    (("1.3356", "200"), "row 2 (Médiathèque Jean-de-La-Fontaine): EQUIP_LONG: '200' is not "
                        "between -180 and 180"),
    (("Tu 14:00-18:00; Sa 10:00-17:00", "Mo-Fr sunrise-sunset"),
     "row 2 (Médiathèque Jean-de-La-Fontaine): EQUIP_OUVERTURE: sunrise and sunset times are "
     "not supported"),
    (("Tu 14:00-18:00; Sa 10:00-17:00", "Mo 10:00-12:00, Tu 14:00-16:00"),
     "row 2 (Médiathèque Jean-de-La-Fontaine): EQUIP_OUVERTURE: 'Tu' in rule 'Mo 10:00-12:00, "
     "Tu 14:00-16:00': ',' between rules is not supported; separate rules with ';'"),
    ((",21,Rue Nationale,", ",21,,"), "row 2 (Médiathèque Jean-de-La-Fontaine): ADR_NOMVOIE: "
                                      "required but empty"),
    (("Médiathèque Jean-de-La-Fontaine", ""), f"row 2 ({LIBRARY}): EQUIP_NOM: required but "
                                              "empty"),
])
def test_a_wrong_value_names_file_row_place_field_and_reason(tmp_path, change, expected):
    path = write(tmp_path, GOOD_ROW.replace(*change))
    with pytest.raises(PlacesFileError) as err:
        read_places(path)
    assert str(err.value) == f"{path}: {expected}"
    assert "\n" not in str(err.value)
    assert isinstance(err.value, ConfigError), "kiosk run reports it like a bad setting"


def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path, GOOD_ROW, header=HEADER.replace("EQUIP_LAT", "LATITUDE"))
    with pytest.raises(PlacesFileError, match=r"column EQUIP_LAT missing .*SCDL"):
        read_places(path)


def test_a_unique_id_used_twice_is_refused(tmp_path):
    path = write(tmp_path, GOOD_ROW, GOOD_ROW)
    with pytest.raises(PlacesFileError, match=r"row 3 \(Médiathèque Jean-de-La-Fontaine\): "
                                              "EQUIP_UID: .* already used"):
        read_places(path)


def test_an_unquoted_comma_is_explained(tmp_path):
    path = write(tmp_path, GOOD_ROW.replace('"Tu 14:00-18:00; Sa 10:00-17:00"',
                                            "Tu 14:00-18:00,15:00-16:00"))
    with pytest.raises(PlacesFileError, match="row 2: more values than columns"):
        read_places(path)


def test_a_file_without_any_place_the_kiosk_shows_is_refused(tmp_path):
    path = write(tmp_path, GOOD_ROW.replace(",Médiathèque,", ",Stade,"))
    with pytest.raises(PlacesFileError, match="no town hall, library, swimming pool or waste"):
        read_places(path)


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p, "file not found"),
    (lambda p: (p.mkdir(), p)[1], "is a directory"),
    (lambda p: (p.write_bytes(b"\xff\xfe\x00bad"), p)[1], "not UTF-8"),
])
def test_an_unreadable_file_is_named(tmp_path, make, reason):
    path = make(tmp_path / "places.csv")
    with pytest.raises(PlacesFileError, match=reason) as err:
        read_places(path)
    assert str(err.value).startswith(str(path))


def run_kiosk(**env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK__")}
    full_env.update(env)
    full_env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "run"], env=full_env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_kiosk_run_stops_on_a_wrong_places_file_before_any_window(tmp_path):
    path = write(tmp_path, GOOD_ROW.replace("Tu 14:00-18:00", "Tu 14:00-18:00+"))
    done = run_kiosk(KIOSK__DATA_DIR=f'"{tmp_path / "data"}"', KIOSK__PLACES__FILE=f'"{path}"')
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if str(path) in line]
    assert lines == [f"{path}: row 2 (Médiathèque Jean-de-La-Fontaine): EQUIP_OUVERTURE: "
                     "open ends ('+') are not supported"]
    assert "Traceback" not in done.stderr
    assert "Window" not in done.stderr, "no window may open for a station that cannot run"


# -- walking -------------------------------------------------------------------------------------


def test_haversine_against_known_distances():
    # One degree of latitude on the mean sphere: R·π/180 = 111 195 m.
    assert haversine_m(47.0, 1.0, 48.0, 1.0) == pytest.approx(111_195, abs=1)
    # Paris (Notre-Dame) to Lyon (Bellecour): 391.5 km great circle.
    assert haversine_m(48.8530, 2.3499, 45.7578, 4.8320) / 1000 == pytest.approx(391.5, abs=1)
    assert haversine_m(47.5859, 1.3329, 47.5859, 1.3329) == 0


def test_walking_time_uses_the_detour_factor_and_the_slow_walking_speed():
    north = 1000 / 111_195  # degrees of latitude for 1000 m
    way = walk(47.0, 1.0, 47.0 + north, 1.0)
    assert way.straight_m == pytest.approx(1000, abs=0.5)
    assert way.route_m == pytest.approx(1000 * DETOUR_FACTOR, abs=1)
    assert way.minutes == 20  # 1250 m at 1.07 m/s = 19.5 min, rounded up
    assert WALKING_SPEED_M_S * 60 * way.minutes >= way.route_m


def test_here_and_too_far():
    assert walk(47.0, 1.0, 47.0, 1.0).here
    assert walk(47.0, 1.0, 47.0, 1.0).minutes == 1
    assert not walk(47.0, 1.0, 47.001, 1.0).here  # 111 m
    assert walk(47.0, 1.0, 47.025, 1.0).walkable  # 2.8 km straight, 3.5 km on foot: 55 min
    assert not walk(47.0, 1.0, 47.03, 1.0).walkable  # 3.3 km straight, 4.2 km: 65 min


@pytest.mark.parametrize(("written", "shown"), [
    ("+33 261910200", "02 61 91 02 00"), ("+33 2 61 91 02 00", "02 61 91 02 00"),
    ("02.61.91.02.00", "02 61 91 02 00"), ("+33 (0)2 61 91 02 00", "02 61 91 02 00"),
    ("3939", "3939"), ("+44 20 7946 0000", "+44 20 7946 0000"),
])
def test_phone_numbers_as_people_dial_them(written, shown):
    assert format_phone(written) == shown


# -- in words ------------------------------------------------------------------------------------

HOURS = parse_opening_hours("Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off")


@pytest.mark.parametrize(("moment", "fr", "en"), [
    (datetime(2026, 11, 23, 10), nbsp_times("Ouvert, ferme à 12 h"), "Open, closes at 12:00"),
    (datetime(2026, 11, 23, 12, 30), nbsp_times("Fermé, ouvre à 13 h 30"),
     "Closed, opens at 13:30"),
    (datetime(2026, 11, 23, 18), nbsp_times("Fermé, ouvre demain à 8 h 30"),
     "Closed, opens tomorrow at 8:30"),
    (datetime(2026, 11, 28, 13), nbsp_times("Fermé, ouvre lundi à 8 h 30"),
     "Closed, opens on Monday at 8:30"),
])
def test_status_in_words(moment, fr, en):
    assert status_text(HOURS, moment, "fr") == fr
    assert status_text(HOURS, moment, "en") == en


def test_status_far_ahead_always_open_closed_for_now_and_unknown():
    summer = parse_opening_hours("Jun-Aug Mo-Su 11:00-19:00")
    assert status_text(summer, datetime(2026, 5, 20, 9), "fr") == (
        nbsp_times("Fermé, ouvre le lundi 1 juin à 11 h"))
    assert status_text(summer, datetime(2026, 5, 20, 9), "en") == (
        "Closed, opens on Monday 1 June at 11:00")
    assert status_text(summer, MONDAY_NOON, "fr") == "Fermé pour le moment"
    assert status_text(parse_opening_hours("24/7"), MONDAY_NOON, "en") == "Open 24 hours a day"
    assert status_text(None, MONDAY_NOON, "fr") == "Horaires non communiqués"


def test_a_day_in_words_with_its_lunch_break():
    assert today_text(HOURS, MONDAY_NOON, "fr") == (
        nbsp_times("Aujourd’hui : de 8 h 30 à 12 h, puis de 13 h 30 à 17 h 30"))
    assert today_text(HOURS, MONDAY_NOON, "en") == "Today: 8:30 to 12:00, then 13:30 to 17:30"
    assert day_text(DayHours(date(2026, 11, 29), (), False), "fr") == "fermé"
    assert day_text(DayHours(date(2026, 12, 25), (), True), "en") == "closed (public holiday)"
    assert day_text(DayHours(date(2026, 11, 29), (Span(0, 1440),), False), "fr") == (
        "ouvert toute la journée")
    assert day_text(DayHours(date(2026, 11, 27), (Span(1320, 1560),), False), "fr") == (
        nbsp_times("de 22 h à 2 h"))


def test_the_week_in_words_names_today_tomorrow_then_dates():
    lines = week_lines(HOURS, datetime(2026, 12, 21, 9), "fr")
    assert lines[0] == nbsp_times("Aujourd’hui : de 8 h 30 à 12 h, puis de 13 h 30 à 17 h 30")
    assert lines[1].startswith("Demain : ")
    assert lines[4] == "Vendredi 25 décembre : fermé (jour férié)"
    assert lines[5] == nbsp_times("Samedi 26 décembre : de 9 h à 12 h")
    assert lines[6] == "Dimanche 27 décembre : fermé"
    assert week_lines(HOURS, datetime(2026, 12, 21, 9), "en")[4] == (
        "Friday 25 December: closed (public holiday)")


def test_walks_in_words():
    library = walk(47.5859, 1.3329, 47.5870, 1.3356)
    assert walk_text(library, "fr") == "À 300 m à pied, environ 5 minutes"
    assert walk_text(library, "en") == "300 m on foot, about 5 minutes"
    assert walk_short(library, "fr") == "300 m · 5 min à pied"
    assert walk_text(walk(47.0, 1.0, 47.0, 1.0), "fr") == "Vous y êtes : c’est ici"
    far = walk(47.0, 1.0, 47.1, 1.0)
    assert walk_text(far, "fr") == "À 13,9 km d’ici, trop loin pour y aller à pied"
    assert walk_short(far, "en") == "13.9 km"
    assert distance_text(2615, "fr") == "2,6 km"
    assert distance_text(2, "en") == "10 m"


def catalog(language: str) -> dict[str, str]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_keys_built_at_run_time_exist(language):
    messages = catalog(language)
    for key in (*KIND_KEYS.values(), "places.kind.all", "places.walk.minutes",
                "places.walk.one_minute"):
        assert messages.get(key), key
        assert translate(key, language) != key
    assert kind_name(None, language) == translate("places.kind.all", language)


def test_a_french_time_never_breaks_across_lines():
    """"8 h 30" holds no space a line may break at: a narrow column would leave "8" at the
    end of one line and "h 30" on the next."""
    for text in (status_text(HOURS, datetime(2026, 11, 23, 18), "fr"),
                 status_text(HOURS, datetime(2026, 11, 23, 18), "fr_FALC"),
                 today_text(HOURS, MONDAY_NOON, "fr")):
        assert " h " not in text and " h," not in text and "8\u00a0h\u00a030" in text
