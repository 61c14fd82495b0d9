"""How the desk's state changes for staff (docs/assisted-mode.md): a badge's verdict arriving
from the terminal, the visitor's answer about being typed for, the console's messages, the
maintenance checks and their results, and time passing. Pure functions of `AppState`; the
core (kiosk/core/controller.py) commits what they give, hands the effects to the shell and the
badge commands to the badge terminal, and applies the intents for the visitor's session.

Every change is recorded as an event with the staff badge's number and identifiers only: never
the note, a typed text or anything of the visitor's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from kiosk.core import intents as i
from kiosk.core.assist import (
    CHECK_EFFECTS,
    MAX_MINUTES,
    NO_BADGE,
    OTHER_PROCEDURE,
    AssistedSession,
    AssistEnd,
    Check,
    CheckResult,
    CheckStatus,
    Consent,
    MaintenanceVisit,
    PrintTest,
    ReadStationFacts,
    RestartStation,
    StaffBadge,
    StaffEffect,
    StaffPhase,
    StationFacts,
    opens_here,
)
from kiosk.core.assist_intents import AnswerConsent, ConsentAnswer
from kiosk.core.assist_messages import (
    AgentAct,
    AgentActive,
    AgentMessage,
    AskToType,
    CloseAssisted,
    SignOutAgent,
    StopTyping,
    TypeInto,
    WriteNote,
)
from kiosk.core.badge_auth import EndReason, SignOut
from kiosk.core.badges import Role
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.events import EventType, Ident, record
from kiosk.core.flows import registry
from kiosk.core.flows.base import FlowIntent
from kiosk.core.printing import PrintAgain
from kiosk.core.receipt import Receipt
from kiosk.core.screen_selection import select_screen
from kiosk.core.state import AppState

MAX_NOTE_CHARS = 4000
"""A private note is a few lines; beyond, the rest is not kept."""

AGENT_INTENTS = (i.StartSession, i.StartAgain, i.ContinueSession, i.Open, i.Back,
                 i.SetLanguage, i.StartFlow, PrintAgain, FlowIntent)
"""What a facilitator may do on the visitor's step from the console: whatever the visitor's own
buttons do, except ending the visitor's session ("I have finished" is the visitor's) and
answering for the visitor about being typed for. `Remember` (the home screen's search as
typed) needs the visitor's consent, as all typing does."""


@dataclass(frozen=True)
class Change:
    """A new state, the effects to run, what the badge terminal must do, and intents to apply
    to the visitor's session as the visitor's own."""

    state: AppState
    effects: tuple[Effect, ...] = ()
    badge: tuple[SignOut, ...] = ()
    intents: tuple[object, ...] = ()


def _assist(state: AppState, **changes: object) -> AppState:
    return replace(state, assist=replace(state.assist, **changes))


# -- the badge on the reader -------------------------------------------------------------------


def staff_arrived(state: AppState, staff: StaffBadge, now: float, assisted_desk: bool) -> Change:
    """The badge terminal's verdict changed. A badge of a role that opens nothing here is let
    go; a holder newly signed in opens the assisted session or maintenance; a badge no longer
    signed in closes whichever it had opened."""
    if staff.phase is not StaffPhase.NONE and not opens_here(staff.role, assisted_desk):
        record(EventType.STAFF_NOT_HERE, badge=Ident(staff.badge_id),
               role=staff.role or Ident("none"))
        return Change(_assist(state, staff=NO_BADGE), badge=(SignOut(EndReason.ASKED),))
    before = state.assist.staff
    state = _assist(state, staff=staff)
    signed_in = staff.phase is StaffPhase.SIGNED_IN
    assisted, visit = state.assist.assisted, state.assist.maintenance
    if assisted is not None and not (signed_in and staff.badge_id == assisted.facilitator):
        state = assisted_ended(state, AssistEnd.REMOVED)
    if visit is not None and not (signed_in and staff.badge_id == visit.technician):
        record(EventType.MAINTENANCE_CLOSED, badge=Ident(visit.technician))
        state = _assist(state, maintenance=None)
    if not signed_in or (before.phase is StaffPhase.SIGNED_IN
                         and before.badge_id == staff.badge_id):
        return Change(state)
    if staff.role is Role.FACILITATOR:
        record(EventType.ASSIST_STARTED, badge=Ident(staff.badge_id))
        return Change(_assist(state, assisted=AssistedSession(staff.badge_id, now)))
    record(EventType.MAINTENANCE_OPENED, badge=Ident(staff.badge_id))
    state = _assist(state, maintenance=MaintenanceVisit(staff.badge_id))
    return Change(state, (ReadStationFacts(session_id=""),))


