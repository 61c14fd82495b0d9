"""Benchmark: what a session's screens cost, and whether memory comes back after each session.

    .venv/bin/python tests/benchmarks/session_memory.py [--sessions 24] [--out FILE]

Runs the real app (packaged configuration, simulated devices) on an X server (its own Xvfb when
no DISPLAY is set). Each session goes through one flow, taking the flows in turn, and builds
that flow's screens as a visitor would meet them; a last session builds every screen. Prints
how long a screen takes to build, and the resident memory: after start, at the end of each
session, and once each session has ended and its screens are dropped. An appliance that runs
for months must settle, not climb.
It prints figures and writes them to `--out` (default bench-out/session_memory.json); it
does not assert them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from figures import add_out_option, write_figures
from startup import start_xvfb  # the script's own folder is first on sys.path

# Long enough for the app to prepare its screens after the first frame, and to give back a
# session's memory after it ends (kiosk.shell.app.RELEASE_AFTER_S is 1.5 s).
SETTLE_S = 2.0


def rss_mib() -> float:
    """This process's resident set size."""
    return psutil.Process().memory_info().rss / 2**20


def main() -> int:
    """Run the sessions and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=24)
    add_out_option(parser, "session_memory")
    args = parser.parse_args()
    xvfb = start_xvfb()
    if xvfb:
        os.environ["DISPLAY"] = xvfb[1]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            figures = run(Path(tmp), args.sessions)
    finally:
        if xvfb:
            xvfb[0].terminate()
    write_figures(args.out, "session_memory", args, figures)
    return 0


def run(data_dir: Path, sessions: int) -> dict[str, Any]:
    """Start the station, run the sessions, print the figures and return them."""
    from kiosk.core.clock import ManualClock
    from kiosk.settings.apart import load_settings_apart
    from kiosk.settings.loader import ConfigSources
    from kiosk.shell.runner import RunOptions, build_station

    # As `kiosk run` does: validated in a child, so that this process holds no pydantic.
    settings = load_settings_apart(ConfigSources(),
                                   environ={"KIOSK__DATA_DIR": f'"{data_dir}"'})
    station = build_station(settings, RunOptions(fullscreen=True), clock=ManualClock(1000.0))
    from kiosk.core.flows.registry import FLOWS
    from kiosk.shell.app import RESIDENT_SCREENS
    from kiosk.shell.driver import KioskDriver
    from kiosk.shell.screen_registry import all_screens

    order = [list(spec.screens) for spec in FLOWS.values()]
    every = [name for name in all_screens() if name not in RESIDENT_SCREENS]
    driver = KioskDriver(station.app)
    driver.start()
    try:
        driver.pump(SETTLE_S)
        started = rss_mib()
        builds: list[tuple[float, str]] = []
        during: list[float] = []
        after: list[float] = []
        for number in range(sessions):
            session(station.app, driver, order[number % len(order)], builds, during, after)
        session(station.app, driver, every, [], during, after)
    finally:
        driver.stop()
    print(f"session memory benchmark ({sessions} sessions through one of {len(order)} flows "
          f"in turn, then one through all {len(every)} screens; {os.cpu_count()} cores):")
    times = [ms for ms, _name in builds]
    slowest = max(builds)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  screen build: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {slowest[0]:.1f} ms ({slowest[1]}, build {builds.index(slowest) + 1})")
    print(f"  resident memory after start: {started:.0f} MiB")
    print(f"  during the one-flow sessions: max {max(during[:-1]):.0f} MiB; "
          f"with every screen built: {during[-1]:.0f} MiB")
    print(f"  after each session: {', '.join(f'{a:.0f}' for a in after[:-1])}; "
          f"after the last: {after[-1]:.0f} MiB")
    return {
        "flows": len(order), "screens": len(every),
        "screen_build_ms": {"median": statistics.median(times), "p95": p95,
                            "max": slowest[0], "slowest_screen": slowest[1]},
        "resident_mib": {"after_start": started, "during_one_flow_max": max(during[:-1]),
                         "during_every_screen": during[-1], "after_each_session": after[:-1],
                         "after_every_screen": after[-1]},
    }


def session(app: Any, driver: Any, screens: list[str], builds: list[tuple[float, str]],
            during: list[float], after: list[float]) -> None:
    """One session that builds `screens`, then ends; the figures go into the lists."""
    from kiosk.core.intents import EndSession, StartSession

    app.send(StartSession())
    driver.wait_for_screen("home")
    for name in screens:
        began = time.perf_counter()
        app.screen_view(name)
        builds.append(((time.perf_counter() - began) * 1000, name))
        driver.frames(1)
    during.append(rss_mib())
    app.send(EndSession())
    driver.wait_for_screen("attract")
    driver.pump(SETTLE_S)
    after.append(rss_mib())


if __name__ == "__main__":
    sys.exit(main())
