"""A button's face as drawn (screens/button_face.py), read on the window's pixels: the focus
ring goes with the focus, the pressed line shows while a finger is down, and a theme change
reaches every face."""

from __future__ import annotations

from typing import Any

import pytest
from ui_support import tab_to

from kiosk.core.intents import SetAccessibility
from kiosk.core.tokens import FOCUS_OFFSET_MM, FOCUS_RING_MM
from kiosk.settings.models import Theme

pytestmark = pytest.mark.ui


def ring_pixel(kiosk: Any, role: str) -> tuple[int, int, int]:
    """The pixel in the middle of where `role`'s focus ring would be, above its top edge."""
    app, d = kiosk.app, kiosk.driver
    button = d.find(role)
    x, top = button.to_window(button.center_x, button.top)
    above = top + app.mm(FOCUS_OFFSET_MM + FOCUS_RING_MM / 2)
    image = d.pixels()
    return image.getpixel((int(x), int(image.height - above)))


def colour(kiosk: Any, token: str) -> tuple[int, int, int]:
    rgba = kiosk.app.rgba(token, kiosk.app.theme_name)
    return tuple(round(c * 255) for c in rgba[:3])


def near(pixel: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return max(abs(a - b) for a, b in zip(pixel, expected, strict=True)) <= 8


def test_the_focus_ring_follows_the_focus_and_the_theme(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tab_to(d, "home.entry.services")
    d.frames(2)
    assert near(ring_pixel(kiosk, "home.entry.services"), colour(kiosk, "focus"))
    tab_to(d, "home.entry.request")
    d.frames(2)
    assert near(ring_pixel(kiosk, "home.entry.services"), colour(kiosk, "background")), \
        "the ring left behind when the focus moved on"
    assert near(ring_pixel(kiosk, "home.entry.request"), colour(kiosk, "focus"))
    kiosk.app.send(SetAccessibility(theme=Theme.HIGH_DARK))
    d.frames(3)
    assert kiosk.app.theme_name == Theme.HIGH_DARK.value
    assert near(ring_pixel(kiosk, "home.entry.request"), colour(kiosk, "focus"))
    assert near(ring_pixel(kiosk, "home.entry.services"), colour(kiosk, "background"))


def test_a_pressed_button_shows_its_line_and_lets_it_go(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    button = d.find("home.entry.services")
    x, top = button.to_window(button.center_x, button.top)
    # Within the edge: the 0.8 mm border in the city's colour, pressed the 1 mm line in the
    # colour of the text (docs/accessibility.md G1).
    inside = top - kiosk.app.mm(0.4)

    def pixel() -> tuple[int, int, int]:
        image = d.pixels()
        return image.getpixel((int(x), int(image.height - inside)))

    assert near(pixel(), colour(kiosk, "primary"))
    button.state = "down"
    d.frames(2)
    assert near(pixel(), colour(kiosk, "text"))
    button.state = "normal"
    d.frames(2)
    assert near(pixel(), colour(kiosk, "primary"))


@pytest.mark.parametrize(("kind", "theme"), [("primary", Theme.DEFAULT), ("danger", Theme.DEFAULT),
                                             ("primary", Theme.HIGH_DARK),
                                             ("danger", Theme.HIGH_LIGHT)])
def test_a_filled_button_pressed_shows_a_line_in_its_words_colour(kiosk, kind, theme):
    """A filled button's pressed line is in its words' colour: in the high-contrast themes
    and for the danger kind, the fill does not darken, and the line is the only sign."""
    d = kiosk.driver
    kiosk.app.send(SetAccessibility(theme=theme))
    d.tap("attract.start")
    d.wait_for_screen("home")
    button = d.find("home.entry.services")
    button.kind = kind
    d.frames(2)
    x, top = button.to_window(button.center_x, button.top)
    inside = top - kiosk.app.mm(0.5)

    def pixel() -> tuple[int, int, int]:
        image = d.pixels()
        return image.getpixel((int(x), int(image.height - inside)))

    assert near(pixel(), colour(kiosk, button.fill_token)), "not pressed: the fill up to the edge"
    button.state = "down"
    d.frames(2)
    assert near(pixel(), colour(kiosk, button.ink_token))
    assert not near(pixel(), colour(kiosk, button.fill_token)), "the line must show on the fill"


def test_an_attract_tile_is_its_card_with_the_face_s_shadow_and_ring_only(kiosk):
    """A tile's card is its fill (screens/attract.kv): the face draws no edge nor fill under
    it, which showed only as slivers of the edge's colour at the card's rounder corners and
    cost a draw each (docs/performance.md)."""
    d = kiosk.driver
    tile = d.find("attract.tile.services")
    d.frames(2)
    ring, _gap, shadow, edge, fill = tile._face._layers
    assert tuple(edge[1].size) == (0, 0) and tuple(fill[1].size) == (0, 0)
    assert shadow[1].size[0] == pytest.approx(tile.width), "the tile lost its shadow"
    x, top = tile.to_window(tile.x, tile.top)
    corner = d.pixels().getpixel((int(x), int(d.pixels().height - top)))
    assert not near(corner, colour(kiosk, "primary")), "the edge shows at the card's corner"
    tile.focus = True
    d.frames(2)
    assert ring[1].size[0] > tile.width, "a focused tile shows no ring"


def test_a_button_draws_its_pictogram_only_when_it_has_one(kiosk):
    """The pictogram at a button's left is drawn from Python, by a button that has one: an
    empty instruction is still a draw for the software renderer (a keyboard's keys have no
    pictogram)."""
    from kiosk.core.tokens import PAD_X_MM

    app, d = kiosk.app, kiosk.driver
    tile = d.find("attract.tile.services")
    assert tile.icon_texture is None and tile._picto.children == []
    d.tap("attract.start")
    d.wait_for_screen("home")
    entry = d.find("home.entry.services")
    d.frames(2)
    assert entry.icon_texture is not None
    shape = entry._picto_shape
    assert shape in entry._picto.children and shape.texture is entry.icon_texture
    assert shape.pos[0] == int(entry.x + app.mm(PAD_X_MM))
    assert shape.pos[1] <= entry.center_y <= shape.pos[1] + shape.size[1]
    entry.icon_texture = None
    d.frames(2)
    assert entry._picto.children == []
