"""Fixtures of the printing tests: one real CUPS stack for the whole session (D-Bus, avahi,
cupsd, an ippeveprinter and a queue on it, see tests/support/cups_daemons.py), put back in
order before each test that uses it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import cups
import pytest
from cups_daemons import PrintStack, start_stack


@pytest.fixture(scope="session")
def print_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrintStack]:
    """The daemons, started once (or found running), and a queue of this run's own."""
    stack = start_stack(tmp_path_factory.mktemp("cups"), queue=f"kiosk-test-{os.getpid()}")
    yield stack
    stack.stop()


@pytest.fixture
def stack(print_stack: PrintStack) -> PrintStack:
    """The stack as a test expects to find it: the printer on, paper loaded, printing normally,
    the queue present, enabled and accepting, no job left over."""
    reset(print_stack)
    return print_stack


def reset(stack: PrintStack) -> None:
    """Undo whatever the previous test did to the printer and the queue."""
    conn = cups.Connection()
    if stack.queue not in conn.getPrinters():
        stack.add_queue()
    conn.cancelAllJobs(name=stack.queue, my_jobs=False, purge_jobs=True)
    stack.set_mode("ok")
    if not stack.printer_running():
        stack.start_printer()
    stack.load_paper()
    if stack.device_reasons() & {"media-jam", "media-empty"}:
        stack.start_printer()  # a jam clears when the printer is switched off and on
    conn.enablePrinter(stack.queue)
    conn.acceptJobs(stack.queue)
    deadline = time.monotonic() + 10
    while conn.getPrinterAttributes(stack.queue)["printer-state"] != 3:
        if time.monotonic() > deadline:
            raise AssertionError("the test queue did not come back to idle")
        time.sleep(0.05)

