"""Every flow completes without a touch: a keyboard robot (Tab, Enter, typing) and a two-switch
robot (a switch interface's move and select keys only, every character chosen on the on-screen
keyboard) track a request and answer the survey, report a street problem, and book an
appointment, in the real window (docs/accessibility.md F1, F2). What they did is checked where
it lands: the request and the booking at the reference peer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from robots import Robot, book_bulky_waste, report_pothole, start, track_and_rate

pytestmark = pytest.mark.ui

# A request of the reference peer's seed (config/peer-seed.json), with a history.
SEED_REQUEST = "204518"
# A switch interface that sends Space for "move" and "1" for "select", as many do.
SWITCHES = {"KIOSK__INPUT__MOVE_KEYS": '["spacebar"]', "KIOSK__INPUT__SELECT_KEYS": '["1"]'}


def records(kiosk) -> dict[str, Any]:
    peer = kiosk.station.central.link().peer
    return httpx.get(f"{peer.base_url}/_peer/records", timeout=10).json()


def robot_for(kiosk, switches: bool) -> Robot:
    if switches:
        return Robot(kiosk.driver, move="spacebar", select="1", switches=True)
    return Robot(kiosk.driver)


def complete_every_flow(kiosk, robot: Robot, name: str) -> None:
    start(robot)
    track_and_rate(robot, SEED_REQUEST)
    report_pothole(robot)
    book_bulky_waste(robot, name)
    stored = records(kiosk)
    assert any(r["service_code"] == "VOI-001" for r in stored["requests"]), "the report"
    assert any(b.get("user_last_name") == name or name in str(b) for b in stored["bookings"]), \
        "the booking, under the name typed"
    assert kiosk.app.core.state.session.flow is None, "back home, no flow left open"


PROFILES = ("totem", "desk", "desk-assisted")


@pytest.mark.parametrize("profile", [
    pytest.param(profile, marks=pytest.mark.kiosk(profile=profile)) for profile in PROFILES])
def test_the_keyboard_robot_completes_every_flow(kiosk, profile):
    assert kiosk.station.settings.profile.value == profile
    complete_every_flow(kiosk, robot_for(kiosk, False), "keyboardrobot")


@pytest.mark.parametrize("profile", [
    pytest.param(profile, marks=pytest.mark.kiosk(profile=profile, env=SWITCHES))
    for profile in PROFILES])
def test_the_two_switch_robot_completes_every_flow(kiosk, profile):
    assert kiosk.station.settings.profile.value == profile
    complete_every_flow(kiosk, robot_for(kiosk, True), "switchrobot")
