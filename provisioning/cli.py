"""`kiosk-provision`: install a station from this checkout.

    kiosk-provision unit [--out FILE]   the systemd unit, pointed at this installation
    kiosk-provision cups-privacy [--conf FILE]   CUPS keeps no copy of printed receipts

Enrolment with the fleet, the self-test and the support bundle come with the appliance work.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

#: The unit as shipped, and the ExecStart it names for a standard installation.
UNIT_TEMPLATE = Path(__file__).resolve().parents[1] / "systemd" / "kiosk.service"
SHIPPED_EXECUTABLE = "/opt/kiosk/.venv/bin/kiosk"


def render_unit(executable: Path) -> str:
    """The unit with ExecStart pointing at `executable`."""
    text = UNIT_TEMPLATE.read_text(encoding="utf-8")
    if SHIPPED_EXECUTABLE not in text:
        raise RuntimeError(f"{UNIT_TEMPLATE}: ExecStart no longer names {SHIPPED_EXECUTABLE}")
    return text.replace(SHIPPED_EXECUTABLE, str(executable))


#: cupsd.conf(5): by default CUPS keeps a printed document's file for a day
#: ("PreserveJobFiles 86400"); a receipt holds a citizen's number, so none is kept. The job
#: history (states, no document) stays: the printer driver follows jobs through it.
CUPSD_CONF = Path("/etc/cups/cupsd.conf")
PRIVACY_DIRECTIVES = {"PreserveJobFiles": "No"}


def with_directives(text: str, directives: dict[str, str]) -> str:
    """cupsd.conf text with each top-level directive set once to its value (replaced where
    it is, appended otherwise); everything else is kept as it was."""
    for name, value in directives.items():
        pattern = re.compile(rf"^{name}\s+.*$", re.MULTILINE)
        line = f"{name} {value}"
        if pattern.search(text):
            text = pattern.sub(line, text)
        else:
            note = "# kiosk-provision: printed receipts are not kept"
            text = f"{text.rstrip(chr(10))}\n{note}\n{line}\n"
    return text


def cups_privacy(conf: Path) -> int:
    """Rewrite `conf` in place (restart cupsd afterwards); one line on error."""
    try:
        text = conf.read_text(encoding="utf-8")
        updated = with_directives(text, PRIVACY_DIRECTIVES)
        if updated != text:
            conf.write_text(updated, encoding="utf-8")
    except OSError as err:
        print(f"kiosk-provision: {conf}: {err.strerror}", file=sys.stderr)
        return 1
    print(f"{conf}: {'updated; restart cups' if updated != text else 'already set'}")
    return 0


def installed_executable() -> Path:
    """The `kiosk` command of the environment this program runs in."""
    return Path(sys.prefix) / "bin" / "kiosk"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk-provision` console script."""
    parser = argparse.ArgumentParser(prog="kiosk-provision", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    unit = commands.add_parser("unit", help="write the systemd unit for this installation")
    unit.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    privacy = commands.add_parser("cups-privacy", help="make CUPS keep no printed receipt")
    privacy.add_argument("--conf", type=Path, default=CUPSD_CONF, metavar="FILE",
                         help=f"cupsd.conf to change (default {CUPSD_CONF})")
    args = parser.parse_args(argv)
    if args.command == "cups-privacy":
        return cups_privacy(args.conf)
    if args.command == "unit":
        text = render_unit(installed_executable())
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
