"""The base of every flow step's screen: the question, the stepper ("Step 2 of 4" in dots and
in words), what went wrong (in words and with a sign, never by colour alone), and the busy
state while the central answers."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.widgets import KioskScreen

C = TypeVar("C")


def content_of(view: View, kind: type[C] | tuple[type, ...]) -> C | None:
    """What the active flow's screen shows, when it is of `kind` (every built screen is shown
    every view, whichever flow is active), else None."""
    content = view.flow.content if view.flow is not None else None
    return content if isinstance(content, kind) else None  # type: ignore[return-value]


class FlowScreen(KioskScreen):
    """A step of a flow. Subclasses fill the body and call `super().show`; the screen's
    `ReadingZone` (id `reading`) gets the stepper and the problem from here."""

    step_text = StringProperty("")
    step = NumericProperty(0)
    steps = NumericProperty(0)
    problem_text = StringProperty("")
    busy = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The stepper, the problem and the waiting state of the active flow."""
        flow = view.flow
        if flow is None:
            self.step_text, self.problem_text, self.busy = "", "", False
            self.step = self.steps = 0
        else:
            # "Step 1 of 1" tells nothing: a one-screen flow shows no step.
            self.step, self.steps = flow.step, flow.steps
            self.step_text = (translate("flow.step", view.language, step=flow.step,
                                        steps=flow.steps) if flow.steps > 1 else "")
            self.problem_text = (translate(flow.problem, view.language,
                                           **dict(flow.problem_args)) if flow.problem else "")
            self.busy = flow.busy
        reading = self.ids.get("reading")
        if reading is not None:
            reading.step, reading.steps = self.step, self.steps
            reading.step_text = self.step_text
            reading.problem = self.problem_text
            reading.busy = self.busy


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
