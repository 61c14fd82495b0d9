"""The home screen: language choice, a search, and the entries of the flows that exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.widget import Widget

from kiosk.core.home_entries import HomeEntry, matching_entries, short_name
from kiosk.core.i18n import language_name, translate
from kiosk.core.intents import Remember, SetLanguage
from kiosk.core.pictograms import flow_pictogram
from kiosk.core.view import SEARCH_KEY, View
from screens.keyboard import KeyboardDock
from screens.measure import longest_word_width
from screens.paging import Choice, PagedChoices
from screens.search import SearchBox, SearchColumn
from screens.widgets import KioskButton, KioskScreen, send

#: the chosen language's tick, joined to its name by a no-break space (screens/measure.py)
TICK = "✓\u00a0"

# used in the .kv
__all__ = ["HomeScreen", "KeyboardDock", "PagedChoices", "SearchBox", "SearchColumn"]


def entry_pictogram(entry: HomeEntry) -> str:
    """A flow's entry shows the flow's pictogram; help its own."""
    return flow_pictogram(entry.flow) if entry.flow else "help"


def language_button(lang: str, chosen: bool) -> KioskButton:
    """A language's button. The chosen one is marked by a tick as well as by colour (WCAG
    1.4.1), kept with its first word: alone on a line, it made the button a line taller."""
    button = KioskButton(text=(TICK if chosen else "") + language_name(lang),
                         role=f"home.language.{lang}", chosen=chosen, icon="language")
    button.bind(on_release=lambda _b, code=lang: send(SetLanguage(code)))
    return button


def row_holds(buttons: list[KioskButton]) -> bool:
    """Whether the body's width holds the buttons side by side, each as wide as its longest
    word at the person's size, without its pictogram (as the row fits them at XL,
    screens/widgets.py FittedRow): no word is broken (docs/visual-design.md)."""
    app: Any = App.get_running_app()
    font = app.font("button", app.text_size)
    needed = sum(longest_word_width(b.text, font, b.font_name, "") for b in buttons)
    return bool(needed + app.layout.gap * (len(buttons) - 1) <= app.layout.body.width)


class HomeScreen(KioskScreen):
    """What would you like to do?"""

    _shown: tuple[str, tuple[str, ...], str] | None = None
    _languages_shown: tuple[object, ...] | None = None
    #: how many entries match the search ("Show the results (3)")
    matches = NumericProperty(0)
    #: nothing matches: said under the search, or, while it is open, in the reading zone
    #: (the keyboard has the body)
    nothing_found = BooleanProperty(False)

    def show(self, view: View) -> None:
        """Language buttons, the search field and the entries that match it."""
        query = view.search
        field = self.ids.search
        if field.text != query:
            if query:
                field.text = query
            else:  # a new session, or started again: the search is closed and empty
                field.clear()
                self.ids.search_box.searching = False
        entries = matching_entries(query, view.language)
        self.matches = len(entries)
        app: Any = App.get_running_app()
        # The text size and the posture decide whether the chosen language has its place.
        languages = (view.language, view.languages, app.text_size, app.layout)
        if languages != self._languages_shown:
            self._languages_shown = languages
            self._fill_languages(view)
        shown = (view.language, view.languages, "|".join(e.key for e in entries))
        if shown == self._shown:
            return
        self._shown = shown
        self.ids.entries.set_choices(
            [Choice(entry.key, short_name(entry.key, view.language),
                    lambda entry=entry: send(entry.intent()), icon=entry_pictogram(entry),
                    role=entry.key, spoken=translate(entry.key, view.language))
             for entry in entries], view.language)
        self.nothing_found = not entries

    def _fill_languages(self, view: View) -> None:
        """The languages at the left of the top row, in their order, "I have finished" last.
        The chosen one leaves the row where the row cannot hold each button's longest word
        with its tick (standing at the desk at XL): the screen's own words say it."""
        row = self.ids.top_row
        for old in [c for c in row.children if c is not self.ids.done.__self__]:
            row.remove_widget(old)
        buttons = [language_button(lang, lang == view.language) for lang in view.languages]
        if not row_holds([*buttons, self.ids.done]):
            buttons = [b for b in buttons if not b.chosen]
        for button in reversed(buttons):
            row.add_widget(button, index=len(row.children))  # the leftmost

    def on_search_text(self, text: str) -> None:
        """Keep what was typed in the session (only there), so a language change keeps it."""
        send(Remember(SEARCH_KEY, text))

    def searching(self, open_: bool) -> None:
        """The languages and "I have finished" leave the body while the search is open, and
        come back when it closes."""
        body, row = self.ids.body, self._top_row
        if open_ and row.parent is not None:
            row.parent.remove_widget(row)
        elif not open_ and row.parent is None:
            body.add_widget(row, index=len(body.children))

    def on_kv_post(self, _base_widget: Widget) -> None:
        """Hold the top row: out of the body while the search is open, nothing else holds it
        (a kv id is a weak proxy)."""
        self._top_row = self.ids.top_row.__self__

    def on_leave(self, *_args: object) -> None:
        """Back on this screen later, the person finds the choices their search left."""
        self.ids.search_box.searching = False

    def first_focus(self) -> Widget | None:
        """Typing starts with the search: its field when it is open, else its box (a letter
        typed there opens it)."""
        return self.ids.search if self.ids.search_box.searching else self.ids.search_box


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
