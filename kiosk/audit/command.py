"""`kiosk audit [--out DIR] [--quick] [--profile P ...] [--station KEY ...]`: every cell of
the matrix in a process of its own (Kivy draws one window per process), as many at a time as
the machine has cores, then report.json, summary.html and the screenshots in DIR. Exits 1 on
any failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk.audit.matrix import PROFILES, Cell, full_matrix, only_stations, quick_matrix
from kiosk.audit.report import build_report, summary_lines
from kiosk.audit.summary import render
from kiosk.settings.models import Profile

# A cell walks ~60 steps; one that has not finished in this long is stuck.
CELL_TIMEOUT_S = 20 * 60


def run_cell(cell: Cell, out: Path) -> dict[str, Any]:
    """One cell in a child process with no display (Kivy draws offscreen); its record, or
    one that says why it has none."""
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    command = [sys.executable, "-m", "kiosk.audit.cell", json.dumps(cell.as_dict()), str(out)]
    with (out / "cell.log").open("w", encoding="utf-8") as log:
        try:
            done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  timeout=CELL_TIMEOUT_S, check=False)
            why = f"the audit process exited with status {done.returncode}"
        except subprocess.TimeoutExpired:
            why = f"the audit process did not finish in {CELL_TIMEOUT_S} s"
    # The station's data (the outbox of the walk-through's requests) is no part of a report.
    shutil.rmtree(out / "data", ignore_errors=True)
    path = out / "cell.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"cell": cell.as_dict(), "steps": [], "walk_error": f"{why} (see {out}/cell.log)",
            "walk_findings": [{"check": "walk", "requirement": "§5", "where": "walk-through",
                               "message": f"{why} (see cell.log)", "box": None}]}


def audit(out: Path, quick: bool, profiles: tuple[Profile, ...] = PROFILES,
          stations: tuple[str, ...] = ()) -> int:
    """Run the matrix (or its quick subset) for `profiles`, only the stations whose key
    matches one of `stations` (fnmatch) when some are given; 0 when every check passed."""
    cells = quick_matrix(profiles) if quick else full_matrix(profiles)
    cells = only_stations(cells, stations)
    if not cells:
        print(f"kiosk audit: no station matches {' '.join(stations)}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "cells", ignore_errors=True)
    started = time.monotonic()
    workers = max(1, min(len(cells), os.cpu_count() or 1))
    print(f"kiosk audit: {len(cells)} stations, {workers} at a time", flush=True)
    with ThreadPoolExecutor(workers) as pool:
        records = list(pool.map(lambda cell: run_cell(cell, out / "cells" / cell.key), cells))
    try:
        version = metadata.version("kiosk")
    except metadata.PackageNotFoundError:
        version = "unknown"
    report = build_report(records, {
        "kiosk": version, "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick, "seconds": round(time.monotonic() - started, 1)})
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    (out / "summary.html").write_text(render(report), encoding="utf-8")
    for line in summary_lines(report):
        print(line)
    print(f"kiosk audit: {out / 'summary.html'}, {out / 'report.json'}")
    return 0 if report["passed"] else 1
