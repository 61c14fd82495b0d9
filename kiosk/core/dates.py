"""Dates and times as people read them: in long form ("2 novembre 2026"), in the session's
language (docs/accessibility.md I3, FALC: dates in long form), through Babel's CLDR data.

Babel is imported where a date is written, not with this module: an idle station writes none,
and a session has it loaded before its first step (kiosk/shell/session_modules.py;
docs/performance.md, "What an idle station holds")."""

from __future__ import annotations

from datetime import date, datetime

# Message catalogs may name a variety of a language ("fr_FALC", easy-to-read French): its
# dates are those of the language itself (CLDR has no such variety).
VARIETY_SEPARATOR = "_"


def babel_locale(language: str) -> str:
    """The CLDR locale of a catalog language: "fr_FALC" → "fr"; "en" → "en"."""
    base, _, variety = language.partition(VARIETY_SEPARATOR)
    return base if variety.isupper() and len(variety) > 2 else language


def long_date(value: date | datetime, language: str) -> str:
    """"2 novembre 2026" / "November 2, 2026"."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=babel_locale(language))


def weekday_date(value: date | datetime, language: str) -> str:
    """"lundi 2 novembre 2026" / "Monday, November 2, 2026"."""
    from babel.dates import format_date

    return format_date(value, format="full", locale=babel_locale(language))


def clock_time(value: datetime, language: str) -> str:
    """"14:30" / "2:30 PM"."""
    from babel.dates import format_time

    return format_time(value, format="short", locale=babel_locale(language))
