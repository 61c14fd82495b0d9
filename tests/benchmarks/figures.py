"""Where a benchmark's figures go: printed for a person, and written to a JSON file for the
next comparison (`--out FILE`, by default `bench-out/<benchmark>.json`, which git ignores).
Figures are produced by a run, never committed: docs/performance.md keeps a dated table that is
refreshed when a change moves a figure."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parents[2] / "bench-out"


def add_out_option(parser: argparse.ArgumentParser, benchmark: str) -> None:
    """The `--out FILE` option, defaulting to bench-out/<benchmark>.json."""
    default = OUT_DIR / f"{benchmark}.json"
    parser.add_argument("--out", type=Path, metavar="FILE", default=default,
                        help=f"JSON file the figures are written to (default {default})")


def write_figures(path: Path, benchmark: str, arguments: argparse.Namespace,
                  figures: dict[str, Any]) -> None:
    """Write the figures with when, where and how they were measured; the file appears whole."""
    payload = {
        "benchmark": benchmark,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "arguments": {k: v for k, v in vars(arguments).items() if k != "out"},
        "figures": figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
    os.replace(tmp, path)
    print(f"  figures written to {path}")
