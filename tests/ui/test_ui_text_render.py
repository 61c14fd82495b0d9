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
