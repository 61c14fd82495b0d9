"""What the window shows, as plain values the checks read: the boxes of its controls and texts in
window pixels (origin bottom-left, as Kivy's), where each text is drawn, the layouts that hold
each one, and the order Tab visits the controls in. `capture.py` builds it from the real
widget tree; the unit tests build it by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.settings.models import TextSize, Theme

#: Layouts place widgets on fractional pixels and Kivy draws a text's texture on a whole pixel:
#: half a pixel either way is rounding, not a defect.
SLACK_PX = 1.0


@dataclass(frozen=True)
class Box:
    """A rectangle in window pixels: x and y of its bottom-left corner, then its size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.width

    @property
    def top(self) -> float:
        """y of the top edge."""
        return self.y + self.height

    @property
    def centre_y(self) -> float:
        """y of the middle."""
        return self.y + self.height / 2

    @property
    def empty(self) -> bool:
        """Whether it covers no area at all."""
        return self.width <= 0 or self.height <= 0

    def intersection(self, other: Box) -> Box | None:
        """The area both cover, or None when they share none (touching edges share none)."""
        x, y = max(self.x, other.x), max(self.y, other.y)
        right, top = min(self.right, other.right), min(self.top, other.top)
        if right <= x or top <= y:
            return None
        return Box(x, y, right - x, top - y)

    def contains(self, other: Box, slack: float = SLACK_PX) -> bool:
        """Whether `other` lies inside, give or take `slack` pixels."""
        return (other.x >= self.x - slack and other.y >= self.y - slack
                and other.right <= self.right + slack and other.top <= self.top + slack)

    def gap(self, other: Box) -> float:
        """The shortest distance between the two, 0 when they touch or overlap."""
        dx = max(0.0, other.x - self.right, self.x - other.right)
        dy = max(0.0, other.y - self.top, self.y - other.top)
        return math.hypot(dx, dy)

    def as_list(self) -> list[float]:
        """[x, y, width, height], rounded for a report."""
        return [round(v, 1) for v in (self.x, self.y, self.width, self.height)]


@dataclass(frozen=True)
class Holder:
    """A layout that holds a widget: what it holds should stay inside its box."""

    widget: str
    box: Box


@dataclass(frozen=True)
class Node:
    """One thing on screen a person touches or reads: a control, a text, or both (a button)."""

    index: int
    #: the widget's class, for the person reading the report
    widget: str
    box: Box
    #: what tests and speech call a control ("" when it has none)
    role: str = ""
    #: the text it shows
    text: str = ""
    #: takes touches: a button, a key, a text field
    control: bool = False
    field: bool = False
    #: Tab can reach it
    focusable: bool = False
    disabled: bool = False
    #: a control that holds other controls (a "touch anywhere" surface): the checks of a
    #: control apply to the controls it holds
    backdrop: bool = False
    #: where its text is drawn, when it shows some
    text_box: Box | None = None
    #: the height its whole text needs at its width, where Kivy may drop the lines that do not
    #: fit (a text given a fixed height)
    text_needs: float | None = None
    #: its widest word drawn on one line and the width its text is wrapped at, in pixels,
    #: where it wraps at a width
    widest_word: tuple[float, float] | None = None
    #: the height of a capital H in its font and size as rendered, in pixels (None for a
    #: pictogram font, which has no capitals)
    cap_px: float | None = None
    #: for a field, the words that name it on screen: its label, else its hint
    label: str = ""
    #: indexes of the nodes that hold this one (a text inside a control)
    inside: tuple[int, ...] = ()
    #: the layouts holding it, nearest first
    holders: tuple[Holder, ...] = ()
    #: the part of the window a list that scrolls shows, when one holds it
    viewport: Box | None = None

    @property
    def footprint(self) -> Box:
        """What it covers: a control its whole box, a text where its text is drawn."""
        if self.control or self.text_box is None:
            return self.box
        return self.text_box

    @property
    def shown(self) -> Box | None:
        """The part of its footprint a list that scrolls leaves in view (all of it when no list
        holds it), or None when it is scrolled out of view entirely."""
        if self.viewport is None:
            return self.footprint
        return self.footprint.intersection(self.viewport)

    @property
    def name(self) -> str:
        """How the report names it: its role, else the start of its text (for a field, of its
        label: what a person typed never reaches a report), else its class."""
        if self.role:
            return self.role
        words = (self.label if self.field else self.text).strip().replace("\n", " ")
        if words:
            return f"“{words[:40]}{'…' if len(words) > 40 else ''}”"
        return self.widget


@dataclass(frozen=True)
class Scene:
    """What one screen shows at one step, in one set of conditions."""

    screen: str
    window: Box
    nodes: tuple[Node, ...]
    #: indexes of the focusable nodes in the order Tab visits them, from the screen's first
    focus_order: tuple[int, ...] = ()
    #: what Tab moves to that the scene does not show (an invisible or hidden widget)
    focus_escapes: tuple[str, ...] = ()
    #: whether the screen shows an on-screen keyboard or keypad
    keys_shown: bool = False


@dataclass(frozen=True)
class Conditions:
    """The cell of the matrix a scene was captured in."""

    profile: str
    seated: bool
    text_size: TextSize
    theme: Theme
    language: str

    @property
    def posture(self) -> str:
        """"seated" or "standing"."""
        return "seated" if self.seated else "standing"

    def label(self) -> str:
        """One line for people: totem, seated, XL, high-dark, fr_FALC."""
        return ", ".join((self.profile, self.posture, self.text_size.value, self.theme.value,
                          self.language))
