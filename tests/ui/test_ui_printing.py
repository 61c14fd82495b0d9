"""What the person sees of their receipt, in the real window, with the app's real printer driver
on a real CUPS queue to a real IPP printer (ippeveprinter; tests/cups_daemons.py): the receipt
of a booked appointment prints by itself, and the panel says "Printed" only once CUPS has
completed the job and the document is at the printer. Each fault kiosk users meet (paper out,
jam, queue paused, queue not accepting jobs, printer killed mid-job) shows its own message,
never a success, with the number and the QR code on screen; "Try again" comes once the printer
is usable again, and prints.

Each test starts its own printer and queue in its forked child (and the daemons, when nothing
runs them), and stops what it started: the session-wide stack of the other printing tests
lives in the parent process, which a forked child must not stop.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import cups
import pytest
from cups_daemons import PrintStack, start_stack
from receipt_ui import (
    booking_to_summary,
    codes_on_screen,
    confirm_booking,
    panel,
    refresh_devices,
    roles,
    texts,
    wait_mode,
)

from kiosk.receipts import render_receipt

pytestmark = pytest.mark.ui

QUEUE = f"kiosk-ui-{os.getpid()}"
"""Named in the parent (the kiosk marker needs it before the child starts): each test's child
adds it and removes it again; the pid keeps two test runs on one machine apart."""
REAL_PRINTER = {"KIOSK__DEVICES__PRINTER__DRIVER": '"real"',
                "KIOSK__RECEIPTS__QUEUE": f'"{QUEUE}"'}
SHOTS = Path(os.environ.get("KIOSK_TEST_SHOTS", "/tmp/kiosk-receipt-shots"))
"""Screenshots are kept here: each forked child clears pytest's own temporary directory."""
SUCCESS = "prenez votre reçu"
JOB_COMPLETED = 9  # RFC 8011 §5.3.7 job-state
PRINTER_BUSY = 4  # RFC 8011 §5.4.11 printer-state "processing"


SHARED_DAEMONS = ("dbus-daemon", "avahi-daemon")
"""System daemons any number of print stacks use at once: stopping them at the end of one test
would kill every other run's ippeveprinter ("Avahi server crashed, exiting"), so a stack of
these tests leaves them running; its printer, queue and cupsd go."""


@pytest.fixture
def ui_stack(tmp_path: Path) -> Iterator[PrintStack]:
    stack = start_stack(tmp_path / "cups", queue=QUEUE)
    stack.started = [name for name in stack.started if name not in SHARED_DAEMONS]
    stack._dbus_pid = None
    try:
        yield stack
    finally:
        stack.stop()


class ModeLog:
    """Every mode the panel goes through, with how many documents the printer had then."""

    def __init__(self, kiosk, stack: PrintStack) -> None:
        self.stack = stack
        self.seen: list[tuple[str, int]] = []
        panel(kiosk).bind(mode=self._changed)

    def _changed(self, _panel, mode: str) -> None:
        self.seen.append((mode, len(self.stack.printed())))

    @property
    def modes(self) -> list[str]:
        return [mode for mode, _ in self.seen]


def shot(kiosk, name: str) -> Path:
    return kiosk.driver.screenshot(SHOTS / f"{name}.png")


def completed_jobs(queue: str) -> list[int]:
    """Jobs CUPS calls completed on `queue` (getJobs with requested_attributes answers
    nothing on CUPS 2.4, so each job is asked for its own attributes)."""
    conn = cups.Connection()
    done = []
    for job_id in conn.getJobs(which_jobs="completed"):
        attrs = conn.getJobAttributes(job_id)
        if (attrs.get("job-printer-uri", "").endswith(f"/{queue}")
                and attrs.get("job-state") == JOB_COMPLETED):
            done.append(job_id)
    return sorted(done)


def printer(kiosk):
    return kiosk.station.devices.printer


