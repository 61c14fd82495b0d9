"""Find a service: everything the city offers at this kiosk, from its central systems, grouped
and searchable by keyword ("passeport", "trottoir"), as large list buttons with their text.
Choosing one starts its request or its booking at that service."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.services import CatalogueEntry, RetryCatalogue, ServicesFlow
from kiosk.core.i18n import translate
from kiosk.core.intents import StartFlow
from kiosk.core.state import AppState, FlowName
from screens.flow_screen import FlowScreen
from screens.widgets import KioskButton, KioskText, send


def grouped(entries: tuple[CatalogueEntry, ...], lang: str) -> dict[str, list[CatalogueEntry]]:
    """Requests under the central's own groups, appointments under one heading."""
    groups: dict[str, list[CatalogueEntry]] = {}
    for entry in entries:
        heading = (translate("services.group.appointments", lang)
                   if entry.flow is FlowName.APPOINTMENT else entry.group)
        groups.setdefault(heading, []).append(entry)
    return groups


class ServicesScreen(FlowScreen):
    """What would you like to do?"""

    def show_state(self, state: AppState) -> None:
        """The catalogue, filtered by the search field."""
        super().show_state(state)
        flow = state.session.flow if state.session else None
        catalogue = flow.catalogue if isinstance(flow, ServicesFlow) else None
        self._entries = catalogue.entries if catalogue else ()
        self._lang = state.language
        failed = bool(self.problem_text) and not self._entries
        self.ids.retry.opacity = 1 if failed else 0
        self.ids.retry.disabled = not failed
        if not isinstance(flow, ServicesFlow):
            self.ids.search.clear()
        self.refresh()

    def refresh(self) -> None:
        """Redraw the list for what is in the search field."""
        listing = self.ids.entries
        listing.clear_widgets()
        query = self.ids.search.text
        shown = tuple(e for e in getattr(self, "_entries", ()) if e.matches(query))
        for heading, entries in grouped(shown, getattr(self, "_lang", "fr")).items():
            if heading:
                listing.add_widget(KioskText(text=heading, bold=True))
            for entry in entries:
                button = KioskButton(text=entry.name, role=f"services.entry.{entry.id}")
                button.bind(on_release=lambda _b, e=entry: send(StartFlow(e.flow, e.id)))
                listing.add_widget(button)
        self.ids.no_match.opacity = 1 if (query.strip() and not shown) else 0

    def retry(self) -> None:
        """Ask the central systems again."""
        send(RetryCatalogue())

    def first_focus(self) -> Widget | None:
        """Keyboard users can type a keyword at once."""
        return self.ids.search


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
