"""`kiosk agent`: join the station's link, take its settings from its greeting, open the
console's window where they say (right of the public panel unless `console.left_px` says
otherwise), and run until the station goes (docs/assisted-mode.md, "The console's life").

The console waits for the station before it opens any window: it has nothing to show without
one. When the link drops it ends; systemd (kiosk-agent.service) or the station's supervisor
starts it again.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.core.assist_messages import Hello
from kiosk.core.events import EventType, Ident, record
from kiosk.settings.models import PanelGeometry, Settings
from kiosk.shell import boot, memory_seal
from kiosk.shell.agent_clock import use_free_clock
from kiosk.shell.agent_wire import LineReader, WireError, connect

RETRY_S = 0.5
"""Pause between two attempts to reach a station that is not listening yet."""


def console_geometry(settings: Settings) -> PanelGeometry:
    """The console's window as a panel geometry: its size and place from `console`, with the
    public panel's pixel pitch (the second screen of the same desk)."""
    panel, console = settings.panel, settings.console
    pitch = panel.active_width_mm / panel.width_px
    left = console.left_px if console.left_px is not None else panel.left_px + panel.width_px
    return replace(panel, name="console", width_px=console.width_px,
                   height_px=console.height_px, active_width_mm=console.width_px * pitch,
                   active_height_mm=console.height_px * pitch, left_px=left,
                   top_px=console.top_px)


def wait_for_station(path: Path) -> socket.socket:
    """A connection to the station, once it listens."""
    while True:
        try:
            return connect(path)
        except OSError:
            time.sleep(RETRY_S)


def run_console(path: Path, transcript: Path | None = None,
                screenshots: Path | None = None) -> int:
    """Run the console until the station goes or SIGTERM; 0, or 2 when the station's greeting
    is not one."""
    memory_seal.seal()  # the visitor's step and the note are in this process's memory too
    sock = wait_for_station(path)
    reader = LineReader(sock)
    try:
        hello = reader.read()
    except WireError:
        hello = None
    if not isinstance(hello, Hello):
        print(f"kiosk agent: {path}: the station's first message is not its greeting",
              file=sys.stderr)
        return 2
    settings = hello.settings
    use_free_clock()  # the station's messages drawn between two frames
    headless = os.environ.get("SDL_VIDEODRIVER") == "offscreen"
    boot.prepare_environment(settings.data_dir / "kivy", headless=headless)
    boot.configure_kivy(boot.WindowPlan(geometry=console_geometry(settings), fullscreen=True,
                                        show_cursor=True, headless=headless))
    from kiosk.shell import crash_guard
    from kiosk.shell.agent_app import AgentApp  # the window opens now
    from kiosk.shell.runner import install_signal_handlers

    crash_guard.install()
    app = AgentApp(settings, sock, transcript, screenshots)
    threading.Thread(target=_listen, args=(reader, app), name="agent-listen",
                     daemon=True).start()
    install_signal_handlers(app)  # type: ignore[arg-type]
    app.run()
    return 0


def _listen(reader: LineReader, app: Any) -> None:
    """The station's messages, onto the UI thread; the link's end ends the console."""
    from kivy.clock import Clock

    schedule = getattr(Clock, "schedule_once_free", Clock.schedule_once)
    try:
        while (message := reader.read()) is not None:
            schedule(lambda _dt, m=message: app.receive(m))
    except (WireError, OSError) as err:
        record(EventType.CONSOLE_LOST, logging.WARNING, reason=Ident(type(err).__name__))
    Clock.schedule_once(lambda _dt: app.shutdown())
