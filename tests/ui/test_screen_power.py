"""Screen power in the real app (kiosk/shell/power.py) on a manual wall clock: the packaged
station stands at the town hall, whose hours (config/places.csv) are its schedule. At night
the panel is turned off through DPMS (`xset dpms force off`, seen through a recording `xset`
first on the PATH that runs the real one); the test's X server (Xvfb) has no DPMS, which the
station finds with `xset q`, so the window is black instead, as the X screen itself shows. A
touch wakes it without starting a session; a session keeps it lit; a dimmed panel shows the
attract screen darker, and a touch on it starts a session."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kiosk.core.panel_power import PanelMode

PARIS = ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
MONDAY_NIGHT = datetime(2026, 3, 2, 23, 0, tzinfo=PARIS)
WAKE_S = 60


class WallClock:
    """Local time that moves only when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


CLOCK = WallClock(MONDAY_MORNING)

pytestmark = pytest.mark.ui


@pytest.fixture
def xset_log(tmp_path: Path) -> Path:
    """`xset` commands the station runs, in order; each then runs the real xset."""
    real = subprocess.run(["which", "xset"], capture_output=True, text=True,
                          check=True).stdout.strip()
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "xset.log"
    shim = folder / "xset"
    shim.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    os.environ["PATH"] = f"{folder}:{os.environ['PATH']}"  # this forked test's own process
    CLOCK.now = MONDAY_MORNING
    return log


def brightness(path: Path) -> float:
    """Mean brightness of an image, 0 (black) to 255."""
    grey = Image.open(path).convert("L")
    return sum(i * n for i, n in enumerate(grey.histogram())) / (grey.width * grey.height)


def commands(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.mark.kiosk(wall_clock=CLOCK, env={"KIOSK__POWER__NIGHT": '"off"',
                                          "KIOSK__POWER__WAKE_S": str(WAKE_S)})
def test_off_at_night_woken_by_a_touch_never_during_a_session(xset_log, kiosk, tmp_path):
    driver, power = kiosk.driver, kiosk.station.power
    assert power.plan.source == "41999-01010401-001"  # the town hall the station stands in
    driver.pump(1.2)
    assert power.mode is PanelMode.LIT and commands(xset_log) == []
    lit = brightness(driver.screenshot(tmp_path / "lit.png"))

    CLOCK.now = MONDAY_NIGHT
    driver.wait_until(lambda: power.mode is PanelMode.OFF, 10, "the panel off at night")
    driver.wait_until(lambda: "q" in commands(xset_log), 10, "xset run")
    assert commands(xset_log)[:2] == ["dpms force off", "q"]
    assert power.dpms_off is False  # Xvfb has no DPMS: the station knows it...
    assert brightness(driver.screenshot(tmp_path / "off.png")) == 0  # ...and shows black
    grab = tmp_path / "x-screen.png"  # the X screen itself, not the app's own picture
    subprocess.run(["import", "-window", "root", "-crop", "1080x1920+0+0", str(grab)],
                   check=True, timeout=30)
    assert brightness(grab) == 0
    assert lit > 10

    driver.touch_at(540, 960)  # wakes the panel, starts nothing
    assert power.mode is PanelMode.LIT
    assert kiosk.screen == "attract" and kiosk.app.core.state.session is None
    driver.wait_until(lambda: "dpms force on" in commands(xset_log), 10, "the panel on")
    assert abs(brightness(driver.screenshot(tmp_path / "woken.png")) - lit) < 1

    kiosk.idle(WAKE_S + 1)  # nobody came: off again
    driver.wait_until(lambda: power.mode is PanelMode.OFF, 10, "the panel off again")

    driver.touch_at(540, 960)  # wake
    driver.tap("attract.start")  # now the person can see what they touch
    driver.wait_for_screen("home")
    kiosk.idle(WAKE_S + 30)  # a session, quiet but within its inactivity time
    assert kiosk.app.core.state.session is not None
    assert power.mode is PanelMode.LIT, "never while a session is open"

    CLOCK.now = MONDAY_MORNING.replace(day=3)  # the next morning: lit by the schedule
    driver.tap("home.done")
    driver.wait_for_screen("attract")
    kiosk.idle(WAKE_S + 1)
    assert power.mode is PanelMode.LIT


@pytest.mark.kiosk(wall_clock=CLOCK, env={"KIOSK__POWER__NIGHT": '"dim"',
                                          "KIOSK__POWER__DIM_LEVEL": "0.2"})
def test_dimmed_at_night_and_a_touch_starts_a_session(xset_log, kiosk, tmp_path):
    driver, power = kiosk.driver, kiosk.station.power
    driver.pump(1.2)
    lit = brightness(driver.screenshot(tmp_path / "lit.png"))
    CLOCK.now = MONDAY_NIGHT
    driver.wait_until(lambda: power.mode is PanelMode.DIM, 10, "the panel dimmed")
    dimmed = brightness(driver.screenshot(tmp_path / "dim.png"))
    assert dimmed == pytest.approx(lit * 0.2, rel=0.1)
    assert commands(xset_log) == [], "dimming is drawn, the panel stays on"

    driver.tap("attract.start")  # seen, if dimmed: the touch does what it says
    driver.wait_for_screen("home")
    assert power.mode is PanelMode.LIT
