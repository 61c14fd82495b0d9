"""Request, step 1: which service. The services come from the central (Open311 services or
w.c.s. forms), grouped as the city groups them, searchable by keyword, shown as large list
buttons with their text."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.central import Service
from kiosk.core.flows.request import ChooseService, RequestContent, Retry, services_by_group
from kiosk.core.text import fold
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.paging import Choice, PagedChoices, grouped_items
from screens.widgets import send

__all__ = ["PagedChoices", "RequestServiceScreen"]  # the list is used in the .kv


def matches(service: Service, query: str) -> bool:
    """Every word typed is in the service's name, group, description or keywords."""
    haystack = fold(" ".join((service.name, service.group, service.description,
                              *service.keywords)))
    return all(word in haystack for word in fold(query).split())


class RequestServiceScreen(FlowScreen):
    """What is your request about?"""

    def show(self, view: View) -> None:
        """The services, grouped, filtered by the search field."""
        super().show(view)
        flow = content_of(view, RequestContent)
        self._services = flow.services if flow is not None else ()
        self.ids.retry.opacity = 1 if (self.problem_text and not self._services) else 0
        self.ids.retry.disabled = not self.ids.retry.opacity
        if flow is None:
            self.ids.search.clear()
        self.refresh()

    def refresh(self) -> None:
        """Lay the list out again for what is in the search field."""
        query = self.ids.search.text
        shown = [s for s in getattr(self, "_services", ()) if matches(s, query)]
        groups = {
            group: [Choice(service.id, service.name,
                           lambda sid=service.id: send(ChooseService(sid)),
                           icon="report_problem") for service in services]
            for group, services in services_by_group(shown).items()}
        listing = self.ids.services
        listing.make = grouped_items(groups, "service")
        listing.set_widgets(tuple(s.id for s in shown), App.get_running_app().lang)
        self.ids.no_match.opacity = 1 if (query.strip() and not shown) else 0

    def retry(self) -> None:
        """Ask the central again."""
        send(Retry())

    def first_focus(self) -> Widget | None:
        """Keyboard users can type a keyword at once."""
        return self.ids.search


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
