"""`kiosk`: the command line of the product (docs/architecture.md, "Command-line surface").

Commands that do not open a window never import Kivy, so `kiosk config check` stays fast and
works on a machine with no display libraries.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from kiosk.settings.apart import SettingsChildError, load_settings_apart
from kiosk.settings.loader import (
    DEFAULT_MACHINE_FILE,
    DEFAULT_SITE_FILE,
    ConfigError,
    ConfigSources,
    check_file,
)
from kiosk.settings.models import Settings

#: The demo keeps its simulated devices' state here when it opens a window.
DEMO_DATA_DIR = Path.home() / ".local" / "state" / "kiosk-demo"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the station (the appliance)")
    run.add_argument("--profile", choices=["totem", "desk", "desk-assisted"],
                     help="force the station profile")
    run.add_argument("--config", type=Path, metavar="FILE",
                     help=f"machine configuration file (default {DEFAULT_MACHINE_FILE})")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--fullscreen", dest="fullscreen", action="store_true", default=True,
                      help="borderless window covering the panel (default)")
    mode.add_argument("--window", dest="fullscreen", action="store_false",
                      help="a normal window, for development")

    demo = commands.add_parser("demo", help="the product on simulated devices")
    demo.add_argument("--headless", action="store_true",
                      help="no window: a scripted walk-through writing screenshots")
    demo.add_argument("--out", type=Path, metavar="DIR", default=Path("demo-out"),
                      help="where the headless demo writes its files (default ./demo-out)")
    demo.add_argument("--profile", choices=["totem", "desk", "desk-assisted"])

    agent = commands.add_parser(
        "agent", help="the facilitator's console on the second screen (desk-assisted)")
    agent.add_argument("--socket", type=Path, metavar="PATH",
                       help="the station's console socket (default: agent.sock in its data_dir)")
    agent.add_argument("--config", type=Path, metavar="FILE",
                       help=f"machine configuration file (default {DEFAULT_MACHINE_FILE})")
    agent.add_argument("--transcript", type=Path, metavar="FILE",
                       help="write what the console shows (JSON) after each change: tests, demo")
    agent.add_argument("--screenshots", type=Path, metavar="DIR",
                       help="write a PNG of the console after each change: the demo")
    audit = commands.add_parser(
        "audit", help="check every screen in every profile, posture, text size, theme and "
                      "language against the accessibility numbers (docs/accessibility.md)")
    audit.add_argument("--out", type=Path, metavar="DIR", default=Path("audit-out"),
                       help="where report.json, summary.html and the screenshots go "
                            "(default ./audit-out)")
    audit.add_argument("--quick", action="store_true",
                       help="one station per profile and posture (the test command's subset)")
    audit.add_argument("--profile", nargs="+", metavar="P",
                       choices=["totem", "desk", "desk-assisted"],
                       help="only these profiles (default: all three)")
    audit.add_argument("--station", nargs="+", metavar="KEY",
                       help="only the stations whose key matches: totem-seated-XL, '*-XL'")

    config = commands.add_parser("config", help="validate the configuration")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    check = config_commands.add_parser("check", help="validate configuration files")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    config_commands.add_parser("schema", help="print the JSON Schema of the configuration")

    peer = commands.add_parser("peer", help="serve the embedded reference central on loopback")
    peer.add_argument("--port", type=int, default=8311, metavar="N",
                      help="TCP port on 127.0.0.1 (default 8311; 0: any free port)")
    peer.add_argument("--data", type=Path, metavar="FILE",
                      help="SQLite file of what it received (default: a temporary file)")
    peer.add_argument("--seed", type=Path, metavar="FILE",
                      help="seed file (default config/peer-seed.json)")
    peer.add_argument("--personality", default="", metavar="TRAITS",
                      help="how its Open311 side strays from the spec, comma-separated "
                           "(e.g. no-idempotency,5xx-after-storing; default: none)")

    doctor = commands.add_parser("doctor", help="self-test: OK / WARNING / ISSUE lines, "
                                                "exit code by the worst")
    doctor.add_argument("--config", type=Path, metavar="FILE",
                        help=f"machine configuration file (default {DEFAULT_MACHINE_FILE})")
    doctor.add_argument("--bundle", type=Path, metavar="FILE",
                        help="also write a support bundle (tar.gz, no personal data)")
    doctor.add_argument("--log", type=Path, metavar="FILE",
                        help="take the bundle's event lines from this file, not journald")

    safe = commands.add_parser("safe-mode",
                               help="the safe out-of-order screen (systemd runs this when the "
                                    "station keeps failing to start)")
    safe.add_argument("--config", type=Path, metavar="FILE",
                      help=f"machine configuration file (default {DEFAULT_MACHINE_FILE})")
    safe.add_argument("--heartbeat-s", type=float, default=60.0, metavar="N",
                      help="seconds between two heartbeats (default 60)")
    safe.add_argument("--transcript", type=Path, metavar="FILE",
                      help="write what the screen shows (JSON) once it is drawn")

    badge = commands.add_parser("badge", help="staff badges of this station")
    badge_commands = badge.add_subparsers(dest="badge_command", required=True)
    enrol = badge_commands.add_parser(
        "enrol", help="register a badge: the one on the reader, or one given by its UID")
    enrol.add_argument("--id", required=True, help="the number on the badge, e.g. F-0012")
    enrol.add_argument("--role", required=True, choices=["facilitator", "technician"])
    key = enrol.add_mutually_exclusive_group(required=True)
    key.add_argument("--key-file", type=Path, metavar="FILE",
                     help="file holding the badge's key (64 hex digits)")
    key.add_argument("--uid-only", action="store_true",
                     help="a legacy badge without a key (see badges.legacy_uid_only)")
    enrol.add_argument("--uid", help="the badge's UID in hex, instead of reading the reader")
    enrol.add_argument("--pin-stdin", action="store_true",
                       help="read the PIN from standard input instead of asking twice")
    enrol.add_argument("--replace", action="store_true", help="enrol an enrolled badge again")
    enrol.add_argument("--wait", type=float, default=30.0, metavar="S",
                       help="how long to wait for a badge on the reader (default 30 s)")
    enrol.add_argument("--config", type=Path, metavar="FILE",
                       help=f"machine configuration file (default {DEFAULT_MACHINE_FILE})")

    sim = commands.add_parser("sim", help="look at or flip a simulated device")
    sim.add_argument("device",
                     choices=["printer", "card_reader", "scanner", "speech", "headset"])
    sim.add_argument("assignments", nargs="*", metavar="KEY=VALUE",
                     help="fields to set, e.g. state=paper-out (values are JSON or text)")
    sim.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR,
                     help=f"the station's data directory (default {DEMO_DATA_DIR})")
    return parser


def _station_sources(machine: Path | None, profile: str | None = None) -> ConfigSources:
    """The station's files: /etc/kiosk/site.toml and the machine file, where they exist."""
    site = DEFAULT_SITE_FILE if DEFAULT_SITE_FILE.is_file() else None
    if machine is None and DEFAULT_MACHINE_FILE.is_file():
        machine = DEFAULT_MACHINE_FILE
    return ConfigSources(site=site, machine=machine, profile=profile)


