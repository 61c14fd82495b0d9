"""Unit tests of the panel geometry (millimetres ↔ pixels ↔ height above the floor) and of the
screen bands computed from it (docs/accessibility.md §2.11, §3, A1, A4, A5, B1).

With the two shipped panel presets, loaded through the real settings loader, they prove that:
- the pitch is the active height over the pixel height, and pixels are square;
- the 43" totem's 900–1100 mm reach band is y ≈ [202, 605] px, as the §2.11 table says;
- heights above the floor and window y coordinates convert both ways, with the tilt's cosine;
- in every layout (both panels, standing and seated) the zones stay inside the window, do not
  overlap, the persistent bar is at least 20 mm high, the controls (bar and body) sit in the
  reach band (900–1300 mm standing, 900–1100 mm seated) with only the footer below it, the
  seated reading zone ends at 1400 mm, and the desk reads in a column beside its controls.
"""

import math
import tomllib

import pytest

from kiosk.core.geometry import KEY_HEIGHT_MM, MIN_TARGET_MM, REACH_BAND_MM, Panel
from kiosk.core.layout import (
    BAR_HEIGHT_MM,
    EDGE_MARGIN_MM,
    MASTHEAD_MM,
    READING_MIN_MM,
    SEATED_CONTROLS_MM,
    STANDING_CONTROLS_MM,
    bar_height_mm,
    compute_layout,
    far_text_cap_mm,
    key_height_mm,
    masthead_height_mm,
)
from kiosk.core.tokens import needed_cap_mm
from kiosk.settings.loader import PACKAGED_CONFIG_DIR, ConfigSources, load_settings
from kiosk.settings.models import TextSize

TOTEM = "totem-43-portrait"
DESK = "desk-24-landscape"
PRESETS = [TOTEM, DESK]
EPS = 1e-6


def panel(preset: str, **env: str) -> Panel:
    environ = {"KIOSK__PANEL__PRESET": preset, **env}
    return Panel(load_settings(ConfigSources(), environ=environ).panel)


def preset_file(preset: str) -> dict:
    with (PACKAGED_CONFIG_DIR / "panels" / f"{preset}.toml").open("rb") as handle:
        return tomllib.load(handle)["panel"]


# -- geometry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_the_loader_applies_the_preset_and_the_pitch_is_height_over_pixels(preset):
    geometry = panel(preset).geometry
    expected = preset_file(preset)
    assert geometry.name == expected["name"]
    assert geometry.height_px == expected["height_px"]
    assert geometry.active_height_mm == expected["active_height_mm"]
    pitch = panel(preset).pitch_mm
    assert pitch == pytest.approx(expected["active_height_mm"] / expected["height_px"])
    # Square pixels (docs/accessibility.md A5: within 1 %).
    across = expected["active_width_mm"] / expected["width_px"]
    assert abs(across - pitch) / pitch < 0.01


def test_the_43_inch_pitch_and_sizes_match_the_accessibility_table():
    totem = panel(TOTEM)
    assert totem.pitch_mm == pytest.approx(0.496, abs=0.0005)
    assert totem.px(20) == pytest.approx(40, abs=1)
    assert totem.px(12.7) == pytest.approx(26, abs=1)
    assert totem.px(4.8) == pytest.approx(10, abs=1)
    assert totem.mm(totem.px(20)) == pytest.approx(20)


def test_the_totem_reach_band_is_y_202_to_605():
    totem = panel(TOTEM)
    assert REACH_BAND_MM == (900.0, 1100.0)
    low, high = totem.reach_band_px()
    assert low == pytest.approx(202, abs=2)
    assert high == pytest.approx(605, abs=2)
    # The other rows of the §2.11 example: 1220 mm → 847 px, 1300 mm → 1008 px.
    assert totem.y_at_height(1220) == pytest.approx(847, abs=2)
    assert totem.y_at_height(1300) == pytest.approx(1008, abs=2)
    assert totem.height_above_floor(0) == pytest.approx(800)
    assert totem.height_above_floor(1920) == pytest.approx(1752)


def test_the_reach_band_is_clipped_to_the_panel():
    # Raised so that 900 mm lies below the panel: the band starts at y = 0.
    raised = panel(TOTEM, KIOSK__PANEL__BOTTOM_EDGE_MM="950.0")
    low, high = raised.reach_band_px()
    assert low == 0.0
    assert high == pytest.approx(150 / raised.pitch_mm)


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("y", [0.0, 1.0, 100.5, 540.0, 1079.0])
def test_height_and_y_convert_both_ways(preset, y):
    p = panel(preset)
    assert p.y_at_height(p.height_above_floor(y)) == pytest.approx(y)
    height = 850.0 + y / 2
    assert p.height_above_floor(p.y_at_height(height)) == pytest.approx(height)


