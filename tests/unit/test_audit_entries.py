"""The ways to the person's own settings are on every screen (kiosk/audit/entry_checks.py,
docs/accessibility.md A2)."""

from __future__ import annotations

from dataclasses import replace

from audit_scenes import WINDOW, box_mm, button

from kiosk.audit.entry_checks import accessibility_entries
from kiosk.audit.findings import Check
from kiosk.audit.scene import Scene


def bar(*roles: str) -> tuple:
    return tuple(button(i, box_mm(10 + 60 * i, 950, 55, 26), role=role)
                 for i, role in enumerate(roles))


def on(screen: str, *nodes) -> Scene:
    return Scene(screen, WINDOW, nodes)


def test_a_screen_with_the_whole_bar_passes():
    assert accessibility_entries(on("home", *bar("bar.back", "bar.accessibility",
                                                 "bar.help"))) == []


def test_a_bar_without_the_accessibility_button_is_caught():
    found = accessibility_entries(on("home", *bar("bar.back", "bar.help")))
    assert [(f.check, f.requirement, f.where) for f in found] == [
        (Check.ENTRY, "A2", "bar.accessibility")]


def test_a_disabled_accessibility_button_counts_as_missing():
    back, access, help_ = bar("bar.back", "bar.accessibility", "bar.help")
    found = accessibility_entries(on("home", back, replace(access, disabled=True), help_))
    assert [f.where for f in found] == ["bar.accessibility"]


def test_the_attract_screen_needs_the_seated_and_speech_starts():
    start = button(0, box_mm(10, 950, 100, 26), role="attract.start")
    assert [f.where for f in accessibility_entries(on("attract", start))] == [
        "attract.seated", "attract.speech"]
    assert accessibility_entries(on("attract", *bar(
        "attract.start", "attract.seated", "attract.speech"))) == []


def test_a_screen_without_the_bar_asks_nothing():
    assert accessibility_entries(on("out_of_order", button(0, box_mm(10, 950, 100, 26)))) == []
