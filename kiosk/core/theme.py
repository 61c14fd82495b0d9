"""Colour themes as data, and the contrast rule they must meet.

Default theme ≥ 7:1 for text (WCAG 1.4.6 AAA, docs/accessibility.md D1); high-contrast themes are
pure black and white (21:1). The default is neutral: the State's DSFR and Marianne are reserved
to State services (docs/visual-design.md, "Colour and surfaces"); a city brings its own primary
colour (`site.brand_colour`), which the settings refuse below 7:1.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from kiosk.settings.colour import (
    DEFAULT_THEME_TEXT_CONTRAST,
    MIN_NON_TEXT_CONTRAST,
    MIN_TEXT_CONTRAST,
    contrast_ratio,
    hex_to_rgb,
    relative_luminance,
    rgb_to_hex,
    text_on,
)
from kiosk.settings.models import Theme

__all__ = [
    "DEFAULT_THEME_TEXT_CONTRAST", "MIN_NON_TEXT_CONTRAST", "MIN_TEXT_CONTRAST", "PALETTES",
    "Palette", "contrast_ratio", "hex_to_rgb", "palette", "relative_luminance",
]

# How far the pressed fill of a primary button is darkened towards black, and how much of the
# primary colour a tinted surface (the reading card, the attract tiles) keeps over white.
PRESSED_DARKEN = 0.3
TINT_KEEP = 0.12


@dataclass(frozen=True)
class Palette:
    """Colour tokens, as #RRGGBB."""

    background: str
    surface: str
    #: a surface tinted with the primary colour: the reading card, the attract tiles
    tint: str
    text: str
    primary: str
    primary_pressed: str
    on_primary: str
    focus: str
    error: str
    on_error: str
    success: str
    #: what raised surfaces cast below them (drawn with the elevation token's opacity)
    shadow: str

    def rgba(self, token: str) -> tuple[float, float, float, float]:
        """A token as Kivy's (r, g, b, a) in 0..1."""
        return (*hex_to_rgb(getattr(self, token)), 1.0)

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair that text or a pictogram is drawn with."""
        return {
            "text on background": (self.text, self.background),
            "text on surface": (self.text, self.surface),
            "text on tint": (self.text, self.tint),
            "on_primary on primary": (self.on_primary, self.primary),
            "on_primary on primary_pressed": (self.on_primary, self.primary_pressed),
            "on_error on error": (self.on_error, self.error),
            "error on background": (self.error, self.background),
            "error on surface": (self.error, self.surface),
            "success on background": (self.success, self.background),
            "primary on background": (self.primary, self.background),
            "primary on surface": (self.primary, self.surface),
            "primary on tint": (self.primary, self.tint),
        }

    def contrasts(self) -> dict[str, float]:
        """The contrast ratio of every text pair, as docs/visual-design.md lists them."""
        return {name: round(contrast_ratio(fg, bg), 2)
                for name, (fg, bg) in self.text_pairs().items()}


PALETTES: dict[Theme, Palette] = {
    Theme.DEFAULT: Palette(
        background="#F4F4F0", surface="#FFFFFF", tint="#E4ECF3", text="#161616",
        primary="#1D4F7C", primary_pressed="#143757", on_primary="#FFFFFF", focus="#8A3B00",
        error="#A4161A", on_error="#FFFFFF", success="#1B5E20", shadow="#000000",
    ),
    Theme.HIGH_LIGHT: Palette(
        background="#FFFFFF", surface="#FFFFFF", tint="#FFFFFF", text="#000000",
        primary="#000000", primary_pressed="#000000", on_primary="#FFFFFF", focus="#000000",
        error="#000000", on_error="#FFFFFF", success="#000000", shadow="#000000",
    ),
    Theme.HIGH_DARK: Palette(
        background="#000000", surface="#000000", tint="#000000", text="#FFFFFF",
        primary="#FFFFFF", primary_pressed="#FFFFFF", on_primary="#000000", focus="#FFFFFF",
        error="#FFFFFF", on_error="#000000", success="#FFFFFF", shadow="#000000",
    ),
}

#: the themes whose surfaces cast no shadow: black and white only, nothing in between
FLAT_THEMES = frozenset({Theme.HIGH_LIGHT, Theme.HIGH_DARK})


def _mix(colour: str, other: str, keep: float) -> str:
    ours, theirs = hex_to_rgb(colour), hex_to_rgb(other)
    return rgb_to_hex(tuple(keep * a + (1 - keep) * b for a, b in zip(ours, theirs, strict=True)))


def palette(theme: Theme, brand: str | None = None) -> Palette:
    """The palette of `theme`, in the city's colour when it has one. Only the default theme
    takes it: the high-contrast themes are black and white whatever the city's charter."""
    base = PALETTES[theme]
    if brand is None or theme is not Theme.DEFAULT:
        return base
    # The tint is lightened until the brand colour reads on it at 7:1: white itself does,
    # since the settings refuse a brand colour that does not reach 7:1 on the background.
    keep = TINT_KEEP
    tint = _mix(brand, "#FFFFFF", keep)
    while keep > 0 and contrast_ratio(brand, tint) < DEFAULT_THEME_TEXT_CONTRAST:
        keep = max(0.0, keep - 0.02)
        tint = _mix(brand, "#FFFFFF", keep)
    return replace(
        base, primary=brand, on_primary=text_on(brand),
        primary_pressed=_mix(brand, "#000000", 1 - PRESSED_DARKEN), tint=tint,
    )


def tokens() -> tuple[str, ...]:
    """The names of the colour tokens."""
    return tuple(f.name for f in fields(Palette))
