"""`kiosk-provision install --root DIR`: the tree, owners and modes of a station, a second run
that changes nothing, a dry run that changes nothing, and the commands left for the live
system. The account comes from the real systemd-sysusers, run on the folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from provisioning.layout import SOURCE

PROVISION = [sys.executable, "-m", "provisioning.cli", "install"]
SYSTEM_CUPSD = Path("/etc/cups/cupsd.conf")
PRINTER = "usb://EPSON/TM-T20III?serial=X7Q0012345"


def install(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*PROVISION, "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def snapshot(root: Path) -> dict[str, tuple[int, int, int, int, str]]:
    """Every path under root: mode, owner, group, and for a file its modification time and
    content hash (a directory's time moves with the account database's lock file)."""
    seen = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        is_file = path.is_file()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if is_file else ""
        seen[str(path.relative_to(root))] = (info.st_mode, info.st_uid, info.st_gid,
                                             info.st_mtime_ns if is_file else 0, digest)
    return seen


def account(root: Path, name: str, database: str = "passwd") -> list[str]:
    for line in (root / "etc" / database).read_text(encoding="utf-8").splitlines():
        if line.split(":")[0] == name:
            return line.split(":")
    raise AssertionError(f"no {name} in {database}")


def server_line(root: Path) -> str:
    """The X server's command line in the installed display unit."""
    text = (root / "etc/systemd/system/kiosk-display.service").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith("ExecStart="))


def owned(path: Path) -> tuple[int, int, int]:
    info = path.lstat()
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty system with CUPS's own cupsd.conf in it."""
    tree = tmp_path / "root"
    (tree / "etc" / "cups").mkdir(parents=True)
    shutil.copy(SYSTEM_CUPSD, tree / "etc" / "cups" / "cupsd.conf")
    return tree