def _station_settings(profile: str | None, machine: Path | None) -> Settings:
    return load_settings_apart(_station_sources(machine, profile))


def _safe_mode(machine: Path | None, heartbeat_s: float, transcript: Path | None) -> int:
    import os

    from kiosk import safe_mode

    screen = safe_mode.safe_screen(_station_sources(machine), os.environ)
    return safe_mode.run(screen, max(heartbeat_s, 0.1), transcript)


def _demo_settings(profile: str | None) -> Settings:
    # The demo shows the product as shipped: packaged configuration only (and environment).
    return load_settings_apart(ConfigSources(profile=profile))


def _config_check(files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            settings = check_file(path)
        except ConfigError as err:
            failed += 1
            for problem in err.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: ok (profile {settings.profile.value}, panel {settings.panel.name})")
    return 1 if failed else 0


def _sim(device: str, assignments: list[str], data_dir: Path) -> int:
    from devices.sim_control import read_sim_state, set_sim_state

    fields: dict[str, object] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            print(f"kiosk sim: {item!r} is not KEY=VALUE", file=sys.stderr)
            return 2
        try:
            fields[key] = json.loads(raw)
        except json.JSONDecodeError:
            fields[key] = raw
    try:
        if fields:
            set_sim_state(data_dir, device, **fields)
        print(json.dumps(read_sim_state(data_dir, device), ensure_ascii=False))
    except ValueError as err:
        print(f"kiosk sim: {err}", file=sys.stderr)
        return 2
    return 0


def _badge_enrol(args: argparse.Namespace) -> int:
    from kiosk.badges.enrol import EnrolError, Enrolment, ask_pin, enrol, read_key_file
    from kiosk.badges.store import BadgeFileError
    from kiosk.core.badges import Role
    from kiosk.core.devices import CardReader

    settings = _station_settings(None, args.config)

    def open_reader() -> CardReader:
        from devices.factory import build_card_reader

        return build_card_reader(settings.devices.card_reader, settings)

    try:
        key = None if args.uid_only else read_key_file(args.key_file)
        enrolment = Enrolment(args.id, Role(args.role), ask_pin(args.pin_stdin), key,
                              None if args.uid is None else args.uid.upper(), args.replace)
        badge = enrol(settings.badges.file, enrolment, open_reader, args.wait)
    except (EnrolError, BadgeFileError) as err:
        for problem in err.problems:
            print(f"kiosk badge enrol: {problem}", file=sys.stderr)
        return 2
    print(f"{settings.badges.file}: badge {badge.badge_id} enrolled ({badge.role.value}"
          f"{', UID only' if badge.uid_only else ''})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "config":
            if args.config_command == "schema":
                from kiosk.settings.validation import json_schema

                print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
                return 0
            return _config_check(args.files)
        if args.command == "sim":
            return _sim(args.device, args.assignments, args.data_dir)
        if args.command == "badge":
            return _badge_enrol(args)
        if args.command == "peer":
            from kiosk.peer.cli import run_peer

            return run_peer(args.port, args.data, args.seed, args.personality)
        if args.command == "doctor":
            from kiosk.doctor.report import doctor

            return doctor(_station_sources(args.config), args.bundle, args.log)
        if args.command == "safe-mode":
            return _safe_mode(args.config, args.heartbeat_s, args.transcript)
        if args.command == "run":
            import os

            from kiosk.shell.reload import WatchedConfig
            from kiosk.shell.runner import RunOptions, run

            sources = _station_sources(args.config, args.profile)
            settings = load_settings_apart(sources)
            return run(settings, RunOptions(fullscreen=args.fullscreen),
                       WatchedConfig.of(sources, os.environ))
        if args.command == "agent":
            from kiosk.shell.agent_console import run_console
            from kiosk.shell.agent_wire import socket_path

            path = args.socket or socket_path(_station_settings(None, args.config))
            return run_console(path, args.transcript, args.screenshots)
        if args.command == "audit":
            from kiosk.audit.command import audit
            from kiosk.audit.matrix import PROFILES
            from kiosk.settings.models import Profile

            profiles = tuple(Profile(p) for p in args.profile) if args.profile else PROFILES
            return audit(args.out.resolve(), args.quick, profiles, tuple(args.station or ()))
        if args.command == "demo":
            from kiosk.shell import demo

            settings = _demo_settings(args.profile)
            if args.headless:
                return demo.run_headless(settings, args.out.resolve())
            return demo.run_interactive(settings, DEMO_DATA_DIR)
    except ConfigError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    except SettingsChildError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    except Exception as err:
        from kiosk.shell.runner import StationError

        if not isinstance(err, StationError):
            raise
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
