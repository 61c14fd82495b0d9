"""Find a service: everything the city offers at this kiosk, from its central systems, grouped
and searchable by keyword ("passeport", "trottoir"), as large list buttons with their text.
Choosing one starts its request or its booking at that service."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.services import (
    APPOINTMENTS,
    CatalogueEntry,
    RetryCatalogue,
    ServicesContent,
)
from kiosk.core.i18n import translate
from kiosk.core.intents import StartFlow
from kiosk.core.pictograms import flow_pictogram
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.paging import Choice, PagedChoices, grouped_items
from screens.search import SearchBox, SearchColumn
from screens.widgets import send

# used in the .kv
__all__ = ["KeyboardDock", "PagedChoices", "SearchBox", "SearchColumn", "ServicesScreen"]


def grouped(entries: tuple[CatalogueEntry, ...], lang: str) -> dict[str, list[CatalogueEntry]]:
    """Requests under the central's own groups, appointments under one heading."""
    groups: dict[str, list[CatalogueEntry]] = {}
    for entry in entries:
        heading = (translate("services.group.appointments", lang)
                   if entry.flow == APPOINTMENTS else entry.group)
        groups.setdefault(heading, []).append(entry)
    return groups


class ServicesScreen(FlowScreen):
    """What would you like to do?"""

    #: how many services match the search ("Show the results (3)")
    matches = NumericProperty(0)
    #: nothing matches: said under the search, or, while it is open, in the reading zone
    #: (the keyboard has the body)
    nothing_found = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The catalogue, filtered by the search field."""
        super().show(view)
        flow = content_of(view, ServicesContent)
        catalogue = flow.catalogue if flow is not None else None
        self._entries = catalogue.entries if catalogue else ()
        self._lang = view.language
        failed = bool(self.problem_text) and not self._entries
        self.ids.retry.opacity = 1 if failed else 0
        self.ids.retry.disabled = not failed
        if flow is None:
            self.ids.search.clear()
            self.ids.search_box.searching = False
        self.refresh()

    def refresh(self) -> None:
        """Lay the list out again for what is in the search field."""
        query = self.ids.search.text
        shown = tuple(e for e in getattr(self, "_entries", ()) if e.matches(query))
        self.matches = len(shown)
        groups = {
            heading: [Choice(entry.id, entry.name,
                             lambda e=entry: send(StartFlow(e.flow, e.id)),
                             icon=flow_pictogram(entry.flow)) for entry in entries]
            for heading, entries in grouped(shown, getattr(self, "_lang", "fr")).items()}
        listing = self.ids.entries
        listing.make = grouped_items(groups, "services.entry")
        listing.set_widgets(tuple(e.id for e in shown), getattr(self, "_lang", "fr"))
        self.nothing_found = bool(query.strip() and not shown)

    def retry(self) -> None:
        """Ask the central systems again."""
        send(RetryCatalogue())

    def on_leave(self, *_args: object) -> None:
        """Back on this screen later, the person finds the choices their search left."""
        self.ids.search_box.searching = False

    def first_focus(self) -> Widget | None:
        """Keyboard users can type a keyword at once: in the field when the search is open,
        else on its box, which opens it (screens/search.py)."""
        return self.ids.search if self.ids.search_box.searching else self.ids.search_box


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
