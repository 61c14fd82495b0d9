"""Benchmark: time from process start to the first interactive frame, and resident memory.

    .venv/bin/python tests/benchmarks/startup.py [--runs 5] [--out FILE]

Starts `kiosk run` (the console script systemd starts) on an X server (its own Xvfb when no
DISPLAY is set), with the packaged configuration and simulated devices, and measures from the
moment the process is spawned to the READY=1 the app sends to systemd after drawing its first
screen. Memory is the resident set size 2 s later, once the screens kept between sessions are
built (a session's own screens are built during it: tests/benchmarks/session_memory.py).
The same is measured for a bare Kivy window with one label, same size and GL settings, which
is what the app's figures compare with.
Targets on a 2-core machine: first interactive frame ≤ 1.0 s, resident memory ≤ 180 MB.
It prints figures and writes them to `--out` (default bench-out/startup.json); it does not
assert them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from figures import add_out_option, write_figures

KIOSK = Path(sys.executable).with_name("kiosk")
SETTLE_S = 2.0
MB_PER_MIB = 2**20 / 10**6
#: Targets on a 2-core machine (docs/performance.md).
TARGET_FIRST_FRAME_S = 1.0
TARGET_RESIDENT_MB = 180

# A bare Kivy window: the app's size and GL settings (kiosk/shell/boot.py), one label, and the
# same READY=1 once its first frame is drawn.
BARE_WINDOW = """
import os, socket
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
for key, value in {"width": "1080", "height": "1920", "multisamples": "0"}.items():
    Config.set("graphics", key, value)
from kivy.app import App
from kivy.core.window import Window
from kivy.uix.label import Label

def ready(*_args):
    Window.unbind(on_flip=ready)
    socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"READY=1",
                                                            os.environ["NOTIFY_SOCKET"])

class Bare(App):
    def build(self):
        Window.bind(on_flip=ready)
        return Label(text="Bonjour")

Bare().run()
"""


def start_xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    """An Xvfb for the benchmark, when there is no display."""
    if os.environ.get("DISPLAY") or shutil.which("Xvfb") is None:
        return None
    number = next(n for n in range(70, 99) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    proc = subprocess.Popen(["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0",
                             "1080x1920x24"], stderr=subprocess.DEVNULL)
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        time.sleep(0.02)
    return proc, f":{number}"


def one_run(display: str | None, work: Path, command: list[str]) -> tuple[float, float]:
    """Seconds from spawning `command` to its READY=1, and MiB resident after settling."""
    sock_path = work / "notify.sock"
    sock_path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    sock.settimeout(30)
    env = {**os.environ, "NOTIFY_SOCKET": str(sock_path),
           "KIOSK__DATA_DIR": str(work / "data")}
    if display:
        env["DISPLAY"] = display
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while b"READY=1" not in sock.recv(4096):
            pass
        ready_s = time.perf_counter() - began
        time.sleep(SETTLE_S)
        rss_mib = psutil.Process(proc.pid).memory_info().rss / 2**20
    finally:
        proc.terminate()
        proc.wait(15)
        sock.close()
    return ready_s, rss_mib


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    add_out_option(parser, "startup")
    args = parser.parse_args()
    xvfb = start_xvfb()
    display = xvfb[1] if xvfb else os.environ.get("DISPLAY")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "data").mkdir()
            results = [one_run(display, work, [str(KIOSK), "run"]) for _ in range(args.runs)]
            bare_window = work / "bare_window.py"  # Kivy's App wants a file (not -c)
            bare_window.write_text(BARE_WINDOW, encoding="utf-8")
            bare = [one_run(display, work, [sys.executable, str(bare_window)])
                    for _ in range(args.runs)]
    finally:
        if xvfb:
            xvfb[0].terminate()
    times = [r[0] for r in results]
    rss = [r[1] for r in results]
    shown_on = "Xvfb" if display else "SDL offscreen"
    print(f"startup benchmark ({args.runs} runs, {os.cpu_count()} cores, display {shown_on}):")
    print(f"  first interactive frame: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s   (target ≤ {TARGET_FIRST_FRAME_S} s)")
    # The target is in MB (10^6 bytes), as is the figure for a bare window.
    print(f"  resident memory after {SETTLE_S:.0f} s: median {statistics.median(rss):.0f} MiB "
          f"({statistics.median(rss) * MB_PER_MIB:.1f} MB), max {max(rss):.0f} MiB "
          f"({max(rss) * MB_PER_MIB:.1f} MB)   (target ≤ {TARGET_RESIDENT_MB} MB)")
    bare_rss = statistics.median(r[1] for r in bare)
    print(f"  a bare Kivy window: first frame median "
          f"{statistics.median(r[0] for r in bare):.3f} s, resident memory median "
          f"{bare_rss:.0f} MiB ({bare_rss * MB_PER_MIB:.1f} MB); the app adds "
          f"{statistics.median(rss) - bare_rss:.0f} MiB")
    bare_times = [r[0] for r in bare]
    write_figures(args.out, "startup", args, {
        "display": shown_on,
        "first_frame_s": {"median": statistics.median(times), "min": min(times),
                          "max": max(times), "runs": times, "target": TARGET_FIRST_FRAME_S},
        "resident_mib": {"median": statistics.median(rss), "max": max(rss), "runs": rss},
        "resident_mb": {"median": statistics.median(rss) * MB_PER_MIB,
                        "max": max(rss) * MB_PER_MIB, "target": TARGET_RESIDENT_MB},
        "bare_window": {"first_frame_s": {"median": statistics.median(bare_times),
                                          "runs": bare_times},
                        "resident_mib": {"median": bare_rss, "runs": [r[1] for r in bare]}},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
