"""Unit tests of the colour themes and the WCAG contrast formula (docs/accessibility.md D1, §3).

They prove the formula on reference values, then that every text pair of every shipped palette
reaches 4.5:1, the default palette 7:1, the high-contrast palettes pure black and white, and the
focus colour 3:1 against the background (non-text contrast, WCAG 1.4.11).
"""

import pytest

from kiosk.core.theme import (
    DEFAULT_THEME_TEXT_CONTRAST,
    MIN_NON_TEXT_CONTRAST,
    MIN_TEXT_CONTRAST,
    PALETTES,
    contrast_ratio,
    hex_to_rgb,
    palette,
    relative_luminance,
)
from kiosk.settings.colour import brand_colour
from kiosk.settings.models import Theme


def test_contrast_ratio_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#1D4F7C", "#1D4F7C") == pytest.approx(1.0)
    # WebAIM / WCAG reference pairs: #767676 on white just passes 4.5:1, #777777 just fails.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    # Pure red on white, a classic example: 4.0:1.
    assert contrast_ratio("#FF0000", "#FFFFFF") == pytest.approx(4.0, abs=0.01)


def test_relative_luminance_and_hex_parsing():
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert hex_to_rgb("#336699") == pytest.approx((0x33 / 255, 0x66 / 255, 0x99 / 255))
    with pytest.raises(ValueError, match="#RRGGBB"):
        hex_to_rgb("#12345")


def test_every_theme_has_a_palette():
    assert set(PALETTES) == set(Theme)


def test_thresholds_are_the_wcag_ones():
    assert (MIN_TEXT_CONTRAST, DEFAULT_THEME_TEXT_CONTRAST, MIN_NON_TEXT_CONTRAST) == (4.5, 7, 3)


@pytest.mark.parametrize("theme", list(Theme))
def test_every_text_pair_reaches_4_5_to_1(theme):
    pairs = PALETTES[theme].text_pairs()
    assert len(pairs) >= 6
    low = {name: round(contrast_ratio(fg, bg), 2) for name, (fg, bg) in pairs.items()
           if contrast_ratio(fg, bg) < 4.5}
    assert low == {}


def test_the_default_palette_reaches_7_to_1_for_every_text_pair():
    pairs = PALETTES[Theme.DEFAULT].text_pairs()
    low = {name: round(contrast_ratio(fg, bg), 2) for name, (fg, bg) in pairs.items()
           if contrast_ratio(fg, bg) < 7.0}
    assert low == {}


@pytest.mark.parametrize("theme", [Theme.HIGH_LIGHT, Theme.HIGH_DARK])
def test_high_contrast_palettes_are_black_and_white(theme):
    for fg, bg in PALETTES[theme].text_pairs().values():
        assert {fg.upper(), bg.upper()} == {"#000000", "#FFFFFF"}
        assert contrast_ratio(fg, bg) == pytest.approx(21.0)


@pytest.mark.parametrize("theme", list(Theme))
def test_the_focus_colour_stands_out_from_background_and_surface(theme):
    palette = PALETTES[theme]
    assert contrast_ratio(palette.focus, palette.background) >= 3.0
    assert contrast_ratio(palette.focus, palette.surface) >= 3.0


# Dark enough greens, reds and blues a city might choose, each at or just above 7:1.
BRANDS = ["#0B5D3B", "#7A1F2B", "#123A6B", "#3D2C6E", "#5C4100"]


@pytest.mark.parametrize("brand", BRANDS)
def test_a_brand_colour_that_the_settings_accept_keeps_every_pair_at_7_to_1(brand):
    assert brand_colour(brand) == brand
    branded = palette(Theme.DEFAULT, brand)
    assert branded.primary == brand
    low = {name: ratio for name, ratio in branded.contrasts().items() if ratio < 7.0}
    assert low == {}


def test_the_brand_colour_leaves_the_high_contrast_themes_black_and_white():
    for theme in (Theme.HIGH_LIGHT, Theme.HIGH_DARK):
        assert palette(theme, "#0B5D3B") == PALETTES[theme]


@pytest.mark.parametrize(("colour", "reached"), [("#3399FF", "2.7:1"), ("#E30613", "4.4:1"),
                                                 ("#767676", "4.1:1")])
def test_a_brand_colour_below_7_to_1_is_refused_with_the_ratio_it_reached(colour, reached):
    with pytest.raises(ValueError, match=f"{colour} reaches {reached} against the background"):
        brand_colour(colour)


def test_a_brand_colour_must_be_rrggbb():
    with pytest.raises(ValueError, match="#RRGGBB"):
        brand_colour("navy")
