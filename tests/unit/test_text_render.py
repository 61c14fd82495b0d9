"""The key of the SDL_ttf font a label opens (kiosk/shell/text_render.py): one font object per
face and whole size, however the size was computed."""

from __future__ import annotations

from kiosk.shell.text_render import font_id

ANDIKA = "/usr/share/fonts/truetype/andika/Andika-Regular.ttf"


def options(font_size: float, **over: object) -> dict[str, object]:
    base: dict[str, object] = {"font_size": font_size, "font_name_r": ANDIKA, "bold": False,
                               "italic": False, "underline": False, "strikethrough": False}
    return {**base, **over}


def test_sizes_that_open_the_same_font_share_it():
    # Two ways of computing the same millimetres, as the screens did.
    assert 22.47298919567827 != 22.472989195678274
    assert font_id(options(22.47298919567827)) == font_id(options(22.472989195678274))
    assert font_id(options(72)) == font_id(options(72.89662853093044))


def test_another_size_face_or_style_is_another_font():
    assert font_id(options(22.9)) != font_id(options(23.0))
    assert font_id(options(22, bold=True)) != font_id(options(22))
    assert font_id(options(22, font_name_r=ANDIKA.replace("Regular", "Bold"))) != \
        font_id(options(22))
    assert font_id(options(22, underline=True)) != font_id(options(22))
