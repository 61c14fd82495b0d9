"""What the survey's question screens share: answer buttons that show a chosen answer by a tick
as well as by colour (WCAG 1.4.1), faces drawn above their words (never a face alone, and no
emoji font needed), rows whose buttons share one height, and the base class that marks the
answer already given when the person comes back to a question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty, OptionProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.flows.survey import QUESTIONS, SurveyContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.measure import longest_word_width
from screens.widgets import KioskButton, send

__all__ = ["EqualHeightRow", "FaceButton", "SurveyChoice", "SurveyScreen", "send"]

# Inner margin of a button around its text: the KioskButton rule's (widgets.kv, 10 mm).
BUTTON_TEXT_MARGIN_MM = 10.0


class SurveyChoice(KioskButton):
    """One answer. `key` is the value it sends; `chosen` marks the answer already given."""

    key = StringProperty("")
    label = StringProperty("")


class FaceButton(SurveyChoice):
    """A face ("bad", "medium", "good") drawn above its words, in the text's own colour."""

    face = OptionProperty("medium", options=("bad", "medium", "good"))
    #: the face's diameter, its centre's height and its stroke (set in the .kv)
    face_d = NumericProperty(1)
    face_y = NumericProperty(0)
    face_w = NumericProperty(1)


class EqualHeightRow(BoxLayout):
    """A horizontal row of buttons all as tall as the one with the most text, so that a scale
    reads as one row; the height follows the text (language, text size), nothing is cut."""

    cell_height = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        self._trigger = Clock.create_trigger(self._measure, -1)
        super().__init__(**kwargs)
        self.bind(width=self._trigger)

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Follow the text height of every button added."""
        widget.bind(texture_size=self._trigger)
        super().add_widget(widget, *args, **kwargs)
        self._trigger()

    def _measure(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        self._share_by_longest_words(app)
        margin = app.mm(BUTTON_TEXT_MARGIN_MM)
        tallest = max((c.texture_size[1] for c in self.children), default=0)
        self.cell_height = max(app.button_height, tallest + margin)

    def _share_by_longest_words(self, app: Any) -> None:
        """Equal widths, or, where a button's longest word would not hold in its share (Kivy
        would break it between two letters: "Averag / e" at XL on the desk), each as wide as
        its longest word and the room left shared equally."""
        buttons = [c for c in reversed(self.children) if isinstance(c, KioskButton)]
        if not buttons or self.width <= 0:
            return
        room = self.width - self.spacing * (len(buttons) - 1)
        needs = [longest_word_width(b.text, b.font_size, b.font_name, b.icon) for b in buttons]
        fair = room / len(buttons)
        if max(needs) <= fair or sum(needs) > room:
            widths = [fair] * len(buttons)
        else:
            share = (room - sum(needs)) / len(buttons)
            widths = [need + share for need in needs]
        for button, width in zip(buttons, widths, strict=True):
            button.size_hint_x = width / fair


class SurveyScreen(FlowScreen):
    """A survey question: "Question 2 of 3", the answers, Skip and Finish."""

    #: the answer already given to this question, as its key ("" when none)
    chosen = StringProperty("")

    def show(self, view: View) -> None:
        """The question's number and the answer already given."""
        super().show(view)
        flow = content_of(view, SurveyContent)
        if flow is None or view.flow is None:
            self.chosen = ""
            return
        self.step_text = translate("survey.step", view.language, step=view.flow.step,
                                   steps=QUESTIONS)
        self.steps = QUESTIONS
        self.ids.reading.step_text, self.ids.reading.steps = self.step_text, QUESTIONS
        answer = self.answer_of(flow)
        self.chosen = "" if answer is None else str(answer)

    def answer_of(self, flow: SurveyContent) -> object:
        """This screen's question's answer in `flow` (None when not answered)."""
        return None

    def choices(self) -> list[SurveyChoice]:
        """The answer buttons, in reading order."""
        return [w for w in self.walk(restrict=True) if isinstance(w, SurveyChoice)]

    def first_focus(self) -> Widget | None:
        """The answer already given, or the first answer."""
        choices = self.choices()
        chosen = [c for c in choices if c.chosen]
        return (chosen or choices or [None])[0]


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
