"""Where a station's pieces go on its Debian system (docs/installation.md)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

#: The checkout this program runs from: what `install` copies.
SOURCE = Path(__file__).resolve().parents[1]
#: The installation: a copy of the code, its virtual environment in .venv.
PREFIX = PurePosixPath("/opt/kiosk")
VENV = PREFIX / ".venv"
#: What the installation holds, relative to the checkout (pip needs pyproject.toml and
#: the README it names; the packaged configuration lives in config/).
CODE_DIRS = ("kiosk", "screens", "devices", "provisioning", "config", "systemd")
CODE_FILES = ("pyproject.toml", "README.md")
#: Never copied: bytecode (compiled on the station) and pip's metadata.
SKIPPED = ("__pycache__", ".egg-info", ".pyc")

#: The account the station runs as (systemd/kiosk.sysusers).
USER = "kiosk"
#: site.toml, machine.toml, the credentials and the station's key; the data directory.
ETC = PurePosixPath("/etc/kiosk")
STATE = PurePosixPath("/var/lib/kiosk")

UNIT_DIR = PurePosixPath("/etc/systemd/system")
SYSUSERS = PurePosixPath("/etc/sysusers.d/kiosk.conf")
UDEV_RULES = PurePosixPath("/etc/udev/rules.d/70-kiosk.rules")
MODPROBE = PurePosixPath("/etc/modprobe.d/kiosk-usblp.conf")
JOURNALD = PurePosixPath("/etc/systemd/journald.conf.d/kiosk.conf")
XORG_CONF = PurePosixPath("/etc/X11/kiosk/xorg.conf")
CUPSD_CONF = PurePosixPath("/etc/cups/cupsd.conf")
