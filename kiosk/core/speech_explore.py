"""Explore by touch in speech mode (docs/accessibility.md G3, EN 301 549 5.5.2): a first touch
on a control says it without acting; a second touch on the same control acts, and so does each
touch after it (a key typed twice); a touch on another control says that one. A new screen
starts over. Pure: the shell names controls by any value that tells them apart."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum


class TouchMeans(StrEnum):
    """What a touch in speech mode does."""

    SPEAK = "speak"
    """Say the control; it does not act."""
    ACT = "act"
    """Let the control have the touch: it acts as for anyone."""


@dataclass(frozen=True)
class Exploration:
    """The control the last touch said (None: none yet on this screen)."""

    said: Hashable | None = None

    def touch(self, control: Hashable) -> tuple[Exploration, TouchMeans]:
        """A touch on `control`: the next exploration and what the touch does."""
        if control == self.said:
            return self, TouchMeans.ACT
        return Exploration(control), TouchMeans.SPEAK


NOTHING_SAID = Exploration()
