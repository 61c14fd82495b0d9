"""Request, step 1: which service. The services come from the central (Open311 services or
w.c.s. forms), grouped as the city groups them, searchable by keyword, shown as large list
buttons with their text."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.widget import Widget

from kiosk.core.central import Service
from kiosk.core.flows.request import ChooseService, RequestContent, Retry, services_by_group
from kiosk.core.text import fold
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.paging import Choice, PagedChoices, grouped_items
from screens.search import SearchBox, SearchColumn
from screens.widgets import send

# used in the .kv
__all__ = ["KeyboardDock", "PagedChoices", "RequestServiceScreen", "SearchBox", "SearchColumn"]


def matches(service: Service, query: str) -> bool:
    """Every word typed is in the service's name, group, description or keywords."""
    haystack = fold(" ".join((service.name, service.group, service.description,
                              *service.keywords)))
    return all(word in haystack for word in fold(query).split())


class RequestServiceScreen(FlowScreen):
    """What is your request about?"""

    #: how many services match the search ("Show the results (3)")
    matches = NumericProperty(0)
    #: nothing matches: said under the search, or, while it is open, in the reading zone
    #: (the keyboard has the body)
    nothing_found = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The services, grouped, filtered by the search field."""
        super().show(view)
        flow = content_of(view, RequestContent)
        self._services = flow.services if flow is not None else ()
        self.ids.retry.opacity = 1 if (self.problem_text and not self._services) else 0
        self.ids.retry.disabled = not self.ids.retry.opacity
        if flow is None:
            self.ids.search.clear()
            self.ids.search_box.searching = False
        self.refresh()

    def refresh(self) -> None:
        """Lay the list out again for what is in the search field."""
        query = self.ids.search.text
        shown = [s for s in getattr(self, "_services", ()) if matches(s, query)]
        self.matches = len(shown)
        groups = {
            group: [Choice(service.id, service.name,
                           lambda sid=service.id: send(ChooseService(sid)),
                           icon="report_problem") for service in services]
            for group, services in services_by_group(shown).items()}
        listing = self.ids.services
        listing.make = grouped_items(groups, "service")
        listing.set_widgets(tuple(s.id for s in shown), App.get_running_app().lang)
        self.nothing_found = bool(query.strip() and not shown)

    def retry(self) -> None:
        """Ask the central again."""
        send(Retry())

    def on_leave(self, *_args: object) -> None:
        """Back on this screen later, the person finds the choices their search left."""
        self.ids.search_box.searching = False

    def first_focus(self) -> Widget | None:
        """Keyboard users can type a keyword at once: in the field when the search is open,
        else on its box, which opens it (screens/search.py)."""
        return self.ids.search if self.ids.search_box.searching else self.ids.search_box


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
