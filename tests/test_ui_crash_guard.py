"""An exception in a Kivy callback leaves the station running, on the same screen, and is logged
by type and code location only: its message may hold what a person typed
(kiosk/shell/crash_guard.py)."""

from __future__ import annotations

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
