"""The help screen: how the station works, including how long it waits before it clears
what was entered (WCAG 2.2.6, docs/accessibility.md E5). What it says beside the question
is paged when the body band does not hold it all (docs/visual-design.md, "One question per
screen")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.paging import PagedChoices  # noqa: F401  (its kv rule, for help.kv)
from screens.widgets import KioskScreen


class HelpNote(BoxLayout):
    """One thing to know: `text`, with the pictogram `icon` at its left."""

    icon = StringProperty("")
    text = StringProperty("")


def help_notes(notes: list[tuple[str, str]]) -> Any:
    """What `PagedChoices.make` lays out: each note, measured at the list's width."""

    def make(width: float) -> list[tuple[Widget, float]]:
        app: Any = App.get_running_app()
        made: list[tuple[Widget, float]] = []
        for icon, text in notes:
            note = HelpNote(icon=icon, text=text, width=width)
            picture, words = note.ids.picture, note.ids.words
            picture.texture_update()
            words.width = width - picture.texture_size[0] - app.layout.gap
            words.texture_update()
            made.append((note, float(max(words.texture_size[1], picture.texture_size[1]))))
        return made

    return make


class HelpScreen(KioskScreen):
    """Help and information."""

    def show(self, view: View) -> None:
        """How long the station waits before it clears what was entered, and what it
        keeps."""
        app: Any = App.get_running_app()
        lang = view.language
        notes = [("schedule", translate("help.inactivity", lang, idle=app.idle_s,
                                        warning=app.warning_s)),
                 ("person", translate("help.privacy", lang))]
        listing = self.ids.notes
        listing.make = help_notes(notes)
        listing.set_widgets((lang, *(text for _icon, text in notes)), lang)

    def first_focus(self) -> Widget | None:
        """The bar's first button: there is nothing else to act on (the bar holds the
        window's buttons while the screen is on display)."""
        buttons = self.ids.bar.children
        return buttons[-1] if buttons else None


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
