"""The audit catches what it is there to catch, in the real window: on the standing totem's home
screen a test plants an overlap, a clipped label, a button too small, a control out of reach
and a low-contrast title, and each one is found by the checks `kiosk audit` runs, through the
same description of the widget tree and the same pixels (kiosk/audit/capture.py). Taken away,
the screen is back to what the audit found before."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def audit_screen(kiosk):
    """What `kiosk audit` finds on the screen on display, as (check, where) pairs and messages."""
    from kiosk.audit.capture import CapRuler, describe
    from kiosk.audit.checks import scene_findings
    from kiosk.audit.scene import Conditions
    from kiosk.core.geometry import Panel

    kiosk.driver.frames(3)
    scene = describe(kiosk.app, CapRuler())
    settings = kiosk.settings
    conditions = Conditions(settings.profile.value, settings.accessibility.seated_layout,
                            settings.accessibility.text_size, settings.accessibility.theme,
                            kiosk.app.lang)
    found = scene_findings(scene, kiosk.driver.pixels(), Panel(settings.panel), conditions)
    return {(f.check.value, f.where) for f in found}, [f.message for f in found]


def test_each_planted_defect_is_caught_and_only_while_it_is_there(kiosk):
    from kivy.uix.label import Label

    from screens.widgets import KioskButton

    app, driver, panel = kiosk.app, kiosk.driver, kiosk.app.panel
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    before, _ = audit_screen(kiosk)

    home = app.screen_view("home")
    floor = home.children[0]  # the screen's FloatLayout
    bar_help = driver.find("bar.help")
    x, y = bar_help.to_window(bar_help.x, bar_help.y)
    planted = [
        # over the bar's Help button, 10 mm off
        KioskButton(role="planted.overlap", text="Par-dessus", size_hint=(None, None),
                    size=bar_help.size, pos=(x - panel.px(10), y + panel.px(10))),
        # a label whose one line is wider than its box
        Label(text="Une étiquette beaucoup trop longue pour sa boîte", size_hint=(None, None),
              size=(panel.px(40), panel.px(12)), pos=(panel.px(20), panel.y_at_height(1620)),
              color=(0, 0, 0, 1)),
        # one word wider than the line it wraps at, shortened to an ellipsis on its line
        Label(text="Anticonstitutionnellement", size_hint=(None, None), shorten=True,
              size=(panel.px(60), panel.px(14)), text_size=(panel.px(60), None),
              pos=(panel.px(20), panel.y_at_height(1560)), color=(0, 0, 0, 1)),
        # 12 mm wide: under the 20 mm target
        KioskButton(role="planted.small", text="P", size_hint=(None, None),
                    width=panel.px(12), pos=(panel.px(300), panel.y_at_height(1150))),
        # at 1450 mm: above the standing band's 1300 mm
        KioskButton(role="planted.high", text="Trop haut", size_hint=(None, None),
                    width=panel.px(200), pos=(panel.px(20), panel.y_at_height(1450))),
    ]
    for widget in planted:
        floor.add_widget(widget)
    title = home.ids.reading.ids.question  # the question of the reading zone
    title_colour = title.color
    title.color = (0.90, 0.90, 0.88, 1)  # on #F4F4F0: about 1.2:1
    found, messages = audit_screen(kiosk)
    title_name = f"“{title.text}”"
    caught = found - before
    assert ("overlap", "planted.overlap / bar.help") in caught or (
        "overlap", "bar.help / planted.overlap") in caught, messages
    assert ("clipped", "“Une étiquette beaucoup trop longue pour …”") in caught, messages
    assert ("clipped", "“Anticonstitutionnellement”") in caught, messages
    assert any(m.startswith("a word of “Anticonstitutionnellement” is ") for m in messages)
    assert ("target", "planted.small") in caught, messages
    assert ("reach", "planted.high") in caught, messages
    assert ("contrast", title_name) in caught, messages
    assert any(m.startswith("planted.small is 12.0 × ") for m in messages)
    assert any("planted.high spans 1450–" in m and "900–1300 mm" in m for m in messages)
    assert any(m.startswith(f"{title_name} reads 1.") for m in messages)

    for widget in planted:
        floor.remove_widget(widget)
    title.color = title_colour
    after, _ = audit_screen(kiosk)
    assert after == before
