"""Rendered text holds its pixels once, in its texture: Kivy's SDL2 text provider kept the
surface it drew on for the life of each label (kiosk/shell/text_render.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def drawn_labels(screen):
    """The core labels of the screen's widgets that have drawn text."""
    for widget in screen.walk(restrict=True):
        core = getattr(widget, "_label", None)
        if core is not None and getattr(widget, "texture", None) is not None:
            yield core


def test_the_resident_screens_labels_keep_no_surface(kiosk):
    d = kiosk.driver
    d.frames(3)
    kiosk.app.prepare_screens()
    d.frames(3)
    checked = 0
    for name in ("attract", "home", "out_of_order"):
        for core in drawn_labels(kiosk.app.screen_view(name)):
            assert getattr(core, "_surface", None) is None, f"a label of {name} kept its surface"
            checked += 1
    assert checked > 20


def test_a_label_rendered_again_still_draws_its_text(kiosk):
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(text="Bonjour", font_size=30)
    label.refresh()
    first = label.texture.size
    assert getattr(label, "_surface", None) is None
    label.text = "Bonjour à tous"
    label.refresh()
    assert label.texture.size[0] > first[0]
    assert any(label.texture.pixels[3::4]), "the new text has no opaque pixel"


@pytest.mark.parametrize("text_size", ["M", "XL"])
def test_an_attract_tile_s_words_are_a_texture_as_large_as_they_are(kiosk, text_size):
    """A tile's words were a texture as wide as the tile and as tall as the words and the
    pictogram above them (0.2 MiB a tile, mostly empty): now only the words, drawn centred
    below the pictogram (screens/attract.py)."""
    from kiosk.audit.capture import drawn_text_box, window_box
    from kiosk.core.intents import SetAccessibility
    from kiosk.settings.models import TextSize

    d = kiosk.driver
    kiosk.app.send(SetAccessibility(text_size=TextSize(text_size)))
    d.frames(4)
    for flow in ("services", "manage_booking"):
        tile = d.find(f"attract.tile.{flow}")
        words = drawn_text_box(tile)
        box = window_box(tile)
        assert words is not None and tile.picto_texture is not None
        assert words.width < box.width * 0.8, "the words' texture is as wide as the tile"
        assert words.height < tile.picto_h, "the words' texture holds the pictogram's room"
        assert abs((words.x + words.width / 2) - (box.x + box.width / 2)) <= 1.5
        picto = next(i for i in tile.canvas.children
                     if hasattr(i, "pos") and getattr(i, "texture", None) is tile.picto_texture)
        # The pictogram's room: its texture's top, down by its height in the layout (the
        # glyph's texture has margins of its own).
        _x, picto_top = tile.to_window(picto.pos[0], picto.pos[1] + picto.size[1])
        assert words.y + words.height <= picto_top - tile.picto_h + 1, \
            "the words reach into the pictogram's room"
        assert box.y <= words.y and picto_top <= box.y + box.height


def test_the_city_s_mark_is_drawn_only_when_the_city_has_one(kiosk, tmp_path):
    """With no logo, the mark draws nothing at all (Kivy's image drew an empty rectangle,
    a draw of its own for the software renderer); with one, it is drawn centred and fitted."""
    from kivy.graphics import Rectangle
    from PIL import Image as PilImage

    from screens.widgets import Logo

    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.frames(2)
    for name in ("attract", "home"):
        assert any(isinstance(w, Logo) for w in app.screen_view(name).walk(restrict=True))
    (mark,) = [w for w in app.screen_view("home").walk(restrict=True) if isinstance(w, Logo)]

    def drawn() -> list[Rectangle]:
        return [i for i in mark.canvas.children if isinstance(i, Rectangle)]

    assert not app.logo and drawn() == []
    path = tmp_path / "logo.png"
    PilImage.new("RGBA", (80, 40), (200, 0, 0, 255)).save(path)
    app.logo = str(path)
    d.frames(3)
    (shape,) = drawn()
    assert shape.texture is mark.texture
    assert abs(shape.pos[0] + shape.size[0] / 2 - mark.center_x) <= 1
    assert shape.size[0] / shape.size[1] == pytest.approx(2, rel=0.05), "not fitted"
    x, y = mark.to_window(*mark.center)
    image = d.pixels()
    pixel = image.getpixel((int(x), int(image.height - y)))
    assert pixel[0] > 150 and pixel[1] < 80, f"the mark is not on screen: {pixel}"
    app.logo = ""
    d.frames(3)
    assert drawn() == []


def test_a_screen_paints_its_background_only_where_it_is_drawn_among_other_things(kiosk):
    """In the station's window the screens leave their background to the window's clear
    colour and draw no rectangle for it; a screen drawn elsewhere (the agent's console)
    paints its own, in the theme's colour."""
    from screens.widgets import KioskScreen

    app = kiosk.app
    shown = app.screen_view("attract")
    assert not shown.backdrop and shown._backdrop.children == []
    apart = KioskScreen(size=(100, 50))
    assert apart.backdrop and apart._backdrop_shape in apart._backdrop.children
    assert tuple(apart._backdrop_shape.size) == (100, 50)
    assert tuple(apart._backdrop_color.rgba) == app.rgba("background", app.theme_name)
