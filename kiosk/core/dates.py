"""Dates and times as people read them: in long form ("2 novembre 2026"), in the session's
language (accessibility.md I3, FALC: dates in long form), through Babel's CLDR data."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time


def long_date(value: date | datetime, language: str) -> str:
    """"2 novembre 2026" / "November 2, 2026"."""
    return format_date(value, format="long", locale=language)


def weekday_date(value: date | datetime, language: str) -> str:
    """"lundi 2 novembre 2026" / "Monday, November 2, 2026"."""
    return format_date(value, format="full", locale=language)


def clock_time(value: datetime, language: str) -> str:
    """"14:30" / "2:30 PM"."""
    return format_time(value, format="short", locale=language)
