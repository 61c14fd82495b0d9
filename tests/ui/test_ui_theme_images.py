"""The kiosk draws its own buttons and text fields. Kivy's theme atlas (a 512 × 512 texture of
images for widgets the kiosk does not use, 1.6 MiB resident) must never be loaded: Kivy loads
it when a Button or a TextInput is built with its default background images, even when a kv
rule sets them empty right after."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

# kivy/core/image/__init__.py: "atlas://data/images/defaulttheme/<image>" is cached under
# the atlas's own name in the "kv.atlas" category.
THEME_ATLAS = "data/images/defaulttheme"


def test_no_screen_loads_kivys_theme_atlas(kiosk):
    from kivy.cache import Cache

    from kiosk.shell.screen_registry import all_screens

    app, driver = kiosk.app, kiosk.driver
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    for name in all_screens():
        app.screen_view(name)
        app._manager.current = name
        driver.frames(2)
        assert Cache.get("kv.atlas", THEME_ATLAS) is None, f"{name} loaded it"
