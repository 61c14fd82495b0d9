"""`kiosk-provision`: install a station from this checkout.

    kiosk-provision unit [--out FILE]   the systemd unit, pointed at this installation

Enrolment with the fleet, the self-test and the support bundle come with the appliance work.
"""

from __future__ import annotations

import argparse
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


def installed_executable() -> Path:
    """The `kiosk` command of the environment this program runs in."""
    return Path(sys.prefix) / "bin" / "kiosk"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk-provision` console script."""
    parser = argparse.ArgumentParser(prog="kiosk-provision", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    unit = commands.add_parser("unit", help="write the systemd unit for this installation")
    unit.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    args = parser.parse_args(argv)
    if args.command == "unit":
        text = render_unit(installed_executable())
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
