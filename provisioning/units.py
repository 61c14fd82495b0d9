"""The station's systemd units, as shipped in systemd/ and pointed at an installation.

The shipped units name the standard installation, /opt/kiosk; rendering replaces that prefix
with the installation's own, and fits the display session to the profile (a cursor for the
desks, which have a mouse; the second screen placed for desk-assisted).
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

from kiosk.settings.models import Profile
from provisioning.layout import PREFIX, SOURCE

UNITS_DIR = SOURCE / "systemd"
APP = "kiosk.service"
DISPLAY = "kiosk-display.service"
SAFE_MODE = "kiosk-safe-mode.service"
AGENT = "kiosk-agent.service"
#: The X server's option that hides the pointer: for touch-only stations.
NO_CURSOR = " -nocursor"
#: The end of the display session's readiness step, where a layout of two screens goes.
READY_TAIL = "ready :0 /run/kiosk-display/xauth kiosk"


def units_for(profile: Profile) -> tuple[str, ...]:
    """The units a station of this profile has; the agent's console only on desk-assisted."""
    common = (DISPLAY, APP, SAFE_MODE)
    return (*common, AGENT) if profile is Profile.DESK_ASSISTED else common


def enabled_for(profile: Profile) -> tuple[str, ...]:
    """The units started at boot (safe mode is started by the app's unit on failure)."""
    return tuple(unit for unit in units_for(profile) if unit != SAFE_MODE)


def render(name: str, prefix: PurePosixPath | Path = PREFIX, profile: Profile = Profile.TOTEM,
           outputs: tuple[str, str] | None = None) -> str:
    """The unit `name` for an installation at `prefix` and a station of `profile`;
    `outputs` names the public and the agent's screen outputs (desk-assisted)."""
    text = (UNITS_DIR / name).read_text(encoding="utf-8")
    if str(PREFIX) not in text:
        raise RuntimeError(f"{UNITS_DIR / name}: no longer names {PREFIX}")
    text = text.replace(f"{PREFIX}/", f"{prefix}/")
    if name == DISPLAY:
        if profile is not Profile.TOTEM:
            text = text.replace(NO_CURSOR + " ", " ")
        if profile is Profile.DESK_ASSISTED:
            layout = " ".join(outputs) if outputs else "auto"
            text = text.replace(READY_TAIL, f"{READY_TAIL} {layout}")
    return text


def installation_prefix() -> Path:
    """The installation this program runs from: its virtual environment is <prefix>/.venv."""
    return Path(sys.prefix).parent


def installed_executable() -> Path:
    """The `kiosk` command of the environment this program runs in."""
    return Path(sys.prefix) / "bin" / "kiosk"