def assisted_ended(state: AppState, why: AssistEnd) -> AppState:
    """The assisted session is over (without an outcome unless `why` is CLOSED): the desk is
    back to self-service; the visitor's session is not touched."""
    assisted = state.assist.assisted
    if assisted is None:
        return state
    record(EventType.ASSIST_ENDED, badge=Ident(assisted.facilitator), reason=why,
           minutes=assisted.minutes)
    stats = state.assist.stats
    if why is not AssistEnd.CLOSED:
        stats = replace(stats, unclosed=stats.unclosed + 1,
                        unclosed_minutes=stats.unclosed_minutes + assisted.minutes)
    return _assist(state, assisted=None, stats=stats)


def staff_idle(state: AppState) -> Change:
    """The signed-in holder left the station untouched for `badges.idle_s`: the assisted
    session or maintenance closes, and the badge is signed out."""
    if state.assist.assisted is not None:
        state = assisted_ended(state, AssistEnd.IDLE)
    visit = state.assist.maintenance
    if visit is not None:
        record(EventType.MAINTENANCE_CLOSED, badge=Ident(visit.technician), reason=Ident("idle"))
        state = _assist(state, maintenance=None)
    return Change(state, badge=(SignOut(EndReason.IDLE),))


def minutes_passed(state: AppState, now: float) -> AppState:
    """The assisted session's whole minutes at `now`."""
    assisted = state.assist.assisted
    if assisted is None:
        return state
    minutes = max(0, int((now - assisted.started_at) // 60))
    if minutes == assisted.minutes:
        return state
    return _assist(state, assisted=replace(assisted, minutes=minutes))


# -- the visitor's consent ---------------------------------------------------------------------


def consent_answered(state: AppState, answer: AnswerConsent) -> AppState:
    """The visitor's answer on their screen, yes or no, when asked."""
    assisted = state.assist.assisted
    if assisted is None:
        return state
    before = assisted.consent
    consent = {(ConsentAnswer.GIVE, Consent.ASKED): Consent.GIVEN,
               (ConsentAnswer.REFUSE, Consent.ASKED): Consent.NONE}.get((answer.answer, before))
    if consent is None:
        return state
    record(EventType.ASSIST_CONSENT, badge=Ident(assisted.facilitator), answer=answer.answer)
    return _assist(state, assisted=replace(assisted, consent=consent))


def consent_lapsed(before: AppState, after: AppState) -> AppState:
    """The visitor agreed to be typed for on the screen they were on: leaving it (the next
    step, Back, the end of their session) ends the agreement, and the next screen asks again."""
    assisted = after.assist.assisted
    if assisted is None or assisted.consent is not Consent.GIVEN:
        return after
    if after.session is not None and select_screen(before).screen == select_screen(
            after).screen:
        return after
    record(EventType.ASSIST_CONSENT, badge=Ident(assisted.facilitator), answer=Ident("lapsed"))
    return _assist(after, assisted=replace(assisted, consent=Consent.NONE))


def agent_may_type(state: AppState) -> bool:
    """Whether the facilitator may type for the visitor now: signed in, with a visitor whose
    consent is given."""
    assisted = state.assist.assisted
    return (assisted is not None and state.session is not None
            and assisted.consent is Consent.GIVEN)


# -- the console -------------------------------------------------------------------------------


def procedures() -> tuple[str, ...]:
    """What an assisted session may have been about: every flow of the station, and "other"."""
    return (*registry.FLOWS, OTHER_PROCEDURE)


def agent_message(state: AppState, message: AgentMessage) -> Change:
    """A message from the facilitator's console. Nothing is taken while no facilitator is
    signed in: a console is only a window until a badge and its PIN open the desk."""
    assisted = state.assist.assisted
    if assisted is None:
        return _refused(state, message, "not-signed-in")
    who = Ident(assisted.facilitator)
    match message:
        case AgentActive() | TypeInto():
            return Change(state)  # the shell types, once agent_may_type says so
        case AgentAct(intent=intent):
            return _act(state, intent, message)
        case AskToType() if state.session is not None and assisted.consent is Consent.NONE:
            record(EventType.ASSIST_CONSENT, badge=who, answer=Ident("asked"))
            return Change(_assist(state, assisted=replace(assisted, consent=Consent.ASKED)))
        case StopTyping() if assisted.consent is not Consent.NONE:
            record(EventType.ASSIST_CONSENT, badge=who, answer=Ident("stopped"))
            return Change(_assist(state, assisted=replace(assisted, consent=Consent.NONE)))
        case WriteNote(text=text):
            return Change(_assist(state, assisted=replace(assisted, note=text[:MAX_NOTE_CHARS])))
        case CloseAssisted(outcome=outcome):
            if outcome.procedure not in procedures() or not 0 <= outcome.minutes <= MAX_MINUTES:
                return _refused(state, message, "bad-outcome")
            record(EventType.ASSIST_CLOSED, badge=who, procedure=Ident(outcome.procedure),
                   result=outcome.result, minutes=outcome.minutes)
            state = _assist(state, stats=state.assist.stats.closed(outcome))
            return Change(assisted_ended(state, AssistEnd.CLOSED),
                          badge=(SignOut(EndReason.ASKED),))
        case SignOutAgent():
            return Change(assisted_ended(state, AssistEnd.SIGNED_OUT),
                          badge=(SignOut(EndReason.ASKED),))
    return Change(state)


def _act(state: AppState, intent: object, message: AgentMessage) -> Change:
    if isinstance(intent, i.Remember) and not agent_may_type(state):
        return _refused(state, message, "no-consent")
    if not isinstance(intent, (*AGENT_INTENTS, i.Remember)):
        return _refused(state, message, "not-for-the-agent")
    if isinstance(intent, i.StartFlow) and state.session is None:
        # A facilitator who badged in at an idle desk starts a procedure: a session opens.
        return Change(state, intents=(i.StartSession(), intent))
    return Change(state, intents=(intent,))


def _refused(state: AppState, message: AgentMessage, reason: str) -> Change:
    inner = message.intent if isinstance(message, AgentAct) else message
    record(EventType.ASSIST_REFUSED, logging.WARNING, message=Ident(type(inner).__name__),
           reason=Ident(reason))
    return Change(state)


# -- maintenance -------------------------------------------------------------------------------


def check_started(state: AppState, check: Check, test_receipt: Receipt) -> Change:
    """A check asked for on the maintenance screen (one of each at a time)."""
    visit = state.assist.maintenance
    if visit is None or _running(visit, check):
        return Change(state)
    effect_type = CHECK_EFFECTS[check]
    effect = (PrintTest(session_id="", receipt=test_receipt) if effect_type is PrintTest
              else effect_type(session_id=""))
    visit = visit.with_result(check, CheckResult(CheckStatus.RUNNING))
    return Change(_assist(state, maintenance=visit), (effect,))


def _running(visit: MaintenanceVisit, check: Check) -> bool:
    result = visit.result(check)
    return result is not None and result.status is CheckStatus.RUNNING


def events_asked(state: AppState) -> Change:
    """Read the recent event types again."""
    if state.assist.maintenance is None:
        return Change(state)
    return Change(state, (ReadStationFacts(session_id=""),))


def restart_asked(state: AppState) -> Change:
    """The technician restarts the station."""
    visit = state.assist.maintenance
    if visit is None or visit.restarting:
        return Change(state)
    record(EventType.STATION_RESTART, badge=Ident(visit.technician))
    return Change(_assist(state, maintenance=replace(visit, restarting=True)),
                  (RestartStation(session_id=""),))


def staff_effect_ended(state: AppState, outcome: EffectDone | EffectFailed) -> AppState:
    """A staff effect's outcome, into the maintenance visit (dropped when the visit is over)."""
    visit = state.assist.maintenance
    effect = outcome.effect
    if visit is None or not isinstance(effect, StaffEffect):
        return state
    if isinstance(effect, ReadStationFacts):
        if isinstance(outcome, EffectDone) and isinstance(outcome.value, StationFacts):
            facts = outcome.value
            return _assist(state, maintenance=replace(visit, events=facts.events,
                                                      config_version=facts.config_version))
        return state
    check = next((c for c, kind in CHECK_EFFECTS.items() if isinstance(effect, kind)), None)
    if check is None:
        return state
    if isinstance(outcome, EffectFailed):
        result = CheckResult(CheckStatus.FAILED, outcome.failure.value)
    elif isinstance(outcome.value, CheckResult):
        result = outcome.value
    else:
        result = CheckResult(CheckStatus.FAILED, "no-result")
    record(EventType.MAINTENANCE_CHECK, badge=Ident(visit.technician), check=check,
           status=result.status, reason=Ident(result.reason))
    return _assist(state, maintenance=visit.with_result(check, result))
