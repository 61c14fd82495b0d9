"""The attract screen: what a passer-by sees; a touch anywhere (or Enter) starts a session."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.widgets import KioskScreen


class TouchAnywhere(ButtonBehavior, FloatLayout):
    """The whole screen is the start control; it acts on release, like every button."""


class AttractScreen(KioskScreen):
    """Welcome in every offered language, and how to start."""

    def show(self, view: View) -> None:
        """The invitation in each offered language, the default one first."""
        lines = [translate("attract.touch_to_start", lang) for lang in view.languages]
        # Easy-to-read French may say it as French does: each sentence once.
        self.ids.invitations.text = "\n".join(dict.fromkeys(lines))

    def first_focus(self) -> Widget | None:
        """Enter on a keyboard starts, like a touch."""
        return self.ids.start


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
