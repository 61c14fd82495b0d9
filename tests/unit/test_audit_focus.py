"""What a person who does not touch is told, and where Tab takes them (kiosk/audit/focus_checks.py):
names of controls (docs/accessibility.md H2), focus order against reading order (F4), and keys
for fields (B5)."""

from __future__ import annotations

from audit_scenes import box_mm, button, scene

from kiosk.audit.findings import Check
from kiosk.audit.focus_checks import (
    focus_order,
    keys_for_fields,
    names,
    reads_before,
    reads_before_block,
    words,
)
from kiosk.audit.scene import Holder, Node


def field(index: int, label: str = "Votre numéro de téléphone", role: str = "") -> Node:
    return Node(index=index, widget="KioskTextInput", box=box_mm(10, 1100, 300, 20), role=role,
                text="06 12 34 56 78", control=True, field=True, focusable=True, label=label)


# A screen read top to bottom: a row of two buttons, a button, the bar's two buttons.
TOP_LEFT = button(0, box_mm(10, 1200, 100, 26))
TOP_RIGHT = button(1, box_mm(114, 1200, 100, 26))
MIDDLE = button(2, box_mm(10, 1100, 300, 26))
BACK = button(3, box_mm(10, 950, 100, 26))
HELP = button(4, box_mm(114, 950, 100, 26))
SCREEN = (TOP_LEFT, TOP_RIGHT, MIDDLE, BACK, HELP)


def test_words_leave_out_the_pictograms_of_an_icon_font():
    assert words("\ue88a  Accueil") == "Accueil"
    assert words("\ue88a") == ""
    assert words("⌫") == "⌫"


def test_every_control_needs_a_role_of_its_own_and_visible_words():
    nameless = Node(index=0, widget="KioskButton", box=box_mm(10, 1000, 50, 26), role="button",
                    text="\ue5cd", control=True)
    found = names(scene(nameless, button(1, box_mm(70, 1000, 50, 26), text="Aide"),
                        field(2, role="contact.phone")))
    assert [(f.check, f.requirement) for f in found] == [(Check.NAME, "H2")]
    assert "has no role of its own and no visible words" in found[0].message


def test_a_field_is_named_by_its_label_never_by_what_was_typed_and_needs_a_role():
    found = names(scene(field(0)))
    assert [f.message for f in found] == [
        "“Votre numéro de téléphone” (KioskTextInput) has no role of its own"]
    assert names(scene(field(1, label="", role="contact.phone")))[0].message.endswith(
        "has no visible words")


def test_reading_order_is_rows_top_to_bottom_each_left_to_right():
    assert reads_before(TOP_LEFT.box, TOP_RIGHT.box)
    assert reads_before(TOP_RIGHT.box, MIDDLE.box)
    assert not reads_before(BACK.box, MIDDLE.box)


def test_tab_in_reading_order_passes_wherever_it_starts():
    assert focus_order(scene(*SCREEN, focus=(0, 1, 2, 3, 4))) == []
    assert focus_order(scene(*SCREEN, focus=(2, 3, 4, 0, 1))) == []


def test_tab_out_of_reading_order_is_caught():
    found = focus_order(scene(*SCREEN, focus=(0, 1, 3, 2, 4)))
    assert [(f.check, f.requirement, f.where) for f in found] == [
        (Check.FOCUS_ORDER, "F4", "button.3 → button.2")]
    assert found[0].message == "Tab goes from button.3 to button.2, which reads before it"


def test_tab_that_skips_a_control_or_reaches_a_hidden_one_is_caught():
    found = focus_order(scene(*SCREEN, focus=(0, 1, 2, 3), escapes=("idle.continue",)))
    assert sorted(f.message for f in found) == [
        "Tab moves to idle.continue, which is not shown", "Tab never reaches button.4"]


def test_a_field_needs_the_screens_keys():
    found = keys_for_fields(scene(field(0, role="contact.phone")))
    assert [(f.check, f.requirement) for f in found] == [(Check.KEYS, "B5")]
    assert keys_for_fields(scene(field(0, role="contact.phone"), keys=True)) == []
    assert keys_for_fields(scene(*SCREEN)) == []


# A typing area (screens/keyboard.py): a field and "Next", and a keyboard in a column beside
# them whose two rows of two keys start higher than "Next"; the bar's "Back" below.
AREA = (Holder("TypingArea", box_mm(10, 1150, 210, 110)),)
FIELD_BESIDE = button(0, box_mm(10, 1200, 100, 26), role="contact.email", holders=AREA)
NEXT = button(1, box_mm(10, 1150, 100, 26), role="contact.next", holders=AREA)
KEYS_BESIDE = (button(2, box_mm(150, 1230, 30, 26), role="key.a", holders=AREA),
               button(3, box_mm(184, 1230, 30, 26), role="key.z", holders=AREA),
               button(4, box_mm(150, 1200, 30, 26), role="key.q", holders=AREA),
               button(5, box_mm(184, 1200, 30, 26), role="key.s", holders=AREA))
BAR_BACK = button(6, box_mm(10, 1050, 100, 26), role="bar.back")


def test_the_keyboard_is_read_as_one_block_after_the_controls_it_types_for():
    beside = (FIELD_BESIDE, NEXT, *KEYS_BESIDE, BAR_BACK)
    # The controls, the keyboard's rows, then the bar below the typing area.
    assert focus_order(scene(*beside, focus=(0, 1, 2, 3, 4, 5, 6))) == []
    found = focus_order(scene(*beside, focus=(0, 1, 3, 2, 4, 5, 6)))
    assert [f.where for f in found] == ["key.z → key.a"]
    # Into the keyboard and back to the controls before its end: out of order.
    found = focus_order(scene(*beside, focus=(0, 2, 3, 1, 4, 5, 6)))
    assert [f.where for f in found] == ["key.z → contact.next"]
    # The bar before the keyboard: out of order.
    found = focus_order(scene(*beside, focus=(0, 1, 6, 2, 3, 4, 5)))
    assert [f.where for f in found] == ["bar.back → key.a", "key.s → contact.email"]


def test_a_keyboard_outside_a_typing_area_is_read_where_it_stands():
    loose = [button(n.index, n.box, role=n.role) for n in (FIELD_BESIDE, NEXT)]
    # In a column beside the field, its rows at the field's height: that column first.
    assert reads_before_block(box_mm(10, 1200, 100, 26), box_mm(150, 1180, 64, 60))
    assert not reads_before_block(box_mm(150, 1180, 64, 60), box_mm(10, 1200, 100, 26))
    # Below them: after them, wherever the columns are.
    assert reads_before_block(box_mm(150, 1180, 64, 60), box_mm(10, 1050, 100, 26))
    below = [button(2 + i, box_mm(10 + 34 * (i % 2), 1080 - 30 * (i // 2), 30, 26),
                    role=k.role) for i, k in enumerate(KEYS_BESIDE)]
    assert focus_order(scene(*loose, *below, focus=(0, 1, 2, 3, 4, 5))) == []
    assert [f.where for f in focus_order(scene(*loose, *below,
                                               focus=(0, 2, 3, 1, 4, 5)))] == [
        "key.z → contact.next"]
