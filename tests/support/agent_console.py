"""The facilitator's console in a test: `kiosk agent` in its own process on the test's X
server, what it says it shows (its `--transcript`), and real X clicks and keys in its window
(xdotool, through the X server's XTEST extension, as a mouse and a keyboard would)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CLICK_PAUSE_S = 0.25


@dataclass
class Console:
    """A running `kiosk agent` and its transcript."""

    process: subprocess.Popen[bytes]
    transcript: Path

    @property
    def log(self) -> str:
        """What the console printed (its log lines), for a failing test's message."""
        with contextlib.suppress(FileNotFoundError):
            return self.transcript.with_suffix(".log").read_text(errors="replace")[-4000:]
        return ""

    def shown(self) -> dict[str, Any]:
        """What the console last said it shows ({} before its first frame)."""
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
            return dict(json.loads(self.transcript.read_text(encoding="utf-8")))
        return {}

    def shows(self, check: Callable[[dict[str, Any]], bool]) -> Callable[[], bool]:
        """A condition for the station's driver to wait on (it pumps the station meanwhile)."""
        return lambda: bool(self.shown()) and check(self.shown())

    def centre(self, role: str) -> tuple[int, int]:
        """The middle of the widget with `role`, on the X screen."""
        left, top, width, height = self.shown()["roles"][role]
        return left + width // 2, top + height // 2

    def click(self, role: str) -> None:
        """A real mouse click in the middle of `role`'s widget, then a pause a person would
        make (two clicks in one frame of the console are not what a hand does)."""
        x, y = self.centre(role)
        subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"],
                       check=True, timeout=10)
        time.sleep(CLICK_PAUSE_S)

    def type(self, text: str) -> None:
        """Real key presses, into the window under the pointer (the console sets the keyboard's
        focus so: kiosk/shell/agent_focus.py)."""
        subprocess.run(["xdotool", "type", "--delay", "30", text], check=True, timeout=30)


    def stop(self) -> None:
        """SIGTERM, and wait."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_console(socket_path: Path, transcript: Path,
                  screenshots: Path | None = None) -> Console:
    """`kiosk agent` joined to the station listening at `socket_path`."""
    command = [sys.executable, "-m", "kiosk.cli", "agent", "--socket", str(socket_path),
               "--transcript", str(transcript)]
    if screenshots is not None:
        command += ["--screenshots", str(screenshots)]
    log = transcript.with_suffix(".log")
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT)
    return Console(process, transcript)


def type_at(x: int, y: int, text: str, enter: bool = False) -> None:
    """The pointer to (x, y) on the X screen, then real key presses there (and Enter)."""
    subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y)], check=True, timeout=10)
    subprocess.run(["xdotool", "type", "--delay", "30", text], check=True, timeout=30)
    if enter:
        subprocess.run(["xdotool", "key", "Return"], check=True, timeout=10)
