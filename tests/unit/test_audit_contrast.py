"""Contrast as rendered (kiosk/audit/contrast.py, docs/accessibility.md D2): text drawn with a
real font, anti-aliased, on a window-sized image; its colours are read back from the pixels
and held to 7:1, with 4.5:1 as the floor."""

from __future__ import annotations

import pytest
from audit_scenes import WINDOW, box_mm, button, conditions, label, scene
from PIL import Image, ImageDraw

from kiosk.audit.contrast import luminance, ratio, read, text_contrast
from kiosk.audit.findings import Check
from kiosk.audit.scene import Box
from kiosk.core.theme import PALETTES
from kiosk.receipts.fonts import REGULAR, font
from kiosk.settings.models import Theme

DEFAULT = PALETTES[Theme.DEFAULT]


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def window(background: str = DEFAULT.background) -> Image.Image:
    return Image.new("RGB", (int(WINDOW.width), int(WINDOW.height)), rgb(background))


def draw_text(image: Image.Image, box: Box, colour: str, size: int = 28,
              fill: str | None = None) -> None:
    """`text` drawn in `box` (window pixels, origin bottom-left), on `fill` if given."""
    draw = ImageDraw.Draw(image)
    top = image.height - box.top
    if fill is not None:
        draw.rectangle((box.x - 12, top - 12, box.right + 12, top + box.height + 12),
                       fill=rgb(fill))
    draw.text((box.x, top), "Quel est le numéro ?", font=font(REGULAR, size), fill=rgb(colour))


def test_the_wcag_ratio_of_known_pairs():
    assert ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert luminance((255, 255, 255)) == pytest.approx(1.0)
    # #767676 on white is the well-known 4.54:1
    assert ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("size", [14, 28, 60])
def test_the_default_themes_text_reads_what_its_tokens_promise(size):
    """Anti-aliased glyphs, even small ones, read at their ink's ratio (#161616 on #F4F4F0 is
    16.6:1), well over 7:1."""
    image = window()
    box = box_mm(10, 1500, 300, 20)
    draw_text(image, box, DEFAULT.text, size)
    reading = read(image, box)
    assert reading is not None
    assert reading.background == rgb(DEFAULT.background)
    assert reading.ratio == pytest.approx(ratio(rgb(DEFAULT.text), rgb(DEFAULT.background)),
                                          rel=0.15)
    assert text_contrast(scene(label(0, box)), image, conditions()) == []


def test_a_grey_label_is_caught_under_the_floor():
    image = window("#FFFFFF")
    box = box_mm(10, 1500, 300, 20)
    draw_text(image, box, "#AAAAAA")
    found = text_contrast(scene(label(0, box)), image, conditions(theme=Theme.HIGH_LIGHT))
    assert [(f.check, f.requirement) for f in found] == [(Check.CONTRAST, "D2")]
    assert "reads 2.3:1 (#AAAAAA on #FFFFFF); the high-light theme asks 7:1, under the 4.5:1 " \
           "floor" in found[0].message


def test_a_label_between_the_floor_and_7_to_1_is_caught_without_the_floor():
    image = window("#FFFFFF")
    box = box_mm(10, 1500, 300, 20)
    draw_text(image, box, "#6E6E6E", size=60)  # 5.1:1
    found = text_contrast(scene(label(0, box)), image, conditions())
    assert len(found) == 1 and "floor" not in found[0].message


def test_a_buttons_text_is_read_against_the_buttons_fill():
    image = window()
    area = box_mm(20, 1000, 200, 26)
    text = Box(area.x + 40, area.y + 15, area.width - 80, area.height - 30)
    draw_text(image, text, DEFAULT.on_primary, fill=DEFAULT.primary)
    reading = read(image, text)
    assert reading is not None and reading.background == rgb(DEFAULT.primary)
    assert text_contrast(scene(button(0, area, text_box=text)), image, conditions()) == []


def test_text_the_colour_of_its_background_reads_1_to_1():
    image = window()
    box = box_mm(10, 1500, 300, 20)
    draw_text(image, box, DEFAULT.background)
    found = text_contrast(scene(label(0, box)), image, conditions())
    assert "reads 1.0:1" in found[0].message


def test_disabled_controls_and_text_scrolled_half_out_are_not_read():
    image = window("#FFFFFF")
    box = box_mm(10, 1500, 300, 20)
    draw_text(image, box, "#DDDDDD")
    disabled = label(0, box, disabled=True)
    half_shown = label(1, box, viewport=Box(box.x, box.y, box.width, box.height / 2))
    assert text_contrast(scene(disabled, half_shown), image, conditions()) == []
    assert len(text_contrast(scene(label(2, box)), image, conditions())) == 1
