"""Survey, the end: thanks, and what became of the answers in plain words. It says "sent"
only in the sense that is true: the answers are stored on the station and will reach the town
hall; with nothing answered it says that nothing was sent."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.survey import SurveyContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of


class SurveyThanksScreen(FlowScreen):
    """Merci beaucoup !"""

    message = StringProperty("")

    def show(self, view: View) -> None:
        """The words for what became of the answers."""
        super().show(view)
        flow = content_of(view, SurveyContent)
        outcome = flow.outcome if flow is not None else None
        self.message = (translate(f"survey.thanks.{outcome.value}", view.language)
                        if outcome is not None else "")

    def first_focus(self) -> Widget | None:
        """Back to the home screen."""
        return self.ids.home


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
