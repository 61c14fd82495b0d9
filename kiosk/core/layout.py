"""Where the parts of every screen go, in window pixels, from the panel geometry.

Every screen has the same bands: a masthead (the city's name, where there is room), a header
(the question asked), a body (the choices) and the persistent bar (Back, Start again, Language,
Help). Body and bar are the controls: they sit together inside a reach band, so that the seated
layout moves them as one group (docs/visual-design.md, "A persistent bar inside the reach band").
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.geometry import BUTTON_HEIGHT_MM, REACH_BAND_MM, Panel

# FR ERP (arrêté du 20 avril 2017) 0.90–1.30 m for equipment; docs/accessibility.md §3 "keep primary
# actions ≤ 1300 mm" standing. Seated: the 900–1100 mm target of docs/accessibility.md A1.
STANDING_CONTROLS_MM = (900.0, 1300.0)
SEATED_CONTROLS_MM = REACH_BAND_MM
# docs/accessibility.md A4: every target at least 2 mm inside the active area; we keep 6 mm.
EDGE_MARGIN_MM = 6.0
BAR_HEIGHT_MM = BUTTON_HEIGHT_MM
# docs/accessibility.md B3: ≥ 2.54 mm between targets; 4 mm keeps rows visibly apart.
GAP_MM = 4.0
# A header tall enough for a two-line question at the largest text size (2 × 8.5 mm caps,
# line spacing and margins).
HEADER_MIN_MM = 60.0
HEADER_MAX_MM = 200.0
# Below this body height the controls band is stretched downwards (short landscape panels).
BODY_MIN_MM = 110.0


@dataclass(frozen=True)
class Band:
    """A horizontal band of the window: y of its bottom edge and its height, in pixels."""

    y: float
    height: float

    @property
    def top(self) -> float:
        """y of the top edge."""
        return self.y + self.height


@dataclass(frozen=True)
class ScreenLayout:
    """The bands of every screen, and the margin and gap in pixels."""

    masthead: Band
    header: Band
    body: Band
    bar: Band
    margin: float
    gap: float


def compute_layout(panel: Panel, seated: bool = False) -> ScreenLayout:
    """Bands for `panel`, standing or seated."""
    height = float(panel.geometry.height_px)
    margin = panel.px(EDGE_MARGIN_MM)
    gap = panel.px(GAP_MM)
    low_mm, high_mm = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    low = max(panel.y_at_height(low_mm), margin)
    high = min(panel.y_at_height(high_mm), height - margin)
    header_h = min(panel.px(HEADER_MAX_MM), max(panel.px(HEADER_MIN_MM), 0.18 * height))
    # The header needs room above the controls: on a short panel the controls give it up.
    high = min(high, height - margin - header_h - gap)
    bar_h = panel.px(BAR_HEIGHT_MM)
    if high - low < bar_h + gap + panel.px(BODY_MIN_MM):
        low = max(margin, high - bar_h - gap - panel.px(BODY_MIN_MM))
    bar = Band(low, bar_h)
    body = Band(bar.top + gap, max(0.0, high - bar.top - gap))
    header = Band(high + gap, min(header_h, height - margin - high - gap))
    # What is left above the question: the city's name, where a tall panel has room for it.
    masthead = Band(header.top + gap, max(0.0, height - margin - header.top - gap))
    return ScreenLayout(masthead=masthead, header=header, body=body, bar=bar, margin=margin,
                        gap=gap)
