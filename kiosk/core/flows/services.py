"""Finding a service: one catalogue of everything the city offers at the kiosk, from the central
systems (Open311 services or w.c.s. forms for requests, Chrono agendas for appointments),
grouped, searchable by keyword, shown as large list buttons. Choosing one starts its flow
(a request, or a booking) at that service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.core.central import CentralFailure, Schedule, Service, ServiceKind
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.flows import appointment, request
from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step
from kiosk.core.state import FlowName
from kiosk.core.text import fold

NAME = "services"
SCREEN = "services"
#: the flow of the entries the screen lists under "Appointments"
APPOINTMENTS = appointment.NAME


@dataclass(frozen=True)
class CatalogueEntry:
    """One thing the person can do, and the flow that does it."""

    id: str
    name: str
    flow: FlowName
    group: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()

    def matches(self, query: str) -> bool:
        """Every word typed is in the name, group, description or keywords (case and
        accents ignored)."""
        haystack = fold(" ".join((self.name, self.group, self.description, *self.keywords)))
        return all(word in haystack for word in fold(query).split())


@dataclass(frozen=True)
class Catalogue:
    """What the central systems offer; `partial` when one of them did not answer."""

    entries: tuple[CatalogueEntry, ...]
    partial: bool = False


def catalogue_of(services: Sequence[Service] | None,
                 schedules: Sequence[Schedule] | None) -> Catalogue:
    """Requests first, in the central's order and groups, then appointments. None stands for
    a system that did not answer (or that the city does not run)."""
    entries = [CatalogueEntry(s.id, s.name, request.NAME, s.group, s.description,
                              s.keywords)
               for s in services or () if s.kind is ServiceKind.REQUEST]
    entries += [CatalogueEntry(s.id, s.name, appointment.NAME, "", s.place)
                for s in schedules or ()]
    return Catalogue(tuple(entries), partial=services is None or schedules is None)


@dataclass(frozen=True)
class LoadCatalogue(Effect):
    """Services and agendas from the central systems, as a Catalogue."""


@dataclass(frozen=True)
class RetryCatalogue(FlowIntent):
    """Ask the central systems again."""


@dataclass(frozen=True)
class ServicesContent:
    """What the services screen shows: the catalogue, once it came."""

    catalogue: Catalogue | None = None


@dataclass(frozen=True)
class ServicesFlow(Flow):
    """The catalogue on screen (nothing personal in it)."""

    catalogue: Catalogue | None = None
    waiting_for: int | None = None
    problem: str = ""

    def view(self) -> FlowView:
        """One screen."""
        return FlowView(NAME, SCREEN, 1, 1, busy=self.waiting_for is not None,
                        problem=self.problem, content=ServicesContent(self.catalogue))

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """The catalogue arriving, or failing; a retry."""
        match event:
            case EffectDone(effect=effect, value=Catalogue() as catalogue) if (
                effect.effect_id == self.waiting_for
            ):
                problem = "services.partial" if catalogue.partial else ""
                if not catalogue.entries:
                    problem = "services.unavailable"
                return Step(replace(self, catalogue=catalogue, waiting_for=None,
                                    problem=problem))
            case EffectFailed(effect=effect, failure=failure) if (
                effect.effect_id == self.waiting_for
            ):
                # A central that answered something unreadable is not "not answering".
                problem = ("central.unusable" if failure is CentralFailure.MALFORMED
                           else "services.unavailable")
                return Step(replace(self, waiting_for=None, problem=problem))
            case RetryCatalogue() if self.waiting_for is None:
                return _load(ctx)
        return Step(self)

    def back(self, ctx: FlowContext) -> Step:
        """Back to home."""
        return Step(None)


def _load(ctx: FlowContext) -> Step:
    effect = LoadCatalogue(session_id=ctx.session_id)
    return Step(ServicesFlow(waiting_for=effect.effect_id), (effect,))


def start_services(ctx: FlowContext, param: str) -> Step:
    """Load the catalogue."""
    return _load(ctx)


FLOW = FlowSpec(name=NAME, kind=ServicesFlow, start=start_services, screens=(SCREEN,),
                effects=(LoadCatalogue,), home="home.entry.services", home_order=10)
