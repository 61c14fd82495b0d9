"""Tracking a request by its number: typed on a keypad or read from a receipt's QR code.

Steps: ENTRY (the number) → RESULT (the status timeline). An unknown number keeps the person
on ENTRY with a message saying what to check; the number stays in the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import IntEnum
from urllib.parse import parse_qs, urlsplit

from kiosk.core.central import CentralFailure, RequestReport
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.flows.base import (
    CodeScanned,
    Flow,
    FlowContext,
    FlowInput,
    FlowIntent,
    FlowSpec,
    FlowView,
    Step,
)

NAME = "tracking"
ENTRY_SCREEN = "tracking_entry"
RESULT_SCREEN = "tracking_result"

# A tracking number as people copy it from a receipt: letters, digits and dashes; spaces and
# dots are only grouping (receipts print "104 217"). Open311 ids, w.c.s. tracking codes and
# station references all fit.
NUMBER_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
# Query parameters a city's tracking URL may carry the number in.
NUMBER_PARAMETERS = ("number", "numero", "code", "id", "ref")


class TrackingStep(IntEnum):
    """The two steps, in order."""

    ENTRY = 1
    RESULT = 2


@dataclass(frozen=True)
class SubmitNumber(FlowIntent):
    """The person asked to look a number up."""

    text: str


@dataclass(frozen=True)
class LookUpRequest(Effect):
    """Ask the central for the request with this number."""

    number: str = ""


def normalise_number(text: str) -> str | None:
    """The number in `text` as the central knows it, or None when it cannot be one."""
    compact = re.sub(r"[\s.]", "", text).upper()
    return compact if NUMBER_PATTERN.match(compact) else None


def number_from_code(code: str) -> str | None:
    """The number a scanned code carries: the bare number, or a tracking URL holding it in a
    query parameter or as its last path segment."""
    code = code.strip()
    if "://" in code:
        parts = urlsplit(code)
        query = parse_qs(parts.query)
        for name in NUMBER_PARAMETERS:
            if query.get(name):
                return normalise_number(query[name][0])
        segments = [s for s in parts.path.split("/") if s]
        return normalise_number(segments[-1]) if segments else None
    return normalise_number(code)


@dataclass(frozen=True)
class TrackingContent:
    """What the tracking screens show: the number as typed (kept while it is corrected) and,
    once found, the request's report."""

    text: str = ""
    report: RequestReport | None = None


@dataclass(frozen=True)
class TrackingFlow(Flow):
    """The tracking flow's value."""

    step: TrackingStep = TrackingStep.ENTRY
    #: what the person typed or scanned, kept while they correct it
    text: str = ""
    number: str = ""
    report: RequestReport | None = None
    waiting_for: int | None = None
    problem: str = ""

    def view(self) -> FlowView:
        """ENTRY or RESULT."""
        screen = ENTRY_SCREEN if self.step is TrackingStep.ENTRY else RESULT_SCREEN
        return FlowView(NAME, screen, int(self.step), len(TrackingStep),
                        busy=self.waiting_for is not None, problem=self.problem,
                        content=TrackingContent(self.text, self.report))

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Typed or scanned numbers, and the central's answer."""
        match event:
            case SubmitNumber(text=text):
                return self._look_up(text, normalise_number(text), ctx)
            case CodeScanned(code=code):
                return self._look_up(code, number_from_code(code), ctx)
            case EffectDone(effect=effect, value=value) if effect.effect_id == self.waiting_for:
                if value is None:
                    return Step(replace(self, waiting_for=None,
                                        problem="tracking.unknown_number"))
                return Step(replace(self, step=TrackingStep.RESULT, report=value,
                                    waiting_for=None, problem=""))
            case EffectFailed(effect=effect, failure=failure) if (
                effect.effect_id == self.waiting_for
            ):
                problem = {CentralFailure.NOT_FOUND: "tracking.unknown_number",
                           CentralFailure.MALFORMED: "central.unusable"}.get(
                    failure, "tracking.central_unavailable")
                return Step(replace(self, waiting_for=None, problem=problem))
        return Step(self)

    def _look_up(self, text: str, number: str | None, ctx: FlowContext) -> Step:
        if number is None:
            return Step(replace(self, text=text, problem="tracking.bad_number"))
        effect = LookUpRequest(session_id=ctx.session_id, number=number)
        return Step(
            replace(self, text=text, number=number, waiting_for=effect.effect_id, problem="",
                    step=TrackingStep.ENTRY, report=None),
            (effect,),
        )

    def back(self, ctx: FlowContext) -> Step:
        """From the result to the entry (the number kept); from the entry out of the flow."""
        if self.step is TrackingStep.RESULT:
            return Step(replace(self, step=TrackingStep.ENTRY, report=None))
        return Step(None)


def start_tracking(ctx: FlowContext, param: str) -> Step:
    """Start at ENTRY; with a scanned code, look it up at once."""
    flow = TrackingFlow()
    return flow.handle(CodeScanned(param), ctx) if param else Step(flow)


FLOW = FlowSpec(
    name=NAME, kind=TrackingFlow, start=start_tracking, screens=(ENTRY_SCREEN, RESULT_SCREEN),
    effects=(LookUpRequest,), home="home.entry.tracking", home_order=30, starts_on_scan=True,
)