def test_the_tilt_shortens_heights_by_its_cosine():
    desk = panel(DESK)
    assert desk.geometry.tilt_deg == 15.0
    top = desk.height_above_floor(desk.geometry.height_px)
    assert top == pytest.approx(850 + 299 * math.cos(math.radians(15)))
    assert top == pytest.approx(1138.8, abs=0.1)  # not 1149 mm as if upright
    steep = panel(DESK, KIOSK__PANEL__TILT_DEG="60.0")
    assert steep.height_above_floor(steep.geometry.height_px) == pytest.approx(850 + 299 / 2)
    assert steep.y_at_height(850 + 299 / 4) == pytest.approx(540)


# -- layout -----------------------------------------------------------------------------------

LAYOUTS = [(preset, seated) for preset in PRESETS for seated in (False, True)]
IDS = [f"{preset}-{'seated' if seated else 'standing'}" for preset, seated in LAYOUTS]
ZONES = ("masthead", "reading", "body", "bar", "footer")


def overlap(a, b) -> bool:
    return (min(a.right, b.right) - max(a.x, b.x) > EPS
            and min(a.top, b.top) - max(a.y, b.y) > EPS)


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_zones_stay_inside_the_window(preset, seated):
    p = panel(preset)
    layout = compute_layout(p, seated=seated)
    width, height = p.geometry.width_px, p.geometry.height_px
    assert EDGE_MARGIN_MM >= 2.0  # docs/accessibility.md A4
    assert layout.margin == pytest.approx(p.px(EDGE_MARGIN_MM))
    for name in ZONES:
        zone = getattr(layout, name)
        assert zone.height >= 0 and zone.width > 0, name
        assert zone.x >= -EPS and zone.right <= width + EPS, name
        assert zone.y >= -EPS and zone.top <= height + EPS, name
    # Controls keep the margin from the edges (the masthead's band may run to the edge).
    for name in ("reading", "body", "bar"):
        zone = getattr(layout, name)
        assert zone.x >= layout.margin - EPS and zone.right <= width - layout.margin + EPS
        assert zone.y >= layout.margin - EPS and zone.top <= height - layout.margin + EPS


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_zones_do_not_overlap(preset, seated):
    layout = compute_layout(panel(preset), seated=seated)
    zones = [getattr(layout, name) for name in ZONES if getattr(layout, name).height > 0]
    for i, first in enumerate(zones):
        for second in zones[i + 1:]:
            assert not overlap(first, second), (first, second)
    assert layout.body.y - layout.bar.top >= layout.gap - EPS


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_the_bar_is_at_least_20_mm_high(preset, seated):
    p = panel(preset)
    assert MIN_TARGET_MM == 20.0
    assert p.mm(compute_layout(p, seated=seated).bar.height) >= 20.0


def test_the_bar_follows_its_words_when_they_need_more_than_a_button():
    # Words 14 mm high on one line and 3 mm above and below them need 20 mm: a button's
    # 26 mm holds them; words 26.5 mm high (the standing totem's XL) need 32.5 mm.
    assert bar_height_mm(14.0) == BAR_HEIGHT_MM
    assert bar_height_mm(26.5) == pytest.approx(32.5)


def test_the_masthead_follows_the_city_name_at_the_largest_size():
    assert masthead_height_mm(17.0) == MASTHEAD_MM
    assert masthead_height_mm(26.5) == pytest.approx(32.5)
    # The masthead keeps the top of the panel; the reading zone gives it the room.
    p = panel(TOTEM)
    plain, tall = compute_layout(p), compute_layout(p, masthead_mm=32.5)
    assert tall.masthead.top == pytest.approx(plain.masthead.top)
    assert p.mm(tall.masthead.height - plain.masthead.height) == pytest.approx(6.5)
    assert tall.reading.top == pytest.approx(tall.masthead.y - tall.gap)


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_a_taller_bar_keeps_its_place_and_the_body_gives_it_the_room(preset, seated):
    p = panel(preset)
    usual = compute_layout(p, seated=seated)
    tall = compute_layout(p, seated=seated, bar_mm=BAR_HEIGHT_MM + 4.0)
    assert p.mm(tall.bar.height) == pytest.approx(BAR_HEIGHT_MM + 4.0)
    assert tall.bar.y == pytest.approx(usual.bar.y)
    assert tall.body.y == pytest.approx(tall.bar.top + tall.gap)
    assert tall.body.top == pytest.approx(usual.body.top)
    # Never lower than a button.
    assert compute_layout(p, seated=seated, bar_mm=10.0) == usual


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_the_controls_sit_in_the_reach_band(preset, seated):
    p = panel(preset)
    layout = compute_layout(p, seated=seated)
    low, high = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    assert (low, high) == ((900.0, 1100.0) if seated else (900.0, 1300.0))
    bar_bottom = p.height_above_floor(layout.bar.y)
    body_top = p.height_above_floor(layout.body.top)
    assert low - EPS <= bar_bottom <= high + EPS
    assert low - EPS <= body_top <= high + EPS
    # Below the reach band, the footer: small print only.
    assert p.height_above_floor(layout.footer.top) <= low + EPS


