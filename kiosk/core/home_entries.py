"""The entries of the home screen and the keyword search over them.

Each flow brings its own entry in its descriptor (`FlowSpec.home`); help is the station's own.
The search matches the words a person types against the entry's title and its keywords in the
session's language, ignoring case and accents ("demarche" finds "démarche").
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core import intents
from kiosk.core.flows import registry
from kiosk.core.i18n import translate
from kiosk.core.state import FlowName, ScreenName, Screens
from kiosk.core.text import fold

HELP_KEY = "home.entry.help"


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
        return intents.Open(self.screen or Screens.HOME)


def short_name(key: str, language: str) -> str:
    """An entry's two to four words (`<key>.short`: "Track a request"), for its button and
    the attract screen's tile; its full title when it has none."""
    short = translate(f"{key}.short", language)
    return short if short != f"{key}.short" else translate(key, language)


def home_entries() -> tuple[HomeEntry, ...]:
    """The flows' entries in their order, then help."""
    flows = tuple(HomeEntry(spec.home, flow=spec.name) for spec in registry.home_flows())
    return (*flows, HomeEntry(HELP_KEY, screen=Screens.HELP))


def matching_entries(query: str, language: str) -> tuple[HomeEntry, ...]:
    """Entries whose title or keywords contain every word of `query` (all when it is empty)."""
    entries = home_entries()
    words = fold(query).split()
    if not words:
        return entries
    found = []
    for entry in entries:
        haystack = fold(
            translate(entry.key, language) + " " + translate(f"{entry.key}.keywords", language)
        )
        if all(word in haystack for word in words):
            found.append(entry)
    return tuple(found)
