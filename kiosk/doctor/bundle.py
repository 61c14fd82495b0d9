"""`kiosk doctor --bundle FILE`: what a technician sends to support, with no personal data.

A tar.gz of: the configuration in force (settings hold no secret: those are in the
credentials file, which is never read here), the versions of the kiosk, Python, its libraries
and the system, each device's state (ready and a reason code), the doctor's report, and the
recent event lines of the station's log. Only lines the event recorder wrote are taken
(`kiosk.events: <event> key=value...`, kiosk/core/events.py), and only when every value is an
identifier: a traceback or any other line, which could quote what someone typed, is left out.
Nothing is read from the outbox but its counts.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import platform
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Sequence
from enum import Enum
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

from kiosk.core.devices import DeviceHealth
from kiosk.doctor.findings import Finding
from kiosk.settings.models import Settings

#: An event line: a timestamp maybe, then the event recorder's logger, event and fields.
EVENT_LINE = re.compile(r"^(?P<when>\d{4}-\d\d-\d\dT[\d:.+-]+)?.*?kiosk\.events: "
                        r"(?P<event>[a-z_]+\.[a-z_]+)(?P<fields>(?: [a-z_]+=\S+)*)$")
FIELD_VALUE = re.compile(r"[A-Za-z0-9_.:+-]{1,64}")
#: The station's units whose log is read, and how much of it.
UNITS = ("kiosk.service", "kiosk-safe-mode.service", "kiosk-agent.service")
MAX_LINES = 5000
LIBRARIES = ("kivy", "httpx", "pydantic", "pycups", "pyscard", "cryptography", "babel",
             "qrcode", "watchdog", "sdnotify", "evdev")


def event_lines(lines: Iterable[str]) -> list[str]:
    """The event recorder's lines whose values are all identifiers, as "when event k=v"."""
    kept = []
    for raw in lines:
        match = EVENT_LINE.match(raw.rstrip("\n"))
        if match is None:
            continue
        fields = match["fields"].split()
        if not all(FIELD_VALUE.fullmatch(field.partition("=")[2]) for field in fields):
            continue
        kept.append(" ".join(filter(None, (match["when"], match["event"], *fields))))
    return kept[-MAX_LINES:]


def journal_lines() -> list[str]:
    """The station's recent log from journald (empty when there is none)."""
    argv = ["journalctl", "--no-pager", "-o", "short-iso", "--since", "-2 days", "-n",
            str(MAX_LINES * 4)]
    for unit in UNITS:
        argv += ["-u", unit]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return done.stdout.splitlines()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def versions() -> dict[str, Any]:
    """The kiosk's version, Python's, the libraries' and the system's."""
    found: dict[str, Any] = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in ("kiosk", *LIBRARIES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    debian = Path("/etc/debian_version")
    found["debian"] = debian.read_text(encoding="utf-8").strip() if debian.is_file() else None
    return found


def write_bundle(path: Path, settings: Settings | None, findings: Sequence[Finding],
                 devices: dict[str, DeviceHealth], log_lines: Iterable[str]) -> None:
    """Write the bundle (mode 0600, in place only once whole)."""
    members = {
        "configuration.json": json.dumps(_plain(settings) if settings else None, indent=2,
                                         ensure_ascii=False),
        "versions.json": json.dumps(versions(), indent=2),
        "devices.json": json.dumps({str(kind): {"ready": h.ready, "reason": h.reason}
                                    for kind, h in devices.items()}, indent=2),
        "doctor.txt": "\n".join(finding.line() for finding in findings) + "\n",
        "events.log": "\n".join(event_lines(log_lines)) + "\n",
    }
    temporary = path.with_name(f".{path.name}.partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
        now = time.time()
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"kiosk-support/{name}")
            info.size, info.mtime, info.mode = len(data), int(now), 0o600
            tar.addfile(info, io.BytesIO(data))
    os.replace(temporary, path)
