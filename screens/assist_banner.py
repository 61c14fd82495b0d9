"""What the visitor's screens show while a facilitator is signed in at the desk
(docs/assisted-mode.md): in the footer, below the reach band, the small print "a facilitator
is helping you" (and, once the visitor agreed, that the facilitator types for them); and, when
the facilitator asks to type, the question over the screen with "Yes, they may type" and "No"
in the reach band, as the inactivity warning is. Placing it in a screen is one kv line,
`AssistBanner:`; it draws from `app.view` (its `helping` part, never the facilitator's note).

In the facilitator's console, which draws the visitor's screens as they are, the question is
not put: the consent is the visitor's to give, on their screen (kiosk/core/assist_desk.py
refuses it from the console anyway)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.assist import Consent
from kiosk.core.assist_intents import AnswerConsent, ConsentAnswer
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.over_screen import OverScreen
from screens.widgets import send


class AssistBanner(BoxLayout):
    """"A facilitator is helping you", in the footer."""

    shown = ObjectProperty(None, allownone=True)
    """The View on display (bound to `app.view` in assist_banner.kv)."""
    helping = BooleanProperty(False)
    message = StringProperty("")

    def on_message(self, *_args: Any) -> None:
        """Its sign and words, built the first time there is something to say: most sessions
        have no facilitator, and every screen has a banner (docs/performance.md, "A screen's
        build")."""
        if not self.children:
            if not self.message:
                return
            self.add_widget(Factory.AssistSign())
            self.add_widget(Factory.AssistWords())
        self.children[0].text = self.message

    def on_shown(self, _widget: Any, view: View | None) -> None:
        """The words for the view on display; the question put or taken away."""
        helping = view.helping if view is not None else None
        self.helping = helping is not None
        if helping is None or view is None:
            self.message = ""
            if self.get_root_window() is not None:
                ConsentQuestion.shared().dismiss()
            return
        if helping.consent is Consent.GIVEN:
            self.message = translate("assist.typing", view.language, badge=helping.facilitator)
        else:
            self.message = translate("assist.helping", view.language, badge=helping.facilitator)
        if self.get_root_window() is None:
            return  # the banner of a screen not on display
        question = ConsentQuestion.shared()
        if helping.consent is Consent.ASKED and not getattr(
                App.get_running_app(), "mirrors_visitor", False):
            question.ask(view.language, helping.facilitator)
        else:
            question.dismiss()


class ConsentQuestion(OverScreen):
    """May the facilitator type for you? Over the screen, in the reach band; the screen under
    it takes no touch until the visitor answers."""

    question = StringProperty("")
    _shared: ConsentQuestion | None = None

    @classmethod
    def shared(cls) -> ConsentQuestion:
        """The window's one question."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared


    def ask(self, language: str, badge: str) -> None:
        """Put the question, focused on "Yes" for a keyboard's Enter."""
        self.question = translate("assist.consent_asked", language, badge=badge)
        self.ids.give.text = translate("assist.consent_give", language)
        self.ids.refuse.text = translate("assist.consent_refuse", language)
        self.put_up()

    def dismiss(self) -> None:
        """Take the question away."""
        self.take_down()

    def answer(self, answer: str) -> None:
        """The visitor's answer."""
        send(AnswerConsent(ConsentAnswer(answer)))



Builder.load_file(str(Path(__file__).with_suffix(".kv")))
