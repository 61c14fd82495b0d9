"""Where the parts of every screen go, in window pixels, from the panel geometry.

Every screen has the same zones (docs/visual-design.md, "Two zones"):

- the **masthead**: the city's mark and name, at the top;
- the **reading zone**: the step's pictogram, the question, one short explanation, the
  stepper and what went wrong: where the eyes are for the posture. Standing, it is the glass
  above the controls; seated, it stops at 1400 mm (docs/accessibility.md A3);
- the **body**: the controls of the step, inside the reach band;
- the **bar**: Back, Start again, Language, Help, at the bottom of the reach band, so that the
  seated layout moves it with the controls ("A persistent bar inside the reach band");
- the **footer**: below the reach band, small print only (the station's name), never a
  control.

A portrait panel stacks them; a landscape panel (the desk) sets the reading zone in a column
at the left of the controls, since its whole glass is read from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.geometry import (
    BUTTON_HEIGHT_MM,
    CAP_TO_FONT_SIZE,
    KEY_HEIGHT_MM,
    MIN_TARGET_MM,
    REACH_BAND_MM,
    Panel,
)
from kiosk.core.tokens import (
    GAP_MM,
    KEY_GAP_MM,
    LINE_SPACING,
    MARGIN_MM,
    PAD_MM,
    needed_cap_mm,
)
from kiosk.settings.models import TextSize

# FR ERP (arrêté du 20 avril 2017) 0.90–1.30 m for equipment; docs/accessibility.md §3 "keep primary
# actions ≤ 1300 mm" standing. Seated: the 900–1100 mm target of docs/accessibility.md A1.
STANDING_CONTROLS_MM = (900.0, 1300.0)
SEATED_CONTROLS_MM = REACH_BAND_MM
# docs/accessibility.md A3: seated, essential text at most 1400 mm above the floor.
SEATED_READING_TOP_MM = 1400.0
EDGE_MARGIN_MM = MARGIN_MM
# The bar is as tall as a button, or as its words on one line and their padding when they are
# taller (bar_height_mm).
BAR_HEIGHT_MM = BUTTON_HEIGHT_MM
# Above and below a band's words (the bar's, the city's name) where they make the band taller
# than a button: a line of the text face already holds half its size above the capitals.
BAND_PAD_MM = 3.0
# The masthead: a band as tall as a button, for the city's mark and name.
MASTHEAD_MM = BUTTON_HEIGHT_MM
# The reading zone holds at least a two-line question at the largest size with its pictogram.
READING_MIN_MM = 60.0
# Below this body height the controls band is stretched downwards (short landscape panels).
BODY_MIN_MM = 110.0
# Landscape: the reading column's share of the width beside the controls.
READING_SHARE = 0.42


@dataclass(frozen=True)
class Band:
    """A rectangle of the window, in pixels: its bottom-left corner and its size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        """y of the top edge."""
        return self.y + self.height

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.width


@dataclass(frozen=True)
class ScreenLayout:
    """The zones of every screen, and the margin and gap in pixels."""

    masthead: Band
    reading: Band
    body: Band
    bar: Band
    footer: Band
    margin: float
    gap: float
    #: the reading zone is a column beside the controls (a landscape panel)
    side_by_side: bool


def bar_height_mm(words_mm: float) -> float:
    """The bar's height for words `words_mm` high on one line (the line of their font as
    rendered): a button's height, or the words and the padding above and below them when that
    is more, so that the bar's buttons never stand out of their band
    (docs/visual-design.md, "A persistent bar inside the reach band")."""
    return max(BAR_HEIGHT_MM, words_mm + 2 * BAND_PAD_MM)


def masthead_height_mm(words_mm: float) -> float:
    """The masthead's height for the city's name `words_mm` high on one line: a button's
    height, or the name and the padding above and below it at the largest size, where the
    name is as large as any text (docs/accessibility.md C2)."""
    return max(MASTHEAD_MM, words_mm + 2 * BAND_PAD_MM)


