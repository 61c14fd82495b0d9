"""Places in words: "Open, closes at 12 h", "Today: from 8 h 30 to 12 h, then from 13 h 30 to
17 h 30", "300 m on foot, about 5 minutes". Open or closed is always written out, never shown
by a colour alone (WCAG 1.4.1). Times are written as French readers expect ("8 h 30",
FALC) and as the English receipts do ("8:30").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.core.dates import babel_locale
from kiosk.core.i18n import translate
from kiosk.core.opening_hours import DAY_MINUTES, DayHours, OpeningHours, Span
from kiosk.core.places import PlaceKind, Walk

# Distances under a kilometre are rounded to this many metres: nobody paces out 287 m.
ROUND_M = 10
# Within this many days an opening is named by its weekday ("opens on Monday"); further, by
# its date.
WEEKDAY_NAMES_WITHIN = 6

KIND_KEYS = {kind: f"places.kind.{kind.value}" for kind in PlaceKind}
# Weekdays and months in the catalogs, not through Babel's CLDR data: the attract screen's line
# of the day names a weekday ("opens on Monday") at start on a Saturday, and Babel's data for
# a language is 3–4 MiB that an idle station would then hold (docs/performance.md).
WEEKDAY_KEYS = ("places.weekday.monday", "places.weekday.tuesday", "places.weekday.wednesday",
                "places.weekday.thursday", "places.weekday.friday", "places.weekday.saturday",
                "places.weekday.sunday")
MONTH_KEYS = ("places.month.january", "places.month.february", "places.month.march",
              "places.month.april", "places.month.may", "places.month.june",
              "places.month.july", "places.month.august", "places.month.september",
              "places.month.october", "places.month.november", "places.month.december")


def kind_name(kind: PlaceKind | None, language: str) -> str:
    """"Libraries" (the heading of a group); None is every kind ("All")."""
    return translate(KIND_KEYS[kind] if kind else "places.kind.all", language)


def time_text(minutes: int, language: str) -> str:
    """"8 h 30" / "8:30"; a time past midnight ("26:00", an evening that runs over) is
    written as the clock shows it ("2 h")."""
    hour, minute = divmod(minutes % DAY_MINUTES, 60)
    if minute == 0:
        return translate("places.time.hour", language, hour=hour)
    return translate("places.time", language, hour=hour, minute=f"{minute:02d}")


def span_text(span: Span, language: str) -> str:
    """"from 8 h 30 to 12 h"."""
    return translate("places.span", language, start=time_text(span.start, language),
                     end=time_text(span.end, language))


def day_text(hours: DayHours, language: str) -> str:
    """A day's hours in words: "from 8 h 30 to 12 h, then from 13 h 30 to 17 h 30", "open all
    day", "closed" or "closed (public holiday)"."""
    if not hours.spans and hours.holiday:
        return translate("places.closed_holiday", language)
    if not hours.spans:
        return translate("places.closed_day", language)
    if hours.spans == (Span(0, DAY_MINUTES),):
        return translate("places.all_day", language)
    then = translate("places.then", language)
    return f", {then} ".join(span_text(s, language) for s in hours.spans)


def weekday_name(day: date, language: str) -> str:
    """"lundi" / "Monday"."""
    return translate(WEEKDAY_KEYS[day.weekday()], language)


def date_text(day: date, language: str) -> str:
    """"mercredi 25 novembre" / "Wednesday 25 November"."""
    return translate("places.date", language, weekday=weekday_name(day, language),
                     day=day.day, month=translate(MONTH_KEYS[day.month - 1], language))


def day_label(day: date, today: date, language: str) -> str:
    """"Today", "Tomorrow", or "Wednesday 25 November"."""
    if day == today:
        return translate("places.today", language)
    if day == today + timedelta(days=1):
        return translate("places.tomorrow", language)
    text = date_text(day, language)
    return text[:1].upper() + text[1:]


def when_text(moment: datetime, now: datetime, language: str) -> str:
    """When a change happens, after "opens"/"closes": "at 13 h 30", "tomorrow at 9 h",
    "on Monday at 9 h", "on Monday 1 June at 11 h"."""
    clock = time_text(moment.hour * 60 + moment.minute, language)
    days = (moment.date() - now.date()).days
    if days == 0:
        return translate("places.when.today", language, time=clock)
    if days == 1:
        return translate("places.when.tomorrow", language, time=clock)
    if days <= WEEKDAY_NAMES_WITHIN:
        return translate("places.when.weekday", language, time=clock,
                         weekday=weekday_name(moment.date(), language))
    return translate("places.when.date", language, time=clock,
                     date=date_text(moment.date(), language))


def status_text(hours: OpeningHours | None, now: datetime, language: str) -> str:
    """Open or closed now, and until when: "Open, closes at 12 h", "Closed, opens tomorrow
    at 9 h", "Open around the clock", "Closed for the time being", "Hours not published"."""
    if hours is None:
        return translate("places.status.unknown", language)
    now = now.replace(tzinfo=None)
    status = hours.status(now)
    if status.change_at is None and status.open:
        return translate("places.status.always_open", language)
    if status.change_at is None:
        return translate("places.status.closed_for_now", language)
    when = when_text(status.change_at, now, language)
    if status.open:
        return translate("places.status.open_until", language, when=when)
    return translate("places.status.closed_opens", language, when=when)


def today_text(hours: OpeningHours | None, now: datetime, language: str) -> str:
    """"Today: from 8 h 30 to 12 h, then …" (empty when no hours are published)."""
    if hours is None:
        return ""
    return translate("places.day_line", language, day=translate("places.today", language),
                     hours=day_text(hours.day(now.date()), language))


def week_lines(hours: OpeningHours | None, now: datetime, language: str) -> tuple[str, ...]:
    """One line per day for seven days from today: "Tomorrow: closed (public holiday)"."""
    if hours is None:
        return ()
    today = now.date()
    return tuple(
        translate("places.day_line", language, day=day_label(d.day, today, language),
                  hours=day_text(d, language))
        for d in hours.week(today)
    )


def distance_text(metres: float, language: str) -> str:
    """"300 m" / "2,6 km" ("2.6 km" in English)."""
    if metres < 1000:
        return translate("places.metres", language,
                         metres=max(ROUND_M, round(metres / ROUND_M) * ROUND_M))
    from babel.numbers import format_decimal  # in a session only (kiosk/core/dates.py)

    km = format_decimal(round(metres / 1000, 1), format="0.0",
                        locale=babel_locale(language))
    return translate("places.kilometres", language, km=km)


def walk_text(way: Walk, language: str) -> str:
    """The walk in a sentence: "300 m on foot, about 5 minutes", "You are here", or only the
    distance when it is too far to walk."""
    if way.here:
        return translate("places.walk.here", language)
    distance = distance_text(way.route_m, language)
    if not way.walkable:
        return translate("places.walk.far", language, distance=distance)
    key = "places.walk.one_minute" if way.minutes == 1 else "places.walk.minutes"
    return translate(key, language, distance=distance, minutes=way.minutes)


def walk_short(way: Walk, language: str) -> str:
    """The walk on a list button: "300 m · 5 min on foot", "You are here", "12,4 km"."""
    if way.here:
        return translate("places.walk.here", language)
    distance = distance_text(way.route_m, language)
    if not way.walkable:
        return distance
    return translate("places.walk.short", language, distance=distance, minutes=way.minutes)
