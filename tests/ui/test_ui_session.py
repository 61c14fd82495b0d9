"""The citizen session in the real window: the inactivity warning, its extensions, and what
is left once the session has ended (docs/accessibility.md E1–E6; docs/architecture.md rule 4)."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import weakref

import pytest

pytestmark = pytest.mark.ui

SECRET = "Zorglub4711"


def walk_everything(app):
    """Every widget of every built screen (shown or not) and of the overlay."""
    views = [*app._screens.values(), app._overlay, app.root]
    for view in views:
        if view is not None:
            yield from view.walk(restrict=True)


def strings_held(widget):
    """Every string a widget holds in a property or a TextInput's internal buffers."""
    found = []
    for name in widget.properties():
        value = getattr(widget, name, None)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(str(v) for v in value)
    for internal in ("_lines", "_undo", "_redo", "_lines_flags"):
        value = getattr(widget, internal, None)
        if value:
            found.append(repr(value))
    return found


def start_session(kiosk):
    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")


def test_warning_after_idle_time_stays_45_s_and_extends_11_times(kiosk):
    start_session(kiosk)
    idle_s = kiosk.settings.session.idle_s
    warning_s = kiosk.settings.session.warning_s
    assert warning_s >= 20

    kiosk.idle(idle_s - 1)
    assert not kiosk.app.overlay_open, "the warning came before the configured idle time"
    kiosk.idle(1)
    assert kiosk.app.overlay_open, "no warning after the configured idle time"
    continue_button = kiosk.driver.find("idle.continue")
    assert continue_button.focus, "Continue must have the focus so that Enter answers"

    # It stays at least 20 s (here its configured 45 s), counting down.
    kiosk.idle(warning_s - 1)
    assert kiosk.app.overlay_open
    assert kiosk.app.core.state.warning_remaining_s == 1
    assert kiosk.screen == "home"

    # Eleven extensions in a row, by touch, Enter and Space in turn.
    answers = ["tap", "enter", "spacebar"]
    for round_ in range(11):
        how = answers[round_ % 3]
        if how == "tap":
            kiosk.driver.tap("idle.continue")
        else:
            kiosk.driver.key(how)
        kiosk.driver.frames(2)
        assert not kiosk.app.overlay_open, f"extension {round_ + 1} ({how}) did not work"
        assert kiosk.app.core.state.session is not None
        kiosk.idle(idle_s)
        assert kiosk.app.overlay_open, f"no warning after extension {round_ + 1}"
    assert kiosk.screen == "home"


def test_a_touch_elsewhere_does_not_answer_the_warning(kiosk):
    start_session(kiosk)
    kiosk.idle(kiosk.settings.session.idle_s)
    assert kiosk.app.overlay_open
    kiosk.driver.touch_at(5, kiosk.app.root_height - 5)  # a corner, far from Continue
    kiosk.idle(0)
    assert kiosk.app.overlay_open
    kiosk.idle(kiosk.settings.session.warning_s)
    assert kiosk.screen == "attract"


def test_at_expiry_nothing_of_the_session_remains(kiosk):
    start_session(kiosk)
    driver = kiosk.driver
    driver.tap("home.language.en")
    assert kiosk.app.lang == "en"
    driver.tap(kiosk.app.screen_view("home").ids.search)
    driver.type_text(SECRET)
    field = kiosk.app.screen_view("home").ids.search
    assert field.text == SECRET, "typing did not reach the search field"
    assert any(SECRET in s for w in walk_everything(kiosk.app) for s in strings_held(w))
    # The language change kept what was typed; going to Help and back keeps it too.
    driver.tap("bar.help")
    driver.wait_for_screen("help")
    driver.key("escape")
    driver.wait_for_screen("home")
    assert field.text == SECRET

    session_ref = weakref.ref(kiosk.app.core.state.session)
    kiosk.idle(kiosk.settings.session.idle_s)
    assert kiosk.app.overlay_open
    kiosk.idle(kiosk.settings.session.warning_s)
    driver.wait_for_screen("attract")
    driver.frames(3)
    gc.collect()

    held_by = gc.get_referrers(session_ref()) if session_ref() is not None else []
    assert session_ref() is None, f"the session is still referenced by {held_by}"
    leftovers = [
        (type(w).__name__, s) for w in walk_everything(kiosk.app)
        for s in strings_held(w) if SECRET in s
    ]
    assert leftovers == []
    assert kiosk.app.lang == kiosk.settings.languages.default
    assert kiosk.app.core.state.language == "fr"
    assert kiosk.app.core.state.accessibility == kiosk.settings.accessibility
    # A new session starts clean.
    start_session(kiosk)
    assert kiosk.app.screen_view("home").ids.search.text == ""


