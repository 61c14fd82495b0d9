"""Colour themes as data, and the contrast rule they must meet.

Default theme ≥ 7:1 for text (WCAG 1.4.6 AAA, docs/accessibility.md D1); high-contrast themes are
pure black and white (21:1). The default is neutral: the State's DSFR and Marianne are reserved
to State services (docs/visual-design.md, "Colour and surfaces").
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.settings.models import Theme

# WCAG 2.x "contrast ratio" definition: text ≥ 4.5:1 (1.4.3), non-text ≥ 3:1 (1.4.11).
MIN_TEXT_CONTRAST = 4.5
DEFAULT_THEME_TEXT_CONTRAST = 7.0
MIN_NON_TEXT_CONTRAST = 3.0


@dataclass(frozen=True)
class Palette:
    """Colour tokens, as #RRGGBB."""

    background: str
    surface: str
    text: str
    primary: str
    on_primary: str
    focus: str
    error: str
    success: str

    def rgba(self, token: str) -> tuple[float, float, float, float]:
        """A token as Kivy's (r, g, b, a) in 0..1."""
        return (*hex_to_rgb(getattr(self, token)), 1.0)

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair that text is drawn with."""
        return {
            "text on background": (self.text, self.background),
            "text on surface": (self.text, self.surface),
            "on_primary on primary": (self.on_primary, self.primary),
            "error on background": (self.error, self.background),
            "success on background": (self.success, self.background),
            "primary on background": (self.primary, self.background),
        }


PALETTES: dict[Theme, Palette] = {
    Theme.DEFAULT: Palette(
        background="#F4F4F0", surface="#FFFFFF", text="#161616", primary="#1D4F7C",
        on_primary="#FFFFFF", focus="#8A3B00", error="#A4161A", success="#1B5E20",
    ),
    Theme.HIGH_LIGHT: Palette(
        background="#FFFFFF", surface="#FFFFFF", text="#000000", primary="#000000",
        on_primary="#FFFFFF", focus="#000000", error="#000000", success="#000000",
    ),
    Theme.HIGH_DARK: Palette(
        background="#000000", surface="#000000", text="#FFFFFF", primary="#FFFFFF",
        on_primary="#000000", focus="#FFFFFF", error="#FFFFFF", success="#FFFFFF",
    ),
}


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """#RRGGBB as three floats in 0..1."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance (sRGB, 0.04045 threshold)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
