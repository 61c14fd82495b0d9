"""Lock-down against real X key events: `kiosk run` under its own Xvfb with a window manager
(openbox, so that Alt+F4 really asks the window to close), keys typed with xdotool, systemd's
notify socket listening. The app must stay up on the same screen, keep pinging the watchdog,
and stop cleanly on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageChops

# The desk profile's panel (config/panels/desk-24-landscape.toml) fills this X screen.
SCREEN = (1920, 1080)
ESCAPE_KEYS = ["Escape", "alt+F4", "ctrl+q", "ctrl+c", "ctrl+w", "F1", "ctrl+e", "F11", "F12"]


@dataclass
class Notifications:
    """What the app told systemd, through a real NOTIFY_SOCKET."""

    sock: socket.socket
    messages: list[str] = field(default_factory=list)

    def drain(self) -> list[str]:
        """Read what arrived so far."""
        self.sock.setblocking(False)
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def wait_for(self, text: str, timeout_s: float) -> float:
        """Seconds until a message containing `text` arrives."""
        start = time.monotonic()
        while time.monotonic() - start < timeout_s:
            if any(text in m for m in self.drain()):
                return time.monotonic() - start
            time.sleep(0.02)
        raise TimeoutError(f"no {text} after {timeout_s} s; got {self.messages}")


def _free_display() -> int:
    for number in range(60, 90):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
            f"/tmp/.X{number}-lock"
        ).exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private Xvfb with openbox, as on a station."""
    for tool in ("Xvfb", "openbox", "xdotool", "import"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (the test command installs it)")
    number = _free_display()
    display = f":{number}"
    xvfb = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp", "-screen", "0",
                             f"{SCREEN[0]}x{SCREEN[1]}x24"])
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    env = {**os.environ, "DISPLAY": display}
    wm = subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        yield display
    finally:
        wm.terminate()
        xvfb.terminate()
        wm.wait(5)
        xvfb.wait(5)


def _shot(display: str, path: Path) -> Image.Image:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True)
    return Image.open(path).convert("RGB")


def _differs(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is not None


def _keys(display: str, *keys: str) -> None:
    env = {**os.environ, "DISPLAY": display}
    for key in keys:
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=env, check=True)
        time.sleep(0.25)


def test_escape_alt_f4_ctrl_q_f1_leave_the_app_running_on_the_same_screen(x_display, tmp_path):
    notify_path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify_path))
    notes = Notifications(sock)
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "NOTIFY_SOCKET": str(notify_path),
        "WATCHDOG_USEC": "1000000",
        "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"',
        # The attract screen's hand moves slowly: still, so that a changed picture can only
        # be what a key did.
        "KIOSK__ACCESSIBILITY__REDUCED_MOTION": "true",
    }
    (tmp_path / "data").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--profile", "desk"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        notes.wait_for("READY=1", 30)
        time.sleep(0.5)
        attract = _shot(x_display, tmp_path / "attract.png")

        _keys(x_display, *ESCAPE_KEYS)
        time.sleep(1.0)
        assert proc.poll() is None, "a key closed the app"
        after_keys = _shot(x_display, tmp_path / "after-keys.png")
        assert not _differs(attract, after_keys), "a key changed the screen (settings panel?)"

        # The keys did reach the app: Tab then Enter starts a session and the screen changes.
        _keys(x_display, "Tab", "Return")
        time.sleep(0.8)
        home = _shot(x_display, tmp_path / "home.png")
        assert _differs(attract, home), "keyboard input never reached the window"

        _keys(x_display, "alt+F4", "ctrl+q", "F1")
        time.sleep(1.0)
        assert proc.poll() is None, "a key closed the app during a session"
        assert not _differs(home, _shot(x_display, tmp_path / "home-after.png"))

        pings = sum("WATCHDOG=1" in m for m in notes.drain())
        assert pings >= 3, f"the UI loop pinged the watchdog {pings} times"

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0, "SIGTERM must stop the app cleanly"
        notes.wait_for("STOPPING=1", 2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
    errors = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in errors, errors[-2000:]
