"""The audit's checks of where things are (kiosk/audit/layout_checks.py), on scenes built by
hand on the 43" totem's panel: each defect is caught with its numbers in millimetres, and the
same scene without the defect passes (docs/accessibility.md A1, A4, B1, B3, C4, C5)."""

from __future__ import annotations

from audit_scenes import TOTEM, box_mm, button, label, scene

from kiosk.audit.findings import Check
from kiosk.audit.layout_checks import (
    clipped,
    overlaps,
    reach,
    scrolled_out,
    spacing,
    target_size,
    window_bounds,
)
from kiosk.audit.scene import Box, Holder, Node

# Two 100 × 26 mm buttons side by side, 4 mm apart, 1000–1026 mm above the floor.
LEFT = box_mm(10, 1000, 100, 26)
RIGHT = box_mm(114, 1000, 100, 26)


def every_check(shown, seated=False):
    return [*overlaps(shown, TOTEM), *clipped(shown, TOTEM), *scrolled_out(shown, TOTEM),
            *window_bounds(shown, TOTEM), *reach(shown, TOTEM, seated),
            *target_size(shown, TOTEM), *spacing(shown, TOTEM)]


def test_two_buttons_4_mm_apart_in_the_seated_band_pass_every_check():
    shown = scene(button(0, LEFT), button(1, RIGHT))
    assert every_check(shown, seated=False) == []
    assert every_check(shown, seated=True) == []


def test_a_label_over_a_button_is_an_overlap_measured_in_millimetres():
    title = label(1, box_mm(10, 1010, 200, 10))
    found = overlaps(scene(button(0, LEFT), title), TOTEM)
    assert [f.check for f in found] == [Check.OVERLAP]
    assert found[0].requirement == "C4"
    assert "overlap over 100.0 × 10.0 mm" in found[0].message
    assert found[0].where == "button.0 / “Quel est le numéro ?”"


def test_two_buttons_on_top_of_each_other_break_b3():
    found = overlaps(scene(button(0, LEFT), button(1, box_mm(60, 1010, 100, 26))), TOTEM)
    assert [(f.check, f.requirement) for f in found] == [(Check.OVERLAP, "B3")]


def test_a_text_held_by_the_control_it_names_is_no_overlap():
    held = label(1, box_mm(20, 1005, 50, 10), inside=(0,))
    assert overlaps(scene(button(0, LEFT), held), TOTEM) == []


def test_text_drawn_larger_than_its_box_is_clipped():
    box = box_mm(10, 1500, 300, 10)
    drawn = Box(box.x, box.y - TOTEM.px(8), box.width, box.height + TOTEM.px(8))
    found = clipped(scene(label(0, box, text_box=drawn)), TOTEM)
    assert [f.check for f in found] == [Check.CLIPPED]
    assert "needs 300 × 18 mm; its box is 300 × 10 mm" in found[0].message


def test_lines_kivy_dropped_are_clipped():
    box = box_mm(10, 1500, 300, 10)
    found = clipped(scene(label(0, box, text_needs=box.height * 3)), TOTEM)
    assert "the lines that do not fit are dropped" in found[0].message


def test_a_word_wider_than_its_line_is_clipped():
    box = box_mm(10, 1500, 60, 12)
    wide = label(0, box, widest_word=(TOTEM.px(70), box.width))
    fits = label(1, box_mm(10, 1600, 60, 12), widest_word=(TOTEM.px(50), box.width))
    found = clipped(scene(wide, fits), TOTEM)
    assert [(f.check, f.where) for f in found] == [(Check.CLIPPED, wide.name)]
    assert "a word of" in found[0].message and "70 mm wide on a line of 60 mm" in found[0].message


def test_text_leaving_the_layout_that_holds_it_is_clipped():
    holder = Holder("BoxLayout", box_mm(10, 1000, 300, 50))
    inside = label(0, box_mm(10, 1010, 300, 10), holders=(holder,))
    outside = label(1, box_mm(10, 1045, 300, 10), holders=(holder,))
    found = clipped(scene(inside, outside), TOTEM)
    assert [f.where for f in found] == ["“Quel est le numéro ?”"]
    assert found[0].box == outside.footprint
    assert "leaves the BoxLayout" in found[0].message


def test_a_list_that_hides_items_is_one_finding_naming_them():
    viewport = box_mm(10, 1000, 300, 60)
    items = [button(i, box_mm(10, 1034 - 30 * i, 300, 26), viewport=viewport)
             for i in range(4)]
    found = scrolled_out(scene(*items), TOTEM)
    assert len(found) == 1
    assert found[0].requirement == "C5"
    assert "hides 2 item(s)" in found[0].message
    assert "button.2, button.3" in found[0].message
    # What is scrolled out of view is neither overlapping nor out of reach.
    assert overlaps(scene(*items), TOTEM) == []


def test_out_of_the_window_and_at_its_edge():
    out = button(0, Box(1000, 800, 120, 60))
    edge = button(1, Box(TOTEM.px(1), 600, 120, 60))
    found = window_bounds(scene(out, edge), TOTEM)
    assert [(f.where, f.requirement) for f in found] == [("button.0", "A4"), ("button.1", "A4")]
    assert "leaves the window" in found[0].message
    assert "less than 2 mm from the edge" in found[1].message


def test_reach_band_of_each_posture():
    high = button(0, box_mm(10, 1150, 100, 26))  # 1150–1176 mm
    low = button(1, box_mm(120, 880, 100, 26))  # 880–906 mm
    seated = reach(scene(high, low), TOTEM, seated=True)
    assert [(f.where, f.requirement) for f in seated] == [("button.0", "A1"), ("button.1", "A1")]
    assert "spans 1150–1176 mm above the floor; the seated reach band is 900–1100 mm" in (
        seated[0].message)
    standing = reach(scene(high, low), TOTEM, seated=False)
    assert [f.where for f in standing] == ["button.1"]
    assert "standing reach band is 900–1300 mm" in standing[0].message


def test_a_target_under_20_mm_is_caught():
    small = button(0, box_mm(10, 1000, 100, 15))
    found = target_size(scene(small, button(1, box_mm(120, 1000, 20, 20))), TOTEM)
    assert [f.where for f in found] == ["button.0"]
    assert "is 100.0 × 15.0 mm; a target is at least 20 mm both ways" in found[0].message


def test_controls_closer_than_2_54_mm_are_caught_and_touching_ones_too():
    close = button(1, box_mm(112, 1000, 100, 26))  # 2 mm from LEFT
    touching = button(2, box_mm(10, 974, 90, 26))  # right under LEFT
    found = spacing(scene(button(0, LEFT), close, touching), TOTEM)
    assert sorted(f.where for f in found) == ["button.0 / button.1", "button.0 / button.2"]
    assert any("are 2.0 mm apart" in f.message for f in found)
    assert any("are 0.0 mm apart" in f.message for f in found)


def test_a_backdrop_control_is_judged_by_the_controls_it_holds():
    backdrop = Node(index=0, widget="TouchAnywhere", box=Box(0, 0, 1080, 1920), control=True,
                    backdrop=True)
    start = button(1, box_mm(10, 1000, 500, 26), inside=(0,))
    assert every_check(scene(backdrop, start), seated=True) == []
