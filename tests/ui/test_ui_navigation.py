"""Moving through the screens that exist, by touch and by keyboard alone, in the real window;
language changes on any screen keep what was entered; the out-of-order guard."""

from __future__ import annotations

import pytest
from ui_support import tab_to

pytestmark = pytest.mark.ui


def test_touch_walk_through_every_screen(kiosk):
    d = kiosk.driver
    assert kiosk.screen == "attract"
    d.tap("attract.start")
    d.wait_for_screen("home")
    assert d.find("bar.back").disabled, "Back has nowhere to go on the first screen"
    d.tap("home.entry.help")
    d.wait_for_screen("help")
    assert not d.find("bar.back").disabled
    assert any("120" in t for t in d.texts()), "help must state the inactivity time (WCAG 2.2.6)"
    d.tap("bar.back")
    d.wait_for_screen("home")
    d.tap("bar.help")
    d.wait_for_screen("help")
    d.tap("bar.start_again")
    d.wait_for_screen("home")
    d.tap("home.done")
    d.wait_for_screen("attract")


def test_keyboard_alone_from_attract_to_help_and_back(kiosk):
    d = kiosk.driver
    assert d.focused() is None
    d.key("tab")
    assert d.focused() is d.find("attract.start")
    d.key("enter")
    d.wait_for_screen("home")
    home = kiosk.app.screen_view("home")
    assert d.focused() == home.ids.search_box, "keyboard users start on the search"
    d.type_text("aide")  # a letter typed there opens the search, in its field
    assert d.focused() == home.ids.search and home.ids.search.text == "aide"
    visible_roles = {getattr(w, "role", None) for w in d.walk()}
    assert "home.entry.help" in visible_roles
    tab_to(d, "home.entry.help")
    d.key("spacebar")
    d.wait_for_screen("help")
    d.key("escape")
    d.wait_for_screen("home")
    assert kiosk.app.screen_view("home").ids.search.text == "aide"
    tab_to(d, "home.done")
    d.key("enter")
    d.wait_for_screen("attract")


def test_search_filters_entries_and_survives_a_language_change(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    search = kiosk.app.screen_view("home").ids.search
    d.tap(search)
    d.type_text("xylophone")
    roles = {getattr(w, "role", None) for w in d.walk()}
    assert "home.entry.help" not in roles
    assert any("Rien ne correspond" in t for t in d.texts())
    d.tap("bar.language")
    assert kiosk.app.lang == "en"
    assert search.text == "xylophone"
    assert any("Nothing matches" in t for t in d.texts())
    d.tap("bar.start_again")
    assert search.text == ""
    assert kiosk.app.lang == "en", "Start again keeps the language the person chose"
    assert "home.entry.help" in {getattr(w, "role", None) for w in d.walk()}


def test_buttons_act_on_release_inside_only(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    entry = d.find("home.entry.help")
    start = entry.to_window(*entry.center)
    d.slide(start, (start[0], start[1] + 3 * entry.height))
    assert kiosk.screen == "home", "a finger that slid off the button must not press it"
    d.tap(entry)
    d.wait_for_screen("help")


@pytest.mark.kiosk(env={"KIOSK__DEVICES__PRINTER__REQUIRED": "true"})
def test_required_device_failure_shows_out_of_order_and_the_session_resumes(kiosk):
    from devices.sim_control import set_sim_state

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap(kiosk.app.screen_view("home").ids.search)
    d.type_text("aide")
    set_sim_state(kiosk.settings.data_dir, "printer", state="paper-out")
    kiosk.app.poll_devices_now()
    d.wait_for_screen("out_of_order")
    assert any(kiosk.settings.station.id in t for t in d.texts())
    assert not any(getattr(w, "role", None) for w in d.walk()), "nothing to press when out of order"
    set_sim_state(kiosk.settings.data_dir, "printer", state="online")
    kiosk.app.poll_devices_now()
    d.wait_for_screen("home")
    assert kiosk.app.screen_view("home").ids.search.text == "aide"


def test_optional_device_failure_keeps_the_station_in_service(kiosk):
    from devices.sim_control import set_sim_state

    assert not kiosk.settings.devices.printer.required
    set_sim_state(kiosk.settings.data_dir, "printer", state="jam")
    kiosk.app.poll_devices_now()
    d = kiosk.driver
    d.wait_until(lambda: not kiosk.app.core.state.health(_printer()).ready, 5, "the jam seen")
    d.frames(3)
    assert kiosk.screen == "attract"


def _printer():
    from kiosk.core.devices import DeviceKind

    return DeviceKind.PRINTER


@pytest.mark.kiosk(profile="desk")
def test_desk_profile_window_matches_its_panel(kiosk):
    from kivy.core.window import Window

    assert kiosk.settings.profile.value == "desk"
    assert tuple(Window.size) == (1920, 1080)
    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")
    bar = kiosk.driver.find("bar.back").parent
    panel = kiosk.app.panel
    assert 900 <= panel.height_above_floor(bar.y) <= 1300


def test_easy_to_read_french_is_one_more_tap_of_the_language_button(kiosk, tmp_path):
    from ui_support import out_of_body

    from kiosk.core.i18n import translate

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    for digit in "104":
        d.tap(f"key.{digit}")
    d.tap("bar.language")
    d.tap("bar.language")
    assert kiosk.app.lang == "fr_FALC"
    shown = d.texts()
    instructions = translate("tracking.instructions", "fr_FALC")
    assert instructions != translate("tracking.instructions", "fr")
    # The instructions are the reading zone's explanation, with the expected form below them.
    assert any(instructions in text for text in shown), "the easy-to-read instructions"
    assert "104" in shown, "the typed digits stay"
    assert d.find("bar.language").text == "Français", "the next language, named in itself"
    assert out_of_body(kiosk) == []
    d.screenshot(tmp_path / "tracking-falc.png")
    d.tap("bar.language")
    assert kiosk.app.lang == "fr"


def test_a_field_scrolls_to_keep_its_cursor_in_view(kiosk):
    """Typing past the end of a one-line field scrolls it so that the cursor stays visible, in
    each field on its own (each text field has its own viewport trigger)."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    search = kiosk.app.screen_view("home").ids.search
    d.tap(search)
    d.type_text("bibliothèque " * 12)
    d.frames(3)
    cursor_x = search.cursor_pos[0]
    assert search.scroll_x > 0, "the field did not scroll with the text"
    assert search.x <= cursor_x <= search.right, "the cursor left the field"


def test_a_switch_is_over_before_the_next_frame(kiosk):
    """The screen left is out of the window when the tap's call returns: the frame after a
    tap draws the new screen alone, not the new one over the old (docs/performance.md)."""
    from kiosk.core.intents import Open

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    home = kiosk.app.screen_view("home")
    left: list[bool] = []
    home.bind(on_leave=lambda *_args: left.append(True))
    kiosk.app.send(Open("help"))
    shown = kiosk.app.screen_view("help")
    assert shown.parent is not None and home.parent is None, "the screen left is still drawn"
    assert shown.parent.children == [shown]
    assert left == [True], "the screen left has had its on_leave"
