"""What every flow is made of: its descriptor (`FlowSpec`: how it starts, its screens, its
effects, its receipt, its home entry), its value's view (which screen, which step, what the
screen shows), its transitions, and the context it runs in. A flow value holds what the person
entered, so it lives in the citizen session and nowhere else.

Adding a flow is one module in this package that exports `FLOW = FlowSpec(...)`, its screens in
`screens/` (one module each, named as the flow names them) and its texts in the catalogues: the
registry finds the module, the shell finds the screens (docs/architecture.md)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core.central import Place
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.places import EMPTY_DIRECTORY, PlaceDirectory
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import Receipt
from kiosk.core.state import FlowName, FlowView, ScreenName

__all__ = [
    "CodeScanned", "Flow", "FlowContext", "FlowInput", "FlowIntent", "FlowName", "FlowSpec",
    "FlowView", "ReceiptBuilder", "Starter", "Step",
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


Starter = Callable[[FlowContext, str], Step]
"""(context, what the flow starts from: a service id, a scanned code, or "") → the first step."""

ReceiptBuilder = Callable[[Any, FlowContext, ReceiptDetails, datetime], Receipt | None]
"""(the flow's value, context, the station's receipt details, when it was done) → the receipt
the flow leaves the person with, or None while it has none. Must not raise but ValueError."""


@dataclass(frozen=True)
class FlowSpec:
    """A flow, whole: what the registry collects from each flow module's `FLOW`."""

    name: FlowName
    #: the type of the flow's value
    kind: type[Flow]
    start: Starter
    #: the screens its steps show, in order (the shell builds them ahead while the first shows)
    screens: tuple[ScreenName, ...]
    #: the effects it asks of the shell: each must have a handler (a test checks it)
    effects: tuple[type[Effect], ...] = ()
    receipt: ReceiptBuilder | None = None
    #: message key of its entry on the home screen ("" for none); `<key>.keywords` holds the
    #: words the home search matches
    home: str = ""
    #: where that entry stands, smallest first
    home_order: int = 0
    #: a code shown to the scanner outside any flow starts this flow with it
    starts_on_scan: bool = False
