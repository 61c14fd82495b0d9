"""`kiosk doctor`: every check, one line each, and the exit code of the worst (0 OK,
1 WARNING, 2 ISSUE)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kiosk.core.devices import DeviceHealth
from kiosk.doctor import central, station
from kiosk.doctor.findings import Finding, Level, worst
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import Settings


def checks(sources: ConfigSources) -> tuple[Settings | None, list[Finding],
                                             dict[str, DeviceHealth]]:
    """The settings (None when invalid), the findings, and each device's health."""
    try:
        settings = load_settings(sources)
    except ConfigError as err:
        findings = [Finding(Level.ISSUE, "configuration", problem) for problem in err.problems]
        findings.append(station.display(dict(os.environ)))
        findings.append(Finding(Level.WARNING, "other checks",
                                "not run: the configuration is invalid"))
        return None, findings, {}
    findings = [Finding(Level.OK, "configuration",
                        f"valid (profile {settings.profile.value}, station "
                        f"{settings.station.id})"),
                station.display(dict(os.environ))]
    try:
        health = station.device_health(settings)
    except Exception as err:  # a device library that fails is a finding, not a traceback
        health = {}
        findings.append(Finding(Level.ISSUE, "devices", f"not read ({type(err).__name__})"))
    findings += station.devices(settings, health)
    findings += central.central(settings)
    findings += [station.disk(settings), station.outbox(settings, time.time()),
                 station.badges(settings)]
    return settings, findings, health


def doctor(sources: ConfigSources, bundle: Path | None, log: Path | None) -> int:
    """Print the report (and write the bundle); the worst level as the exit code."""
    settings, findings, health = checks(sources)
    for finding in findings:
        print(finding.line())
    if bundle is not None:
        from kiosk.doctor.bundle import journal_lines, write_bundle

        if log is not None:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        else:
            lines = journal_lines()
        write_bundle(bundle, settings, findings, health, lines)
        print(f"support bundle: {bundle}")
    return int(worst(findings))
