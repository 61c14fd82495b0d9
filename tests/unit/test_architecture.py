"""docs/architecture.md draws the way of a tap through the code: every function it names exists
where it says (read from the source, not imported: screens would bring Kivy into a unit test),
and the button it starts from sends its intent straight to the app."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs/architecture.md").read_text(encoding="utf-8")


def walk_table() -> list[str]:
    """The `path.py:Name` references of the table under "The way of a tap"."""
    section = DOC.split("## The way of a tap", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 8, "the walk has eight hops"
    return [ref for row in rows for ref in re.findall(r"`([\w/]+\.(?:py|kv)(?::[\w.]+)?)`", row)]


def defines(path: Path, qualname: str) -> bool:
    """Whether the module at `path` defines `qualname` (a function, or Class.method)."""
    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for part in qualname.split("."):
        found = next((node for node in scope if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == part),
            None)
        if found is None:
            return False
        scope = found.body
    return True


def test_every_function_of_the_walk_exists_where_the_doc_says():
    refs = walk_table()
    assert len(refs) >= 15
    missing = []
    for ref in refs:
        path, _, qualname = ref.partition(":")
        if not (REPO / path).exists() or (qualname and not defines(REPO / path, qualname)):
            missing.append(ref)
    assert missing == []


def test_the_check_sees_a_name_that_is_not_there():
    assert defines(REPO / "kiosk/core/controller.py", "KioskCore.dispatch")
    assert not defines(REPO / "kiosk/core/controller.py", "KioskCore.dispatch_all")
    assert not defines(REPO / "kiosk/core/controller.py", "Nowhere.dispatch")


def test_the_button_sends_its_intent_to_the_app():
    rules = (REPO / "screens" / "appointment_summary.kv").read_text(encoding="utf-8")
    assert "on_release: app.send(appointment_flow.Confirm())" in rules
