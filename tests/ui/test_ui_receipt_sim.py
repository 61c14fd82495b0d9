"""The receipt panel in the real window with the simulated printer: a confirmed request and a
booked appointment print their receipt by themselves and say so only once printed; out of
paper, the number and the QR code come on screen with no "Try again" until the paper is back,
and "Try again" then prints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from receipt_ui import (
    booking_to_summary,
    codes_on_screen,
    confirm,
    confirm_booking,
    panel,
    refresh_devices,
    request_to_summary,
    roles,
    texts,
    wait_mode,
)
from ui_support import out_of_body

from devices.sim_control import set_sim_state
from devices.sim_printer import SimPrinter

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("KIOSK_TEST_SHOTS", "/tmp/kiosk-receipt-shots"))
"""Screenshots are kept here: each forked child clears pytest's own temporary directory."""


def printed_files(kiosk) -> list:
    out = SimPrinter(kiosk.settings.data_dir).output_dir
    return sorted(out.iterdir()) if out.is_dir() else []


def test_a_confirmed_request_prints_its_receipt_and_says_so(kiosk, tmp_path):
    request_to_summary(kiosk)
    assert printed_files(kiosk) == []
    confirm(kiosk)
    wait_mode(kiosk, "printed")
    [printed] = printed_files(kiosk)
    assert printed.suffix == ".png"
    receipt = kiosk.app.core.state.session.receipt
    assert receipt.number == kiosk.app.core.state.session.flow.receipt.result.number
    assert "Reçu imprimé — prenez votre reçu" in texts(kiosk)
    assert "receipt.print-again" in roles(kiosk) and "receipt.qr" not in roles(kiosk)
    kiosk.driver.screenshot(SHOTS / "sim-printed.png")
    kiosk.driver.tap("receipt.print-again")
    kiosk.driver.wait_until(lambda: len(printed_files(kiosk)) == 2, 10, "a second copy")
    wait_mode(kiosk, "printed")
    assert kiosk.app.core.state.printing.printed == 2
    kiosk.driver.tap("request.finish")
    kiosk.driver.wait_for_screen("attract")
    assert panel(kiosk).mode == "hidden"
    assert panel(kiosk).qr.content == "" and panel(kiosk).number.text == ""


@pytest.mark.parametrize("profile", [
    pytest.param("totem", marks=pytest.mark.kiosk(profile="totem")),
    pytest.param("desk", marks=pytest.mark.kiosk(profile="desk")),
])
def test_paper_out_shows_the_number_and_qr_then_try_again_prints(kiosk, tmp_path, profile):
    data = kiosk.settings.data_dir
    booking_to_summary(kiosk)
    set_sim_state(data, "printer", state="paper-out")
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    confirm_booking(kiosk)
    wait_mode(kiosk, "not-printed")
    shown = texts(kiosk)
    assert "Votre reçu n’a pas été imprimé." in shown
    assert "L’imprimante n’a plus de papier." in shown
    assert "Vous pouvez photographier cet écran." in shown
    assert "imprimé — prenez" not in shown, "nothing claims success"
    assert "receipt.qr" in roles(kiosk)
    receipt = kiosk.app.core.state.session.receipt
    assert codes_on_screen(kiosk, SHOTS / f"sim-paper-out-{profile}.png") == [
        receipt.qr_content]
    assert "receipt.try-again" not in roles(kiosk), "no print button without a usable printer"
    assert out_of_body(kiosk) == [], "the number, the QR code and Finish fit on the panel"
    assert printed_files(kiosk) == []

    set_sim_state(data, "printer", state="online")
    refresh_devices(kiosk, lambda: kiosk.app.core.state.printer.usable)
    assert "receipt.try-again" in roles(kiosk)
    assert "L’imprimante n’a plus de papier." not in texts(kiosk)
    button = kiosk.driver.find("receipt.try-again")
    assert button.to_window(*button.pos)[1] >= kiosk.app.layout.bar.top, (
        "Try again stays on screen, above the bar")
    assert out_of_body(kiosk) == []
    kiosk.driver.screenshot(SHOTS / f"sim-try-again-{profile}.png")
    kiosk.driver.tap("receipt.try-again")
    wait_mode(kiosk, "printed")
    assert len(printed_files(kiosk)) == 1


def test_a_booked_appointment_prints_its_receipt_with_the_booking_reference(kiosk, tmp_path):
    booking_to_summary(kiosk)
    confirm_booking(kiosk)
    wait_mode(kiosk, "printed")
    state = kiosk.app.core.state
    receipt = state.session.receipt
    assert receipt.number == state.session.flow.appointment.id
    assert receipt.number_kind.value == "booking"
    assert receipt.when == state.session.flow.appointment.start
    assert len(printed_files(kiosk)) == 1
    assert "Reçu imprimé — prenez votre reçu" in texts(kiosk)
    kiosk.driver.screenshot(SHOTS / "sim-appointment-printed.png")
