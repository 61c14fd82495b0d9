"""`kiosk-provision cups-privacy`: CUPS keeps no copy of a printed receipt. The rewritten
cupsd.conf is the machine's real one, and cupsd itself checks the result (`cupsd -t`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from provisioning.cups_privacy import PRIVACY_DIRECTIVES, with_directives

SYSTEM_CONF = Path("/etc/cups/cupsd.conf")


def provision(conf: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provisioning.cli", "cups-privacy", "--conf",
                           str(conf)], capture_output=True, text=True, timeout=30)


def test_the_real_cupsd_conf_gets_the_directive_and_cupsd_accepts_it(tmp_path):
    conf = tmp_path / "cupsd.conf"
    shutil.copy(SYSTEM_CONF, conf)
    before = conf.read_text(encoding="utf-8")
    done = provision(conf)
    assert done.returncode == 0, done.stderr
    after = conf.read_text(encoding="utf-8")
    assert "PreserveJobFiles No" in after.splitlines()
    assert sum(line.startswith("PreserveJobFiles") for line in after.splitlines()) == 1
    kept = [line for line in before.splitlines() if not line.startswith("PreserveJobFiles")]
    assert all(line in after.splitlines() for line in kept)
    checked = subprocess.run(["cupsd", "-t", "-c", str(conf)], capture_output=True, text=True,
                             timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    again = provision(conf)
    assert again.returncode == 0 and "already set" in again.stdout
    assert conf.read_text(encoding="utf-8") == after


def test_an_existing_value_is_replaced_in_place():
    text = "LogLevel warn\nPreserveJobFiles 86400\nMaxLogSize 0\n"
    assert with_directives(text, PRIVACY_DIRECTIVES) == (
        "LogLevel warn\nPreserveJobFiles No\nMaxLogSize 0\n")


def test_a_missing_file_is_one_clear_line(tmp_path):
    done = provision(tmp_path / "nope.conf")
    assert done.returncode == 1
    missing = tmp_path / "nope.conf"
    assert done.stderr.strip() == f"kiosk-provision: {missing}: No such file or directory"
