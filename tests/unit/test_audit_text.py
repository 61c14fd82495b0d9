"""The audit's checks of text size (kiosk/audit/text_checks.py): 4.8 mm capitals for any text
(docs/accessibility.md C1), at XL the 0.7° rule from the posture's eye (C2), and controls that
never shrink as the text grows (C3)."""

from __future__ import annotations

import pytest
from audit_scenes import TOTEM, box_mm, conditions, label, scene

from kiosk.audit.findings import Check
from kiosk.audit.text_checks import capitals, growth
from kiosk.core.tokens import needed_cap_mm
from kiosk.settings.models import TextSize


def caps(mm: float) -> float:
    """A measured capital height, in whole rows of pixels, for `mm` millimetres."""
    return float(round(TOTEM.px(mm)))


@pytest.mark.parametrize(("seated", "height", "needed"), [
    # docs/accessibility.md §2.11: seated eye 1015 mm, text at 1100 mm needs 6.2 mm (so XL's
    # 8.5 mm holds); standing eye 1600 mm, text at 900 mm needs 10.5 mm.
    (True, 1100, 8.5), (False, 900, 10.5), (False, 1600, 8.5),
])
def test_xl_needs_the_larger_of_8_5_mm_and_0_7_degrees(seated, height, needed):
    assert needed_cap_mm(TextSize.XL, seated, height) == pytest.approx(needed, abs=0.05)


def test_below_xl_any_text_needs_4_8_mm_small_print_included():
    assert needed_cap_mm(TextSize.S, False, 900) == 4.8
    assert needed_cap_mm(TextSize.M, True, 1500) == 4.8
    assert needed_cap_mm(TextSize.L, False, 1200) == 4.8


def test_capitals_smaller_than_the_text_size_are_caught():
    small = label(0, box_mm(10, 1500, 300, 12), cap_px=caps(4.0))
    right = label(1, box_mm(10, 1520, 300, 12), text="Étape 2 sur 4", cap_px=caps(4.9))
    found = capitals(scene(small, right), TOTEM, conditions(TextSize.M))
    assert [(f.check, f.requirement, f.where) for f in found] == [
        (Check.CAPITALS, "C1", "“Quel est le numéro ?”")]
    assert "are 4.0 mm; text size M standing at 1506 mm asks 4.8 mm" in found[0].message


def test_at_xl_text_far_from_the_eye_needs_larger_capitals():
    """Standing, text low down is far from the eye; seated, text high up is."""
    low = label(0, box_mm(10, 895, 300, 12), cap_px=caps(8.6))
    high = label(1, box_mm(10, 1595, 300, 12), text="Villeneuve", cap_px=caps(8.6))
    standing = capitals(scene(low, high), TOTEM, conditions(TextSize.XL))
    assert [(f.requirement, f.where) for f in standing] == [("C2", "“Quel est le numéro ?”")]
    assert standing[0].box == low.text_box
    seated = capitals(scene(low, high), TOTEM, conditions(TextSize.XL, seated=True))
    assert [(f.requirement, f.where) for f in seated] == [("C2", "“Villeneuve”")]
    assert "seated at 1601 mm asks 9.4 mm" in seated[0].message


def test_pictograms_and_signs_have_no_capitals_to_measure():
    pictogram = label(0, box_mm(10, 1500, 20, 20), text="\ue88a", cap_px=None)
    sign = label(1, box_mm(40, 1500, 20, 20), text="⌫", cap_px=caps(2))
    assert capitals(scene(pictogram, sign), TOTEM, conditions(TextSize.XL)) == []


def test_a_control_lower_at_a_larger_size_is_caught():
    heights = {TextSize.S: {"bar.back": 52.0, "home.done": 52.0},
               TextSize.M: {"bar.back": 52.0, "home.done": 60.0},
               TextSize.L: {"bar.back": 44.0, "home.done": 70.0},
               TextSize.XL: {"bar.back": 60.0}}
    found = growth(heights, TOTEM)
    assert [(f.check, f.requirement, f.where) for f in found] == [
        (Check.GROWTH, "C3", "bar.back")]
    assert "is 26 mm high at M but 22 mm at L" in found[0].message
