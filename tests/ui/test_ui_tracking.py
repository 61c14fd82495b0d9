"""Tracking a request in the real window against the embedded reference peer (real HTTP on
loopback): by touch on the keypad, by keyboard alone, by a scanned receipt; an unknown number,
a central that does not answer and one that answers what the kiosk cannot read each get a
clear message of their own and keep what was typed."""

from __future__ import annotations

import httpx
import pytest
from ui_support import open_tracking, tab_to

pytestmark = pytest.mark.ui

# A request of the peer's seed (config/peer-seed.json), in progress with a history.
KNOWN = "204518"


def wait_for_answer(kiosk) -> None:
    state = kiosk.app.core.state
    kiosk.driver.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    assert state is not None


def test_touch_on_the_keypad_finds_a_request_and_shows_its_history(kiosk, tmp_path):
    d = kiosk.driver
    open_tracking(kiosk)
    for digit in KNOWN:
        d.tap(f"key.{digit}")
    assert kiosk.app.screen_view("tracking_entry").ids.number.text.replace(" ", "") == KNOWN
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
    texts = " ".join(d.texts())
    assert KNOWN in texts
    assert "Dépôt sauvage" in texts or "Voirie" in texts or "nid" in texts.lower(), texts
    assert len(kiosk.app.screen_view("tracking_result").ids.history.children) >= 2
    d.screenshot(tmp_path / "tracking-result.png")
    d.tap("bar.back")
    d.wait_for_screen("tracking_entry")


def test_keyboard_alone_and_an_unknown_number(kiosk):
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    d.type_text("suivi")
    tab_to(d, "home.entry.tracking")
    d.key("enter")
    d.wait_for_screen("tracking_entry")
    d.type_text("999999")
    d.key("enter")
    wait_for_answer(kiosk)
    assert kiosk.screen == "tracking_entry"
    assert kiosk.app.core.state.flow.problem == "tracking.unknown_number"
    assert kiosk.app.screen_view("tracking_entry").ids.number.text == "999999"
    field = kiosk.app.screen_view("tracking_entry").ids.number
    field.text = ""
    d.type_text(KNOWN)
    d.key("enter")
    d.wait_for_screen("tracking_result", timeout_s=15)


@pytest.mark.parametrize("fault", ["error_rate", "drop_rate", "malformed_rate"])
def test_a_central_that_fails_gets_a_clear_message(kiosk, fault):
    d = kiosk.driver
    open_tracking(kiosk)
    peer = kiosk.station.central.link().peer
    httpx.post(f"{peer.base_url}/_peer/faults", json={fault: 1.0, "path_prefix": "/open311/"},
               timeout=5)
    for digit in KNOWN:
        d.tap(f"key.{digit}")
    d.tap("tracking.search")
    wait_for_answer(kiosk)
    assert kiosk.screen == "tracking_entry"
    # Silence and errors: "not answering"; an answer it cannot read: ask at the front desk.
    expected = ("central.unusable" if fault == "malformed_rate"
                else "tracking.central_unavailable")
    assert kiosk.app.core.state.flow.problem == expected
    if fault == "malformed_rate":
        assert "depuis la borne" in kiosk.app.screen_view("tracking_entry").problem_text
    assert kiosk.app.screen_view("tracking_entry").ids.number.text == KNOWN
    assert any("Traceback" not in t for t in d.texts())
    httpx.delete(f"{peer.base_url}/_peer/faults", timeout=5)
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
