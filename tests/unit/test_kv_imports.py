"""Kivy's `#:import NAME target` is global to every kv file: two screens giving one name two
targets make the last file loaded win for all of them (the appointment summary once sent the
request flow's "Confirm"). Each name stands for one target everywhere."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def clashing_imports(files: list[Path]) -> dict[str, set[str]]:
    targets: dict[str, set[str]] = defaultdict(set)
    for kv in files:
        for name, target in re.findall(r"^#:import\s+(\S+)\s+(\S+)", kv.read_text(
                encoding="utf-8"), re.M):
            targets[name].add(target)
    return {name: found for name, found in targets.items() if len(found) > 1}


def test_every_kv_import_name_has_one_target():
    assert clashing_imports(sorted((REPO / "screens").glob("*.kv"))) == {}


def test_a_clash_is_caught(tmp_path):
    (tmp_path / "a.kv").write_text("#:import Confirm kiosk.core.flows.request.Confirm\n")
    (tmp_path / "b.kv").write_text("#:import Confirm kiosk.core.flows.appointment.Confirm\n")
    assert set(clashing_imports([tmp_path / "a.kv", tmp_path / "b.kv"])) == {"Confirm"}
