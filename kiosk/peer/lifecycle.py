"""How a request's status moves on with time: the steps of a lifecycle (from the seed) that a
request made at `start` has reached by `now`, on the peer clock. Nothing is stored: the history
is computed from the request's age, so advancing the peer clock moves every request on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar


class Timed(Protocol):
    """A lifecycle step from the seed."""

    @property
    def after_hours(self) -> float: ...


T = TypeVar("T", bound=Timed)


@dataclass(frozen=True)
class Reached(Generic[T]):
    """A step and the moment it was reached."""

    at: datetime
    step: T


def reached(start: datetime, steps: Sequence[T], now: datetime) -> list[Reached[T]]:
    """The steps reached by `now`, in order (the first, after 0 hours, always is)."""
    out: list[Reached[T]] = []
    for index, step in enumerate(steps):
        at = start + timedelta(hours=step.after_hours)
        if index and at > now:
            break
        out.append(Reached(at, step))
    return out


def due(start: datetime, steps: Sequence[T], predicate: str, attribute: str = "status"
                  ) -> datetime | None:
    """When the first step whose `attribute` equals `predicate` is (or was) due."""
    for step in steps:
        if getattr(step, attribute) == predicate:
            return start + timedelta(hours=step.after_hours)
    return None
