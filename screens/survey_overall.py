"""Survey, question 1 (JDMA's first question): overall, how did it go? Three faces, each with
its words ("Not good", "Average", "Very good"), scored 0, 5 and 10."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from kiosk.core.flows.survey import SurveyContent
from screens.survey_widgets import SurveyScreen


class SurveyOverallScreen(SurveyScreen):
    """De façon générale, comment ça s'est passé ?"""

    def answer_of(self, flow: SurveyContent) -> object:
        """The face chosen, by its score."""
        return flow.overall


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
