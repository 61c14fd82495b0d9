"""`kiosk-provision`: install and enrol a station from this checkout.

    kiosk-provision install [--root DIR] [--dry-run] [--profile P]   the station on Debian 12
    kiosk-provision enroll --fleet URL --token T --profile P --site FILE   join the city's fleet
    kiosk-provision unit [--out FILE]   the systemd unit, pointed at this installation
    kiosk-provision cups-privacy [--conf FILE]   CUPS keeps no copy of printed receipts
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.settings.models import Profile
from provisioning.cups_privacy import CUPSD_CONF, cups_privacy

PROFILES = [p.value for p in Profile]


def _outputs(value: str) -> tuple[str, str]:
    public, sep, agent = value.partition(",")
    if not sep or not public or not agent:
        raise argparse.ArgumentTypeError("give two output names, public first: HDMI-1,DP-1")
    return public, agent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-provision", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    install = commands.add_parser("install", help="install the station on this Debian system")
    install.add_argument("--root", type=Path, metavar="DIR",
                         help="install into this folder instead of / (live-system commands "
                              "are recorded in DIR/kiosk-provision.commands, not run)")
    install.add_argument("--dry-run", action="store_true",
                         help="print what would change, change nothing")
    install.add_argument("--profile", choices=PROFILES,
                         help="kind of station (default: the configuration's, else totem)")
    install.add_argument("--outputs", type=_outputs, metavar="PUBLIC,AGENT",
                         help="desk-assisted: the X outputs of the public and the agent's "
                              "screens (default: the first two connected)")
    install.add_argument("--printer-uri", metavar="URI",
                         help="the receipt printer's CUPS device URI (default: the one found)")
    install.add_argument("--printer-model", default="everywhere", metavar="MODEL",
                         help="lpadmin -m model of the queue (default everywhere)")
    install.add_argument("--queue", default="receipt", metavar="NAME",
                         help="name of the CUPS queue (default receipt, as receipts.queue)")

    enroll = commands.add_parser("enroll", help="enrol the station with the city's fleet")
    enroll.add_argument("--fleet", required=True, metavar="URL",
                        help="base URL of the fleet endpoint")
    enroll.add_argument("--token", required=True, metavar="T",
                        help="the one-time enrolment token the fleet issued for this station")
    enroll.add_argument("--profile", required=True, choices=PROFILES)
    enroll.add_argument("--site", required=True, type=Path, metavar="FILE",
                        help="the city's site file, installed as /etc/kiosk/site.toml")
    enroll.add_argument("--root", type=Path, metavar="DIR",
                        help="write under this folder instead of / (as install --root)")

    unit = commands.add_parser("unit", help="write the systemd unit for this installation")
    unit.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    privacy = commands.add_parser("cups-privacy", help="make CUPS keep no printed receipt")
    privacy.add_argument("--conf", type=Path, default=CUPSD_CONF, metavar="FILE",
                         help=f"cupsd.conf to change (default {CUPSD_CONF})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk-provision` console script."""
    args = _parser().parse_args(argv)
    if args.command == "cups-privacy":
        return cups_privacy(args.conf)
    if args.command == "install":
        from provisioning.install import InstallOptions, install

        options = InstallOptions(
            profile=Profile(args.profile) if args.profile else None, outputs=args.outputs,
            printer_uri=args.printer_uri, printer_model=args.printer_model, queue=args.queue)
        return install(options, args.root, args.dry_run)
    if args.command == "enroll":
        from provisioning.enroll import EnrollOptions, enroll

        return enroll(EnrollOptions(fleet_url=args.fleet, token=args.token,
                                    profile=Profile(args.profile), site_file=args.site),
                      args.root)
    if args.command == "unit":
        from provisioning.units import APP, installation_prefix, render

        text = render(APP, installation_prefix())
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
