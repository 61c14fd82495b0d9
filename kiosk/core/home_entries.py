"""The entries of the home screen and the keyword search over them.

Each flow adds its entry here when it lands; the search matches the words a person types
against the entry's title and its keywords in the session's language, ignoring case and
accents ("demarche" finds "démarche").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiosk.core.i18n import translate
from kiosk.core.state import ScreenName


@dataclass(frozen=True)
class HomeEntry:
    """One choice on the home screen."""

    screen: ScreenName
    #: message key of the title; `<key>.keywords` holds comma-separated search words
    key: str


HOME_ENTRIES: tuple[HomeEntry, ...] = (HomeEntry(ScreenName.HELP, "home.entry.help"),)


def fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching_entries(query: str, language: str) -> tuple[HomeEntry, ...]:
    """Entries whose title or keywords contain every word of `query` (all when it is empty)."""
    words = fold(query).split()
    if not words:
        return HOME_ENTRIES
    found = []
    for entry in HOME_ENTRIES:
        haystack = fold(
            translate(entry.key, language) + " " + translate(f"{entry.key}.keywords", language)
        )
        if all(word in haystack for word in words):
            found.append(entry)
    return tuple(found)
