"""Practical information: what a street totem is for when nobody has a procedure to do. The
city's places (town halls, libraries, swimming pools, waste centres) with their address, their
hours today and this week, and how far they are on foot from the station.

Steps: LIST (the places grouped by kind, nearest first, filterable by kind, page by page) →
DETAIL (one place: address, open or closed now, today's hours, the week, the walk, the phone).

Nothing here is personal: the flow keeps what is shown (kind, page, place) and the moment the
hours are worked out for (`as_of`, renewed at every touch, so "open now" is never older than
the person's last action).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum

from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step
from kiosk.core.places import PlaceDirectory, PlaceKind, PublicPlace, Walk, walk

NAME = "places"


class PlacesStep(IntEnum):
    """The two steps, in order."""

    LIST = 1
    DETAIL = 2


SCREENS = {PlacesStep.LIST: "places_list", PlacesStep.DETAIL: "places_detail"}
KIND_ORDER = {kind: n for n, kind in enumerate(PlaceKind)}


@dataclass(frozen=True)
class ChooseKind(FlowIntent):
    """Show only one kind of place (None: every kind)."""

    kind: PlaceKind | None = None


@dataclass(frozen=True)
class ShowPage(FlowIntent):
    """Show another page of the list (the screen knows how many places fit on one)."""

    page: int


@dataclass(frozen=True)
class OpenPlace(FlowIntent):
    """Show one place, by its `EQUIP_UID`."""

    uid: str


@dataclass(frozen=True)
class ShowList(FlowIntent):
    """From a place back to the list, where it was left."""


@dataclass(frozen=True)
class ShowWeek(FlowIntent):
    """On a panel too small to show both, switch the detail between today and the week."""

    shown: bool = True


@dataclass(frozen=True)
class Listed:
    """A place and the walk to it from the station."""

    place: PublicPlace
    walk: Walk


@dataclass(frozen=True)
class PlacesContent:
    """What the places screens show: the kinds on offer and the one chosen, the page, the
    listing (nearest first), the place opened, today or the week, and the moment the hours
    are worked out for."""

    kinds: tuple[PlaceKind, ...]
    kind: PlaceKind | None
    page: int
    uid: str
    week: bool
    as_of: datetime
    listing: tuple[Listed, ...]
    chosen: Listed | None


@dataclass(frozen=True)
class PlacesFlow(Flow):
    """The places flow's value."""

    directory: PlaceDirectory
    #: the station's position, where walks start
    origin: tuple[float, float]
    #: the moment hours are worked out for (the site's local time)
    as_of: datetime
    step: PlacesStep = PlacesStep.LIST
    #: the kind shown (None: all)
    kind: PlaceKind | None = None
    page: int = 0
    #: the place shown in DETAIL (kept on the list: the one last opened)
    uid: str = ""
    #: DETAIL shows the week rather than today (only where both do not fit)
    week: bool = False

    def view(self) -> FlowView:
        """LIST or DETAIL; "no place to show" when the directory is empty."""
        problem = "" if self.directory.places else "places.none"
        content = PlacesContent(self.directory.kinds(), self.kind, self.page, self.uid,
                                self.week, self.as_of, self.listing(), self.chosen())
        return FlowView(NAME, SCREENS[self.step], int(self.step), len(PlacesStep),
                        problem=problem, content=content)

    def listing(self) -> tuple[Listed, ...]:
        """The places of the chosen kind, grouped by kind in listing order, nearest first."""
        lat, long = self.origin
        found = [Listed(p, walk(lat, long, p.lat, p.long)) for p in self.directory.places
                 if self.kind is None or p.kind is self.kind]
        found.sort(key=lambda item: (KIND_ORDER[item.place.kind], item.walk.route_m,
                                     item.place.name))
        return tuple(found)

    def chosen(self) -> Listed | None:
        """The place shown in DETAIL."""
        place = self.directory.get(self.uid)
        if place is None:
            return None
        return Listed(place, walk(*self.origin, place.lat, place.long))

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Filter, page, open a place, switch today/week; each renews `as_of`."""
        now = replace(self, as_of=ctx.now)
        match event:
            case ChooseKind(kind=kind) if kind is None or kind in self.directory.kinds():
                return Step(replace(now, kind=kind, page=0))
            case ShowPage(page=page):
                return Step(replace(now, page=max(0, page)))
            case OpenPlace(uid=uid) if self.directory.get(uid) is not None:
                return Step(replace(now, step=PlacesStep.DETAIL, uid=uid, week=False))
            case ShowWeek(shown=shown) if self.step is PlacesStep.DETAIL:
                return Step(replace(now, week=shown))
            case ShowList():
                return Step(replace(now, step=PlacesStep.LIST, week=False))
        return Step(self)

    def back(self, ctx: FlowContext) -> Step:
        """From the week to today; from a place to the list (same kind and page); from the
        list out of the flow."""
        if self.step is PlacesStep.DETAIL and self.week:
            return Step(replace(self, week=False, as_of=ctx.now))
        if self.step is PlacesStep.DETAIL:
            # `uid` stays: the list gives the keyboard focus back to that place.
            return Step(replace(self, step=PlacesStep.LIST, as_of=ctx.now))
        return Step(None)


def start_places(ctx: FlowContext, param: str) -> Step:
    """Start on the list of every kind; with a kind as `param` ("library"), on that kind."""
    flow = PlacesFlow(directory=ctx.places, origin=(ctx.place.lat, ctx.place.long),
                      as_of=ctx.now)
    if param in {k.value for k in PlaceKind}:
        return flow.handle(ChooseKind(PlaceKind(param)), ctx)
    return Step(flow)


FLOW = FlowSpec(name=NAME, kind=PlacesFlow, start=start_places, screens=tuple(SCREENS.values()),
                home="home.entry.places", home_order=60)
