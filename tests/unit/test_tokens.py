"""Unit tests of the design tokens (docs/visual-design.md, "A type scale that reads from a step
away"; docs/accessibility.md §3, C1–C3, F5).

They prove that at the totem's viewing distance the default size gives the question 11–14 mm
capitals, body and buttons at least 6 mm and the numbers to keep at least 20 mm; that the desk,
read from closer, is set smaller but never below 4.8 mm; that every text role grows with the text
size; that the largest size meets EN 301 549 5.1.4 at the viewing distance; and that the focus
ring and the spacing meet their floors.
"""

import pytest

from kiosk.core import tokens
from kiosk.core.tokens import ROLE_SCALE, angle_cap_mm, cap_mm
from kiosk.settings.models import Profile, TextSize

SIZES = list(TextSize)


def test_the_totem_default_size_follows_the_type_scale():
    totem = Profile.TOTEM
    assert 11.0 <= cap_mm("title", TextSize.M, totem) <= 14.0
    assert cap_mm("body", TextSize.M, totem) >= 6.0
    assert cap_mm("button", TextSize.M, totem) >= 6.0
    assert cap_mm("number", TextSize.M, totem) >= 20.0
    # The question is the largest text of a step: larger than everything but the numbers to
    # keep and the attract screen's city name.
    for role in ("small", "body", "button", "lead"):
        assert cap_mm(role, TextSize.M, totem) < cap_mm("title", TextSize.M, totem)


def test_the_desk_is_read_from_closer_and_set_smaller():
    for role in ROLE_SCALE:
        desk = cap_mm(role, TextSize.M, Profile.DESK)
        assert desk <= cap_mm(role, TextSize.M, Profile.TOTEM)
        assert desk == cap_mm(role, TextSize.M, Profile.DESK_ASSISTED)


@pytest.mark.parametrize("profile", list(Profile))
def test_no_text_is_below_4_8_mm(profile):
    for role in ROLE_SCALE:
        for size in SIZES:
            assert cap_mm(role, size, profile) >= 4.8


@pytest.mark.parametrize("profile", list(Profile))
def test_every_role_grows_with_the_text_size(profile):
    for role in ROLE_SCALE:
        caps = [cap_mm(role, size, profile) for size in SIZES]
        assert caps == sorted(caps), role
        assert caps[-1] > caps[0], role


@pytest.mark.parametrize("profile", list(Profile))
def test_the_largest_size_meets_0_7_degrees_at_the_viewing_distance(profile):
    distance = tokens.VIEWING_DISTANCE_MM[profile]
    assert cap_mm("body", TextSize.XL, profile) >= max(8.5, angle_cap_mm(distance))


def test_the_angle_rule_gives_7_3_mm_at_600_mm():
    assert angle_cap_mm(600) == pytest.approx(7.33, abs=0.01)


def test_focus_ring_spacing_and_motion_meet_their_floors():
    assert tokens.FOCUS_RING_MM >= 1.0  # docs/accessibility.md F5
    assert tokens.GAP_MM >= 2.54 and tokens.KEY_GAP_MM >= 2.54  # B3
    assert tokens.MARGIN_MM >= 2.0  # A4
    assert 15.0 <= tokens.STEP_PICTOGRAM_MM <= 25.0
    assert 1.3 <= tokens.LINE_SPACING <= 1.5
    # Slow motion only: far below WCAG 2.3.1's three flashes a second, a shift of a few
    # pixels no more often than every few minutes.
    assert tokens.PULSE_PERIOD_S >= 2.0 and tokens.PULSE_DEPTH <= 0.1
    assert tokens.SHIFT_EVERY_S >= 60 and tokens.SHIFT_MM <= 3.0


@pytest.mark.parametrize("profile", list(Profile))
def test_at_the_largest_size_no_role_is_under_what_the_farthest_text_needs(profile):
    far = 11.5
    for role in ROLE_SCALE:
        assert cap_mm(role, TextSize.XL, profile, far) >= far
        # The larger roles keep their size where it is more.
        assert cap_mm(role, TextSize.XL, profile, far) >= cap_mm(role, TextSize.XL, profile)
    # Below XL the farthest text asks nothing (docs/accessibility.md C1 holds there).
    for size in (TextSize.S, TextSize.M, TextSize.L):
        assert cap_mm("small", size, profile, far) == cap_mm("small", size, profile)
