"""The receipt printer's CUPS queue and CUPS's privacy setting.

The printer is found with `lpinfo` (CUPS's own discovery): the first USB printer, or an
IPP-over-USB one that ipp-usb makes a network printer of. A queue is made only when none of
that name points at it; its model is IPP Everywhere unless told otherwise (a thermal printer
with a vendor's PPD: `--printer-model`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from provisioning.cups_privacy import PRIVACY_DIRECTIVES, with_directives
from provisioning.layout import CUPSD_CONF
from provisioning.plan import Command, File, Step, Target

#: lpinfo(8) device classes of a printer attached to this machine.
ATTACHED = ("direct",)
DEFAULT_MODEL = "everywhere"


def detect_printer() -> str | None:
    """The device URI of the first printer attached to this machine, or None."""
    try:
        done = subprocess.run(["lpinfo", "--include-schemes", "usb,ipp", "-v"],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in done.stdout.splitlines():
        kind, _, uri = line.partition(" ")
        if kind in ATTACHED and uri.startswith("usb://"):
            return uri
    for line in done.stdout.splitlines():
        kind, _, uri = line.partition(" ")
        if uri.startswith("ipp://localhost") or uri.startswith("ipp://127.0.0.1"):
            return uri
    return None


def _queue_points_at(queue: str, uri: str) -> Callable[[], bool]:
    def missing() -> bool:
        done = subprocess.run(["lpstat", "-v", queue], capture_output=True, text=True,
                              timeout=30, check=False)
        return done.returncode != 0 or not done.stdout.strip().endswith(uri)

    return missing


def queue_steps(queue: str, uri: str, model: str = DEFAULT_MODEL) -> list[Step]:
    """The queue `queue` for the printer at `uri`, enabled and accepting jobs."""
    return [Command(("lpadmin", "-p", queue, "-E", "-v", uri, "-m", model),
                    needed=_queue_points_at(queue, uri))]


def privacy_steps(target: Target) -> list[Step]:
    """cupsd.conf with PreserveJobFiles No, and cupsd restarted when it changed. Nothing when
    CUPS is not installed on the target."""
    real = target.real(CUPSD_CONF)
    if not real.is_file():
        return []
    text = real.read_text(encoding="utf-8")
    info = real.stat()
    # The file keeps its group and mode (Debian's is root:root 0644, others root:lp 0640).
    group = target.group_name(info.st_gid) or "root"
    return [File(CUPSD_CONF, with_directives(text, PRIVACY_DIRECTIVES).encode("utf-8"),
                 "root", group, info.st_mode & 0o7777),
            Command(("systemctl", "restart", "cups.service"), after=(CUPSD_CONF,))]
