"""Request: everything on one screen before it is sent, with "Change" next to each item and one
"Confirm". Nothing is sent before "Confirm"."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.central import Answer, FormField
from kiosk.core.flows.request import ChangeItem, RequestContent, RequestStep
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.paging import Line, PagedChoices
from screens.widgets import send

__all__ = ["PagedChoices", "RequestSummaryScreen", "shown_answer"]  # the list is used in the .kv


def shown_answer(question: FormField, answer: Answer | None, lang: str) -> str:
    """An answer as the person chose it: choice labels rather than their keys."""
    if answer is None or answer == "" or answer == ():
        return translate("request.no_answer", lang)
    labels = {c.key: c.label for c in question.choices}
    values = answer if isinstance(answer, tuple) else (answer,)
    return ", ".join(labels.get(v, v) for v in values)


class RequestSummaryScreen(FlowScreen):
    """Check and confirm."""

    def show(self, view: View) -> None:
        """The service above, then one line per item with its Change button."""
        super().show(view)
        flow = content_of(view, RequestContent)
        lang = view.language
        if flow is None or flow.service is None:
            self.ids.reading.explanation = ""
            self.ids.lines.set_choices([], lang)
            return
        self.ids.reading.explanation = translate("request.summary_service", lang,
                                                 service=flow.service.name)
        lines = []
        for index, question in enumerate(flow.fields):
            answer = shown_answer(question, flow.answers.get(question.code), lang)
            lines.append(self._line(f"field.{index}", f"{question.label} : {answer}",
                                    ChangeItem(RequestStep.FIELD, index)))
        where = flow.address or App.get_running_app().settings.site.location.address
        lines.append(self._line("place", translate("request.summary_place", lang, place=where),
                                ChangeItem(RequestStep.PLACE)))
        contact = ", ".join(c for c in (flow.email, flow.phone) if c) or translate(
            "request.no_contact", lang)
        lines.append(self._line("contact", translate("request.summary_contact", lang,
                                                     contact=contact),
                                ChangeItem(RequestStep.CONTACT)))
        self.ids.lines.set_choices(lines, lang)

    @staticmethod
    def _line(key: str, text: str, intent: ChangeItem) -> Line:
        return Line(key, text, lambda: send(intent))

    def first_focus(self) -> Widget | None:
        """Confirm first: the person has just answered everything."""
        return self.ids.confirm


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
