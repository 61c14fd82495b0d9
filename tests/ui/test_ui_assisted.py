"""Staff badges at the station and the assisted desk, on real components (docs/assisted-mode.md):
pcscd with vsmartcard's vpcd reader and the project's badge emulator on it, the PC/SC driver,
the station's real window, and `kiosk agent`, the facilitator's console, in its own process and
window on the same X server, clicked and typed into with real X events (xdotool).

Each test forks (one Kivy window per process); the console is the forked test's child."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from agent_console import start_console, type_at
from pcsc_daemons import badge_on_reader

from kiosk.badges.enrol import Enrolment, enrol
from kiosk.core.assist import CheckStatus, StaffPhase
from kiosk.core.badge_auth import PinError
from kiosk.core.badges import Role
from kiosk.shell.agent_wire import socket_path

FACILITATOR_UID = "04A1B2C3D4E5F6"
FACILITATOR_KEY = bytes.fromhex(
    "6b0d3f5e8a1c4b7d9e2f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5")
TECHNICIAN_UID = "04C0FFEE123456"
TECHNICIAN_KEY = bytes.fromhex(
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0")
PIN = "4826"
NOTE = "Mme Durand, a rappeler lundi"
TECHNICIAN_PIN = "1357"
SEEN_WITHIN_S = 5.0
"""issue: after pcscd is killed and restarted, the next badge is seen within 5 s."""

STAFF_ENV = {
    "KIOSK__DEVICES__CARD_READER__DRIVER": '"pcsc"',
    "KIOSK__DEVICES__CARD_READER__READER": '"Virtual PCD"',
    "KIOSK__BADGES__FILE": '"{tmp}/badges.json"',
    # The console's window below the public one, on the tests' 2000 × 2000 X screen.
    "KIOSK__CONSOLE__LEFT_PX": "0", "KIOSK__CONSOLE__TOP_PX": "1080",
    "KIOSK__CONSOLE__HEIGHT_PX": "900",
}
ASSISTED = pytest.mark.kiosk(profile="desk-assisted", env=STAFF_ENV)


@pytest.fixture
def badges(tmp_path):
    """A facilitator's badge and a technician's, enrolled in the station's badge file (made
    before the station starts, which reads it)."""
    path = tmp_path / "badges.json"
    enrol(path, Enrolment("F-0012", Role.FACILITATOR, PIN, FACILITATOR_KEY,
                          uid=FACILITATOR_UID))
    enrol(path, Enrolment("T-0003", Role.TECHNICIAN, TECHNICIAN_PIN, TECHNICIAN_KEY,
                          uid=TECHNICIAN_UID))
    return path


def facilitator_badge(pcscd, key: bytes = FACILITATOR_KEY):
    return badge_on_reader(pcscd, FACILITATOR_UID, "--key", key.hex())


def type_pin(driver, pin: str) -> None:
    for digit in pin:
        driver.tap(f"pin.key.{digit}")
    driver.tap("pin.enter")


def staff(kiosk):
    return kiosk.app.core.state.assist.staff


def assisted(kiosk):
    return kiosk.app.core.state.assist.assisted


def visitor_in_tracking(kiosk) -> str:
    driver = kiosk.driver
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    driver.tap("home.entry.tracking")
    driver.wait_for_screen("tracking_entry")
    return kiosk.app.core.state.session.id


def sign_in(kiosk) -> None:
    """The badge on the reader is asked its PIN, and gets the right one."""
    driver = kiosk.driver
    driver.wait_for_screen("staff_pin", 10)
    type_pin(driver, PIN)
    driver.wait_until(lambda: assisted(kiosk) is not None, 10, "the assisted session")


# -- the assisted session, both windows -------------------------------------------------------


@pytest.mark.ui
@ASSISTED
def test_badge_and_pin_open_the_console_which_shows_and_drives_the_visitors_step(
        badges, pcscd, kiosk, tmp_path):
    driver = kiosk.driver
    session = visitor_in_tracking(kiosk)
    console = start_console(socket_path(kiosk.settings), tmp_path / "console.json")
    try:
        driver.wait_until(console.shows(lambda s: s["screen"] == "agent_locked"), 60,
                          "the console's window, locked")
        shown = console.shown()
        assert shown["visitor_screen"] is None
        assert not [r for r in shown["roles"] if r.startswith("visitor.")]
        driver.pump(1.0)  # the console has set the keyboard's focus by now
        with facilitator_badge(pcscd):
            driver.wait_for_screen("staff_pin", 10)
            # Both keyboards drive the desk: with the console's window up, keys typed with the
            # pointer over the public screen (where its PIN screen has nothing) go there.
            type_at(960, 1040, PIN, enter=True)
            with_x_input(driver, lambda: assisted(kiosk) is not None, 10, "the PIN typed")
            driver.wait_for_screen("tracking_entry")
            assert "Un médiateur vous aide (badge F-0012). Vous pouvez toujours utiliser " \
                   "l’écran." in driver.texts()
            # Two Kivy processes on one X screen show the same step.
            driver.wait_until(console.shows(lambda s: s["screen"] == "agent_desk"
                                            and s["visitor_screen"] == "tracking_entry"
                                            and s["step"] == [1, 2]), 15, "the same step")
            # An action in the agent's window changes the visitor's.
            console.click("visitor.bar.back")
            driver.wait_for_screen("home", 10)
            # A touch on the visitor's window changes the agent's.
            driver.tap("home.entry.tracking")
            driver.wait_until(console.shows(lambda s: s["visitor_screen"] == "tracking_entry"),
                              10, "the console following the visitor")
            # Typing for the visitor: asked on the visitor's screen, answered there.
            console.click("agent.typing")
            driver.wait_until(lambda: "assist.consent.give" in roles(driver), 10,
                              "the question on the visitor's screen")
            driver.tap("assist.consent.give")
            driver.wait_until(console.shows(lambda s: s["consent"] == "given"), 10,
                              "the console told of the consent")
            console.click("visitor.field.0")
            console.type("104217")
            field = kiosk.app.screen_view("tracking_entry").ids.number
            driver.wait_until(lambda: field.text == "104217", 10,
                              "the facilitator's typing in the visitor's field")
            # The private note: kept for the console, never on the visitor's screen or disk.
            console.click("agent.note")
            console.type(NOTE)
            driver.wait_until(lambda: assisted(kiosk).note == NOTE, 10, "the note kept")
            assert not [t for t in driver.texts() if "rappeler" in t]
            assert not files_holding(kiosk.settings.data_dir, NOTE.encode())
            # Closing with an outcome: the desk is back to self-service, the session intact.
            console.click("agent.result.partly-done")
            console.click("agent.close")
            driver.wait_until(lambda: assisted(kiosk) is None, 10, "the session closed")
            driver.wait_until(lambda: not [t for t in driver.texts() if "médiateur" in t], 5,
                              "the banner gone")
            state = kiosk.app.core.state
            assert state.session.id == session and kiosk.screen == "tracking_entry"
            assert state.assist.stats.counts()["assisted_result.partly-done"] == 1
            assert state.assist.stats.counts()["assisted_procedure.tracking"] == 1
            assert kiosk.station.staff.assisted_use().sessions == 1  # the heartbeat's count
            driver.wait_until(console.shows(lambda s: s["screen"] == "agent_locked"
                                            and s["visitor_screen"] is None), 10,
                              "the console locked again")
    finally:
        console.stop()


def with_x_input(driver, condition, timeout: float, what: str) -> None:
    """Run the station's loop, taking in the X server's input events too (the driver feeds
    its own touches and keys, and leaves SDL's event queue alone), until `condition`."""
    from kivy.base import EventLoop
    from kivy.core.window import Window

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        Window.mainloop()  # SDL's events, as App.run's loop takes them
        EventLoop.idle()


def files_holding(folder, data: bytes) -> list[str]:
    """The files under `folder` that hold `data` (the outbox, the simulators' state...)."""
    return [str(p) for p in folder.rglob("*") if p.is_file() and data in p.read_bytes()]


def roles(driver) -> set[str]:
    """The roles of the visible, usable widgets of the visitor's window."""
    return {w.role for w in driver.walk() if getattr(w, "role", None)
            and w.opacity > 0 and not w.disabled}


@pytest.mark.ui
@ASSISTED
def test_the_agent_process_killed_leaves_the_visitor_as_they_were_and_comes_back(
        badges, pcscd, kiosk, tmp_path):
    driver = kiosk.driver
    session = visitor_in_tracking(kiosk)
    desk = kiosk.station.staff
    console = start_console(socket_path(kiosk.settings), tmp_path / "console.json")
    try:
        with facilitator_badge(pcscd):
            sign_in(kiosk)
            driver.wait_until(console.shows(lambda s: s["visitor_screen"] == "tracking_entry"),
                              60, "the console showing the visitor's step")
            before = kiosk.app.core.state
            os.kill(console.process.pid, signal.SIGKILL)
            console.process.wait(timeout=10)
            driver.wait_until(lambda: not desk.link.connected, 10, "the console gone")
            driver.pump(1.0)
            assert kiosk.app.core.state == before, "the visitor's session, as it was"
            assert kiosk.screen == "tracking_entry" and assisted(kiosk) is not None
            # The station starts a console again, since a facilitator is signed in.
            driver.wait_until(lambda: desk.link.connected, 60, "a console started again")
            assert desk.supervisor.started == 1 and desk.supervisor.pid is not None
            assert kiosk.app.core.state.session.id == session
        driver.wait_until(lambda: assisted(kiosk) is None, 10, "the badge taken off")
        assert kiosk.app.core.state.session.id == session and kiosk.screen == "tracking_entry"
        driver.wait_until(lambda: desk.supervisor.pid is None, 20,
                          "the console the station started, stopped")
    finally:
        console.stop()


# -- the PIN ----------------------------------------------------------------------------------


@pytest.mark.ui
@ASSISTED
def test_five_wrong_pins_lock_out_and_a_badge_pulled_during_the_pin_leaves_nothing(
        badges, pcscd, kiosk, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    driver = kiosk.driver
    session = visitor_in_tracking(kiosk)
    with facilitator_badge(pcscd):
        driver.wait_for_screen("staff_pin", 10)
        # Speech never says the PIN pad's keys (kiosk/shell/speech_link.py).
        from kiosk.shell.speech_link import control_of
        for role in (*(f"pin.key.{d}" for d in "0123456789"), "pin.erase", "pin.enter"):
            assert control_of(driver.find(role)).masked, role
        for attempt in range(1, 5):
            type_pin(driver, "1111")
            driver.wait_until(lambda a=attempt: staff(kiosk).attempts_left == 5 - a, 5,
                              f"wrong PIN {attempt}")
            assert staff(kiosk).error is PinError.WRONG
        type_pin(driver, "1111")
        driver.wait_until(lambda: staff(kiosk).phase is StaffPhase.LOCKED_OUT, 5, "lock-out")
        assert any("Ce badge est bloqué après 5 codes faux" in t for t in driver.texts())
        assert "pin.key.4" not in roles(driver), "nothing to type while locked out"
        for key in PIN:  # the right PIN, on the keyboard, too late
            driver.key(key)
        driver.key("enter")
        driver.pump(0.5)
        assert assisted(kiosk) is None
    driver.wait_for_screen("tracking_entry", 10)
    kiosk.clock.advance(kiosk.settings.badges.lockout_s)
    with facilitator_badge(pcscd):  # put back after the lock-out, and pulled mid-PIN
        driver.wait_for_screen("staff_pin", 10)
        assert staff(kiosk).attempts_left == 5
        driver.frames(3)
        key = driver.find("pin.key.8")
        before = key.to_window(*key.pos)
        driver.tap("pin.key.4")
        driver.wait_until(lambda: staff(kiosk).typed == 1, 5, "a digit typed")
        driver.frames(3)
        assert key.to_window(*key.pos) == before, "a dot typed moves no key under the finger"
        driver.tap("pin.key.8")
        driver.wait_until(lambda: staff(kiosk).typed == 2, 5, "two digits typed")
    driver.wait_for_screen("tracking_entry", 10)
    state = kiosk.app.core.state
    assert state.session.id == session and state.assist.assisted is None
    assert state.assist.staff.phase is StaffPhase.NONE
    with facilitator_badge(pcscd):  # nothing of the half-typed PIN is kept
        driver.wait_for_screen("staff_pin", 10)
        assert staff(kiosk).typed == 0
        for digit in PIN:  # the keyboard's digits work as the pad's
            driver.key(digit)
        driver.key("enter")
        driver.wait_until(lambda: assisted(kiosk) is not None, 10, "signed in from the keyboard")
    events = [r.getMessage() for r in caplog.records if r.name == "kiosk.events"]
    assert any(e.startswith("badge.locked_out badge=F-0012") for e in events)
    for line in events:
        assert PIN not in line and "1111" not in line and FACILITATOR_UID not in line


@pytest.mark.ui
@ASSISTED
def test_a_card_with_the_right_uid_but_not_the_key_opens_nothing(badges, pcscd, kiosk, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    driver = kiosk.driver
    session = visitor_in_tracking(kiosk)
    with facilitator_badge(pcscd, key=bytes(32)):  # a clone: the UID, another key
        driver.wait_until(lambda: "badge.refused" in caplog.text, 10, "the refusal")
        driver.pump(0.5)
        assert kiosk.screen == "tracking_entry" and staff(kiosk).phase is StaffPhase.NONE
        assert "reason=wrong-proof" in caplog.text
    # Taken off (and seen so: a card swapped faster than pcscd looks is one card to it).
    driver.wait_until(lambda: "badge.ended during=refused" in caplog.text, 10, "the removal")
    with badge_on_reader(pcscd, FACILITATOR_UID, "--no-key"):  # a clone with no key at all
        driver.wait_until(lambda: "reason=no-proof" in caplog.text, 10, "the refusal")
        assert kiosk.screen == "tracking_entry"
    assert assisted(kiosk) is None and kiosk.app.core.state.session.id == session


@pytest.mark.ui
@ASSISTED
def test_pcscd_killed_and_restarted_the_next_badge_is_seen_within_5_s(badges, pcscd, kiosk):
    driver = kiosk.driver
    session = visitor_in_tracking(kiosk)
    with facilitator_badge(pcscd):
        sign_in(kiosk)
        pcscd.kill()
        # The badge can no longer be seen: the desk goes back to self-service.
        driver.wait_until(lambda: assisted(kiosk) is None, 10, "self-service")
        assert kiosk.screen == "tracking_entry"
    pcscd.start()
    with facilitator_badge(pcscd):
        started = time.monotonic()
        driver.wait_until(lambda: kiosk.screen == "staff_pin", SEEN_WITHIN_S,
                          "the PIN screen for the next badge")
        seen = time.monotonic() - started
    print(f"the next badge asked its PIN {seen:.2f} s after it was put on the reader")
    driver.wait_for_screen("tracking_entry", 10)
    assert kiosk.app.core.state.session.id == session


# -- maintenance ------------------------------------------------------------------------------


@pytest.mark.ui
@pytest.mark.kiosk(profile="desk", env=STAFF_ENV)
def test_a_technicians_badge_opens_maintenance_and_its_checks(badges, pcscd, kiosk):
    driver = kiosk.driver
    with technician_in(pcscd, driver):
        visit = lambda: kiosk.app.core.state.assist.maintenance  # noqa: E731
        driver.wait_until(lambda: visit().events, 10, "the recent events")
        assert "badge.signed_in" in [e.event for e in visit().events]
        for check in ("card", "central", "print"):
            driver.tap(f"maintenance.{check}")
        for check in ("card", "central", "print"):
            driver.wait_until(lambda c=check: _passed(visit(), c), 30, f"the {check} test")
        texts = driver.texts()
        assert any(t.startswith("Version de la configuration : ") for t in texts)
        assert any("Lecteur de badges : prêt" in t for t in texts)
        driver.tap("maintenance.close")
        driver.wait_for_screen("attract", 10)
    assert kiosk.app.core.state.assist.maintenance is None


@contextmanager
def technician_in(pcscd, driver) -> Iterator[None]:
    """The technician's badge on the reader and its PIN typed: maintenance on screen while
    inside; the badge taken off after."""
    with badge_on_reader(pcscd, TECHNICIAN_UID, "--key", TECHNICIAN_KEY.hex()):
        driver.wait_for_screen("staff_pin", 10)
        type_pin(driver, TECHNICIAN_PIN)
        driver.wait_for_screen("maintenance", 10)
        yield


def _passed(visit, check: str) -> bool:
    result = dict((c.value, r) for c, r in visit.checks).get(check) if visit else None
    if result is not None and result.status is CheckStatus.FAILED:
        pytest.fail(f"the {check} test failed: {result.reason}")
    return result is not None and result.status is CheckStatus.PASSED


@pytest.mark.ui
@pytest.mark.kiosk(profile="desk", env={**STAFF_ENV, "KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'})
def test_at_xl_the_maintenance_checks_keep_their_words_whole(badges, pcscd, kiosk):
    from screens.measure import longest_word_width

    driver = kiosk.driver
    with technician_in(pcscd, driver):
        driver.frames(5)
        for check in ("print", "card", "central"):
            button = driver.find(f"maintenance.{check}")
            word = longest_word_width(button.text, button.font_size, button.font_name,
                                      button.shown_icon)
            assert word <= button.width + 0.5, f"{check}: a word broken between two letters"
            assert button.to_window(*button.pos)[1] >= 0, f"{check} leaves the window"
        driver.tap("maintenance.close")
        driver.wait_for_screen("attract", 10)
