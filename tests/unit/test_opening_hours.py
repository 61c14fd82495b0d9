"""Opening hours in the OpenStreetMap syntax: the supported subset (weekday ranges, several
spans a day, `off`, `24/7`, months, public holidays, evenings past midnight), open/closed at a
moment and the next change, the week, and a clear refusal of everything else."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.core.opening_hours import (
    DAY_MINUTES,
    OpeningHoursError,
    Span,
    Status,
    easter_sunday,
    french_public_holidays,
    is_french_public_holiday,
    parse_opening_hours,
)

TOWN_HALL = "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off"
# 2026-11-23 is a Monday.
MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def plus(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


# -- status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "status"), [
    (at(MONDAY, 7, 59), Status(False, at(MONDAY, 8, 30))),  # before opening
    (at(MONDAY, 8, 30), Status(True, at(MONDAY, 12))),  # the opening minute itself
    (at(MONDAY, 11, 59), Status(True, at(MONDAY, 12))),
    (at(MONDAY, 12), Status(False, at(MONDAY, 13, 30))),  # lunch break
    (at(MONDAY, 13, 0), Status(False, at(MONDAY, 13, 30))),
    (at(MONDAY, 17, 29), Status(True, at(MONDAY, 17, 30))),
    (at(MONDAY, 18), Status(False, at(plus(MONDAY, 1), 8, 30))),  # after closing
    (at(plus(MONDAY, 4), 18), Status(False, at(plus(MONDAY, 5), 9))),  # Friday → Saturday
    (at(plus(MONDAY, 5), 12), Status(False, at(plus(MONDAY, 7), 8, 30))),  # Sunday closed
])
def test_town_hall_with_a_lunch_break_and_a_closed_day(moment, status):
    assert parse_opening_hours(TOWN_HALL).status(moment) == status


def test_seconds_do_not_keep_a_place_open_after_its_closing_minute():
    hours = parse_opening_hours(TOWN_HALL)
    assert hours.status(datetime(2026, 11, 23, 11, 59, 59)).open
    assert not hours.status(datetime(2026, 11, 23, 12, 0, 1)).open


def test_an_aware_moment_is_read_as_the_wall_clock_time_it_shows():
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert parse_opening_hours(TOWN_HALL).status(moment) == Status(True, at(MONDAY, 12))


def test_a_public_holiday_closes_a_weekday_and_is_flagged():
    hours = parse_opening_hours(TOWN_HALL)
    christmas = date(2026, 12, 25)  # a Friday
    assert hours.day(christmas).spans == ()
    assert hours.day(christmas).holiday
    assert hours.status(at(date(2026, 12, 24), 18)) == Status(False, at(date(2026, 12, 26), 9))


def test_a_holiday_rule_with_its_own_hours():
    hours = parse_opening_hours("Mo-Sa 10:00-19:00; Su off; PH 09:00-13:00")
    assert hours.day(date(2026, 11, 11)).spans == (Span(540, 780),)  # Wednesday 11 November
    assert hours.day(date(2026, 11, 12)).spans == (Span(600, 1140),)


def test_weekdays_and_holidays_in_one_selector():
    hours = parse_opening_hours("Mo-Sa 09:00-18:00; Su,PH off")
    assert hours.day(date(2026, 7, 14)).spans == ()  # a Tuesday, Bastille Day
    assert hours.day(plus(MONDAY, 6)).spans == ()
    assert hours.day(plus(MONDAY, 1)).spans == (Span(540, 1080),)


def test_overnight_span_runs_into_the_next_day():
    hours = parse_opening_hours("Fr 22:00-02:00")
    friday, saturday = plus(MONDAY, 4), plus(MONDAY, 5)
    assert hours.day(friday).spans == (Span(22 * 60, 26 * 60),)
    assert hours.status(at(friday, 23)) == Status(True, at(saturday, 2))
    assert hours.status(at(saturday, 1, 30)) == Status(True, at(saturday, 2))
    assert hours.status(at(saturday, 2)) == Status(False, at(plus(friday, 7), 22))
    assert parse_opening_hours("Fr 22:00-26:00").day(friday) == hours.day(friday)


def test_overnight_span_joins_the_next_days_morning():
    hours = parse_opening_hours("Fr 20:00-24:00; Sa 00:00-03:00")
    friday, saturday = plus(MONDAY, 4), plus(MONDAY, 5)
    assert hours.status(at(friday, 21)) == Status(True, at(saturday, 3))


def test_24_7_is_open_with_no_closing_time():
    hours = parse_opening_hours("24/7")
    assert hours.status(at(MONDAY, 3)) == Status(True, None)
    assert hours.day(MONDAY).spans == (Span(0, DAY_MINUTES),)


def test_24_7_with_public_holidays_off():
    hours = parse_opening_hours("24/7; PH off")
    assert hours.status(at(date(2026, 12, 24), 23)) == Status(True, at(date(2026, 12, 25), 0))
    assert hours.status(at(date(2026, 12, 25), 12)) == Status(False, at(date(2026, 12, 26), 0))


def test_days_without_times_are_open_all_day():
    hours = parse_opening_hours("Sa-Su")
    assert hours.day(plus(MONDAY, 5)).spans == (Span(0, DAY_MINUTES),)
    assert hours.day(MONDAY).spans == ()


def test_a_later_rule_replaces_what_earlier_ones_said_about_its_days():
    hours = parse_opening_hours("Mo-Fr 09:00-18:00; We 09:00-12:00")
    assert hours.day(plus(MONDAY, 2)).spans == (Span(540, 720),)
    assert hours.day(plus(MONDAY, 3)).spans == (Span(540, 1080),)


def test_months_select_a_season():
    hours = parse_opening_hours("Mo-Su 10:00-18:00; Jul-Aug Mo-Su 10:00-20:00")
    assert hours.day(date(2026, 6, 30)).spans == (Span(600, 1080),)
    assert hours.day(date(2026, 7, 1)).spans == (Span(600, 1200),)
    assert hours.day(date(2026, 8, 31)).spans == (Span(600, 1200),)
    assert hours.day(date(2026, 9, 1)).spans == (Span(600, 1080),)


def test_a_month_range_may_wrap_over_the_new_year():
    hours = parse_opening_hours("Mo-Fr 09:00-18:00; Nov-Feb Mo-Fr 09:00-17:00")
    assert hours.day(date(2027, 1, 4)).spans == (Span(540, 1020),)
    assert hours.day(date(2027, 3, 1)).spans == (Span(540, 1080),)


def test_a_summer_only_place_is_closed_for_now_in_winter_and_opens_in_june():
    hours = parse_opening_hours("Jun-Aug Mo-Su 11:00-19:00")
    assert hours.status(at(MONDAY, 12)) == Status(False, None)  # nothing within two months
    assert hours.status(datetime(2026, 5, 15, 12)) == Status(False, datetime(2026, 6, 1, 11))


def test_weekday_ranges_may_wrap_over_the_weekend():
    hours = parse_opening_hours("Fr-Mo 10:00-12:00")
    assert [bool(d.spans) for d in hours.week(MONDAY)] == [True, False, False, False, True,
                                                           True, True]


def test_spaces_after_commas_and_around_dashes_are_accepted():
    written = parse_opening_hours("Mo, We 08:30 - 12:00, 13:30-17:30")
    assert written.day(MONDAY).spans == (Span(510, 720), Span(810, 1050))
    assert written.day(plus(MONDAY, 1)).spans == ()


def test_the_week_starts_today():
    week = parse_opening_hours(TOWN_HALL).week(date(2026, 12, 21))
    assert [d.day for d in week] == [plus(date(2026, 12, 21), n) for n in range(7)]
    assert [d.holiday for d in week] == [False, False, False, False, True, False, False]
    assert week[5].spans == (Span(540, 720),)
    assert week[6].spans == ()


# -- public holidays -----------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "easter"), [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)),
])
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_the_eleven_french_public_holidays_of_2026():
    assert sorted(french_public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15),
        date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25),
    ]
    assert not is_french_public_holiday(date(2026, 12, 26))


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    ("Mo-Fr 09:00-17:00 || PH off", "fallback rules"),
    ('Mo 10:00-12:00 "sur rendez-vous"', "comments"),
    ("week 01-26 Mo 10:00-12:00", "week numbers"),
    ("Mo-Fr sunrise-sunset", "sunrise"),
    ("SH off", "school holidays"),
    ("Su[1] 10:00-12:00", "nth weekdays"),
    ("2026 Mo 10:00-12:00", "years"),
    ("Mo 18:00+", "open ends"),
    ("Mo 10:00-12:00 open", "'open'"),
    ("Mo 10:00-16:00/01:00", "repeated times"),
    ("Dec 25 off", "dates within a month"),
    ("Mo 10:00-12:00, Tu 14:00-16:00", "separate rules with ';'"),
    ("Lu-Ve 10:00-12:00", "is not supported (expected"),
    ("Mo-Xx 10:00-12:00", "not a weekday"),
    ("Jan-Foo Mo 10:00-12:00", "not a month"),
    ("Mo 25:00-26:00", "not a valid time span"),
    ("Mo 24:30-25:00", "cannot start after 24:00"),
    ("Mo 10:00-10:00", "not a valid time span"),
    ("Mo 10:70-12:00", "not a valid time span"),
    ("Mo 10:00-12:00,11:00-13:00", "overlap"),
    ("10:00-12:00 Mo", "months, then days, then times"),
    ("Mo Tu 10:00-12:00", "months, then days, then times"),
    ("Mo 10:00-12:00 off", "times and 'off' together"),
    ("Mo 10:00-12:00;; Tu 10:00-12:00", "empty rule"),
    ("Mo 10h-12h", "is not supported (expected"),
])
def test_what_is_not_supported_is_refused_with_a_reason(text, reason):
    with pytest.raises(OpeningHoursError) as err:
        parse_opening_hours(text)
    assert reason in str(err.value)
