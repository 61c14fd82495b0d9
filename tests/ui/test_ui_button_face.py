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
