"""`kiosk audit` as a user runs it, without a window: its arguments are checked, and a station
that cannot even start is a failure the report names (report.json, summary.html, exit 1),
with the reason, rather than an audit that passes on nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def kiosk(*args, env=None, timeout=120):
    environ = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env={**environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def test_an_unknown_profile_is_refused_by_name():
    done = kiosk("audit", "--profile", "kiosque")
    assert done.returncode == 2
    assert "invalid choice: 'kiosque'" in done.stderr


def test_stations_that_cannot_start_fail_the_audit_and_say_why(tmp_path):
    out = tmp_path / "audit"
    done = kiosk("audit", "--quick", "--profile", "desk", "--out", str(out),
                 env={"KIOSK__PANEL__PRESET": '"no-such-panel"'})
    assert done.returncode == 1, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["passed"] is False and report["quick"] is True
    assert [c["key"] for c in report["cells"]] == ["desk-standing-S", "desk-seated-L"]
    for cell in report["cells"]:
        assert "the configuration is refused" in cell["walk_error"]
        assert "no-such-panel" in cell["walk_error"]
    assert {f["check"] for f in report["findings"]} == {"walk"}
    assert report["checks"]["walk"]["failures"] == 2
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "2 failures." in page and "no-such-panel" in page
    assert "FAILED: 2 failures" in done.stdout
    # The stations' data (the outbox) is no part of a report.
    assert not list(out.glob("cells/*/data"))
