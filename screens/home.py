"""The home screen: language choice, a search, and the entries of the flows that exist."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.home_entries import matching_entries
from kiosk.core.i18n import language_name, translate
from kiosk.core.intents import Remember, SetLanguage
from kiosk.core.view import SEARCH_KEY, View
from screens.widgets import KioskButton, KioskScreen, send


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
        box = self.ids.entries
        box.clear_widgets()
        for entry in entries:
            button = KioskButton(text=translate(entry.key, view.language), role=entry.key)
            button.bind(on_release=lambda _b, entry=entry: send(entry.intent()))
            box.add_widget(button)
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
                role=f"home.language.{lang}", primary=chosen,
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
