"""Opening hours in the OpenStreetMap `opening_hours` syntax, the format French city open data
uses for hours (the SCDL "équipements collectifs publics" schema asks for it in
`EQUIP_OUVERTURE`; https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification).

The kiosk reads a subset and refuses the rest with an error saying what it could not read,
rather than guessing hours that would send someone to a closed door.

Supported:

- `24/7`, alone or as one rule among others (`24/7; PH off`);
- rules separated by `;`, a later rule replacing what earlier ones said about the days it
  selects (`Mo-Fr 09:00-18:00; We 09:00-12:00`);
- in each rule, in this order, all optional:
  months (`Jan`, `Jul-Aug`, `Jun,Sep`, wrapping `Nov-Feb`),
  weekdays and public holidays (`Mo`, `Mo-Fr`, `Fr-Mo`, `Mo,We,Fr`, `PH`, `Su,PH`),
  times (`08:30-12:00,13:30-17:30`; an end after midnight, `22:00-02:00` or `22:00-26:00`,
  runs into the next day), then `off` or `closed`.
  A rule with days but no times means open all day (`Sa-Su` = 00:00-24:00).
- `PH`: French public holidays (Code du travail, art. L3133-1).

Refused, each with its own message: `,` or `||` between rules, week numbers, years, dates
within a month (`Dec 25`), school holidays (`SH`), nth weekdays (`Su[1]`), sunrise/sunset,
open ends (`18:00+`), repeated times (`/`), comments (`"…"`), and the `open`/`unknown`
modifiers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_MINUTES = 24 * 60
# The specification allows extended times up to 48:00 (an evening that runs past midnight).
MAX_END_MINUTES = 2 * DAY_MINUTES
# How far ahead "opens at …" looks: two months covers a pool closed for the summer.
HORIZON_DAYS = 62

HolidayTest = Callable[[date], bool]


class OpeningHoursError(ValueError):
    """A value the kiosk cannot read; the message says which part and why."""


@dataclass(frozen=True)
class Span:
    """One opening on one day, in minutes after that day's midnight (the end may pass
    midnight: up to 48:00)."""

    start: int
    end: int


@dataclass(frozen=True)
class Rule:
    """One `;`-separated rule: which days it speaks about and what it says of them."""

    #: months 1–12 the rule is limited to; empty for every month
    months: frozenset[int] = frozenset()
    #: weekdays 0 (Monday)–6 the rule selects; with `holidays` False and this empty, every day
    weekdays: frozenset[int] = frozenset()
    #: the rule selects public holidays (`PH`)
    holidays: bool = False
    #: openings on a selected day; empty when the rule closes the day
    spans: tuple[Span, ...] = ()

    def selects(self, day: date, is_holiday: HolidayTest) -> bool:
        """Whether this rule speaks about `day`."""
        if self.months and day.month not in self.months:
            return False
        if not self.weekdays and not self.holidays:
            return True
        return day.weekday() in self.weekdays or (self.holidays and is_holiday(day))


@dataclass(frozen=True)
class DayHours:
    """What one day looks like: its openings, and whether it is a public holiday."""

    day: date
    spans: tuple[Span, ...]
    holiday: bool


@dataclass(frozen=True)
class Status:
    """Open or closed at a moment, and when that changes (None: not within the horizon,
    that is open around the clock, or no opening in sight)."""

    open: bool
    change_at: datetime | None


# -- French public holidays ---------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int) -> frozenset[date]:
    """The eleven public holidays of the Code du travail, art. L3133-1: 1 January, Easter
    Monday, 1 May, 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November,
    11 November, 25 December. (Alsace-Moselle's Good Friday and 26 December are not in it.)"""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([date(year, m, d) for m, d in fixed] + moving)


def is_french_public_holiday(day: date) -> bool:
    """Whether `day` is a French public holiday."""
    return day in french_public_holidays(day.year)


# -- parsing ---------------------------------------------------------------------------------------

_TIME = r"(\d{1,2}):(\d{2})"
_SPAN = re.compile(rf"^{_TIME}-{_TIME}$")
_WEEKDAY_NAMES = {name.lower(): i for i, name in enumerate(WEEKDAYS)}
_MONTH_NAMES = {name.lower(): i + 1 for i, name in enumerate(MONTHS)}
# What the unsupported parts of the syntax look like, and what to say about each.
_REFUSED = (
    (re.compile(r"\|\|"), "fallback rules ('||') are not supported"),
    (re.compile(r'"'), "comments in quotes are not supported"),
    (re.compile(r"\bweek\b", re.I), "week numbers are not supported"),
    (re.compile(r"\b(sunrise|sunset|dawn|dusk)\b", re.I),
     "sunrise and sunset times are not supported"),
    (re.compile(r"\bSH\b"), "school holidays (SH) are not supported"),
    (re.compile(r"\[[^\]]*\]"), "nth weekdays such as Su[1] are not supported"),
    (re.compile(r"\b(1[89]|2\d)\d\d\b"), "years are not supported"),
    (re.compile(r"\d\+|\+\s*(;|$)"), "open ends ('+') are not supported"),
    (re.compile(r"\b(open|unknown)\b", re.I),
     "the 'open' and 'unknown' modifiers are not supported"),
    (re.compile(r"\d/\d"), "repeated times ('/') are not supported"),
)


def parse_opening_hours(text: str) -> OpeningHours:
    """The hours `text` describes, or OpeningHoursError naming the part it cannot read."""
    value = " ".join(text.split())
    if not value:
        raise OpeningHoursError("empty value")
    for pattern, reason in _REFUSED:
        if pattern.search(value.replace("24/7", "")):
            raise OpeningHoursError(reason)
    parts = [part.strip() for part in value.split(";")]
    if not all(parts):
        raise OpeningHoursError("an empty rule between ';'")
    return OpeningHours(value, tuple(_rule(part) for part in parts))


def _rule(text: str) -> Rule:
    if text == "24/7":
        return Rule(spans=(Span(0, DAY_MINUTES),))
    # "08:30-12:00, 13:30-17:30" and "Mo, We" are written with spaces after commas too.
    tokens = re.sub(r"\s*,\s*", ",", text).replace(" - ", "-").split(" ")
    months: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    holidays = False
    spans: tuple[Span, ...] | None = None
    closed = False
    # Selectors come in a fixed order: months, days, times, modifier.
    stage = 0
    for token in tokens:
        kind = _token_kind(token, text)
        order = {"months": 1, "days": 2, "times": 3, "modifier": 4}[kind]
        if order <= stage:
            raise OpeningHoursError(
                f"{token!r} in rule {text!r}: a rule is months, then days, then times, then "
                "'off', each at most once"
            )
        stage = order
        if kind == "months":
            months = _months(token)
        elif kind == "days":
            weekdays, holidays = _days(token)
        elif kind == "times":
            spans = _spans(token, text)
        else:
            closed = True
    if closed:
        if spans is not None:
            raise OpeningHoursError(f"rule {text!r}: times and 'off' together")
        spans = ()
    elif spans is None:
        spans = (Span(0, DAY_MINUTES),)  # days without times: open all day
    return Rule(months, weekdays, holidays, spans)


def _token_kind(token: str, rule: str) -> str:
    lowered = token.lower()
    first = re.split(r"[-,]", lowered)[0]
    if lowered in ("off", "closed"):
        return "modifier"
    if first in _MONTH_NAMES:
        return "months"
    if first in _WEEKDAY_NAMES or first == "ph":
        return "days"
    if re.match(r"^\d{1,2}:\d{2}", token):
        return "times"
    if token.isdigit():
        raise OpeningHoursError(f"{token!r} in rule {rule!r}: dates within a month are not "
                                "supported, only whole months")
    raise OpeningHoursError(
        f"{token!r} in rule {rule!r} is not supported (expected months such as Jul-Aug, "
        "days such as Mo-Fr or PH, times such as 08:30-12:00, or off)"
    )


def _months(token: str) -> frozenset[int]:
    chosen: set[int] = set()
    for item in token.split(","):
        bounds = item.split("-")
        if len(bounds) > 2 or any(b.lower() not in _MONTH_NAMES for b in bounds):
            raise OpeningHoursError(f"{item!r} is not a month or a range of months "
                                    "(Jan … Dec; dates within a month are not supported)")
        first, last = (_MONTH_NAMES[b.lower()] for b in (bounds[0], bounds[-1]))
        month = first
        while True:  # a range may wrap over the new year: Nov-Feb
            chosen.add(month)
            if month == last:
                break
            month = month % 12 + 1
    return frozenset(chosen)


def _days(token: str) -> tuple[frozenset[int], bool]:
    chosen: set[int] = set()
    holidays = False
    for item in token.split(","):
        if item.lower() == "ph":
            holidays = True
            continue
        bounds = item.split("-")
        if len(bounds) > 2 or any(b.lower() not in _WEEKDAY_NAMES for b in bounds):
            raise OpeningHoursError(f"{item!r} is not a weekday, a range of weekdays or PH "
                                    "(Mo Tu We Th Fr Sa Su)")
        first, last = (_WEEKDAY_NAMES[b.lower()] for b in (bounds[0], bounds[-1]))
        day = first
        while True:  # a range may wrap over the weekend: Fr-Mo
            chosen.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    return frozenset(chosen), holidays


def _spans(token: str, rule: str) -> tuple[Span, ...]:
    spans = []
    for item in token.split(","):
        match = _SPAN.match(item)
        if match is None:
            if re.match(r"^[A-Za-z]{2}", item):
                raise OpeningHoursError(
                    f"{item!r} in rule {rule!r}: ',' between rules is not supported; "
                    "separate rules with ';'"
                )
            raise OpeningHoursError(f"{item!r} in rule {rule!r} is not a time span "
                                    "such as 08:30-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if m1 > 59 or m2 > 59 or h1 > 24:
            raise OpeningHoursError(f"{item!r} is not a valid time span")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start > DAY_MINUTES:
            raise OpeningHoursError(f"{item!r}: an opening cannot start after 24:00")
        if end == start:
            raise OpeningHoursError(f"{item!r} is not a valid time span (it ends when it "
                                    "starts)")
        if end < start and end < DAY_MINUTES:
            end += DAY_MINUTES  # 22:00-02:00: runs past midnight
        if end > MAX_END_MINUTES or end - start > DAY_MINUTES:
            raise OpeningHoursError(f"{item!r} is not a valid time span")
        spans.append(Span(start, end))
    spans.sort(key=lambda s: s.start)
    for before, after in itertools.pairwise(spans):
        if after.start < before.end:
            raise OpeningHoursError(f"{token!r} in rule {rule!r}: time spans overlap")
    return tuple(spans)


# -- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningHours:
    """A parsed `opening_hours` value."""

    text: str
    rules: tuple[Rule, ...]

    def day(self, day: date, is_holiday: HolidayTest = is_french_public_holiday) -> DayHours:
        """The openings that start on `day`: the last rule that selects the day wins."""
        spans: tuple[Span, ...] = ()
        for rule in self.rules:
            if rule.selects(day, is_holiday):
                spans = rule.spans
        return DayHours(day, spans, is_holiday(day))

    def week(self, first: date, is_holiday: HolidayTest = is_french_public_holiday
             ) -> tuple[DayHours, ...]:
        """Seven days from `first` (today, then the next six)."""
        return tuple(self.day(first + timedelta(days=n), is_holiday) for n in range(7))

    def intervals(self, first: date, days: int,
                  is_holiday: HolidayTest = is_french_public_holiday
                  ) -> list[tuple[datetime, datetime]]:
        """Openings from the day before `first` for `days` days, as local wall-clock times,
        touching or overlapping ones merged."""
        merged: list[tuple[datetime, datetime]] = []
        for n in range(-1, days):
            day = first + timedelta(days=n)
            midnight = datetime.combine(day, time())
            for span in self.day(day, is_holiday).spans:
                start = midnight + timedelta(minutes=span.start)
                end = midnight + timedelta(minutes=span.end)
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
        return merged

    def status(self, now: datetime, is_holiday: HolidayTest = is_french_public_holiday
               ) -> Status:
        """Open or closed at `now` (local wall-clock time; an aware value is read as the
        wall-clock time it shows), and the next change."""
        now = now.replace(tzinfo=None, second=0, microsecond=0)
        intervals = self.intervals(now.date(), HORIZON_DAYS, is_holiday)
        horizon = datetime.combine(now.date() + timedelta(days=HORIZON_DAYS - 1), time())
        for start, end in intervals:
            if start <= now < end:
                return Status(True, end if end < horizon else None)
            if start > now:
                return Status(False, start)
        return Status(False, None)
