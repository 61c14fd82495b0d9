"""The station's systemd units, as `kiosk-provision` writes them for this installation, pass
`systemd-analyze verify` with no output at all (warnings exit 0, so output is what counts:
docs/installation.md), for every profile; and their wiring: the app is a watched notify
service that restarts, and three failed starts in its start-limit window hand the screen to
the safe-mode unit; and the station itself, started with a notify socket, says it is ready,
then pings the watchdog (tests/ui/test_systemd_watchdog.py freezes its UI loop)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from station_process import notifying_station

from kiosk.settings.models import Profile
from provisioning import units
from provisioning.units import APP, installation_prefix, installed_executable, render


def verify(*paths: Path) -> str:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is not installed (the test command installs systemd)")
    done = subprocess.run(["systemd-analyze", "verify", *map(str, paths)], capture_output=True,
                          text=True, timeout=60)
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " [rc≠0]")


def parsed(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string(text)
    return parser


def app_unit() -> str:
    return render(APP, installation_prefix())


@pytest.mark.parametrize("profile", list(Profile))
def test_every_unit_of_a_profile_verifies_with_no_output(tmp_path, profile):
    """Verified together, so that OnFailure=, Requires= and Conflicts= between them resolve.
    The units point at this installation (its `kiosk`, its display-session script); the X
    server is the system's."""
    written = []
    for name in units.units_for(profile):
        path = tmp_path / name
        path.write_text(render(name, installation_prefix(), profile), encoding="utf-8")
        written.append(path)
    assert verify(*written) == ""


def test_the_app_is_a_watched_notify_service_that_restarts():
    parser = parsed(app_unit())
    service, unit = parser["Service"], parser["Unit"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "always"
    assert service["ExecStart"].split()[0] == str(installed_executable())
    assert Path(service["ExecStart"].split()[0]).exists()
    assert unit["Requires"] == units.DISPLAY and units.DISPLAY in unit["After"].split()


def test_three_failed_starts_hand_over_to_safe_mode():
    """systemd enters "failed" (and starts OnFailure=) only once the start limit stops the
    restarts: with Restart=always, that is the third failed start within the interval."""
    app = parsed(app_unit())
    assert app["Unit"]["StartLimitBurst"] == "3"
    assert int(app["Unit"]["StartLimitIntervalSec"]) >= 300
    assert app["Unit"]["OnFailure"] == units.SAFE_MODE
    safe = parsed(render(units.SAFE_MODE, installation_prefix()))
    assert safe["Unit"]["Conflicts"] == APP  # starting the app again ends safe mode
    assert safe["Unit"]["StartLimitIntervalSec"] == "0"  # safe mode itself never gives up
    assert safe["Service"]["Restart"] == "always"
    assert safe["Service"]["ExecStart"] == f"{installed_executable()} safe-mode"
    assert safe["Service"]["User"] == "kiosk"
    assert units.SAFE_MODE not in units.enabled_for(Profile.TOTEM)


def test_units_keep_the_apps_memory_off_disk():
    """No core file and no swap: the app's memory holds what people typed."""
    for name in (APP, units.SAFE_MODE, units.AGENT):
        service = parsed(render(name, installation_prefix()))["Service"]
        assert service["LimitCORE"] == "0" and service["MemorySwapMax"] == "0"


def test_the_display_session_fits_the_profile():
    def server(profile: Profile) -> str:
        return parsed(render(units.DISPLAY, installation_prefix(), profile))["Service"][
            "ExecStart"]

    assert "-nocursor" in server(Profile.TOTEM)
    assert "-nocursor" not in server(Profile.DESK)
    ready = parsed(render(units.DISPLAY, installation_prefix(), Profile.DESK_ASSISTED,
                          ("HDMI-1", "DP-1")))["Service"]["ExecStartPost"]
    assert ready.endswith("ready :0 /run/kiosk-display/xauth kiosk HDMI-1 DP-1")
    assert units.AGENT in units.units_for(Profile.DESK_ASSISTED)
    assert units.AGENT not in units.units_for(Profile.DESK)


def test_verify_does_report_a_broken_unit(tmp_path):
    unit = tmp_path / "kiosk.service"
    unit.write_text(app_unit().replace("Type=notify", "Type=notifyy")
                    .replace("Restart=always", "Restart=sometimes"), encoding="utf-8")
    assert verify(unit) != ""


def test_kiosk_provision_writes_the_unit(tmp_path):
    out = tmp_path / "kiosk.service"
    done = subprocess.run([str(installed_executable().with_name("kiosk-provision")), "unit",
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == app_unit()


def test_the_station_tells_systemd_it_is_ready_then_pings_the_watchdog(tmp_path):
    """`kiosk run` as systemd starts it (NOTIFY_SOCKET, WATCHDOG_USEC of WatchdogSec=): READY=1
    once its first screen is drawn, then WATCHDOG=1 from the UI loop, again and again (how
    often is the UI loop's business: twice per period, sd_watchdog_enabled(3))."""
    with notifying_station(tmp_path, watchdog_usec=1_000_000) as (_proc, sock, before):
        assert not any(b"WATCHDOG=1" in message for message in before), "ping before READY"
        pings, deadline = 0, time.monotonic() + 30
        while pings < 3:
            assert time.monotonic() < deadline, f"{pings} pings in 30 s"
            if b"WATCHDOG=1" in sock.recv(4096):
                pings += 1
