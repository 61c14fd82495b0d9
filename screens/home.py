"""The home screen: language choice, a search, and the entries of the flows that exist."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.home_entries import HomeEntry, matching_entries, short_name
from kiosk.core.i18n import language_name, translate
from kiosk.core.intents import Remember, SetLanguage
from kiosk.core.pictograms import flow_pictogram
from kiosk.core.view import SEARCH_KEY, View
from screens.paging import Choice, PagedChoices
from screens.widgets import KioskButton, KioskScreen, send

__all__ = ["HomeScreen", "PagedChoices"]  # the list is used in the .kv


def entry_pictogram(entry: HomeEntry) -> str:
    """A flow's entry shows the flow's pictogram; help its own."""
    return flow_pictogram(entry.flow) if entry.flow else "help"


class HomeScreen(KioskScreen):
    """What would you like to do?"""

    _shown: tuple[str, tuple[str, ...], str] | None = None

    def show(self, view: View) -> None:
        """Language buttons, the search field and the entries that match it."""
        query = view.search
        field = self.ids.search
        if field.text != query:
            if query:
                field.text = query
            else:
                field.clear()
        entries = matching_entries(query, view.language)
        shown = (view.language, view.languages, "|".join(e.key for e in entries))
        if shown == self._shown:
            return
        self._shown = shown
        self._fill_languages(view)
        self.ids.entries.set_choices(
            [Choice(entry.key, short_name(entry.key, view.language),
                    lambda entry=entry: send(entry.intent()), icon=entry_pictogram(entry),
                    role=entry.key, spoken=translate(entry.key, view.language))
             for entry in entries], view.language)
        self.ids.no_match.opacity = 0 if entries else 1
        self.ids.no_match.text = "" if entries else translate("home.no_match", view.language)

    def _fill_languages(self, view: View) -> None:
        row = self.ids.languages
        row.clear_widgets()
        for lang in view.languages:
            chosen = lang == view.language
            # The chosen language is marked by a tick as well as by colour (WCAG 1.4.1).
            button = KioskButton(
                text=("✓ " if chosen else "") + language_name(lang),
                role=f"home.language.{lang}", chosen=chosen, icon="language",
            )
            button.bind(on_release=lambda _b, code=lang: send(SetLanguage(code)))
            row.add_widget(button)

    def on_search_text(self, text: str) -> None:
        """Keep what was typed in the session (only there), so a language change keeps it."""
        send(Remember(SEARCH_KEY, text))

    def first_focus(self) -> Widget | None:
        """Typing starts with the search."""
        return self.ids.search


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
