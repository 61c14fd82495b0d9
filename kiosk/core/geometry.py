"""Millimetres on the real panel: every size and height on screen comes from the configured
panel geometry, never from the DPI the OS reports (docs/accessibility.md §5)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.settings.models import PanelGeometry, TextSize

# docs/accessibility.md §3: touch targets ≥ 20 mm both sides (hard floor 12.7 mm, VVSG).
MIN_TARGET_MM = 20.0
# docs/accessibility.md B5: on-screen keyboard keys ≥ 20 mm; 22 mm leaves room for the border.
KEY_HEIGHT_MM = 22.0
# Buttons are drawn taller than the minimum target, with room for their text: 26 mm.
BUTTON_HEIGHT_MM = MIN_TARGET_MM + 6.0
# docs/accessibility.md §3: default capital height 4.8–5.6 mm (ADA 707.7.2, VVSG medium).
BODY_CAP_MM = {TextSize.S: 4.8, TextSize.M: 5.2, TextSize.L: 6.8, TextSize.XL: 8.5}
# docs/accessibility.md §3: essential controls of the low (seated) layout between 900 and 1100 mm.
REACH_BAND_MM = (900.0, 1100.0)
# Capital height of DejaVu Sans / Roboto is about 0.72 of the font size (docs/accessibility.md
# §2.11: "a Kivy font_size is roughly cap ÷ 0.7"); 0.70 keeps every rounding on the large side.
CAP_TO_FONT_SIZE = 1 / 0.70


@dataclass(frozen=True)
class Panel:
    """Conversions for one panel."""

    geometry: PanelGeometry

    @property
    def pitch_mm(self) -> float:
        """Millimetres per pixel (square pixels: the vertical pitch)."""
        return self.geometry.active_height_mm / self.geometry.height_px

    def px(self, mm: float) -> float:
        """Pixels covering `mm` millimetres on the panel."""
        return mm / self.pitch_mm

    def mm(self, px: float) -> float:
        """Millimetres covered by `px` pixels."""
        return px * self.pitch_mm

    def height_above_floor(self, y: float) -> float:
        """Height in mm of a window y coordinate (origin bottom-left), tilt included."""
        tilt = math.radians(self.geometry.tilt_deg)
        return self.geometry.bottom_edge_mm + y * self.pitch_mm * math.cos(tilt)

    def y_at_height(self, height_mm: float) -> float:
        """The window y coordinate at `height_mm` above the floor (may be off the panel)."""
        tilt = math.radians(self.geometry.tilt_deg)
        return (height_mm - self.geometry.bottom_edge_mm) / (self.pitch_mm * math.cos(tilt))

    def reach_band_px(self) -> tuple[float, float]:
        """The part of the panel inside the reach band, as (bottom y, top y) clipped to it."""
        low, high = (self.y_at_height(h) for h in REACH_BAND_MM)
        top = float(self.geometry.height_px)
        return (min(max(low, 0.0), top), min(max(high, 0.0), top))

    def font_px(self, cap_mm: float) -> float:
        """The font size in pixels that gives letters `cap_mm` high."""
        return self.px(cap_mm) * CAP_TO_FONT_SIZE
