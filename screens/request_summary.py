"""Request: everything on one screen before it is sent, with "Change" next to each item and one
"Confirm". Nothing is sent before "Confirm"."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.central import Answer, FormField
from kiosk.core.flows.request import ChangeItem, RequestContent, RequestStep
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import KioskButton, KioskText, send


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
        """One line per item with its Change button."""
        super().show(view)
        box = self.ids.lines
        box.clear_widgets()
        flow = content_of(view, RequestContent)
        if flow is None or flow.service is None:
            return
        lang = view.language
        box.add_widget(KioskText(text=translate("request.summary_service", lang,
                                                service=flow.service.name), bold=True))
        for index, question in enumerate(flow.fields):
            answer = shown_answer(question, flow.answers.get(question.code), lang)
            self._item(f"{question.label} : {answer}", f"request.change.field.{index}",
                       ChangeItem(RequestStep.FIELD, index), lang)
        where = flow.address or App.get_running_app().settings.site.location.address
        self._item(translate("request.summary_place", lang, place=where),
                   "request.change.place", ChangeItem(RequestStep.PLACE), lang)
        contact = ", ".join(c for c in (flow.email, flow.phone) if c) or translate(
            "request.no_contact", lang)
        self._item(translate("request.summary_contact", lang, contact=contact),
                   "request.change.contact", ChangeItem(RequestStep.CONTACT), lang)

    def _item(self, text: str, role: str, intent: ChangeItem, lang: str) -> None:
        app = App.get_running_app()
        row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=app.layout.gap)
        label = KioskText(text=text, valign="middle")
        button = KioskButton(text=translate("request.change", lang), role=role,
                             size_hint_x=0.3)
        button.bind(on_release=lambda _b: send(intent))
        row.add_widget(label)
        row.add_widget(button)

        def fit(*_args: object) -> None:
            row.height = max(label.texture_size[1], button.height)
            label.height = row.height
            label.y = row.y

        label.bind(texture_size=fit)
        button.bind(height=fit)
        row.bind(y=fit)
        fit()
        self.ids.lines.add_widget(row)

    def first_focus(self) -> Widget | None:
        """Confirm first: the person has just answered everything."""
        return self.ids.confirm


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
