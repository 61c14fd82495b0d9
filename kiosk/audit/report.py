"""report.json: what every cell of the audit found, as one list a program can read, with the
counts per check and whether the whole audit passed. Pure: built from the cells' records."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kiosk.audit.findings import CHECKS, Check
from kiosk.audit.known import KNOWN, KnownDefect
from kiosk.audit.text_checks import growth
from kiosk.core.geometry import Panel
from kiosk.settings.models import PanelGeometry, TextSize


def _flatten(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One line per finding of a cell, with the conditions it was found in."""
    cell = record["cell"]
    where = {"cell": cell["key"], "profile": cell["profile"], "posture": cell["posture"],
             "text_size": cell["text_size"]}
    lines = [{**where, "theme": None, "language": None, "step": None, "screen": None,
              "screenshot": None, **finding} for finding in record.get("walk_findings", [])]
    for step in record["steps"]:
        for look in step.get("captures", []):
            shot = look["screenshot"]
            for finding in look["findings"]:
                lines.append({**where, "theme": look["theme"], "language": look["language"],
                              "step": step["step"], "screen": step["screen"],
                              "screenshot": f"cells/{cell['key']}/{shot}" if shot else None,
                              **finding})
    return lines


def _growth(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """C3 across the cells of one profile and posture: the heights of each step's controls,
    language by language, from the smaller text sizes to the larger."""
    heights: dict[tuple[str, str, str, str], dict[TextSize, dict[str, float]]] = (
        defaultdict(dict))
    panels: dict[str, Panel] = {}
    for record in records:
        cell = record["cell"]
        if record.get("panel"):
            panels[cell["profile"]] = Panel(PanelGeometry(**record["panel"]))
        for step in record["steps"]:
            for language, by_role in step.get("heights", {}).items():
                key = (cell["profile"], cell["posture"], step["step"], language)
                heights[key][TextSize(cell["text_size"])] = by_role
    lines = []
    for (profile, posture, step, language), by_size in heights.items():
        if profile not in panels:
            continue
        for finding in growth(by_size, panels[profile]):
            lines.append({"cell": f"{profile}-{posture}", "profile": profile,
                          "posture": posture, "text_size": None, "theme": None,
                          "language": language, "step": step, "screen": None,
                          "screenshot": None, **finding.as_dict()})
    return lines


def build_report(records: list[Mapping[str, Any]], about: Mapping[str, Any],
                 known: Sequence[KnownDefect] = KNOWN) -> dict[str, Any]:
    """The whole audit: `about` (version, date, quick or full, duration), the checks, each
    cell's summary, every failure, the counts, and whether it passed. A finding a `known`
    defect covers is listed under `known` with that defect, not counted as a failure."""
    found = [line for record in records for line in _flatten(record)]
    found += _growth(records)
    findings, covered = [], []
    for line in found:
        defect = next((i for i, d in enumerate(known) if d.covers(line)), None)
        if defect is None:
            findings.append(line)
        else:
            covered.append({**line, "known": defect})
    cells = []
    for record in records:
        steps = record["steps"]
        looked = [s for s in steps if s.get("captures")]
        key = record["cell"]["key"]
        cells.append({
            **record["cell"],
            "seconds": record.get("seconds"),
            "steps_walked": len(steps),
            "screens_looked_at": len(looked),
            "looks": sum(len(s["captures"]) for s in looked),
            "screens_seen": sorted({s["screen"] for s in steps}),
            "walk_error": record.get("walk_error"),
            "findings": sum(1 for f in findings if f["cell"] == key),
            "known_findings": sum(1 for f in covered if f["cell"] == key),
        })
    counts = Counter(f["check"] for f in findings)
    return {
        **about,
        "passed": not findings,
        "checks": {check.value: {"what": what, "requirements": requirements,
                                 "failures": counts.get(check.value, 0)}
                   for check, (what, requirements) in CHECKS.items()},
        "cells": cells,
        "looks": sum(c["looks"] for c in cells),
        "findings": findings,
        "known_defects": [{**defect.as_dict(),
                           "findings": sum(1 for f in covered if f["known"] == index)}
                          for index, defect in enumerate(known)],
        "known": covered,
    }


def summary_lines(report: Mapping[str, Any]) -> list[str]:
    """What the command prints: one line per cell, the counts per check, the verdict."""
    lines = []
    for cell in report["cells"]:
        status = f"stopped {cell['walk_error']}" if cell["walk_error"] else "walked through"
        lines.append(f"{cell['key']:<28} {cell['screens_looked_at']:>3} screens, "
                     f"{cell['looks']:>4} looks, {cell['findings']:>5} failures, "
                     f"{cell.get('known_findings', 0):>5} known, "
                     f"{cell['seconds'] or 0:>6.1f} s, {status}")
    for check in Check:
        failures = report["checks"][check.value]["failures"]
        if failures:
            lines.append(f"  {check.value:<12} {failures:>6}  "
                         f"{report['checks'][check.value]['what']}")
    defects = report.get("known_defects", [])
    if defects:
        lines.append(f"known defects of the screens, not counted as failures "
                     f"(kiosk/audit/known.py), {len(report.get('known', []))} findings:")
    for defect in defects:
        seen = (f"{defect['findings']} findings" if defect["findings"]
                else "no longer seen here: take it out if the full matrix agrees")
        screens = ", ".join(defect["screens"]) or "any screen"
        cells = ", ".join(defect["cells"])
        lines.append(f"  KNOWN {defect['check']} in {defect['file']} ({screens}; {cells}; "
                     f"{defect['where']}): {defect['reason']} — {seen}")
    verdict = "passed" if report["passed"] else f"FAILED: {len(report['findings'])} failures"
    lines.append(f"kiosk audit: {report['looks']} looks at {len(report['cells'])} stations: "
                 f"{verdict}")
    return lines
