"""Work the core asks the shell to do outside the UI thread (calls to the central, printing),
and the answers that come back.

The core stays pure: a flow returns effects; the shell runs each one on a worker thread and
hands the outcome back to the core as an `EffectDone` or `EffectFailed` intent on the UI
thread. Every effect carries the id of the session that asked for it, so that an answer
arriving after that session has ended is dropped, never shown to the next person.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.central import CentralFailure

_ids = itertools.count(1)


@dataclass(frozen=True)
class Effect:
    """Something to do outside the UI thread on behalf of a session."""

    session_id: str
    effect_id: int = field(default_factory=lambda: next(_ids), compare=False)

    @property
    def name(self) -> str:
        """The effect's kind, for logs and handler lookup."""
        return type(self).__name__


@dataclass(frozen=True)
class EffectDone:
    """An effect finished; `value` is what its handler returned."""

    effect: Effect
    value: Any


@dataclass(frozen=True)
class EffectFailed:
    """An effect failed for a reason the person can be told about."""

    effect: Effect
    failure: CentralFailure


EffectHandler = Callable[[Any], object]
"""Runs one effect (on a worker thread) and returns its value, or raises CentralError."""


def handler_for(effect_type: type, handlers: Mapping[type, EffectHandler]) -> EffectHandler | None:
    """The handler of an effect type: its own, or that of the nearest base that has one (every
    `Submit` of every flow runs through the one handler of `Submit`)."""
    return next((handlers[t] for t in effect_type.__mro__ if t in handlers), None)
