"""What every flow is made of: its view (which screen, which step), its transitions, and the
context it runs in. A flow value holds what the person entered, so it lives in the citizen
session and nowhere else; `FlowView` is the part that holds nothing personal."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from kiosk.core.central import Place
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.places import EMPTY_DIRECTORY, PlaceDirectory
from kiosk.core.state import FlowName, FlowView

__all__ = [
    "CodeScanned", "Flow", "FlowContext", "FlowInput", "FlowIntent", "FlowName", "FlowView",
    "Step",
]


@dataclass(frozen=True)
class FlowContext:
    """What a flow may know about the station and the moment."""

    session_id: str
    station_id: str
    language: str
    now: datetime
    place: Place
    #: the city's public places ("Practical information"), read from the places file at start
    places: PlaceDirectory = EMPTY_DIRECTORY


class FlowIntent:
    """Base of the intents a flow handles (each flow defines its own, as frozen dataclasses)."""


@dataclass(frozen=True)
class CodeScanned(FlowIntent):
    """The scanner read a code (a receipt's QR code, or anything else). With no flow active,
    a scanned code starts tracking."""

    code: str


FlowInput = FlowIntent | EffectDone | EffectFailed


@dataclass(frozen=True)
class Step:
    """The outcome of a transition: the flow's next value (None when the flow is over) and
    the effects to run."""

    flow: Flow | None
    effects: tuple[Effect, ...] = ()


class Flow(ABC):
    """A flow's current value."""

    @abstractmethod
    def view(self) -> FlowView:
        """The screen and step this value shows."""

    @abstractmethod
    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """The next value after a person's intent or an effect's outcome."""

    @abstractmethod
    def back(self, ctx: FlowContext) -> Step:
        """One step back; `Step(None)` leaves the flow."""