def assert_fallback(kiosk, problem: str) -> None:
    """The number and the QR code on screen, the reason, and no success anywhere."""
    shown = texts(kiosk)
    assert panel(kiosk).mode == "not-printed"
    assert "Votre reçu n’a pas été imprimé." in shown
    assert problem in shown, shown
    assert "Vous pouvez photographier cet écran." in shown
    assert SUCCESS not in shown
    receipt = kiosk.app.core.state.session.receipt
    assert "receipt.qr" in roles(kiosk)
    assert receipt.printed_number in shown, "the number stays large on screen"
    assert codes_on_screen(kiosk, SHOTS / "last-fallback.png") == [receipt.qr_content], (
        "the code on screen reads back as the receipt's")


def recover_and_try_again(kiosk, stack: PrintStack, before: list[Path]) -> None:
    """With the printer usable again, "Try again" appears and prints the same receipt."""
    refresh_devices(kiosk, lambda: kiosk.app.core.state.printer.usable, timeout_s=20)
    assert "receipt.try-again" in roles(kiosk)
    kiosk.driver.tap("receipt.try-again")
    wait_mode(kiosk, "printed")
    [printed] = [p for p in stack.printed() if p not in before]
    assert stack.content_type(printed) == "image/png"
    assert SUCCESS in texts(kiosk)


# -- a receipt prints ------------------------------------------------------------------------------


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_the_receipt_reaches_the_printer_and_only_then_says_printed(ui_stack, kiosk):
    stack = ui_stack
    booking_to_summary(kiosk)
    log = ModeLog(kiosk, stack)
    before, jobs_before = stack.printed(), completed_jobs(stack.queue)
    stack.set_mode("slow")  # the print engine takes 4 s: "Printing…" stays that long
    confirm_booking(kiosk)
    kiosk.driver.wait_until(lambda: stack.device_state() == PRINTER_BUSY, 15,
                            "the printer busy with the receipt")
    kiosk.driver.pump(0.5)
    assert panel(kiosk).mode == "printing"
    assert "Impression du reçu…" in texts(kiosk) and SUCCESS not in texts(kiosk)
    assert stack.printed() == before
    assert "receipt.print-again" not in roles(kiosk) and "receipt.qr" not in roles(kiosk)
    shot(kiosk, "cups-printing")

    wait_mode(kiosk, "printed")
    assert log.seen[-1] == ("printed", len(before) + 1), (
        "Printed appears only once the document is at the printer", log.seen)
    assert "printed" not in log.modes[:-1]
    assert len([j for j in completed_jobs(stack.queue) if j not in jobs_before]) == 1
    [printed] = [p for p in stack.printed() if p not in before]
    assert stack.content_type(printed) == "image/png"
    receipt = kiosk.app.core.state.session.receipt
    again = render_receipt(receipt, kiosk.settings.receipts.paper.value,
                           kiosk.settings.data_dir / "check")
    assert printed.read_bytes() == again.read_bytes(), "the printer got the receipt as drawn"
    assert receipt.printed_number.replace(" ", "") == receipt.number
    assert list((kiosk.settings.data_dir / "printing").iterdir()) == [], "no file left"
    assert "Reçu imprimé — prenez votre reçu" in texts(kiosk)
    shot(kiosk, "cups-printed")

    kiosk.driver.tap("receipt.print-again")
    wait_mode(kiosk, "printed")
    assert len([p for p in stack.printed() if p not in before]) == 2