def compute_layout(panel: Panel, seated: bool = False, bar_mm: float = BAR_HEIGHT_MM,
                   masthead_mm: float = MASTHEAD_MM) -> ScreenLayout:
    """The zones for `panel`, standing or seated, with a bar `bar_mm` high (bar_height_mm)
    and a masthead `masthead_mm` high (masthead_height_mm): the bar keeps its place at the
    bottom of the reach band and the body gives it the room; the masthead keeps the top of
    the panel and the reading zone gives it the room."""
    width = float(panel.geometry.width_px)
    height = float(panel.geometry.height_px)
    margin, gap = panel.px(EDGE_MARGIN_MM), panel.px(GAP_MM)
    low_mm, high_mm = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    bar_h = panel.px(max(BAR_HEIGHT_MM, bar_mm))
    mast_h = panel.px(max(MASTHEAD_MM, masthead_mm))
    low = max(panel.y_at_height(low_mm), margin)
    high = min(panel.y_at_height(high_mm), height - margin)
    inner = width - 2 * margin
    side_by_side = width > height
    if side_by_side:
        column = (inner - gap) * READING_SHARE
        high = max(high, min(height - margin, low + bar_h + gap + panel.px(BODY_MIN_MM)))
        bar = Band(margin, low, inner, bar_h)
        top = height - margin
        masthead = Band(margin, top - mast_h, column, mast_h)
        reading = Band(margin, bar.top + gap, column, masthead.y - gap - bar.top - gap)
        body = Band(margin + column + gap, bar.top + gap, inner - column - gap,
                    high - bar.top - gap)
    else:
        masthead = Band(0.0, height - mast_h - margin, width, mast_h + margin)
        # The reading zone needs its minimum above the controls: a short panel's controls give
        # way to it.
        high = min(high, masthead.y - gap - panel.px(READING_MIN_MM) - gap)
        if high - low < bar_h + gap + panel.px(BODY_MIN_MM):
            low = max(margin, high - bar_h - gap - panel.px(BODY_MIN_MM))
        bar = Band(margin, low, inner, bar_h)
        body = Band(margin, bar.top + gap, inner, max(0.0, high - bar.top - gap))
        reading_top = masthead.y - gap
        if seated:
            reading_top = min(reading_top, max(panel.y_at_height(SEATED_READING_TOP_MM),
                                               body.top + gap + panel.px(READING_MIN_MM)))
        reading = Band(margin, body.top + gap, inner, reading_top - body.top - gap)
    footer = Band(margin, margin, inner, max(0.0, bar.y - gap - margin))
    return ScreenLayout(masthead=masthead, reading=reading, body=body, bar=bar, footer=footer,
                        margin=margin, gap=gap, side_by_side=side_by_side)


# The letters' five rows of keys (screens/keyboard.py), and what the busiest typing step keeps
# above them at the largest size: a field's label on two lines, the field and a row of
# buttons, each a line of body text with its padding, and the gaps between them.
KEY_ROWS = 5
LINES_ABOVE_KEYS = 4


def key_height_mm(largest: ScreenLayout, panel: Panel, body_cap_mm: float) -> float:
    """The on-screen keys' height for a posture, the same at every text size, so that no key
    is lower at a larger size (docs/accessibility.md C3): KEY_HEIGHT_MM where the body band
    at the largest size (`largest`, its body text `body_cap_mm` high) holds five rows of them
    under the busiest typing step's controls; else the 20 mm of docs/accessibility.md B5,
    which the keyboard fitted to that band comes down to at the largest size anyway."""
    rows = KEY_ROWS * KEY_HEIGHT_MM + (KEY_ROWS - 1) * KEY_GAP_MM
    line = body_cap_mm * CAP_TO_FONT_SIZE * LINE_SPACING
    # The field and the buttons padded above and below; three gaps down to the keys.
    controls = LINES_ABOVE_KEYS * line + 2 * 2 * PAD_MM + 3 * GAP_MM
    if panel.mm(largest.body.height) >= rows + controls:
        return KEY_HEIGHT_MM
    return MIN_TARGET_MM


def far_text_cap_mm(layout: ScreenLayout, panel: Panel, seated: bool) -> float:
    """The capital height every text needs at the largest size in a posture: what 0.7° asks
    from the posture's eye at the text farthest from it (docs/accessibility.md C2). Text sits
    between the bottom of the footer (or of the bar, with no footer) and the top of the
    masthead, and the farthest of those edges gives the size of all: a size for each zone
    would set the bar's words and the keys, low and far, larger than the body above them,
    and the zones' words would not keep one order of sizes."""
    lowest = layout.footer.y if layout.footer.height > 0 else layout.bar.y
    edges = (panel.height_above_floor(lowest), panel.height_above_floor(layout.masthead.top))
    return max(needed_cap_mm(TextSize.XL, seated, height) for height in edges)
