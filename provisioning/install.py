"""`kiosk-provision install`: a station on Debian 12, from this checkout.

In order: the kiosk account (sysusers), a copy of the code in /opt/kiosk and its virtual
environment (provisioning/setup-dev.sh --station, which also installs the X server, CUPS and
pcscd), the configuration and data directories, the systemd units (display session, app,
safe mode, and the agent's console on desk-assisted), the X server's configuration, udev
rules and the usblp blacklist, log retention, and the receipt printer's CUPS queue with
CUPS's privacy setting. Each step compares before it changes (provisioning/plan.py).
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.settings.models import Profile, ReceiptSettings
from provisioning import printer, units
from provisioning.display import xorg_conf
from provisioning.layout import (
    CODE_DIRS,
    CODE_FILES,
    ETC,
    JOURNALD,
    MODPROBE,
    PREFIX,
    SKIPPED,
    SOURCE,
    STATE,
    SYSUSERS,
    UDEV_RULES,
    UNIT_DIR,
    USER,
    VENV,
    XORG_CONF,
)
from provisioning.plan import Absent, Command, Directory, File, Step, Target


@dataclass(frozen=True)
class InstallOptions:
    """What the person installing asked for."""

    profile: Profile | None = None
    #: the public and the agent's screen outputs (xrandr names), desk-assisted only
    outputs: tuple[str, str] | None = None
    printer_uri: str | None = None
    printer_model: str = printer.DEFAULT_MODEL
    queue: str = ReceiptSettings().queue


def configured_profile(target: Target) -> Profile | None:
    """The profile the station's configuration files name (machine.toml over site.toml)."""
    for name in ("machine.toml", "site.toml"):
        path = target.real(ETC / name)
        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("profile")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if value in {p.value for p in Profile}:
            return Profile(value)
    return None


def _skipped(path: Path) -> bool:
    return any(part == "__pycache__" or part.endswith(SKIPPED) for part in path.parts)


def code_steps(target: Target) -> list[Step]:
    """The code copied to /opt/kiosk (modes kept: 0755 for what is executable, else 0644),
    and what an earlier version left there removed. Nothing when installing from there."""
    if target.real(PREFIX).resolve() == SOURCE:
        return []
    steps: list[Step] = [Directory(PREFIX)]
    wanted: set[PurePosixPath] = set()
    for top in CODE_DIRS:
        steps.append(Directory(PREFIX / top))
        for path in sorted((SOURCE / top).rglob("*")):
            relative = path.relative_to(SOURCE)
            if _skipped(relative):
                continue
            system = PREFIX / relative.as_posix()
            wanted.add(system)
            if path.is_dir():
                steps.append(Directory(system))
            else:
                mode = 0o755 if os.access(path, os.X_OK) else 0o644
                steps.append(File(system, path.read_bytes(), mode=mode))
    steps += [File(PREFIX / name, (SOURCE / name).read_bytes()) for name in CODE_FILES]
    for top in CODE_DIRS:
        installed = target.real(PREFIX / top)
        if not installed.is_dir():
            continue
        for path in sorted(installed.rglob("*"), reverse=True):
            relative = path.relative_to(target.real(PREFIX))
            system = PREFIX / relative.as_posix()
            if not _skipped(relative) and system not in wanted and not path.is_dir():
                steps.append(Absent(system))
    return steps


def _systemctl_says(*argv: str) -> str:
    done = subprocess.run(["systemctl", *argv], capture_output=True, text=True, timeout=30,
                          check=False)
    return done.stdout.strip()


def unit_steps(profile: Profile, outputs: tuple[str, str] | None) -> list[Step]:
    """The units, systemd told of them, the ones started at boot enabled, and the machine
    booting to the graphical target (which the display session and the app belong to)."""
    paths = []
    steps: list[Step] = []
    for name in units.units_for(profile):
        path = UNIT_DIR / name
        paths.append(path)
        steps.append(File(path, units.render(name, PREFIX, profile, outputs).encode("utf-8")))
    if profile is not Profile.DESK_ASSISTED:
        steps.append(Absent(UNIT_DIR / units.AGENT))
        paths.append(UNIT_DIR / units.AGENT)
    enabled = units.enabled_for(profile)
    steps += [
        Command(("systemctl", "daemon-reload"), after=tuple(paths)),
        Command(("systemctl", "enable", *enabled),
                needed=lambda: any(_systemctl_says("is-enabled", unit) != "enabled"
                                   for unit in enabled)),
        Command(("systemctl", "set-default", "graphical.target"),
                needed=lambda: _systemctl_says("get-default") != "graphical.target"),
    ]
    return steps


