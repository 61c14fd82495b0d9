"""An exception in a Kivy callback leaves the station running, on the same screen, and is logged
by type and code location only: its message may hold what a person typed
(kiosk/shell/crash_guard.py)."""

from __future__ import annotations

import json
import logging

import pytest

SECRET = "Dupont 06 12 34 56 78"


@pytest.mark.ui
@pytest.mark.kiosk(callback_errors=True)
def test_a_callback_that_raises_leaves_the_station_running_and_logs_no_message(kiosk, caplog):
    from kivy.clock import Clock

    def broken(_dt: float) -> None:
        raise ValueError(f"cannot parse {SECRET}")

    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")
    caplog.set_level(logging.INFO)
    Clock.schedule_once(broken)
    kiosk.driver.frames(3)
    assert kiosk.station.crash_guard.caught == 1
    # Still running and answering: the next tap is taken.
    kiosk.driver.tap("home.entry.tracking")
    kiosk.driver.wait_for_screen("tracking_entry")
    errors = [r.getMessage() for r in caplog.records if "app.callback_error" in r.getMessage()]
    assert len(errors) == 1
    assert "ValueError at test_ui_crash_guard.py" in errors[0]
    assert SECRET not in caplog.text


@pytest.mark.ui
def test_the_headless_demo_fails_when_a_callback_raised(tmp_path, monkeypatch):
    """The walk-through may reach every screen while something behind it failed: the demo
    then says so and exits non-zero."""
    from kiosk.settings.loader import ConfigSources, load_settings
    from kiosk.shell import demo

    def broken_appointment_steps(tour: demo.Tour) -> None:
        from kivy.clock import Clock

        def broken(_dt: float) -> None:
            raise ValueError("a bug behind the screens")

        Clock.schedule_once(broken)
        tour.driver.frames(3)

    monkeypatch.setattr(demo, "appointment_steps", broken_appointment_steps)
    out = tmp_path / "demo-out"
    assert demo.run_headless(load_settings(ConfigSources(), environ={}), out) == 1
    transcript = json.loads((out / "transcript.json").read_text(encoding="utf-8"))
    assert transcript["callback_errors"] == 1
