"""At the largest size every text is as large as 0.7° asks seen from the posture's eye at the
text farthest from it (docs/accessibility.md C2), in the real window: on the totem, standing
and seated, the bar's words low on the panel, the city's name at its top and the keys'
letters are set at least that large, and what stands around a key's letter lies on the key;
a change of posture at XL sets every text again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}
SEATED = {**XL, "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}
# Sizes are set in whole pixels by Kivy.
SLACK_MM = 0.05
FAR_TEXTS = ("bar.back", "bar.help", "key.a", "key.m", "key.w")


def capitals_mm(app, widget) -> float:
    """The capital height the widget's font is set for (kiosk/core/geometry.py)."""
    from kiosk.core.geometry import CAP_TO_FONT_SIZE

    return app.panel.mm(widget.font_size) / CAP_TO_FONT_SIZE


def needed_mm(app, widget, seated: bool) -> float:
    from kiosk.core.tokens import needed_cap_mm
    from kiosk.settings.models import TextSize

    _x, y = widget.to_window(*widget.center)
    return needed_cap_mm(TextSize.XL, seated, app.panel.height_above_floor(y))


def city_name(app, driver):
    from screens.widgets import CityBand

    band = next(w for w in driver.walk() if isinstance(w, CityBand))
    return next(w for w in band.children if getattr(w, "text", None) == app.city_name)


def short_of_the_distance(app, driver, seated: bool) -> list[str]:
    widgets = [driver.find(role) for role in FAR_TEXTS] + [city_name(app, driver)]
    return [f"{getattr(w, 'role', '') or w.text}: {capitals_mm(app, w):.1f} mm, "
            f"{needed_mm(app, w, seated):.1f} mm asked"
            for w in widgets if capitals_mm(app, w) < needed_mm(app, w, seated) - SLACK_MM]


def open_the_search(kiosk) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap(kiosk.app.screen_view("home").ids.search)
    d.frames(5)


@pytest.mark.parametrize("seated", [
    pytest.param(False, marks=pytest.mark.kiosk(profile="totem", env=XL), id="standing"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="totem", env=SEATED), id="seated"),
])
def test_at_xl_the_farthest_texts_are_as_large_as_the_distance_asks(kiosk, seated):
    app, d = kiosk.app, kiosk.driver
    open_the_search(kiosk)
    assert short_of_the_distance(app, d, seated) == []
    # A letter's line stays inside its key, its padding around it (the ring the contrast is
    # read in lies on the key).
    from kiosk.core.tokens import KEY_PAD_MM

    key = d.find("key.m")
    assert key.texture_size[1] <= key.height - 2 * app.mm(KEY_PAD_MM) + 1


@pytest.mark.kiosk(profile="totem", env=XL)
def test_at_xl_a_change_of_posture_sets_every_text_again(kiosk):
    from kiosk.core.intents import SetAccessibility

    app, d = kiosk.app, kiosk.driver
    open_the_search(kiosk)
    standing = d.find("bar.help").font_size
    app.send(SetAccessibility(seated_layout=True))
    d.frames(5)
    # Seated, the farthest text is the city's name at the top of the panel, nearer the eye
    # than the standing footer: every text is set again for it, none short of it.
    assert d.find("bar.help").font_size < standing
    assert short_of_the_distance(app, d, True) == []
