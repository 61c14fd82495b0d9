"""The scanner reaches the flows: a receipt's QR code shown to an idle station opens its
tracking result; in keyboard-wedge mode a burst of keys ending with Enter is a scan that
never lands in the focused field, while typing at a person's pace does."""

from __future__ import annotations

import pytest

from devices.sim_control import set_sim_state

pytestmark = pytest.mark.ui

KNOWN = "204518"  # a request of the peer's seed (config/peer-seed.json)
RECEIPT_QR = f"https://demarches.example.fr/suivi?numero={KNOWN}"


def test_a_receipt_scanned_at_the_attract_screen_opens_its_tracking(kiosk):
    assert kiosk.screen == "attract"
    set_sim_state(kiosk.settings.data_dir, "scanner", queue=[RECEIPT_QR])
    kiosk.driver.wait_for_screen("tracking_result", timeout_s=15)
    assert any(KNOWN in t for t in kiosk.driver.texts())


class StepClock:
    """The link's clock, moved by hand: the pace of keys is the test's to choose."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def keys_at_pace(kiosk, clock: StepClock, text: str, gap_s: float, enter: bool) -> None:
    from kivy.core.window import Window  # in the test's own process, once Kivy is set up

    for char in text:
        clock.now += gap_s
        consumed = Window.dispatch("on_key_down", ord(char.lower()), 0, char, [])
        if not consumed:
            Window.dispatch("on_textinput", char)
        Window.dispatch("on_key_up", ord(char.lower()), 0)
    if enter:
        clock.now += gap_s
        kiosk.driver.key("enter")
    kiosk.driver.frames(2)


@pytest.mark.kiosk(env={"KIOSK__DEVICES__SCANNER__DRIVER": '"real"',
                        "KIOSK__DEVICES__SCANNER__MODE": '"wedge"'})
def test_wedge_mode_tells_a_scan_from_typing(kiosk):
    d = kiosk.driver
    clock = StepClock()
    kiosk.app._scanner._clock = clock
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    field = kiosk.app.screen_view("tracking_entry").ids.number
    d.tap(field)
    keys_at_pace(kiosk, clock, "12", gap_s=0.2, enter=False)  # a person types
    clock.now += 0.5
    d.pump(0.3)
    assert field.text == "12"
    clock.now += 1.0
    keys_at_pace(kiosk, clock, KNOWN, gap_s=0.004, enter=True)  # the scanner "types"
    d.wait_for_screen("tracking_result", timeout_s=15)
    assert field.text == "12", "a scan never lands in the field"
    assert any(KNOWN in t for t in d.texts())