def x_selection() -> str:
    """What the X server's PRIMARY selection holds (the text a middle click pastes), read with
    xclip, the tool Kivy writes a text field's selection there with when it is installed."""
    if shutil.which("xclip") is None:
        pytest.fail("xclip is missing: provisioning/setup-dev.sh --test installs it")
    result = subprocess.run(["xclip", "-out", "-selection", "primary"], capture_output=True,
                            text=True, timeout=10)
    return result.stdout


def test_no_clipboard_carries_text_to_the_next_person(kiosk):
    """A desk has a keyboard and a mouse: selecting, Ctrl+X and Ctrl+V must not hand one
    person's text to the X selection or to the next session (docs/architecture.md rule 4)."""
    assert os.environ.get("DISPLAY"), "this test reads the X server's selection"
    start_session(kiosk)
    driver = kiosk.driver
    field = kiosk.app.screen_view("home").ids.search
    driver.tap(field)
    driver.type_text(SECRET)
    driver.key("a", ("ctrl",))
    assert field.selection_text == SECRET, "Ctrl+A did not select the text"
    driver.key("x", ("ctrl",))
    driver.key("c", ("ctrl",))
    driver.frames(3)
    assert SECRET not in x_selection()

    # Enter closes the search ("I have finished" gives the keyboard its room while it is
    # open), then the person finishes.
    driver.key("enter")
    driver.frames(2)
    driver.tap("home.done")
    driver.wait_for_screen("attract")
    start_session(kiosk)
    field = kiosk.app.screen_view("home").ids.search
    driver.tap(field)
    driver.key("v", ("ctrl",))
    driver.frames(2)
    assert field.text == ""


def test_finishing_ends_the_session_at_once(kiosk):
    start_session(kiosk)
    kiosk.driver.tap("home.language.en")
    session_ref = weakref.ref(kiosk.app.core.state.session)
    kiosk.driver.tap("home.done")
    kiosk.driver.wait_for_screen("attract")
    gc.collect()
    assert session_ref() is None
    assert kiosk.app.lang == "fr"


def test_the_screens_of_a_session_are_dropped_when_it_ends(kiosk):
    """Every screen a session built is freed once it ends, whatever it bound itself to (a
    closure or a clock event left behind would keep it, and its texts, alive): an idle kiosk
    holds only the screens it shows with no session."""
    from kiosk.shell.app import RESIDENT_SCREENS
    from kiosk.shell.screen_registry import all_screens

    start_session(kiosk)
    app, driver = kiosk.app, kiosk.driver
    # A typing screen takes the shared keyboard: dropping it must give the keyboard back.
    driver.tap("home.entry.tracking")
    driver.wait_for_screen("tracking_entry")
    driver.pump(0.5)
    assert "tracking_result" in set(app._screens), \
        "the flow's next screen is not built while the visitor reads the first"
    for digit in "123":
        driver.tap(f"key.{digit}")
    session_screens = {name: weakref.ref(app.screen_view(name))
                       for name in all_screens() if name not in RESIDENT_SCREENS}
    driver.frames(2)
    driver.tap("bar.start_again")
    driver.wait_for_screen("home")
    driver.tap("home.done")
    driver.wait_for_screen("attract")
    assert not set(app._screens) - RESIDENT_SCREENS, "a session's screen is still held"
    # Kivy's screen manager keeps the last screen it switched away from until its next switch,
    # and a ScrollView's scroll bar fades out in an Animation that holds it for about 1 s.
    start_session(kiosk)
    driver.pump(1.5)
    gc.collect()
    alive = sorted(name for name, ref in session_screens.items() if ref() is not None)
    assert alive == [], f"screens still alive after the session: {alive}"
    # The next session builds them again and they work: the tracking form takes digits.
    driver.tap("home.entry.tracking")
    driver.wait_for_screen("tracking_entry")
    for digit in "42":
        driver.tap(f"key.{digit}")
    assert app.screen_view("tracking_entry").ids.number.text.replace(" ", "") == "42"


