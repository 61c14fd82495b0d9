"""`kiosk peer [--port N] [--data FILE] [--seed FILE] [--personality TRAITS]`: serve the
reference peer on loopback until SIGINT or SIGTERM, after printing its base URLs, one per line
(base, Open311, w.c.s., Chrono, fleet), so that a script can read them. TRAITS make its Open311
side behave like servers that stray from the spec (kiosk/peer/personality.py)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from kiosk.peer.personality import Personality, Trait
from kiosk.peer.seed import DEFAULT_SEED, SeedError

#: The port `kiosk peer` listens on by default (8311: "311", the Open311 number).
DEFAULT_PORT = 8311


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of `kiosk peer`, added to `parser`."""
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                        help=f"TCP port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free port)")
    parser.add_argument("--data", type=Path, metavar="FILE",
                        help="SQLite file keeping what the peer received (default: a temporary "
                             "file, deleted on exit)")
    parser.add_argument("--seed", type=Path, metavar="FILE",
                        help=f"seed file (default {DEFAULT_SEED})")
    parser.add_argument("--personality", default="", metavar="TRAITS",
                        help="how its Open311 side strays from the spec, comma-separated: "
                             f"{', '.join(t.value for t in Trait)} (default: none)")
    return parser


def run_peer(port: int, data: Path | None, seed: Path | None, personality: str = "") -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop, 2 when the peer cannot start."""
    from kiosk.peer.server import start_peer

    if not 0 <= port <= 65535:
        print(f"kiosk peer: --port {port} is not a TCP port (0 to 65535)", file=sys.stderr)
        return 2
    try:
        traits = Personality.parse(personality)
    except ValueError as err:
        print(f"kiosk peer: --personality: {err}", file=sys.stderr)
        return 2
    try:
        peer = start_peer(port=port, data=data, seed=seed, personality=traits)
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    except OSError as err:
        print(f"kiosk peer: cannot listen on 127.0.0.1:{port} ({err.strerror or err}); "
              "choose another --port, or 0 for any free port", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for url in (peer.base_url, peer.open311_url, peer.wcs_url, peer.chrono_url,
                    peer.fleet_url):
            print(url)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        peer.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m kiosk.peer`: the same as `kiosk peer`."""
    parser = add_arguments(argparse.ArgumentParser(prog="kiosk peer", description=__doc__))
    args = parser.parse_args(argv)
    return run_peer(args.port, args.data, args.seed, args.personality)
