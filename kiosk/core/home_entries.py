"""The entries of the home screen and the keyword search over them.

Each flow adds its entry here when it lands; the search matches the words a person types
against the entry's title and its keywords in the session's language, ignoring case and
accents ("demarche" finds "démarche").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiosk.core import intents
from kiosk.core.i18n import translate
from kiosk.core.state import FlowName, ScreenName


@dataclass(frozen=True)
class HomeEntry:
    """One choice on the home screen: a screen to open or a flow to start."""

    #: message key of the title; `<key>.keywords` holds comma-separated search words
    key: str
    screen: ScreenName | None = None
    flow: FlowName | None = None

    def intent(self) -> intents.Intent:
        """What choosing this entry asks of the core."""
        if self.flow is not None:
            return intents.StartFlow(self.flow)
        return intents.Open(self.screen or ScreenName.HOME)


HOME_ENTRIES: tuple[HomeEntry, ...] = (
    HomeEntry("home.entry.services", flow=FlowName.SERVICES),
    HomeEntry("home.entry.request", flow=FlowName.REQUEST),
    HomeEntry("home.entry.tracking", flow=FlowName.TRACKING),
    HomeEntry("home.entry.appointment", flow=FlowName.APPOINTMENT),
    HomeEntry("home.entry.manage_booking", flow=FlowName.MANAGE_BOOKING),
    HomeEntry("home.entry.places", flow=FlowName.PLACES),
    HomeEntry("home.entry.help", screen=ScreenName.HELP),
)


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
