"""Benchmark: from "Confirm" to the receipt accepted by CUPS.

    .venv/bin/python tests/benchmarks/print_confirm.py [--prints 30] [--paper thermal-80]
        [--out FILE]

Starts the real printing stack of the tests (tests/cups_daemons.py: D-Bus, avahi, cupsd, an
ippeveprinter and a queue of its own; daemons already running are used as they are), then for
each print measures the time from the person's "Confirm" (the receipt is drawn and written to
a file) to the job accepted by CUPS (CupsPrinter.print_file returned a job id, health checked on
the way). Each job is left to complete before the next "Confirm", so that no backlog is timed.
Target on a 2-core machine: p95 ≤ 150 ms. It prints figures and writes them to `--out`
(default bench-out/print_confirm.json); it does not assert them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))  # for cups_daemons

from cups_daemons import start_stack
from figures import add_out_option, write_figures

from devices.cups_printer import CupsPrinter
from kiosk.core.devices import JobState
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.receipts import render_receipt

TARGET_P95_MS = 150
COMPLETION_TIMEOUT_S = 30


def receipt(index: int) -> Receipt:
    """A realistic receipt, a different number each time."""
    return Receipt(
        city="Villeneuve-sur-Loire", title="Demande d’enlèvement d’encombrants envoyée",
        when=datetime(2026, 12, 1, 14, 5), place="Hôtel de Ville, 1 place de la Mairie",
        number=f"{104217 + index}", number_kind=NumberKind.TRACKING, language="fr",
        next_steps=("Un agent vous appelle sous 5 jours ouvrés pour fixer la date.",
                    "Sortez les objets la veille au soir, devant chez vous."),
        tracking_url="https://demarches.villeneuve.example/suivi/{number}",
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prints", type=int, default=30)
    parser.add_argument("--paper", default="thermal-80", choices=["thermal-80", "a5", "a4"])
    add_out_option(parser, "print_confirm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="print-bench-") as scratch:
        work = Path(scratch)
        (work / "stack").mkdir()
        stack = start_stack(work / "stack", queue=f"kiosk-bench-{os.getpid()}")
        try:
            printer = CupsPrinter(stack.queue)
            render_ms, submit_ms, total_ms, complete_ms = [], [], [], []
            failures = 0
            for index in range(args.prints):
                start = time.perf_counter()
                path = render_receipt(receipt(index), args.paper, work / "receipts")
                drawn = time.perf_counter()
                job = printer.print_file(path, "Receipt")
                accepted = time.perf_counter()
                render_ms.append((drawn - start) * 1000)
                submit_ms.append((accepted - drawn) * 1000)
                total_ms.append((accepted - start) * 1000)
                deadline = accepted + COMPLETION_TIMEOUT_S
                while job.state not in (JobState.COMPLETED, JobState.FAILED):
                    if time.perf_counter() > deadline:
                        break
                    time.sleep(0.02)
                    job = printer.job(job.job_id)
                complete_ms.append((time.perf_counter() - start) * 1000)
                failures += job.state is not JobState.COMPLETED
                path.unlink()
        finally:
            stack.stop()
    print(f"print_confirm: {args.prints} prints on {args.paper}, real cupsd + ippeveprinter")
    rows = (("confirm → accepted by CUPS", "confirm_to_accepted_ms", total_ms),
            ("  drawing the receipt", "drawing_ms", render_ms),
            ("  health + submit", "health_and_submit_ms", submit_ms),
            ("confirm → printed", "confirm_to_printed_ms", complete_ms))
    figures: dict[str, object] = {"paper": args.paper, "prints": args.prints}
    for name, key, values in rows:
        print(f"  {name:28s} p50 {statistics.median(values):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms")
        figures[key] = {"p50": statistics.median(values), "p95": percentile(values, 0.95),
                        "max": max(values)}
    p95 = percentile(total_ms, 0.95)
    verdict = "within" if p95 <= TARGET_P95_MS else "OVER"
    print(f"  target p95 ≤ {TARGET_P95_MS} ms: {verdict} ({p95:.1f} ms); "
          f"jobs not completed: {failures}")
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["jobs_not_completed"] = failures
    write_figures(args.out, "print_confirm", args, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
