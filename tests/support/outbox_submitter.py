"""A kiosk's submitting half in a process of its own, to be killed:
tests/integration/test_outbox_crash_peer.py starts it, SIGKILLs it at random points and starts
it again.

    KIOSK_TEST_OPEN311_API_KEY=... python tests/support/outbox_submitter.py OUTBOX OPEN311_URL \
        --count N [--exit-when-done]

It opens the real Outbox file, starts the real OutboxSender with the real Open311Adapter over
the real HttpClient, then enqueues submissions 0..N-1, skipping every one already in the
outbox: submission i always has the same station reference (its idempotency key), so a
restarted process resumes where the killed one stopped and never queues one twice. The sender
meanwhile delivers what is pending, including what a killed process left pending.

Lines on stdout tell the test where it is: "READY" once the outbox is open and the sender
runs, "SENDING <key>" just before each call to the central, "DONE" when nothing is pending
(with --exit-when-done; otherwise it stays up, as a kiosk does, until it is killed). The API key
comes from the environment so that it is not on a command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.core.central import Place, RequestSubmission
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.couriers import couriers_for
from kiosk.outbox.references import format_reference
from kiosk.outbox.sender import Courier, OutboxSender
from kiosk.outbox.store import DeliveryResult, Outbox

STATION = "CRASH-01"
#: A fixed day: the references (the idempotency keys) must not depend on when the test runs.
DAY = date(2026, 1, 15)
SERVICE_ID = "open311:SIG-001"  # the seed's realtime service without questions
API_KEY_ENV = "KIOSK_TEST_OPEN311_API_KEY"
#: How long to wait between two submissions: people arrive one after the other, so that a
#: kill may land while some are being queued and others are being sent.
DEFAULT_GAP_S = 0.01

_print_lock = threading.Lock()


def say(line: str) -> None:
    """One whole line on stdout at once (several sender threads speak)."""
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def reference(index: int) -> str:
    """The station reference (and idempotency key) of submission `index`."""
    return format_reference(STATION, DAY, index + 1)


def tag(index: int) -> str:
    """The text submission `index` carries in its description, to find it at the central."""
    return f"crash-test submission #{index:04d}"


def submission(index: int) -> RequestSubmission:
    """Submission `index`, the same every time it is built."""
    return RequestSubmission(SERVICE_ID, {}, Place(lat=47.5871, long=1.3340), STATION,
                             reference(index), description=tag(index))


def announcing(handler: Courier) -> Courier:
    """`handler`, saying which key goes out before each call."""

    def deliver(item: Any, key: str) -> DeliveryResult:
        say(f"SENDING {key}")
        return handler(item, key)

    return deliver


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outbox", type=Path)
    parser.add_argument("open311_url")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--gap", type=float, default=DEFAULT_GAP_S)
    parser.add_argument("--exit-when-done", action="store_true")
    args = parser.parse_args(argv)

    outbox = Outbox(args.outbox)
    http = HttpClient(10.0)
    adapter = Open311Adapter(http, args.open311_url, os.environ[API_KEY_ENV])
    handlers = {kind: announcing(h) for kind, h in couriers_for(desk=adapter).items()}
    sender = OutboxSender(outbox, handlers, backoff=Backoff(base_s=0.05, cap_s=0.5),
                          idle_check_s=0.2)
    sender.start()
    say("READY")
    for index in range(args.count):
        if outbox.get(reference(index)) is None:
            outbox.enqueue(submission(index))
            sender.wake()
            time.sleep(args.gap)
    while outbox.counts().pending:
        time.sleep(0.01)
    if not args.exit_when_done:
        while True:  # a kiosk does not stop by itself: wait to be killed
            time.sleep(3600)
    sender.stop()
    outbox.close()
    http.close()
    say("DONE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
