"""How the station is used, counted from the core's state changes and effects: sessions,
flows completed or abandoned (and at which step), languages, the seated layout and speech,
satisfaction scores. Only names the app gives (flows, screens, languages) and scores are
counted; nothing a person typed is looked at.

A flow counts as completed when it reaches the last screen its descriptor names
(`FlowSpec.screens`: a request's "done", the survey's "thanks"), not waiting and with no
problem shown; as abandoned, at the screen it was on, when it ends without having been
completed (the session ends or starts again, Back leaves it, another flow replaces it). Each is
counted once per session for a flow (and step), as the fleet's counters are sessions
(kiosk/core/fleet.py, `Usage`).

The assisted mode's counts (sessions a facilitator helped with, and their minutes) come from
the part of the station that knows them, as plain values (`AssistedUse`); until it exists they
are zeros (`no_assistance`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from kiosk.core.central import SurveyAnswer
from kiosk.core.effects import Effect
from kiosk.core.fleet import Usage
from kiosk.core.flows import registry
from kiosk.core.state import AppState, FlowView
from kiosk.core.submission import Submit

#: The survey's questions with a score (kiosk/core/flows/survey.py): JDMA Q1 and Q2.
SCORED_QUESTIONS = ("overall", "clarity")
#: JDMA Q3 is a choice, not a score: counted as the question "help:<choice>" with score 1.
HELP_QUESTION = "help:{}"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class AssistedUse:
    """Sessions a facilitator helped with since the station started, and their minutes."""

    sessions: int = 0
    minutes: float = 0.0


AssistedSource = Callable[[], AssistedUse]
"""Where the assisted mode's counts are read (any thread), as plain values."""


def no_assistance() -> AssistedUse:
    """The counts of a station without an assisted mode."""
    return AssistedUse()


def _completes(view: FlowView) -> bool:
    spec = registry.FLOWS.get(view.name)
    last = spec.screens[-1] if spec is not None and spec.screens else None
    return view.screen == last and not view.busy and not view.problem


class UsageCounter:
    """Counts from successive states (`observe`, a core listener) and effects (`effect`, a
    core effect sink), on the UI thread. `usage` is a new frozen value after each change, so
    that another thread (the heartbeat's) reads it whole without a lock."""

    def __init__(self) -> None:
        self._sessions = 0
        self._completed: Counter[str] = Counter()
        self._abandoned: Counter[tuple[str, str]] = Counter()
        self._languages: Counter[str] = Counter()
        self._seated = 0
        self._speech = 0
        self._satisfaction: Counter[tuple[str, int]] = Counter()
        # what this session has been counted for already
        self._session_id: str | None = None
        self._seen: set[tuple[str, ...]] = set()
        self._flow: FlowView | None = None
        self._flow_done = False
        self.usage = Usage()

    def observe(self, state: AppState) -> None:
        """A new state from the core."""
        changed = False
        session = state.session
        if session is not None and session.id != self._session_id:
            self._leave_flow()  # the session before it ended in a flow
            self._session_id, self._seen = session.id, set()
            self._sessions += 1
            changed = True
        if session is None:
            changed |= self._leave_flow()
            self._session_id = None
        else:
            changed |= self._once(("language", state.language), self._languages, state.language)
            if state.accessibility.seated_layout and self._first(("seated",)):
                self._seated += 1
                changed = True
            if state.accessibility.audio and self._first(("speech",)):
                self._speech += 1
                changed = True
            changed |= self._follow_flow(state.flow)
        if changed:
            self._publish()

    def effect(self, effect: Effect) -> None:
        """An effect the core handed on: survey answers are counted by question and score."""
        answer = effect.submission if isinstance(effect, Submit) else None
        if not isinstance(answer, SurveyAnswer):
            return
        for question in SCORED_QUESTIONS:
            score = getattr(answer, question)
            if isinstance(score, int):
                self._satisfaction[(question, score)] += 1
        if answer.help_received is not None:
            self._satisfaction[(HELP_QUESTION.format(answer.help_received), 1)] += 1
        self._publish()

    # -- flows ---------------------------------------------------------------------------

    def _follow_flow(self, view: FlowView | None) -> bool:
        changed = False
        current = self._flow
        if current is not None and (view is None or view.name != current.name):
            changed |= self._leave_flow()
        if view is None:
            return changed
        self._flow = view
        if not self._flow_done and _completes(view):
            self._flow_done = True
            changed |= self._once(("completed", view.name), self._completed, view.name)
        return changed

    def _leave_flow(self) -> bool:
        """The flow followed so far has ended: abandoned, unless it was completed."""
        flow, done = self._flow, self._flow_done
        self._flow, self._flow_done = None, False
        if flow is None or done:
            return False
        return self._once(("abandoned", flow.name, flow.screen), self._abandoned,
                          (flow.name, flow.screen))

    # -- counting ------------------------------------------------------------------------

    def _first(self, key: tuple[str, ...]) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def _once(self, key: tuple[str, ...], counts: Counter[K], what: K) -> bool:
        if not self._first(key):
            return False
        counts[what] += 1
        return True

    def _publish(self) -> None:
        self.usage = Usage(
            sessions=self._sessions,
            completed=MappingProxyType(dict(self._completed)),
            abandoned=MappingProxyType(dict(self._abandoned)),
            languages=MappingProxyType(dict(self._languages)),
            seated_sessions=self._seated,
            speech_sessions=self._speech,
            satisfaction=MappingProxyType(dict(self._satisfaction)),
        )

    def with_assisted(self, assisted: AssistedUse) -> Usage:
        """The counts so far, with the assisted mode's."""
        usage = self.usage
        return Usage(sessions=usage.sessions, completed=usage.completed,
                     abandoned=usage.abandoned, languages=usage.languages,
                     seated_sessions=usage.seated_sessions, speech_sessions=usage.speech_sessions,
                     assisted_sessions=assisted.sessions, assisted_minutes=assisted.minutes,
                     satisfaction=usage.satisfaction)
