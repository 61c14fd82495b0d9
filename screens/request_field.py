"""Request, one question per screen, from the service's form: its label, its help, the expected
format before anything is typed, the field itself (typed, or chosen from large buttons), and
what is wrong with an answer next to it. What was typed stays when a check refuses it."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.central import Answer, FieldType, FormField
from kiosk.core.flows.request import AnswerField, RequestContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.paging import Choice, PagedChoices
from screens.widgets import send

__all__ = ["KeyboardDock", "PagedChoices", "RequestFieldScreen"]  # the keyboard is used in the .kv

TYPED = frozenset({FieldType.TEXT, FieldType.LONG_TEXT, FieldType.NUMBER, FieldType.DATE,
                   FieldType.DATETIME, FieldType.EMAIL, FieldType.PHONE})
NUMERIC = frozenset({FieldType.NUMBER, FieldType.PHONE})


class RequestFieldScreen(FlowScreen):
    """One question of the form."""

    label = StringProperty("")
    hint = StringProperty("")
    typed = BooleanProperty(True)
    multi = BooleanProperty(False)
    numeric = BooleanProperty(False)
    long_text = BooleanProperty(False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, str] | None = None
        self._field: FormField | None = None
        self._picked: set[str] = set()

    def show(self, view: View) -> None:
        """The current question; its input is rebuilt only when the question changes."""
        super().show(view)
        flow = content_of(view, RequestContent)
        question = flow.current_field if flow is not None else None
        if question is None or flow is None:
            self._shown, self._field, self._picked = None, None, set()
            self.ids.answer.clear()
            self.ids.choices.set_choices([], view.language)
            return
        lang = view.language
        self.label = question.label
        required = (translate("request.required", lang) if question.required
                    else translate("request.optional", lang))
        # The service's own help says what it expects when it has one; else the generic form.
        expected = question.help or translate(f"request.format.{question.type.value}", lang)
        parts = [required, expected]
        self.hint = "\n".join(p for p in parts if p)
        key = (question.code, lang)
        if self._shown == key:
            return
        first_time = self._shown is None or self._shown[0] != question.code
        self._shown, self._field = key, question
        self.typed = question.type in TYPED
        self.multi = question.type is FieldType.MULTI_CHOICE
        self.numeric = question.type in NUMERIC
        self.long_text = question.type is FieldType.LONG_TEXT
        previous: Answer = flow.drafts.get(question.code, flow.answers.get(question.code, ""))
        if first_time:
            if self.typed:
                self.ids.answer.text = previous if isinstance(previous, str) else ""
            picked = previous if isinstance(previous, tuple) else (previous,)
            self._picked = {p for p in picked if p}
        self._build_choices(lang)

    def _build_choices(self, lang: str) -> None:
        question = self._field
        choices = [] if question is None or self.typed else [
            Choice(choice.key, choice.label, lambda key=choice.key: self.pick(key),
                   chosen=choice.key in self._picked)
            for choice in question.choices]
        self.ids.choices.set_choices(choices, lang)

    def pick(self, key: str) -> None:
        """One value chosen: sent at once, or marked (several may be chosen)."""
        if not self.multi:
            send(AnswerField(key))
            return
        self._picked ^= {key}
        self._build_choices(self._shown[1] if self._shown else "fr")

    def next(self) -> None:
        """Send the answer as it stands (an empty one skips an optional question)."""
        if self.typed:
            send(AnswerField(self.ids.answer.text))
        elif self.multi:
            send(AnswerField(tuple(sorted(self._picked))))
        else:
            send(AnswerField(""))

    def focus_key(self) -> str:
        """The question on screen."""
        return self._field.code if self._field else ""

    def first_focus(self) -> Widget | None:
        """Keyboard users type at once, or start on the first choice."""
        if self.typed:
            return self.ids.answer
        return self.ids.choices.first()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
