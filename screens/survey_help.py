"""Survey, question 3 (JDMA's help question, short form): did someone help? "I did not need
help", a town hall agent or facilitator, family or a friend, an association. One choice; the
last answer sends the survey."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from kiosk.core.flows.survey import SurveyContent
from screens.survey_widgets import SurveyScreen


class SurveyHelpScreen(SurveyScreen):
    """Avez-vous reçu de l'aide ?"""

    def answer_of(self, flow: SurveyContent) -> object:
        """Who helped, by its key."""
        return flow.help_received


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
