"""The banner of the visitor's screens while a facilitator is signed in at the desk: "a
facilitator is helping you", and the visitor's own answer about being typed for ("Yes, they
may type" / "No", then "Stop"). Placing it in a screen is one kv line, `AssistBanner:`; it
draws from `app.view` (the `helping` part of the View, never the facilitator's note) and sits
below the persistent bar, where no screen puts anything.

In the facilitator's console, which draws the visitor's screens as they are, its buttons are
disabled: the consent is the visitor's to give, on their screen (kiosk/core/assist_desk.py
refuses it from the console anyway)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.assist import Consent
from kiosk.core.assist_intents import AnswerConsent, ConsentAnswer
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.widgets import KioskButton, send

MESSAGES = {Consent.NONE: "assist.helping", Consent.ASKED: "assist.consent_asked",
            Consent.GIVEN: "assist.typing"}
BUTTONS: dict[Consent, tuple[ConsentAnswer, ...]] = {
    Consent.NONE: (), Consent.ASKED: (ConsentAnswer.GIVE, ConsentAnswer.REFUSE),
    Consent.GIVEN: (ConsentAnswer.WITHDRAW,)}
BUTTON_WIDTH_MM = 55
"""Wide enough for "Oui, il peut écrire" at the largest text size, on two lines at most."""


class AssistBanner(BoxLayout):
    """"A facilitator is helping you", with the consent's buttons."""

    shown = ObjectProperty(None, allownone=True)
    """The View on display (bound to `app.view` in assist_banner.kv)."""
    helping = BooleanProperty(False)
    message = StringProperty("")
    #: which buttons: "" (none), "asked" (yes / no), "given" (stop)
    consent = StringProperty(Consent.NONE.value)
    #: False in the facilitator's console, where the consent is not theirs to give
    answers = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        self._shown_buttons: tuple[object, ...] | None = None
        super().__init__(**kwargs)
        self.answers = not getattr(App.get_running_app(), "mirrors_visitor", False)

    def on_shown(self, _widget: Any, view: View | None) -> None:
        """Redraw for the view on display."""
        helping = view.helping if view is not None else None
        self.helping = helping is not None
        if helping is None or view is None:
            self.message, self.consent = "", Consent.NONE.value
            self._buttons((), "")
            return
        self.consent = helping.consent.value
        self.message = translate(MESSAGES[helping.consent], view.language,
                                 badge=helping.facilitator)
        self._buttons(BUTTONS[helping.consent], view.language)

    def _buttons(self, answers: tuple[ConsentAnswer, ...], language: str) -> None:
        shown = (answers, language, self.answers)
        if shown == self._shown_buttons or "buttons" not in self.ids:
            return
        self._shown_buttons = shown
        row = self.ids.buttons
        row.clear_widgets()
        for answer in answers:
            button = KioskButton(text=_label(answer, language),
                                 role=f"assist.consent.{answer.value}",
                                 primary=answer is ConsentAnswer.GIVE, size_hint_x=None,
                                 width=App.get_running_app().mm(BUTTON_WIDTH_MM),
                                 disabled=not self.answers)
            button.bind(on_release=lambda _b, answer=answer: send(AnswerConsent(answer)))
            row.add_widget(button)


def _label(answer: ConsentAnswer, language: str) -> str:
    if answer is ConsentAnswer.GIVE:
        return translate("assist.consent_give", language)
    if answer is ConsentAnswer.REFUSE:
        return translate("assist.consent_refuse", language)
    return translate("assist.consent_withdraw", language)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
