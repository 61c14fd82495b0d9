"""Receipts through a real cupsd to a real IPP printer (ippeveprinter), with the faults kiosk
users meet: paper out, jam, a queue paused or refusing jobs, the printer dying mid-job. Each
test checks what the station is told (health and job states), that nothing reports success
while nothing printed, and that printing works again once the fault is gone."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import cups
import pytest

from devices.cups_printer import CupsPrinter, keywords
from kiosk.core.devices import DeviceHealth, JobState, Printer, PrintJob
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.receipts import render_receipt

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
JOB_TIMEOUT_S = 30.0
"""A job through CUPS takes ~1.3 s here; after a printer restart CUPS' backend retries within
~10 s (docs/devices.md §3)."""

READY = DeviceHealth(ready=True)


def a_receipt(language: str = "fr") -> Receipt:
    return Receipt(
        city="Villeneuve-sur-Loire", title="Signalement envoyé", when=datetime(2026, 11, 24, 9, 30),
        place="Hôtel de Ville", number="104217", number_kind=NumberKind.TRACKING,
        language=language, next_steps=("Un agent passe sous 48 heures.",),
    )


@pytest.fixture
def png(tmp_path: Path) -> Path:
    return render_receipt(a_receipt(), "thermal-80", tmp_path)


def wait_for(condition: Callable[[], object], what: str, timeout: float = JOB_TIMEOUT_S) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def follow(printer: CupsPrinter, job: PrintJob, timeout: float = JOB_TIMEOUT_S) -> list[PrintJob]:
    """Every state the job goes through until it is completed or failed."""
    seen = [job]
    deadline = time.monotonic() + timeout
    while seen[-1].state not in (JobState.COMPLETED, JobState.FAILED):
        assert time.monotonic() < deadline, f"job still {seen[-1]} after {timeout} s"
        time.sleep(0.1)
        current = printer.job(job.job_id)
        if current != seen[-1]:
            seen.append(current)
    return seen


def new_files(stack, before: list[Path]) -> list[Path]:
    return [p for p in stack.printed() if p not in before]


def queue_attrs(stack) -> dict:
    return cups.Connection().getPrinterAttributes(stack.queue)


# -- receipts arrive -----------------------------------------------------------------------------


def test_the_driver_is_a_printer_port(stack):
    assert isinstance(CupsPrinter(stack.queue), Printer)


def test_a_png_receipt_arrives_at_the_printer_as_png(stack, png):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    assert printer.health() == READY
    job = printer.print_file(png, "Receipt")
    assert job.state is JobState.PENDING and job.job_id.isdigit()
    states = follow(printer, job)
    assert states[-1] == PrintJob(job.job_id, JobState.COMPLETED)
    assert all(s.state is not JobState.FAILED for s in states)
    [printed] = wait_for(lambda: new_files(stack, before), "the printed file")
    assert stack.content_type(printed) == "image/png"
    assert printed.read_bytes() == png.read_bytes(), "CUPS passes a PNG to the printer unchanged"
    assert printer.job(job.job_id).state is JobState.COMPLETED, "a final state stays final"


@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_a_pdf_receipt_arrives_at_the_printer_as_pdf(stack, tmp_path, paper):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    pdf = render_receipt(a_receipt("en"), paper, tmp_path)
    states = follow(printer, printer.print_file(pdf, "Receipt"))
    assert states[-1].state is JobState.COMPLETED
    [printed] = wait_for(lambda: new_files(stack, before), "the printed file")
    assert stack.content_type(printed) == "application/pdf"
    assert printed.read_bytes().startswith(PDF_MAGIC)


def test_the_printer_is_not_reported_gone_around_jobs(stack, png):
    """The complaint "offline after each print": health read every 50 ms through five jobs in a
    row, each right after the previous one completed, never says not ready."""
    printer = CupsPrinter(stack.queue)
    readings = []
    for _ in range(5):
        job = printer.print_file(png, "Receipt")
        assert job.state is JobState.PENDING, job
        while printer.job(job.job_id).state is not JobState.COMPLETED:
            readings.append(printer.health())
            time.sleep(0.05)
        readings += [printer.health() for _ in range(3)]
    assert len(readings) > 20
    assert set(readings) == {READY}


# -- paper out -----------------------------------------------------------------------------------


def test_paper_out_mid_job_fails_the_job_and_a_refill_brings_printing_back(stack, png):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    stack.set_mode("media-empty")
    states = follow(printer, printer.print_file(png, "Receipt"))
    assert states[-1].state is JobState.FAILED and states[-1].reason == "media-empty"
    assert JobState.COMPLETED not in {s.state for s in states}
    assert new_files(stack, before) == []
    assert printer.health() == DeviceHealth(ready=False, reason="media-empty")
    refused = printer.print_file(png, "Receipt")
    assert refused.state is JobState.FAILED and refused.reason == "media-empty"
    assert printer.job(refused.job_id) == refused
    assert stack.waiting_jobs() == {}, "nothing was queued"

    stack.set_mode("ok")
    stack.load_paper()
    # CUPS' own view is stale until its next job; the printer, asked directly, is the truth.
    assert "media-empty" in keywords(queue_attrs(stack)["printer-state-reasons"])
    assert printer.health() == READY
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


def test_paper_running_out_while_idle_is_seen_before_printing(stack, png):
    printer = CupsPrinter(stack.queue)
    stack.load_paper(0)
    assert printer.health() == DeviceHealth(ready=False, reason="media-empty")
    assert printer.print_file(png, "Receipt").reason == "media-empty"
    stack.load_paper()
    assert printer.health() == READY


# -- jam -----------------------------------------------------------------------------------------


def test_a_jam_fails_the_job_until_the_printer_is_cleared(stack, png):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    stack.set_mode("media-jam")
    states = follow(printer, printer.print_file(png, "Receipt"))
    assert states[-1].state is JobState.FAILED and states[-1].reason == "media-jam"
    assert new_files(stack, before) == []
    assert printer.health() == DeviceHealth(ready=False, reason="media-jam")
    assert printer.print_file(png, "Receipt").reason == "media-jam"

    stack.set_mode("ok")
    stack.start_printer()  # jam cleared: the printer is switched off and on again
    wait_for(lambda: printer.health() == READY, "the printer ready after the jam", 10)
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


# -- queue paused, not accepting, missing ------------------------------------------------------


def test_a_queue_paused_by_a_person_stays_paused_and_holds_its_jobs(stack, png):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    conn = cups.Connection()
    conn.disablePrinter(stack.queue, reason="maintenance")
    for _ in range(4):  # a healthy printer: no automatic resume
        assert printer.health() == DeviceHealth(ready=False, reason="paused")
    assert queue_attrs(stack)["printer-state"] == 5
    assert printer.print_file(png, "Receipt").reason == "paused"
    # A job that reached the queue anyway waits there, and says why.
    held = str(conn.printFile(stack.queue, str(png), "Receipt", {}))
    time.sleep(1)
    assert printer.job(held) == PrintJob(held, JobState.PENDING, "paused")
    assert new_files(stack, before) == []

    conn.enablePrinter(stack.queue)
    assert printer.health() == READY
    assert follow(printer, printer.job(held))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


def test_a_queue_stopped_after_paper_out_resumes_by_itself_once_paper_is_back(stack, png):
    """CUPS stops a queue whose backend fails (printer-error-policy stop-printer, the usual
    outcome for a USB receipt printer out of paper); cupsdisable plays that part here."""
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    stack.set_mode("media-empty")
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].reason == "media-empty"
    assert printer.health().reason == "media-empty"
    cups.Connection().disablePrinter(stack.queue, reason="Backend returned status 1 (failed)")
    assert printer.health() == DeviceHealth(ready=False, reason="media-empty")
    assert queue_attrs(stack)["printer-state"] == 5

    stack.set_mode("ok")
    stack.load_paper()
    # Ready again = the printer itself reports no fault on two consecutive readings.
    assert printer.health() == DeviceHealth(ready=False, reason="paused")
    assert queue_attrs(stack)["printer-state"] == 5
    assert printer.health() == READY
    assert queue_attrs(stack)["printer-state"] != 5, "the driver resumed the queue"
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


def test_a_queue_not_accepting_jobs_refuses_the_print_and_says_so(stack, png):
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    conn = cups.Connection()
    conn.rejectJobs(stack.queue)
    assert printer.health() == DeviceHealth(ready=False, reason="not-accepting-jobs")
    job = printer.print_file(png, "Receipt")  # sent: CUPS itself refuses it (IPPError 0x0506)
    assert job.state is JobState.FAILED and job.reason == "not-accepting-jobs"
    assert printer.job(job.job_id) == job
    conn.acceptJobs(stack.queue)
    assert printer.health() == READY
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


def test_a_missing_queue_is_reported_not_raised(stack, png):
    printer = CupsPrinter("kiosk-no-such-queue")
    assert printer.health() == DeviceHealth(ready=False, reason="queue-missing")
    job = printer.print_file(png, "Receipt")
    assert job.state is JobState.FAILED and job.reason == "queue-missing"
    assert printer.job("424242424").reason == "unknown-job"
    assert printer.job("not-a-number").reason == "unknown-job"


def test_cupsd_out_of_reach_is_reported_not_raised(stack, png):
    server = cups.getServer()
    cups.setServer("/nonexistent/cups.sock")
    try:
        printer = CupsPrinter(stack.queue)
        assert printer.health() == DeviceHealth(ready=False, reason="scheduler-not-running")
        assert printer.print_file(png, "Receipt").reason == "scheduler-not-running"
    finally:
        cups.setServer(server)
    assert printer.health() == READY, "the same driver recovers once cupsd answers"


# -- printer gone --------------------------------------------------------------------------------


def test_printer_killed_mid_job_fails_that_job_and_prints_again_when_it_returns(stack, png):
    """A printer that dies while printing loses the receipt. Once it is back, CUPS finds no
    trace of the job on it and calls the job completed; the driver, which saw the printer busy
    with it and then gone, reports it failed instead."""
    printer = CupsPrinter(stack.queue)
    before = stack.printed()
    stack.set_mode("slow")
    job = printer.print_file(png, "Receipt")
    wait_for(lambda: stack.device_state() == 4, "the printer busy with the job", 10)
    assert printer.job(job.job_id) == PrintJob(job.job_id, JobState.PRINTING)
    stack.kill_printer()
    readings = [printer.health() for _ in range(3)]
    assert readings[0] == READY, "one refused connection is not yet an outage"
    assert readings[-1] == DeviceHealth(ready=False, reason="offline")
    for _ in range(10):
        assert printer.job(job.job_id) == PrintJob(job.job_id, JobState.PRINTING, "offline")
        time.sleep(0.1)

    stack.set_mode("ok")
    stack.start_printer()
    states = follow(printer, printer.job(job.job_id))
    assert states[-1] == PrintJob(job.job_id, JobState.FAILED, "offline")
    assert JobState.COMPLETED not in {s.state for s in states}
    assert cups.Connection().getJobAttributes(int(job.job_id))["job-state"] == 9, (
        "CUPS itself believes the job completed")
    assert new_files(stack, before) == [], "the receipt died with the printer"
    wait_for(lambda: printer.health() == READY, "the printer ready again", 10)
    assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
    assert len(new_files(stack, before)) == 1


def test_a_receipt_held_by_a_dead_printer_is_canceled_and_never_prints_later(stack, png):
    printer = CupsPrinter(stack.queue, job_deadline_s=2)
    before = stack.printed()
    stack.kill_printer()
    job = printer.print_file(png, "Receipt")  # one failed reading is not yet an outage
    assert job.state is JobState.PENDING
    states = follow(printer, job, timeout=10)
    assert states[-1] == PrintJob(job.job_id, JobState.FAILED, "offline")
    stack.start_printer()
    wait_for(lambda: printer.health() == READY, "the printer back", 10)
    time.sleep(3)
    assert new_files(stack, before) == [], "a canceled receipt must not come out later"
    assert stack.device_reasons() == frozenset()


def test_paper_out_stays_a_failure_once_cups_distrusts_the_printers_job_history(stack, png):
    """After a printer lost a job, CUPS marks the queue "cups-ipp-missing-job-history" and from
    then on may call "completed" a job the printer aborted. The driver asks the printer."""
    printer = CupsPrinter(stack.queue)
    stack.set_mode("slow")
    lost = printer.print_file(png, "Receipt")
    wait_for(lambda: stack.device_state() == 4, "the printer busy with the job", 10)
    stack.kill_printer()
    stack.set_mode("ok")
    stack.start_printer()
    wait_for(lambda: cups.Connection().getJobAttributes(int(lost.job_id))["job-state"] >= 7,
             "CUPS to give up on the lost job")
    assert "cups-ipp-missing-job-history" in keywords(
        queue_attrs(stack)["printer-state-reasons"])
    before = stack.printed()
    for round_ in range(1, 4):  # a good receipt, then paper runs out on the next one
        assert follow(printer, printer.print_file(png, "Receipt"))[-1].state is JobState.COMPLETED
        stack.set_mode("media-empty")
        states = follow(printer, printer.print_file(png, "Receipt"))
        assert states[-1].state is JobState.FAILED and states[-1].reason == "media-empty"
        assert JobState.COMPLETED not in {s.state for s in states}
        assert len(new_files(stack, before)) == round_
        stack.set_mode("ok")
        stack.load_paper()
        wait_for(lambda: printer.health() == READY, "the printer refilled", 10)
