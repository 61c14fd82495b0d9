"""What a screen's build makes, in the real window (docs/performance.md, "A screen's build"):
the bar's five buttons and the city's band are the window's, held by the bar and the masthead
of the screen on display and by no other; the reading zone's notes ("One moment…", what went
wrong) and the facilitator's banner are built only once there is something to say, and then
show as before; a word's width, measured once, is the width rendered."""

from __future__ import annotations

import pytest
from ui_support import open_tracking

pytestmark = pytest.mark.ui

BAR_ROLES = ["bar.back", "bar.start_again", "bar.language", "bar.accessibility", "bar.help"]


def bar_of(screen):
    from screens.widgets import Bar

    return next(w for w in screen.walk(restrict=True) if isinstance(w, Bar))


def masthead_of(screen):
    from screens.widgets import Masthead

    return next(w for w in screen.walk(restrict=True) if isinstance(w, Masthead))


def test_a_screen_built_ahead_holds_no_bar_buttons_and_no_empty_notes(kiosk):
    from screens.widgets import ReadingZone, ZoneNote

    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    home = app.screen_view("home")
    assert [b.role for b in reversed(bar_of(home).children)] == BAR_ROLES
    assert len(masthead_of(home).children) == 1
    built = app.screen_view("tracking_entry")  # built, not on display
    assert bar_of(built).children == []
    assert masthead_of(built).children == []
    zone = next(w for w in built.walk(restrict=True) if isinstance(w, ReadingZone))
    assert not any(isinstance(w, ZoneNote) for w in zone.children)
    banner = next(w for w in built.walk(restrict=True) if type(w).__name__ == "AssistBanner")
    assert banner.children == []


def test_the_bar_and_the_band_go_with_the_screen_on_display_and_follow_the_app(kiosk):
    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    buttons = [d.find(role) for role in BAR_ROLES]
    band = masthead_of(app.screen_view("home")).children[0]
    assert d.find("bar.back").disabled
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    assert [d.find(role) for role in BAR_ROLES] == buttons, "the same five buttons"
    assert masthead_of(app.screen_view("tracking_entry")).children == [band]
    assert bar_of(app.screen_view("home")).children == [], "home let go of them"
    assert masthead_of(app.screen_view("home")).children == []
    assert not d.find("bar.back").disabled
    before = d.find("bar.help").text
    d.tap("bar.language")
    d.frames(3)
    assert d.find("bar.help").text != before, "the bar speaks the new language"
    d.tap("bar.back")
    d.wait_for_screen("home")
    assert [d.find(role) for role in BAR_ROLES] == buttons
    assert bar_of(app.screen_view("tracking_entry")).children == []


def test_what_went_wrong_shows_under_the_question(kiosk):
    from screens.widgets import ReadingZone, ZoneNote

    app, d = kiosk.app, kiosk.driver
    open_tracking(kiosk)
    for digit in "999999":
        d.tap(f"key.{digit}")
    d.tap("tracking.search")
    d.wait_until(lambda: not app.core.state.flow.busy, 15, "the central's answer")
    d.frames(3)
    assert app.core.state.flow.problem == "tracking.unknown_number"
    zone = next(w for w in app.screen_view("tracking_entry").walk(restrict=True)
                if isinstance(w, ReadingZone))
    notes = [w for w in zone.children if isinstance(w, ZoneNote) and w.text]
    assert len(notes) == 1
    note = notes[0]
    assert note.text == zone.problem and note.opacity == 1
    assert note.height > 0 and note.ids.words.texture_size[1] > 0
    assert note.icon == "error" and note.tone == "error"
    # Inside the zone, below the question.
    assert zone.y - 1 <= note.y and note.top <= zone.ids.question.y + 1


def test_a_width_measured_once_is_the_width_rendered(kiosk):
    from kivy.core.text import Label as CoreLabel

    from screens.measure import text_width

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    button = d.find("bar.help")
    for _ in range(2):  # measured, then from the cache
        width = text_width(button.text, button.font_size, button.font_name, True)
        label = CoreLabel(text=button.text, font_size=button.font_size,
                          font_name=button.font_name, bold=True)
        label.refresh()
        assert width == label.content_width > 0


def test_turning_the_keyboards_page_builds_no_key(kiosk):
    from screens.keyboard import KeyButton, shared_keyboard

    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.search.open")
    d.frames(3)
    keyboard = shared_keyboard(False)
    letters = keyboard.keys()
    built = {id(key) for key in letters}
    assert d.find("key.a") in letters
    d.tap("key.123")
    d.frames(3)
    signs = keyboard.keys()
    assert {id(key) for key in signs} <= built, "the signs are the letters' keys"
    assert signs[-1] is letters[-1] and signs[-1].value == "OK"
    d.tap("key.7")
    d.tap("key.abc")
    d.frames(3)
    assert keyboard.keys() == letters, "the same keys back, in the same places"
    d.tap("key.b")
    assert app.screen_view("home").ids.search.text == "7b"
    assert sum(isinstance(w, KeyButton) for w in d.walk()) == len(letters)
