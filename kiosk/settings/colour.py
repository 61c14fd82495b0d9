"""Colours as the configuration writes them (#RRGGBB) and the WCAG 2.x contrast between two
of them. Here, below the core, so that the settings can refuse a city's brand colour that
cannot reach the contrast the screens need (docs/visual-design.md, "Colour and surfaces"),
and the core's themes use the same formula (kiosk/core/theme.py)."""

from __future__ import annotations

# WCAG 2.x "contrast ratio": text ≥ 4.5:1 (1.4.3) as the hard floor, ≥ 7:1 (1.4.6, AAA) in the
# default theme (docs/accessibility.md §3); non-text ≥ 3:1 (1.4.11).
MIN_TEXT_CONTRAST = 4.5
DEFAULT_THEME_TEXT_CONTRAST = 7.0
MIN_NON_TEXT_CONTRAST = 3.0

# The default theme's background, which the brand colour is set on as text and stepper.
DEFAULT_BACKGROUND = "#F4F4F0"
WHITE = "#FFFFFF"
BLACK = "#000000"


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """#RRGGBB as three floats in 0..1."""
    value = colour.lstrip("#")
    if len(value) != 6 or not colour.startswith("#"):
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    try:
        return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}") from None


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """Three floats in 0..1 as #RRGGBB."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in rgb)


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


def text_on(fill: str) -> str:
    """White or black, whichever reads better on `fill`."""
    return WHITE if contrast_ratio(WHITE, fill) >= contrast_ratio(BLACK, fill) else BLACK


def brand_colour(value: str) -> str:
    """A city's primary colour: #RRGGBB that reaches 7:1 both as text on the default
    background and behind its own button text (white or black). Refused with the ratios it
    reached otherwise."""
    hex_to_rgb(value)
    on_background = contrast_ratio(value, DEFAULT_BACKGROUND)
    label = text_on(value)
    behind_text = contrast_ratio(label, value)
    if min(on_background, behind_text) < DEFAULT_THEME_TEXT_CONTRAST:
        word = "white" if label == WHITE else "black"
        raise ValueError(
            f"{value} reaches {on_background:.1f}:1 against the background {DEFAULT_BACKGROUND}"
            f" and {behind_text:.1f}:1 behind {word} button text; the screens need "
            f"{DEFAULT_THEME_TEXT_CONTRAST:.0f}:1 for both (WCAG 1.4.6): choose a darker shade"
        )
    return value.upper()
