"""The README stays true: it opens with the two commands, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def first_code_block() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block, "the README must open with a bash code block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_the_run_and_test_commands():
    assert README.index("```bash") < README.index("## ")
    run, test = first_code_block()
    assert "kiosk demo --headless --out" in run
    assert test == "bash tests/run.sh"


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    _, test = first_code_block()
    assert test in ci

