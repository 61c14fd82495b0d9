"""What the facilitator's console is drawn from: its own screen (`select_console`), the
facilitator's side of the desk, and the visitor's `View`, exactly the one their screen is drawn
from, so that the console shows the visitor's step as it is. Sent to the console at every
change (kiosk/core/assist_messages.py); nothing of the visitor while no facilitator is signed
in."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.core.assist import OTHER_PROCEDURE, Consent, Result
from kiosk.core.flows import registry
from kiosk.core.screen_selection import select_console
from kiosk.core.state import AppState, FlowName, Overlay, ScreenName
from kiosk.core.view import View, view_of


@dataclass(frozen=True)
class Procedure:
    """A procedure the facilitator can start, or close an assisted session with: a flow (by
    name) and the message key of its title ("" for "other")."""

    name: FlowName
    title_key: str


def procedure_choices() -> tuple[Procedure, ...]:
    """Every flow of the station, in the home screen's order, then "other". A flow with no
    entry on the home screen (the survey) is titled by `agent.flow.<name>`."""
    specs = sorted(registry.FLOWS.values(), key=lambda s: (not s.home, s.home_order, s.name))
    return (*(Procedure(s.name, s.home or f"agent.flow.{s.name}") for s in specs),
            Procedure(OTHER_PROCEDURE, "agent.procedure.other"))


@dataclass(frozen=True)
class DeskView:
    """The facilitator's side: who is signed in and for how many minutes, the visitor's
    consent, the private note, the procedures, the results an outcome may have, whether a
    visitor's session is open (and its flow, to propose as the procedure), and whether the
    visitor's screen shows the inactivity warning."""

    facilitator: str
    minutes: int
    consent: Consent
    note: str = field(repr=False)
    procedures: tuple[Procedure, ...]
    results: tuple[Result, ...]
    in_session: bool
    flow: FlowName = ""
    visitor_warned: bool = False


@dataclass(frozen=True)
class ConsoleView:
    """The console's screen, and, while a facilitator is signed in, the desk and the
    visitor's view."""

    screen: ScreenName
    desk: DeskView | None = None
    citizen: View | None = None


def console_view_of(state: AppState) -> ConsoleView:
    """The console's view of `state`."""
    screen = select_console(state)
    assisted = state.assist.assisted
    if assisted is None:
        return ConsoleView(screen)
    citizen = view_of(state)
    desk = DeskView(
        facilitator=assisted.facilitator, minutes=assisted.minutes, consent=assisted.consent,
        note=assisted.note, procedures=procedure_choices(), results=tuple(Result),
        in_session=citizen.in_session, flow=citizen.flow.name if citizen.flow else "",
        visitor_warned=citizen.overlay is Overlay.IDLE_WARNING)
    return ConsoleView(screen, desk, citizen)
