"""The systemd unit, as `kiosk-provision unit` writes it for this installation, passes
`systemd-analyze verify` with no output at all (warnings exit 0, so output is what counts:
docs/devices.md §4)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from provisioning.cli import installed_executable, render_unit


def verify(unit: Path) -> str:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is not installed (the test command installs systemd)")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " [rc≠0]")


def test_rendered_unit_verifies_with_no_output(tmp_path):
    unit = tmp_path / "kiosk.service"
    unit.write_text(render_unit(installed_executable()), encoding="utf-8")
    assert verify(unit) == ""


def test_unit_is_a_watched_notify_service_that_restarts(tmp_path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string(render_unit(installed_executable()))
    service, unit = parser["Service"], parser["Unit"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "always"
    assert int(unit["StartLimitBurst"]) > 0 and int(unit["StartLimitIntervalSec"]) > 0
    assert service["ExecStart"].split()[0] == str(installed_executable())
    assert Path(service["ExecStart"].split()[0]).exists()


def test_unit_keeps_the_apps_memory_off_disk():
    """No core file and no swap: the app's memory holds what people typed."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string(render_unit(installed_executable()))
    assert parser["Service"]["LimitCORE"] == "0"
    assert parser["Service"]["MemorySwapMax"] == "0"


def test_verify_does_report_a_broken_unit(tmp_path):
    unit = tmp_path / "kiosk.service"
    unit.write_text(render_unit(installed_executable()).replace("Type=notify", "Type=notifyy")
                    .replace("Restart=always", "Restart=sometimes"), encoding="utf-8")
    assert verify(unit) != ""


def test_kiosk_provision_writes_the_unit(tmp_path):
    out = tmp_path / "kiosk.service"
    done = subprocess.run([str(installed_executable().with_name("kiosk-provision")), "unit",
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == render_unit(installed_executable())
