"""What the audit finds wrong, and the requirement each check holds the screens to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.audit.scene import Box


class Check(StrEnum):
    """The audit's checks, each named after what it catches."""

    OVERLAP = "overlap"
    CLIPPED = "clipped"
    SCROLL = "scroll"
    WINDOW = "window"
    REACH = "reach"
    TARGET = "target"
    SPACING = "spacing"
    CAPITALS = "capitals"
    GROWTH = "growth"
    CONTRAST = "contrast"
    NAME = "name"
    FOCUS_ORDER = "focus-order"
    KEYS = "keys"
    ENTRY = "entry"
    WALK = "walk"


#: What each check holds, for people, with the requirements of docs/accessibility.md it checks.
CHECKS: dict[Check, tuple[str, str]] = {
    Check.OVERLAP: ("no widget lies over another", "B3, C4"),
    Check.CLIPPED: ("no text is cut, larger than its box or outside what holds it", "C4"),
    Check.SCROLL: ("nothing is hidden in a list that needs a swipe", "C5"),
    Check.WINDOW: ("everything lies inside the window, controls ≥ 2 mm from its edge", "A4"),
    Check.REACH: ("every control lies in the reach band of the posture", "A1, §3"),
    Check.TARGET: ("every control is ≥ 20 mm both ways", "B1"),
    Check.SPACING: ("controls are ≥ 2.54 mm apart", "B3"),
    Check.CAPITALS: ("capitals as tall as the text size asks, and at XL as the viewing "
                     "distance asks", "C1, C2"),
    Check.GROWTH: ("no control gets smaller when the text gets larger", "C3"),
    Check.CONTRAST: ("text and pictograms as rendered stand out from what is behind them",
                     "D2"),
    Check.NAME: ("every control has a role and visible words people can be told", "H2"),
    Check.FOCUS_ORDER: ("Tab visits the controls in reading order and nothing hidden", "F4"),
    Check.KEYS: ("a field to type in comes with the screen's keys", "B5"),
    Check.ENTRY: ("the accessibility button and Help are on every screen with the bar, the "
                  "seated and speech starts on the attract screen", "A2"),
    Check.WALK: ("the walk-through reaches every screen", "§5"),
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong on one screen: which check, on what, and the numbers."""

    check: Check
    #: the requirement of docs/accessibility.md it breaks
    requirement: str
    #: the widget (or widgets) as a person finds them: a role or the start of a text
    where: str
    message: str
    #: where on the screen, in window pixels, to outline it on the screenshot
    box: Box | None = None

    def as_dict(self) -> dict[str, object]:
        """For report.json."""
        return {"check": self.check.value, "requirement": self.requirement,
                "where": self.where, "message": self.message,
                "box": self.box.as_list() if self.box is not None else None}
