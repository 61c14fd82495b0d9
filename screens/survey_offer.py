"""The survey's offer at the end of a flow: one button, "Give your opinion (3 quick
questions)", that a done or result screen includes in its .kv:

    #:import survey_offer screens.survey_offer
    ...
        SurveyOffer:
            flow_name: 'request'

It starts the survey about that flow (the flow's name travels as the survey's parameter)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.core.flows.survey import NAME as SURVEY
from kiosk.core.intents import StartFlow
from screens.widgets import KioskButton, send


class SurveyOffer(KioskButton):
    """Give your opinion (3 quick questions)."""

    #: the name of the flow the person has just completed
    flow_name = StringProperty("")

    def on_release(self) -> None:
        """Start the survey about `flow_name`."""
        send(StartFlow(SURVEY, self.flow_name))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
