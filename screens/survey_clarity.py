"""Survey, question 2 (JDMA's second question): how clear were the information and the
instructions? Five large buttons from 1 (not clear at all) to 5 (very clear), each with its
number and its words, in one row as JDMA shows its scale."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from kiosk.core.flows.survey import SurveyContent
from screens.survey_widgets import SurveyScreen


class SurveyClarityScreen(SurveyScreen):
    """Qu'avez-vous pensé des informations et des instructions fournies ?"""

    def answer_of(self, flow: SurveyContent) -> object:
        """The score chosen."""
        return flow.clarity


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
