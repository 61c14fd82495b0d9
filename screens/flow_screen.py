"""The base of every flow step's screen: the question, "Step 2 of 4", what went wrong (in
words and with a sign, never by colour alone), and "please wait" while the central answers."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

from kiosk.core.i18n import translate
from kiosk.core.state import AppState
from screens.widgets import KioskScreen


class FlowScreen(KioskScreen):
    """A step of a flow. Subclasses fill the body and call `super().show_state`."""

    step_text = StringProperty("")
    problem_text = StringProperty("")
    busy = BooleanProperty(False)

    def show_state(self, state: AppState) -> None:
        """The step indicator, the problem and the waiting state of the active flow."""
        view = state.flow
        if view is None:
            self.step_text, self.problem_text, self.busy = "", "", False
            return
        # "Step 1 of 1" tells nothing: a one-screen flow shows no step.
        self.step_text = (translate("flow.step", state.language, step=view.step,
                                    steps=view.steps) if view.steps > 1 else "")
        self.problem_text = (translate(view.problem, state.language, **dict(view.problem_args))
                             if view.problem else "")
        self.busy = view.busy


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