def test_a_session_ended_on_a_flow_screen_leaves_it_behind_nowhere(kiosk):
    """A session that expires on one of its own screens: that screen, with what the visitor
    typed, is freed before anybody else comes, not kept until the next switch of screens
    (Kivy's transition holds the screen it switched away from)."""
    start_session(kiosk)
    driver = kiosk.driver
    driver.tap("home.entry.tracking")
    driver.wait_for_screen("tracking_entry")
    for digit in "987":
        driver.tap(f"key.{digit}")
    screen_ref = weakref.ref(kiosk.app.screen_view("tracking_entry"))
    kiosk.idle(kiosk.settings.session.idle_s)
    kiosk.idle(kiosk.settings.session.warning_s)
    driver.wait_for_screen("attract")
    # A ScrollView's scroll bar fades out in an Animation that holds its screen for about 1 s.
    driver.pump(1.5)
    gc.collect()
    held_by = [type(r).__name__ for r in gc.get_referrers(screen_ref())] if screen_ref() else []
    assert screen_ref() is None, f"the session's last screen is still held by {held_by}"


def test_a_session_open_while_the_screens_are_prepared_is_still_forgotten(kiosk):
    """The objects standing once the screens are prepared are frozen out of the garbage
    collector, but never a session's: the screens of a visitor who started in the first moments
    after start are freed like any other session's."""
    start_session(kiosk)
    driver = kiosk.driver
    driver.tap("home.entry.tracking")
    driver.wait_for_screen("tracking_entry")
    screen_ref = weakref.ref(kiosk.app.screen_view("tracking_entry"))
    kiosk.app.prepare_screens()
    driver.tap("bar.start_again")
    driver.wait_for_screen("home")
    driver.tap("home.done")
    driver.wait_for_screen("attract")
    start_session(kiosk)  # the screen manager lets go of the last screen at its next switch
    driver.pump(1.5)
    gc.collect()
    assert screen_ref() is None, "a screen of the session was frozen with the app's objects"


def test_a_session_loads_what_it_may_need_while_the_visitor_reads_home(kiosk):
    """Pillow, qrcode and Babel are not loaded at start (tests/integration/
    test_start_imports.py): the first session loads them while the visitor reads the home
    screen, before any step can draw a code, print or write a date."""
    import sys

    modules = kiosk.app._session_modules
    kiosk.driver.pump(1.0)
    assert not modules._started, "loaded with no session"
    start_session(kiosk)
    kiosk.driver.pump(1.5)
    assert modules.loaded
    assert {"PIL.Image", "qrcode", "kiosk.receipts", "babel.dates"} <= set(sys.modules)


@pytest.mark.kiosk(env={"KIOSK__DEVICES__PRINTER__REQUIRED": "true"})
def test_an_idle_station_holds_the_attract_and_home_screens_and_builds_out_of_order_when_needed(
        kiosk):
    """Most stations never show the out-of-order screen: it is built when a device first fails
    (docs/performance.md, "What an idle station holds")."""
    from devices.sim_control import set_sim_state

    app, driver = kiosk.app, kiosk.driver
    app.prepare_screens()
    driver.pump(1.0)
    assert set(app._screens) == {"attract", "home"}
    set_sim_state(kiosk.settings.data_dir, "printer", state="paper-out")
    app.poll_devices_now()
    driver.wait_for_screen("out_of_order")
    assert any(kiosk.settings.station.id in t for t in driver.texts())
    set_sim_state(kiosk.settings.data_dir, "printer", state="online")
    app.poll_devices_now()
    driver.wait_for_screen("attract")
