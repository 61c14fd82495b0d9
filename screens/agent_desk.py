"""The facilitator's console while a facilitator is signed in (docs/assisted-mode.md): the
visitor's step as their screen shows it (the console's app puts it in `ids.mirror`), the
private note, the procedures to start, typing for the visitor once they agree, and closing the
assisted session with its outcome.

Like every screen it draws from the core's view (here the console's, `ConsoleView`) and sends
what the facilitator does with `app.send`; the closing form's choices stay in the widgets
until it is sent, as a visitor's answers do until "Next"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.core.assist import MAX_MINUTES, Consent, Outcome, Result
from kiosk.core.assist_console import ConsoleView, Procedure
from kiosk.core.assist_messages import (
    AskToType,
    CloseAssisted,
    SignOutAgent,
    StopTyping,
    WriteNote,
)
from kiosk.core.home_entries import short_name
from kiosk.core.i18n import translate
from kiosk.core.intents import ContinueSession, StartFlow
from screens.widgets import KioskScreen, send


def procedure_title(procedure: Procedure, lang: str) -> str:
    """A procedure's title ("Track a request"), or its name when it has no text."""
    title = translate(procedure.title_key, lang)
    return procedure.name if title == procedure.title_key else title


def procedure_short(procedure: Procedure, lang: str) -> str:
    """A procedure's two to four words ("Track a request") for its start button, as the home
    screen's entry says them; its title when it has none."""
    short = short_name(procedure.title_key, lang)
    return procedure_title(procedure, lang) if short == procedure.title_key else short


class AgentDeskScreen(KioskScreen):
    """The desk's tools beside the visitor's step."""

    facilitator = StringProperty("")
    consent = StringProperty(Consent.NONE.value)
    visitor_status = StringProperty("")
    procedure = StringProperty("")
    procedure_text = StringProperty("")
    result = StringProperty(Result.DONE.value)
    minutes = NumericProperty(0)
    #: the facilitator changed the minutes: they are no longer the clock's
    minutes_set = BooleanProperty(False)
    #: the facilitator chose the procedure: it no longer follows the visitor's flow
    procedure_set = BooleanProperty(False)
    in_session = BooleanProperty(False)
    visitor_warned = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._view: ConsoleView | None = None
        self._shown_procedures: tuple[object, ...] = ()
        super().__init__(**kwargs)

    def show(self, view: ConsoleView) -> None:
        """The desk as the station has it."""
        self._view = view
        desk = view.desk
        if desk is None:
            return
        lang = self.lang
        self.facilitator = translate("agent.facilitator", lang, badge=desk.facilitator,
                                     minutes=desk.minutes)
        self.consent = desk.consent.value
        self.in_session = desk.in_session
        self.visitor_warned = desk.visitor_warned
        self.visitor_status = (translate("agent.visitor_warned", lang) if desk.visitor_warned
                               else "" if desk.in_session
                               else translate("agent.no_visitor", lang))
        if not self.minutes_set:
            self.minutes = max(1, desk.minutes)
        names = [p.name for p in desk.procedures]
        if not self.procedure_set and desk.flow in names:
            self.procedure = desk.flow
        elif self.procedure not in names:
            self.procedure = names[-1]
        self._fill_procedures(desk.procedures, lang)
        self._name_procedure()
        note = self.ids.note
        if note.text != desk.note and not note.focus:  # never under the facilitator's typing
            note.text = desk.note

    def forget(self) -> None:
        """The facilitator has gone: nothing of the visitor or of the form stays."""
        self._view = None
        self.ids.note.clear()
        self.minutes_set = self.procedure_set = False
        self.result = Result.DONE.value
        self.procedure = ""

    @property
    def lang(self) -> str:
        """The console's own language."""
        from kivy.app import App

        return str(App.get_running_app().console_lang)

    def _fill_procedures(self, procedures: tuple[Procedure, ...], lang: str) -> None:
        shown = (procedures, lang)
        if shown == self._shown_procedures:
            return
        self._shown_procedures = shown
        grid = self.ids.procedures
        grid.clear_widgets()
        for procedure in procedures[:-1]:  # "other" is no procedure to start
            button = Factory.DeskButton(text=procedure_short(procedure, lang),
                                        role=f"agent.start.{procedure.name}", shorten=True,
                                        shorten_from="right")
            button.bind(on_release=lambda _b, name=procedure.name: send(StartFlow(name)))
            grid.add_widget(button)

    def _name_procedure(self) -> None:
        view = self._view
        if view is None or view.desk is None:
            return
        found = next((p for p in view.desk.procedures if p.name == self.procedure), None)
        self.procedure_text = procedure_title(found, self.lang) if found else self.procedure

    # -- what the facilitator does ---------------------------------------------------------

    def next_procedure(self) -> None:
        """The closing form's procedure: the next one."""
        view = self._view
        if view is None or view.desk is None:
            return
        names = [p.name for p in view.desk.procedures]
        at = names.index(self.procedure) if self.procedure in names else -1
        self.procedure = names[(at + 1) % len(names)]
        self.procedure_set = True
        self._name_procedure()

    def choose_result(self, result: str) -> None:
        """The closing form's result."""
        self.result = result

    def change_minutes(self, by: int) -> None:
        """The closing form's minutes, one more or one less."""
        self.minutes = min(MAX_MINUTES, max(0, int(self.minutes) + by))
        self.minutes_set = True

    def close_session(self) -> None:
        """Close the assisted session with the form's outcome."""
        send(CloseAssisted(Outcome(self.procedure, Result(self.result), int(self.minutes))))
        self.minutes_set = self.procedure_set = False
        self.result = Result.DONE.value

    def toggle_typing(self) -> None:
        """Ask the visitor whether the facilitator may type, or stop typing."""
        send(AskToType() if self.consent == Consent.NONE.value else StopTyping())

    def keep_visitor(self) -> None:
        """The visitor's screen warns of inactivity: the facilitator answers "Continue" for
        the session they are helping with."""
        send(ContinueSession())

    def sign_out(self) -> None:
        """Leave the desk without an outcome."""
        send(SignOutAgent())

    def note_changed(self, text: str) -> None:
        """The private note as it now reads (kept by the station, shown to no visitor)."""
        view = self._view
        if view is not None and view.desk is not None and text != view.desk.note:
            send(WriteNote(text))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
