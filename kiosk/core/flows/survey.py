"""The satisfaction survey offered at the end of a flow: three optional questions aligned with
the State's "Je donne mon avis" (JDMA) form, so that a city can compare its kiosk with its other
channels (docs/central-systems.md, "Je donne mon avis").

Steps: OVERALL (three faces) → CLARITY (1 to 5) → HELP (who helped) → THANKS. Every question
can be skipped ("Skip" goes on without an answer) and "Finish" ends the survey at any question.
What was answered is sent, anonymously, through the outbox (the `SendSurvey` effect): the flow
just completed, the station and a station reference; nothing about the person. With nothing
answered nothing is sent. From THANKS the person goes back to the home screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from kiosk.core.central import SurveyAnswer
from kiosk.core.effects import EffectDone, EffectFailed
from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step
from kiosk.core.state import FlowName
from kiosk.core.submission import Delivery, Submit

NAME = "survey"

#: JDMA Q1 "De façon générale, comment ça s'est passé ?": three faces "Pas bien", "Moyen",
#: "Très bien" (webapp-form/public/locales/fr/common.json `smileys`), stored 1–3 by JDMA
#: (webapp-form/src/utils/form.tsx) and reported out of 10 as 0, 5, 10 (docs/central-systems.md,
#: "Je donne mon avis"); the "avis-borne" formdef takes "0", "5", "10" (config/peer-seed.json).
OVERALL_SCORES = (0, 5, 10)
#: JDMA Q2 "Qu'avez-vous pensé des informations et des instructions fournies ?": 1 "Pas clair
#: du tout" to 5 "Très clair" (common.json `fields.comprehension`).
CLARITY_SCORES = (1, 2, 3, 4, 5)


class HelpReceived(StrEnum):
    """JDMA Q3, short form: who helped. JDMA asks "Durant votre parcours, avez-vous tenté
    d'obtenir de l'aide par l'un des moyens suivants ?" with, among others, "Au guichet avec
    l'administration", "Une personne proche", "Une association" and "Je n'ai pas eu besoin
    d'aide" (common.json `fields.contact_tried`). At a kiosk the counter is the town hall's
    agent or facilitator next to the person. One choice, sent as this key (never as words in
    the person's language, so that answers in every language add up)."""

    NONE = "none"
    AGENT = "agent"
    RELATIVE = "relative"
    ASSOCIATION = "association"


HELP_KEYS = frozenset(h.value for h in HelpReceived)


class SurveyStep(IntEnum):
    """The steps, in order."""

    OVERALL = 1
    CLARITY = 2
    HELP = 3
    THANKS = 4


QUESTIONS = 3
SCREENS = {
    SurveyStep.OVERALL: "survey_overall",
    SurveyStep.CLARITY: "survey_clarity",
    SurveyStep.HELP: "survey_help",
    SurveyStep.THANKS: "survey_thanks",
}


class SurveyOutcome(StrEnum):
    """What the thanks screen can truthfully say."""

    NOTHING_ANSWERED = "nothing_answered"
    RECORDED = "recorded"  # stored in the outbox: it will reach the central
    NOT_RECORDED = "not_recorded"  # the station could not store it


# -- intents and effects ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateOverall(FlowIntent):
    """A face was chosen (its score, one of OVERALL_SCORES)."""

    score: int


@dataclass(frozen=True)
class RateClarity(FlowIntent):
    """A clarity score was chosen (one of CLARITY_SCORES)."""

    score: int


@dataclass(frozen=True)
class ChooseHelp(FlowIntent):
    """Who helped (a HelpReceived value)."""

    help_received: str


@dataclass(frozen=True)
class SkipQuestion(FlowIntent):
    """Go on to the next question without answering this one."""


@dataclass(frozen=True)
class FinishSurvey(FlowIntent):
    """Stop here and send what was answered."""


@dataclass(frozen=True)
class LeaveSurvey(FlowIntent):
    """From the thanks screen, back to the home screen."""


@dataclass(frozen=True)
class SendSurvey(Submit):
    """Store the answers in the outbox, then try to deliver them briefly: the person does not
    wait for the central (it delivers later)."""

    delivery = Delivery.BACKGROUND


# -- the flow value ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyContent:
    """What the survey screens show: the answers given so far and, at the end, what became
    of them."""

    overall: int | None = None
    clarity: int | None = None
    help_received: str | None = None
    outcome: SurveyOutcome | None = None


@dataclass(frozen=True)
class SurveyFlow(Flow):
    """The survey's value: which flow it is about, and the answers so far."""

    subject: FlowName
    step: SurveyStep = SurveyStep.OVERALL
    overall: int | None = None
    clarity: int | None = None
    help_received: str | None = None
    waiting_for: int | None = None
    outcome: SurveyOutcome | None = None

    @property
    def answered(self) -> bool:
        """Whether at least one question has an answer."""
        return any(a is not None for a in (self.overall, self.clarity, self.help_received))

    def view(self) -> FlowView:
        """The screen of the step; "Question 2 of 3" (the thanks screen counts as the last)."""
        return FlowView(NAME, SCREENS[self.step], min(int(self.step), QUESTIONS), QUESTIONS,
                        busy=self.waiting_for is not None, content=SurveyContent(
                            self.overall, self.clarity, self.help_received, self.outcome))

    def answer(self, ctx: FlowContext) -> SurveyAnswer:
        """What is sent: the answers, the flow they are about and the station (the outbox
        adds the station reference). Nothing identifies the person."""
        return SurveyAnswer(flow=self.subject, station_id=ctx.station_id, station_ref="",
                            overall=self.overall, clarity=self.clarity,
                            help_received=self.help_received)

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Answers, Skip, Finish, and the outbox's answer."""
        match event:
            case EffectDone() | EffectFailed() if event.effect.effect_id != self.waiting_for:
                return Step(self)
            case EffectDone(effect=SendSurvey()):
                return Step(self._thanks(SurveyOutcome.RECORDED))
            case EffectFailed(effect=SendSurvey()):
                return Step(self._thanks(SurveyOutcome.NOT_RECORDED))
            case _ if self.waiting_for is not None:
                return Step(self)  # the answers are on their way: nothing changes them now
            case RateOverall(score=score) if (self.step is SurveyStep.OVERALL
                                              and score in OVERALL_SCORES):
                return self._next(ctx, overall=score)
            case RateClarity(score=score) if (self.step is SurveyStep.CLARITY
                                              and score in CLARITY_SCORES):
                return self._next(ctx, clarity=score)
            case ChooseHelp(help_received=key) if (self.step is SurveyStep.HELP
                                                   and key in HELP_KEYS):
                return self._next(ctx, help_received=str(key))
            case SkipQuestion() if self.step < SurveyStep.THANKS:
                return self._next(ctx)
            case FinishSurvey() if self.step < SurveyStep.THANKS:
                return self._finish(ctx)
            case LeaveSurvey() if self.step is SurveyStep.THANKS:
                return Step(None)
        return Step(self)

    def _thanks(self, outcome: SurveyOutcome) -> SurveyFlow:
        return replace(self, step=SurveyStep.THANKS, waiting_for=None, outcome=outcome)

    def _next(self, ctx: FlowContext, **answers: object) -> Step:
        flow = replace(self, **answers)
        if flow.step is SurveyStep.HELP:
            return flow._finish(ctx)
        return Step(replace(flow, step=SurveyStep(flow.step + 1)))

    def _finish(self, ctx: FlowContext) -> Step:
        if not self.answered:
            return Step(self._thanks(SurveyOutcome.NOTHING_ANSWERED))
        effect = SendSurvey(session_id=ctx.session_id, submission=self.answer(ctx))
        return Step(replace(self, waiting_for=effect.effect_id), (effect,))

    def back(self, ctx: FlowContext) -> Step:
        """The previous question (its answer kept, so it can be changed); from the first
        question or the thanks screen, out of the survey."""
        if self.waiting_for is not None:
            return Step(self)
        if self.step in (SurveyStep.CLARITY, SurveyStep.HELP):
            return Step(replace(self, step=SurveyStep(self.step - 1)))
        return Step(None)


def start_survey(ctx: FlowContext, param: str) -> Step:
    """Start at the first question; `param` names the flow just completed. A survey about
    no known flow, or about itself, is not started (the flow before it has ended either way:
    the person is back on the home screen)."""
    from kiosk.core.flows import registry  # the registry imports this module

    if param not in registry.FLOWS or param == NAME:
        return Step(None)
    return Step(SurveyFlow(subject=param))


FLOW = FlowSpec(name=NAME, kind=SurveyFlow, start=start_survey, screens=tuple(SCREENS.values()),
                effects=(SendSurvey,))