def device_steps() -> list[Step]:
    """udev rules (printer, badge reader, scanner) and the usblp blacklist."""
    return [
        File(UDEV_RULES, (SOURCE / "systemd" / "70-kiosk.rules").read_bytes()),
        Command(("udevadm", "control", "--reload"), after=(UDEV_RULES,)),
        Command(("udevadm", "trigger", "--action=change", "--subsystem-match=usb",
                 "--subsystem-match=input"), after=(UDEV_RULES,)),
        File(MODPROBE, (SOURCE / "systemd" / "kiosk-usblp.conf").read_bytes()),
        # usblp may hold the printer already: let go of it now, not at the next boot.
        Command(("modprobe", "-r", "usblp"), after=(MODPROBE,),
                needed=lambda: Path("/sys/module/usblp").exists()),
    ]


def install_steps(options: InstallOptions, target: Target) -> list[Step]:
    """Every step of an installation, in the order they are applied."""
    profile = options.profile or configured_profile(target) or Profile.TOTEM
    target.say(f"install: profile {profile.value}, into {target.root or '/'}")
    steps: list[Step] = [
        Directory(PurePosixPath("/etc")),
        File(SYSUSERS, (SOURCE / "systemd" / "kiosk.sysusers").read_bytes()),
        Command(("systemd-sysusers", str(SYSUSERS)), after=(SYSUSERS,),
                needed=lambda: target.uid(USER) is None,
                on_root=("systemd-sysusers", "--root={root}")),
        *code_steps(target),
        Command(("bash", str(PREFIX / "provisioning" / "setup-dev.sh"), "--station"),
                after=(PREFIX,), needed=lambda: not Path(VENV / "bin" / "kiosk").exists()),
        Directory(ETC, "root", USER, 0o750),
        Directory(STATE, USER, USER, 0o700),
        *unit_steps(profile, options.outputs),
        File(XORG_CONF, xorg_conf(profile, options.outputs).encode("utf-8")),
        *device_steps(),
        File(JOURNALD, (SOURCE / "systemd" / "kiosk-journald.conf").read_bytes()),
        Command(("systemctl", "restart", "systemd-journald.service"), after=(JOURNALD,)),
        *printer.privacy_steps(target),
    ]
    uri = options.printer_uri or (printer.detect_printer() if target.root is None else None)
    if uri is None:
        target.say("no receipt printer found: no CUPS queue made (plug it in and run install "
                   "again, or give --printer-uri)")
    else:
        steps += printer.queue_steps(options.queue, uri, options.printer_model)
    return steps


def install(options: InstallOptions, root: Path | None, dry_run: bool) -> int:
    """Apply the installation; 0, or 1 with one line on stderr."""
    import sys

    from provisioning.plan import ProvisionError

    if os.geteuid() != 0 and not dry_run:
        print("kiosk-provision install: must run as root (it sets owners of system files); "
              "--dry-run shows what it would do", file=sys.stderr)
        return 1
    target = Target(root=root.resolve() if root else None, dry_run=dry_run)
    try:
        if root is not None and not dry_run:
            target.real(PurePosixPath("/")).mkdir(parents=True, exist_ok=True)
        changes = target.apply(install_steps(options, target))
    except (ProvisionError, OSError) as err:
        print(f"kiosk-provision install: {err}", file=sys.stderr)
        return 1
    if changes == 0:
        print("install: nothing to change, the station is installed as asked")
    else:
        print(f"install: {changes} change{'s' if changes > 1 else ''}"
              f"{' would be made (dry run: nothing changed)' if dry_run else ''}")
    return 0