def test_a_totem_installs_with_its_owners_and_modes_and_twice_changes_nothing(root):
    first = install(root, "--profile", "totem", "--printer-uri", PRINTER)
    assert "created /etc/systemd/system/kiosk.service" in first.stdout
    user = account(root, "kiosk")
    uid, gid = int(user[2]), int(user[3])
    assert user[5:] == ["/var/lib/kiosk", "/usr/sbin/nologin"]
    for group in ("video", "render", "input", "lp"):
        assert "kiosk" in account(root, group, "group")[3].split(",")
    assert owned(root / "etc/kiosk") == (0, gid, 0o750)
    assert owned(root / "var/lib/kiosk") == (uid, gid, 0o700)
    for unit in ("kiosk.service", "kiosk-display.service", "kiosk-safe-mode.service"):
        assert owned(root / "etc/systemd/system" / unit) == (0, 0, 0o644)
    assert not (root / "etc/systemd/system/kiosk-agent.service").exists()
    app = (root / "etc/systemd/system/kiosk.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/kiosk/.venv/bin/kiosk run --fullscreen" in app
    assert "OnFailure=kiosk-safe-mode.service" in app
    server = server_line(root)
    for flag in ("-novtswitch", "-s 0", "-dpms", "-nocursor", "-nolisten tcp", "-noreset",
                 "-config /etc/X11/kiosk/xorg.conf"):
        assert flag in server
    xorg = (root / "etc/X11/kiosk/xorg.conf").read_text(encoding="utf-8")
    assert '"DontVTSwitch" "true"' in xorg and '"BlankTime" "0"' in xorg
    assert "Monitor" not in xorg  # one screen: the server finds it
    assert "blacklist usblp" in (root / "etc/modprobe.d/kiosk-usblp.conf").read_text()
    rules = (root / "etc/udev/rules.d/70-kiosk.rules").read_text(encoding="utf-8")
    assert 'GROUP="lp"' in rules and "kiosk-scanner" in rules and "0b????" in rules
    journald = (root / "etc/systemd/journald.conf.d/kiosk.conf").read_text(encoding="utf-8")
    assert "MaxRetentionSec=1month" in journald and "SystemMaxUse=200M" in journald
    assert "PreserveJobFiles No" in (root / "etc/cups/cupsd.conf").read_text().splitlines()
    # The code, as in this checkout; what is executable stays so, nothing else is.
    copied = root / "opt/kiosk"
    assert (copied / "kiosk/cli.py").read_bytes() == (SOURCE / "kiosk/cli.py").read_bytes()
    assert owned(copied / "systemd/kiosk-display-session") == (0, 0, 0o755)
    assert owned(copied / "kiosk/cli.py") == (0, 0, 0o644)
    assert not list(copied.rglob("__pycache__"))
    commands = (root / "kiosk-provision.commands").read_text(encoding="utf-8").splitlines()
    assert f"lpadmin -p receipt -E -v '{PRINTER}' -m everywhere" in commands
    assert "systemctl enable kiosk-display.service kiosk.service" in commands
    assert "systemctl daemon-reload" in commands
    assert "udevadm control --reload" in commands
    assert "bash /opt/kiosk/provisioning/setup-dev.sh --station" in commands
    assert "systemctl restart cups.service" in commands

    before = snapshot(root)
    second = install(root, "--profile", "totem", "--printer-uri", PRINTER)
    assert "nothing to change" in second.stdout
    assert snapshot(root) == before


def test_desk_assisted_places_two_screens_and_gets_the_agents_console(root):
    install(root, "--profile", "desk-assisted", "--outputs", "HDMI-1,DP-1")
    units = root / "etc/systemd/system"
    assert "ExecStart=/opt/kiosk/.venv/bin/kiosk agent" in (
        units / "kiosk-agent.service").read_text(encoding="utf-8")
    display = (units / "kiosk-display.service").read_text(encoding="utf-8")
    assert "-nocursor" not in server_line(root)  # a desk has a mouse
    assert "ready :0 /run/kiosk-display/xauth kiosk HDMI-1 DP-1" in display
    xorg = (root / "etc/X11/kiosk/xorg.conf").read_text(encoding="utf-8")
    assert '"Monitor-HDMI-1" "public"' in xorg and '"RightOf" "public"' in xorg
    commands = (root / "kiosk-provision.commands").read_text(encoding="utf-8")
    assert "systemctl enable kiosk-display.service kiosk.service kiosk-agent.service" in commands
    # The same station made a totem: the console goes, the cursor too.
    done = install(root, "--profile", "totem")
    assert "removed /etc/systemd/system/kiosk-agent.service" in done.stdout
    assert not (units / "kiosk-agent.service").exists()
    assert "-nocursor" in server_line(root)


def test_the_profile_defaults_to_the_stations_configuration(root):
    (root / "etc/kiosk").mkdir(parents=True)
    (root / "etc/kiosk/machine.toml").write_text('profile = "desk"\n', encoding="utf-8")
    done = install(root)
    assert "profile desk," in done.stdout
    assert "-nocursor" not in server_line(root)


def test_a_dry_run_changes_nothing(root):
    before = snapshot(root)
    done = subprocess.run([*PROVISION, "--root", str(root), "--dry-run", "--profile", "totem"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "would create /etc/systemd/system/kiosk.service" in done.stdout
    assert "would record for the live system: systemctl daemon-reload" in done.stdout
    assert "dry run: nothing changed" in done.stdout
    assert snapshot(root) == before


def test_what_an_earlier_version_left_is_removed_and_a_changed_file_restored(root):
    install(root, "--profile", "totem")
    stale = root / "opt/kiosk/kiosk/old_module.py"
    stale.write_text("x = 1\n", encoding="utf-8")
    rules = root / "etc/udev/rules.d/70-kiosk.rules"
    rules.write_text("# edited by hand\n", encoding="utf-8")
    os.chmod(root / "var/lib/kiosk", 0o755)
    done = install(root, "--profile", "totem")
    assert "removed /opt/kiosk/kiosk/old_module.py" in done.stdout
    assert "updated /etc/udev/rules.d/70-kiosk.rules" in done.stdout
    assert "changed owner or mode of /var/lib/kiosk" in done.stdout
    assert not stale.exists()
    assert rules.read_bytes() == (SOURCE / "systemd/70-kiosk.rules").read_bytes()
    assert stat.S_IMODE((root / "var/lib/kiosk").stat().st_mode) == 0o700


def test_a_file_in_the_way_of_a_directory_is_a_clear_error(root):
    (root / "var/lib").mkdir(parents=True)
    (root / "var/lib/kiosk").write_text("not a directory", encoding="utf-8")
    done = subprocess.run([*PROVISION, "--root", str(root), "--profile", "totem"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "kiosk-provision install: /var/lib/kiosk: exists and is not a directory"]
