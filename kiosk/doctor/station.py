"""Checks of the station itself: its configuration, its display, its devices, its disk and its
outbox."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.doctor.findings import Finding, Level
from kiosk.settings.models import DeviceDriver, ScannerMode, Settings, SpeechDriver

#: Free space under which the data directory is a warning, then an issue: the outbox and the
#: simulators' state are small, but SQLite needs room to write its log.
WARN_FREE_BYTES = 1024**3
ISSUE_FREE_BYTES = 200 * 1024**2
#: An outbox item waiting longer than this means the central is unreachable for too long.
WARN_OLDEST_S = 3600.0
#: The file the app keeps its outbox in (kiosk/shell/central_wiring.py, OUTBOX_FILE).
OUTBOX_FILE = "outbox.sqlite3"
#: The station's X server when none is named (systemd/kiosk-display.service).
STATION_DISPLAY = ":0"


def display(environ: dict[str, str]) -> Finding:
    """The X server answers (xset, from x11-xserver-utils)."""
    name = environ.get("DISPLAY") or STATION_DISPLAY
    try:
        done = subprocess.run(["xset", "q"], capture_output=True, timeout=10, check=False,
                              env={**environ, "DISPLAY": name})
    except FileNotFoundError:
        return Finding(Level.WARNING, "display", "xset is not installed: not checked")
    except subprocess.TimeoutExpired:
        return Finding(Level.ISSUE, "display", f"{name}: no answer within 10 s")
    if done.returncode != 0:
        return Finding(Level.ISSUE, "display", f"{name}: no X server answers (is "
                                               "kiosk-display.service running?)")
    return Finding(Level.OK, "display", f"{name} answers")


def device_health(settings: Settings) -> dict[str, DeviceHealth]:
    """Each device's health, read the way the app reads it, without taking a device the app
    may hold (an evdev scanner is only looked for, not grabbed). Nothing is read before the
    data directory exists: the app makes it, owned by the kiosk user."""
    data = settings.data_dir
    if not data.is_dir():
        return {kind: DeviceHealth(False, "data-dir-missing") for kind in DeviceKind}
    with as_owner_of(data):
        return _device_health(settings)


def _device_health(settings: Settings) -> dict[str, DeviceHealth]:
    from devices.sim_card_reader import SimCardReader
    from devices.sim_printer import SimPrinter
    from devices.sim_scanner import SimScanner
    from devices.sim_speech import SimSpeech

    data = settings.data_dir
    found: dict[str, DeviceHealth] = {}
    if settings.devices.printer.driver is DeviceDriver.REAL:
        from devices.cups_printer import CupsPrinter

        found[DeviceKind.PRINTER] = CupsPrinter(settings.receipts.queue).health()
    else:
        found[DeviceKind.PRINTER] = SimPrinter(data).health()
    found[DeviceKind.CARD_READER] = SimCardReader(data).health()
    scanner = settings.devices.scanner
    if scanner.driver is DeviceDriver.SIM:
        found[DeviceKind.SCANNER] = SimScanner(data).health()
    elif scanner.mode is ScannerMode.WEDGE:
        found[DeviceKind.SCANNER] = DeviceHealth(True, "wedge-cannot-be-seen")
    else:
        from devices.evdev_scanner import BY_ID_DIR

        nodes = [scanner.device] if scanner.device else [
            p for p in sorted(BY_ID_DIR.glob("*-event-kbd"))
            if scanner.match and scanner.match.lower() in p.name.lower()]
        present = any(node is not None and node.exists() for node in nodes)
        found[DeviceKind.SCANNER] = DeviceHealth(present, "ok" if present else "not-found")
    speech = settings.devices.speech
    if speech.driver == SpeechDriver.REAL:
        missing = [p for p in ("espeak-ng", "aplay") if shutil.which(p) is None]
        found[DeviceKind.SPEECH] = DeviceHealth(not missing, f"{missing[0]}-missing" if missing
                                                else "ok")
    else:
        found[DeviceKind.SPEECH] = SimSpeech(data).health()
    headset = settings.devices.headset
    if headset.driver is DeviceDriver.REAL:
        from devices.evdev_jack import find_jack

        present = find_jack(headset.device, headset.match) is not None
        found[DeviceKind.HEADSET] = DeviceHealth(present, "ok" if present else "not-found")
    else:
        from devices.sim_headset import SimHeadset

        found[DeviceKind.HEADSET] = SimHeadset(data).health()
    return found


def devices(settings: Settings, health: dict[str, DeviceHealth]) -> list[Finding]:
    """A required device that is not ready is an issue; an optional one, a warning."""
    findings = []
    for kind, state in health.items():
        config = getattr(settings.devices, str(kind))
        what = f"{config.driver.value}, {'required' if config.required else 'optional'}"
        if state.ready:
            findings.append(Finding(Level.OK, f"device {kind}", f"ready ({what})"))
        else:
            level = Level.ISSUE if config.required else Level.WARNING
            findings.append(Finding(level, f"device {kind}", f"not ready: {state.reason} "
                                                              f"({what})"))
    return findings


def disk(settings: Settings) -> Finding:
    """Free space where the station writes."""
    where = settings.data_dir if settings.data_dir.exists() else settings.data_dir.parent
    try:
        free = shutil.disk_usage(where).free
    except OSError as err:
        return Finding(Level.ISSUE, "disk", f"{where}: {err.strerror}")
    text = f"{free / 1024**3:.1f} GiB free under {where}"
    if free < ISSUE_FREE_BYTES:
        return Finding(Level.ISSUE, "disk", text)
    if free < WARN_FREE_BYTES:
        return Finding(Level.WARNING, "disk", text)
    return Finding(Level.OK, "disk", text)


@contextmanager
def as_owner_of(path: Path) -> Iterator[None]:
    """Run as the owner of `path` when run as root: a root-owned file left in the kiosk's data
    directory (a simulator's state, SQLite's log beside the outbox) would lock the kiosk out
    of it."""
    info = path.stat()
    if os.geteuid() != 0 or info.st_uid == 0:
        yield
        return
    os.setegid(info.st_gid)
    os.seteuid(info.st_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def outbox_counts(settings: Settings, now: float) -> tuple[int, int, float] | None:
    """Pending items, refused ones still held, and the oldest pending one's age in seconds;
    None when the station has no outbox yet. Read only: the app may be running."""
    path = settings.data_dir / OUTBOX_FILE
    if not path.exists():
        return None
    with as_owner_of(path):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            pending, failed, oldest = conn.execute(
                "SELECT count(*) FILTER (WHERE state = 'pending'), "
                "count(*) FILTER (WHERE state = 'failed' AND payload IS NOT NULL), "
                "min(created_at) FILTER (WHERE state = 'pending') FROM items").fetchone()
        finally:
            conn.close()
    return pending, failed, 0.0 if oldest is None else max(0.0, now - oldest)


def outbox(settings: Settings, now: float) -> Finding:
    """What waits in the outbox, and for how long."""
    try:
        counts = outbox_counts(settings, now)
    except (OSError, sqlite3.Error) as err:
        return Finding(Level.ISSUE, "outbox", f"cannot be read ({type(err).__name__})")
    if counts is None:
        return Finding(Level.OK, "outbox", "no outbox yet (nothing was ever sent)")
    pending, failed, age = counts
    text = f"{pending} waiting (oldest {age / 60:.0f} min), {failed} refused kept"
    if failed or age > WARN_OLDEST_S:
        return Finding(Level.WARNING, "outbox", text)
    return Finding(Level.OK, "outbox", text)


def badges(settings: Settings) -> Finding:
    """Whether a badge's UID alone may open anything (a cloned badge would): the card
    reader's `uid_only` setting, off unless a city turns it on for legacy badges."""
    allowed = bool(getattr(settings.devices.card_reader, "uid_only", False))
    if allowed:
        return Finding(Level.WARNING, "badges", "UID-only badges are allowed: a cloned badge "
                                                "opens the station")
    return Finding(Level.OK, "badges", "UID-only badges are not allowed")
