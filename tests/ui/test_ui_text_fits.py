"""Every screen's title and masthead fit the box the layout gives them, on the totem and the
desk, at the smallest and the largest text size, and with the longest texts in the seated
layout. Their texture holds the text only (BoxedText in screens/widgets.py), so a title too
long for its box would show over its neighbours: before, Kivy dropped the lines that did not
fit without a word."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

SIZES = [
    pytest.param(profile, size, "fr", marks=pytest.mark.kiosk(
        profile=profile, env={"KIOSK__ACCESSIBILITY__TEXT_SIZE": f'"{size}"'}),
        id=f"{profile}-{size}")
    for profile in ("totem", "desk") for size in ("S", "XL")
] + [
    # The longest texts (easy-to-read French) in the seated layout's lower, shorter bands.
    pytest.param("totem", "XL", "fr_FALC", marks=pytest.mark.kiosk(profile="totem", env={
        "KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"', "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true",
        "KIOSK__LANGUAGES__AVAILABLE": '["fr", "en", "fr_FALC"]',
        "KIOSK__LANGUAGES__DEFAULT": '"fr_FALC"'}), id="totem-XL-seated-FALC"),
]


@pytest.mark.parametrize(("profile", "size", "language"), SIZES)
def test_titles_fit_their_box_on_every_screen(kiosk, profile, size, language):
    from kiosk.shell.screen_registry import all_screens
    from screens.widgets import BoxedText

    app, driver = kiosk.app, kiosk.driver
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    assert (app.lang, app.text_size) == (language, size)
    checked, overflowing = 0, []
    for name in all_screens():
        view = app.screen_view(name)
        app._manager.current = name
        driver.frames(3)
        for widget in view.walk(restrict=True):
            if not isinstance(widget, BoxedText) or not widget.text or widget.opacity == 0:
                continue
            checked += 1
            if widget.texture_size[1] > widget.height + 1:
                overflowing.append(f"{name}: {widget.text[:40]!r} needs "
                                   f"{widget.texture_size[1]} px, has {widget.height:.0f}")
    assert checked >= len(all_screens()) // 2, "titles were not found on the screens"
    assert overflowing == [], "\n".join(overflowing)
