"""Survey, question 3 (JDMA's help question, short form): did someone help? "I did not need
help", a town hall agent or facilitator, family or a friend, an association. One choice; the
last answer sends the survey. The answers page when the body does not hold the four
(docs/visual-design.md, "One question per screen")."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.flows.survey import ChooseHelp, SurveyContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.paging import Choice, PagedChoices
from screens.survey_widgets import SurveyScreen, send

__all__ = ["PagedChoices", "SurveyHelpScreen"]

#: the answers, in the order JDMA asks them
ANSWERS = ("none", "agent", "relative", "association")


class SurveyHelpScreen(SurveyScreen):
    """Avez-vous reçu de l'aide ?"""

    def answer_of(self, flow: SurveyContent) -> object:
        """Who helped, by its key."""
        return flow.help_received

    def show(self, view: View) -> None:
        """The answers, the one already given ticked."""
        super().show(view)
        lang = view.language
        self.ids.answers.set_choices(
            [Choice(key, translate(f"survey.help.{key}", lang),
                    lambda key=key: send(ChooseHelp(key)), chosen=self.chosen == key)
             for key in ANSWERS], lang)

    def first_focus(self) -> Widget | None:
        """The answer already given when it is on the page shown, else the first answer."""
        answers = self.ids.answers
        chosen = [w for w in answers.walk(restrict=True) if getattr(w, "chosen", False)]
        return (chosen or [answers.first()])[0]


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
