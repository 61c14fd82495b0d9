"""Helpers of the receipt UI tests (they run in the forked child of each `ui` test): a request or
an appointment through the real screens to its last one, where the receipt panel is, and what
the panel shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from kiosk.core.intents import StartFlow

SIGN = "open311:SIG-001"
"""A realtime service of the peer's seed (config/peer-seed.json) with no question: the shortest
way to a request's last screen, and a central tracking number on its receipt."""


def request_to_summary(kiosk: Any, service: str = SIGN) -> None:
    """From the attract screen to the request's summary, by touch."""
    d = kiosk.driver
    if kiosk.screen == "attract":
        d.tap("attract.start")
        d.wait_for_screen("home")
    # Started as the home entry starts it: the entry itself is the home screen's business.
    kiosk.app.send(StartFlow("request"))
    d.wait_for_screen("request_service", timeout_s=15)
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    d.tap(f"service.{service}")
    d.wait_for_screen("request_place", timeout_s=15)
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    d.tap("request.contact.skip")
    d.wait_for_screen("request_summary")


def confirm(kiosk: Any) -> None:
    """Confirm the summary and wait for the last screen."""
    kiosk.driver.tap("request.confirm")
    kiosk.driver.wait_for_screen("request_done", timeout_s=20)


BULKY = "chrono:encombrants/collecte"
"""An appointment of the peer's seed with no ANTS number: the shortest booking."""


def booking_to_summary(kiosk: Any) -> None:
    """A bulky-waste pickup to its summary, each step answered as its screen would (the
    screens themselves are tested in tests/ui/test_ui_appointment.py; here they are only shown):
    no on-screen keyboard needed, so every profile gets there the same way."""
    from kiosk.core.flows.appointment import ChooseProcedure, EnterContact, EnterName
    from kiosk.core.flows.booking import ChooseDay, ChooseSlot

    d, app = kiosk.driver, kiosk.app

    def step(intent: Any, screen: str) -> None:
        app.send(intent)
        d.wait_for_screen(screen, timeout_s=15)
        d.wait_until(lambda: not app.core.state.flow.busy, 15, f"{screen} loaded")

    if kiosk.screen == "attract":
        d.tap("attract.start")
        d.wait_for_screen("home")
    step(StartFlow("appointment"), "appointment_procedure")
    step(ChooseProcedure(BULKY), "appointment_day")
    first = app.core.state.session.flow.slots[0]
    step(ChooseDay(first.start.date()), "appointment_slot")
    step(ChooseSlot(first.id), "appointment_name")
    step(EnterName("Jeanne Martin"), "appointment_contact")
    step(EnterContact(phone="0612345678"), "appointment_summary")


def confirm_booking(kiosk: Any) -> None:
    """Confirm the booking by touch and wait for its last screen."""
    kiosk.driver.tap("appointment.confirm")
    kiosk.driver.wait_for_screen("appointment_done", timeout_s=30)


def panel(kiosk: Any) -> Any:
    """The receipt panel of the last screen on display (a request's, an appointment's or a
    moved booking's)."""
    name = kiosk.screen if kiosk.screen in ("request_done", "appointment_done",
                                            "booking_done") else "appointment_done"
    return kiosk.app.screen_view(name).ids.receipt_panel


def roles(kiosk: Any) -> set[str]:
    """Roles of the widgets on screen now."""
    return {getattr(w, "role", "") for w in kiosk.driver.walk()}


def texts(kiosk: Any) -> str:
    """Every text on screen now, in one string."""
    return " | ".join(kiosk.driver.texts())


def wait_mode(kiosk: Any, mode: str, timeout_s: float = 30) -> None:
    """Run the app until the panel is in `mode` (printing, printed, not-printed)."""
    kiosk.driver.wait_until(lambda: panel(kiosk).mode == mode, timeout_s,
                            f"the receipt panel {mode} (now {panel(kiosk).mode})")
    kiosk.driver.frames(3)


def refresh_devices(kiosk: Any, until: Any, timeout_s: float = 15) -> None:
    """Read the devices now and again until `until()` holds (the monitor polls every 2 s)."""
    d = kiosk.driver
    kiosk.app.poll_devices_now()
    d.wait_until(lambda: until() or (kiosk.app.poll_devices_now() and False), timeout_s,
                 "the device reading")
    d.frames(3)


def codes_on_screen(kiosk: Any, path: Path) -> list[str]:
    """A screenshot of the window at `path`, and what the QR codes on it hold, read as a phone
    or the kiosk's scanner would (zxing-cpp)."""
    kiosk.driver.screenshot(path)
    with Image.open(path) as image:
        return [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]
