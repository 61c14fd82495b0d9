"""summary.html: the audit as a city can attach it to its accessibility statement — what was
checked against which requirement, in which conditions, and every failure with the screen it
was seen on. One self-contained page (the screenshots are files next to it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape
from typing import Any

STYLE = """
body { font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #161616; max-width: 70em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #767676; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.passed { color: #1B5E20; font-weight: bold; } .failed { color: #A4161A; font-weight: bold; }
img { max-width: 16em; border: 1px solid #767676; } details { margin: 0.3em 0; }
"""


def _cell(value: object) -> str:
    return f"<td>{escape(str(value))}</td>"


def _conditions(finding: Mapping[str, Any]) -> str:
    parts = [finding[k] for k in ("profile", "posture", "text_size", "theme", "language")
             if finding.get(k)]
    return ", ".join(parts)


def render(report: Mapping[str, Any]) -> str:
    """The page for `report` (report.json's content)."""
    verdict = ('<p class="passed">Every check passed.</p>' if report["passed"] else
               f'<p class="failed">{len(report["findings"])} failures.</p>')
    if report.get("known"):
        verdict += (f'<p class="failed">{len(report["known"])} findings of known defects, '
                    f'not fixed yet: see "Known defects" below.</p>')
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        "<title>Kiosk accessibility audit</title>", f"<style>{STYLE}</style>", "</head>",
        "<body>", "<h1>Kiosk accessibility audit</h1>",
        f"<p>Kiosk {escape(str(report['kiosk']))}, audited on {escape(report['generated'])} "
        f"in {report['seconds']:.0f} s: {report['looks']} looks at the screens of "
        f"{len(report['cells'])} stations "
        f"({'the quick subset' if report['quick'] else 'the full matrix'}).</p>",
        verdict,
        "<p>Each station walks through every screen of every flow, as a visitor would, and "
        "each screen is checked from its widgets (positions, sizes, names, focus order) and "
        "from its pixels (contrast). Requirements are those of the kiosk's accessibility "
        "reference (docs/accessibility.md), from EN 301 549, WCAG 2.2 and the ADA "
        "standards.</p>",
        "<h2>What was checked</h2>", "<table>",
        "<tr><th>check</th><th>requirement</th><th>what passes</th><th>failures</th></tr>",
    ]
    for name, check in report["checks"].items():
        out.append(f"<tr>{_cell(name)}{_cell(check['requirements'])}{_cell(check['what'])}"
                   f"{_cell(check['failures'])}</tr>")
    out += ["</table>", "<h2>Stations and conditions</h2>", "<table>",
            "<tr><th>profile</th><th>posture</th><th>text size</th><th>themes</th>"
            "<th>languages</th><th>screens looked at</th><th>looks</th><th>failures</th>"
            "<th>walk-through</th></tr>"]
    for cell in report["cells"]:
        walk = f"stopped {cell['walk_error']}" if cell["walk_error"] else "every step"
        out.append(
            f"<tr>{_cell(cell['profile'])}{_cell(cell['posture'])}{_cell(cell['text_size'])}"
            f"{_cell(', '.join(cell['themes']))}{_cell(', '.join(cell['languages']))}"
            f"{_cell(cell['screens_looked_at'])}{_cell(cell['looks'])}"
            f"{_cell(cell['findings'])}{_cell(walk)}</tr>")
    out.append("</table>")
    if report["findings"]:
        out += _failures(report["findings"])
    if report.get("known_defects"):
        out += _known(report)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _failures(findings: list[Mapping[str, Any]]) -> list[str]:
    """Failures grouped by screen, then by check and widget: one line each, with how many
    conditions show it, one example, a screenshot, and the list of conditions."""
    groups: dict[str, dict[tuple[str, str], list[Mapping[str, Any]]]] = defaultdict(
        lambda: defaultdict(list))
    for finding in findings:
        screen = finding["screen"] or "the walk-through"
        groups[screen][(finding["check"], finding["where"])].append(finding)
    out = ["<h2>Failures, screen by screen</h2>"]
    for screen in sorted(groups):
        out.append(f"<h3>{escape(screen)}</h3>")
        for (check, where), found in sorted(groups[screen].items()):
            first = found[0]
            shot = next((f["screenshot"] for f in found if f["screenshot"]), None)
            picture = (f'<a href="{escape(shot)}"><img src="{escape(shot)}" '
                       f'alt="the screen {escape(screen)}, what fails outlined in red"></a>'
                       if shot else "")
            conditions = "".join(
                f"<li>{escape(_conditions(f))} (step {escape(str(f['step']))}): "
                f"{escape(f['message'])}</li>" for f in found[:200])
            out.append(
                f"<details><summary><b>{escape(check)}</b> ({escape(first['requirement'])}) "
                f"{escape(where)}: {escape(first['message'])} — in {len(found)} "
                f"condition(s)</summary>{picture}<ul>{conditions}</ul></details>")
    return out


def _known(report: Mapping[str, Any]) -> list[str]:
    """The screens' known defects (kiosk/audit/known.py): each with its file, check, where it
    shows, why it is not fixed, and the findings it covers here."""
    out = ["<h2>Known defects, not fixed yet</h2>",
           "<p>Defects of the screens the audit finds and a fix has not reached yet. They are "
           "not counted as failures above; each is listed with what it covers here.</p>",
           "<table>", "<tr><th>file</th><th>check</th><th>screens</th><th>stations</th>"
           "<th>widgets</th><th>why not fixed yet</th><th>findings here</th></tr>"]
    for defect in report["known_defects"]:
        screens, cells = ", ".join(defect["screens"]) or "any", ", ".join(defect["cells"])
        out.append(f"<tr>{_cell(defect['file'])}{_cell(defect['check'])}"
                   f"{_cell(screens)}{_cell(cells)}"
                   f"{_cell(defect['where'])}{_cell(defect['reason'])}"
                   f"{_cell(defect['findings'])}</tr>")
    out.append("</table>")
    for index, defect in enumerate(report["known_defects"]):
        found = [f for f in report["known"] if f["known"] == index]
        if not found:
            continue
        items = "".join(f"<li>{escape(_conditions(f))}, {escape(str(f['screen']))} (step "
                        f"{escape(str(f['step']))}): {escape(f['message'])}</li>"
                        for f in found[:100])
        out.append(f"<details><summary>{escape(defect['file'])}, {escape(defect['check'])}: "
                   f"{len(found)} findings</summary><ul>{items}</ul></details>")
    return out