# -- faults ----------------------------------------------------------------------------------------


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_paper_out_mid_job(ui_stack, kiosk):
    stack = ui_stack
    booking_to_summary(kiosk)
    log = ModeLog(kiosk, stack)
    before = stack.printed()
    stack.set_mode("media-empty")
    confirm_booking(kiosk)
    wait_mode(kiosk, "not-printed")
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    assert_fallback(kiosk, "L’imprimante n’a plus de papier.")
    assert "receipt.try-again" not in roles(kiosk), "no print button while out of paper"
    assert stack.printed() == before
    shot(kiosk, "cups-paper-out")

    stack.set_mode("ok")
    stack.load_paper()
    recover_and_try_again(kiosk, stack, before)
    assert log.modes.count("printed") == 1 and log.modes[-1] == "printed"
    shot(kiosk, "cups-paper-out-recovered")


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_paper_jam(ui_stack, kiosk):
    stack = ui_stack
    booking_to_summary(kiosk)
    log = ModeLog(kiosk, stack)
    before = stack.printed()
    stack.set_mode("media-jam")
    confirm_booking(kiosk)
    wait_mode(kiosk, "not-printed")
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    assert_fallback(kiosk, "Le papier est coincé dans l’imprimante.")
    assert "receipt.try-again" not in roles(kiosk)
    assert stack.printed() == before

    stack.set_mode("ok")
    stack.start_printer()  # the jam is cleared: the printer is switched off and on
    recover_and_try_again(kiosk, stack, before)
    assert "printed" not in log.modes[:-1]


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_queue_paused(ui_stack, kiosk):
    stack = ui_stack
    booking_to_summary(kiosk)
    before = stack.printed()
    conn = cups.Connection()
    conn.disablePrinter(stack.queue, reason="maintenance")
    confirm_booking(kiosk)  # whether the station has seen it yet or not, nothing is sent
    wait_mode(kiosk, "not-printed")
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    assert_fallback(kiosk, "L’imprimante est arrêtée pour le moment.")
    assert "receipt.try-again" not in roles(kiosk)
    assert stack.waiting_jobs() == {}, "no job waits to come out later"
    shot(kiosk, "cups-paused")

    conn.enablePrinter(stack.queue)
    recover_and_try_again(kiosk, stack, before)


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_queue_not_accepting_jobs(ui_stack, kiosk):
    stack = ui_stack
    booking_to_summary(kiosk)
    before = stack.printed()
    conn = cups.Connection()
    conn.rejectJobs(stack.queue)
    confirm_booking(kiosk)
    wait_mode(kiosk, "not-printed")
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    assert_fallback(kiosk, "L’imprimante ne prend pas de reçu pour le moment.")
    assert "receipt.try-again" not in roles(kiosk)

    conn.acceptJobs(stack.queue)
    recover_and_try_again(kiosk, stack, before)


JOB_DEADLINE_S = 8.0
"""The driver cancels a job not printed by then (120 s in service): long enough for the
station to see the printer gone, short for a test."""


@pytest.mark.kiosk(env=REAL_PRINTER)
def test_printer_killed_mid_job(ui_stack, kiosk):
    stack = ui_stack
    printer(kiosk).job_deadline_s = JOB_DEADLINE_S
    booking_to_summary(kiosk)
    log = ModeLog(kiosk, stack)
    before = stack.printed()
    stack.set_mode("slow")
    confirm_booking(kiosk)
    kiosk.driver.wait_until(lambda: stack.device_state() == PRINTER_BUSY, 15,
                            "the printer busy with the receipt")
    stack.kill_printer()
    # The station sees the printer gone while the job is still open: the number and the QR
    # code come on screen at once, still without "Try again".
    refresh_devices(kiosk, lambda: not kiosk.app.core.state.printer.usable)
    assert panel(kiosk).mode == "printing"
    shown = texts(kiosk)
    assert "L’imprimante ne répond pas." in shown and SUCCESS not in shown
    assert "receipt.qr" in roles(kiosk) and "receipt.try-again" not in roles(kiosk)
    shot(kiosk, "cups-killed-printing")

    wait_mode(kiosk, "not-printed", timeout_s=JOB_DEADLINE_S + 15)
    assert_fallback(kiosk, "L’imprimante ne répond pas.")
    assert "receipt.try-again" not in roles(kiosk)
    shot(kiosk, "cups-killed")

    stack.set_mode("ok")
    stack.start_printer()
    time.sleep(1)
    assert [p for p in stack.printed() if p not in before] == [], (
        "the job the printer died with never comes out later")
    recover_and_try_again(kiosk, stack, before)
    assert "printed" not in log.modes[:-1]