def test_the_seated_totem_moves_the_controls_and_the_reading_zone_down():
    totem = panel(TOTEM)
    standing = compute_layout(totem, seated=False)
    seated = compute_layout(totem, seated=True)
    assert totem.height_above_floor(standing.body.top) == pytest.approx(1300)
    assert totem.height_above_floor(seated.body.top) == pytest.approx(1100)
    assert totem.height_above_floor(seated.bar.y) == pytest.approx(900)
    # docs/accessibility.md A3: seated, essential text at most 1400 mm high.
    assert totem.height_above_floor(seated.reading.top) <= 1400 + EPS
    assert seated.reading.y >= seated.body.top
    # Standing, the reading zone is the glass above the controls, up to the masthead.
    assert standing.reading.y == pytest.approx(standing.body.top + standing.gap)
    assert standing.reading.top == pytest.approx(standing.masthead.y - standing.gap)


@pytest.mark.parametrize(("preset", "seated"), LAYOUTS, ids=IDS)
def test_the_reading_zone_keeps_its_minimum_height(preset, seated):
    p = panel(preset)
    assert p.mm(compute_layout(p, seated=seated).reading.height) >= READING_MIN_MM - EPS


def test_the_desk_reads_beside_its_controls():
    desk = compute_layout(panel(DESK))
    assert desk.side_by_side
    assert desk.reading.right < desk.body.x
    assert desk.masthead.right < desk.body.x
    totem = compute_layout(panel(TOTEM))
    assert not totem.side_by_side
    assert totem.reading.y > totem.body.top


@pytest.mark.parametrize(("preset", "seated", "expected"), [
    (TOTEM, False, KEY_HEIGHT_MM), (DESK, False, MIN_TARGET_MM), (DESK, True, MIN_TARGET_MM)])
def test_keys_keep_one_height_per_posture_the_largest_size_leaves_room_for(preset, seated,
                                                                           expected):
    """At the largest size, the desk's body band, under a bar as tall as its words, cannot
    hold five rows of 22 mm keys under a two-line label, a field and a row of buttons, all
    in text as large as 0.7° asks (11 mm standing, 8.5 mm seated): its keys are 20 mm at
    every size, so that none is lower at a larger size (C3). The standing totem has room."""
    station = panel(preset)
    largest = compute_layout(station, seated=seated, bar_mm=bar_height_mm(17.0))
    body = far_text_cap_mm(compute_layout(station, seated=seated), station, seated)
    assert key_height_mm(largest, station, body) == expected
    roomier = compute_layout(station, seated=seated)
    assert key_height_mm(roomier, station, 6.0) >= key_height_mm(largest, station, body)
    assert key_height_mm(largest, station, 4 * body) == MIN_TARGET_MM


# -- the largest size, from the farthest text (docs/accessibility.md C2) ------------------------


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("seated", [False, True])
def test_the_largest_size_is_what_the_farthest_text_needs(preset, seated):
    p = panel(preset)
    layout = compute_layout(p, seated=seated)
    far = far_text_cap_mm(layout, p, seated)
    # Every height where a text may sit, from the footer's bottom to the masthead's top, in
    # steps of a millimetre: none asks more than the size every text gets.
    low = p.height_above_floor(layout.footer.y)
    high = p.height_above_floor(layout.masthead.top)
    heights = [low + i for i in range(int(high - low) + 1)]
    assert max(needed_cap_mm(TextSize.XL, seated, h) for h in heights) <= far + EPS
    # and it asks no more than the farthest of them does.
    assert far == pytest.approx(max(needed_cap_mm(TextSize.XL, seated, h)
                                    for h in (low, high)))


def test_standing_at_the_totem_the_footer_low_on_the_panel_sets_the_largest_size():
    p = panel(TOTEM)
    standing = far_text_cap_mm(compute_layout(p), p, False)
    seated = far_text_cap_mm(compute_layout(p, seated=True), p, True)
    # 0.7° from 1600 mm at the footer, 806 mm above the floor: 11.5 mm; seated, the city's
    # name at the top of the panel (1752 mm) is farthest: 10.9 mm. Both above XL's 8.5 mm.
    assert standing == pytest.approx(11.5, abs=0.05)
    assert seated == pytest.approx(10.9, abs=0.05)
    # Seated at the desk every text is within 530 mm of the eye: XL's 8.5 mm holds.
    d = panel(DESK)
    assert far_text_cap_mm(compute_layout(d, seated=True), d, True) == 8.5
