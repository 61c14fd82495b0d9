"""Screen power on the running station: the panel dimmed, or turned off through DPMS, outside
the station's hours, lit again by a touch or a key, and never while a session is open
(kiosk/core/panel_power.py decides; docs/installation.md, "Screen power").

Dimming draws a black veil over the whole window (the attract screen shows through it). Off is
`xset dpms force off`, checked with `xset q`: where the X server has no DPMS (or no X server
answers), the veil goes fully black instead, so that the panel shows nothing either way. The
display session keeps the server's own blanking off (docs/installation.md, "The display
session"): waking turns DPMS off again after forcing the panel on.

A touch on a panel that is off wakes it and goes no further: the person did not see what was
under the finger. On a dimmed panel the touch wakes it and does what it does on the attract
screen. The X commands run on a worker thread, one at a time and in order, never on the UI
loop.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.uix.widget import Widget

from kiosk.core.clock import Clock as Monotonic
from kiosk.core.events import EventType, record
from kiosk.core.panel_power import PanelMode, PowerPlan, panel_mode

#: How often the schedule is looked at, in seconds.
CHECK_S = 1.0
#: `xset` must answer within this (a hung X server must not hold the worker for ever).
XSET_TIMEOUT_S = 5.0
#: What `xset q` prints of the monitor's state (x11-xserver-utils, xset.c).
MONITOR_OFF = "Monitor is Off"

WallClock = Callable[[], datetime]


class DpmsPanel:
    """The panel's power through the X server's DPMS extension, with `xset`."""

    def __init__(self, display: str | None = None) -> None:
        self._xset = shutil.which("xset")
        self._env = {**os.environ, **({"DISPLAY": display} if display else {})}
        #: the commands run, in order (what `kiosk doctor` and the tests can look at)
        self.commands: list[tuple[str, ...]] = []

    def _run(self, *args: str) -> str | None:
        if self._xset is None or not self._env.get("DISPLAY"):
            return None
        self.commands.append(args)
        try:
            done = subprocess.run([self._xset, *args], capture_output=True, text=True,
                                  timeout=XSET_TIMEOUT_S, env=self._env, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    def set_power(self, on: bool) -> bool:
        """Turn the panel on or off; whether the X server says it is now so."""
        if on:
            done = self._run("dpms", "force", "on") is not None
            self._run("-dpms")  # no blanking by the server itself (the display session's rule)
            return done
        self._run("dpms", "force", "off")
        state = self._run("q")
        return state is not None and MONITOR_OFF in state


class Veil(Widget):
    """Black over the whole window, at an opacity: the dimmed or blacked-out panel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            self._colour = Color(0, 0, 0, 0)
            self._rect = Rectangle(pos=(0, 0), size=Window.size)

    def cover(self, opacity: float) -> None:
        """Black at `opacity` (0: nothing, 1: black)."""
        self._colour.a = opacity
        self._rect.size = Window.size


class ScreenPower:
    """Follows the schedule on the UI thread; `replan` takes a new schedule (a configuration
    change)."""

    def __init__(self, plan: PowerPlan, clock: Monotonic, wall_clock: WallClock,
                 session_open: Callable[[], bool], panel: DpmsPanel | None = None) -> None:
        self.plan = plan
        self._clock = clock
        self._wall_clock = wall_clock
        self._session_open = session_open
        self.panel = panel or DpmsPanel()
        self.mode = PanelMode.LIT
        #: whether the X server turned the panel off the last time it was asked
        self.dpms_off = False
        self._last_activity: float | None = None
        self._veil: Veil | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="panel-power")
        self._event: Any = None

    def start(self) -> None:
        """Watch touches and keys (before anything else sees them) and the time."""
        Window.bind(on_touch_down=self._on_touch_down, on_key_down=self._on_key_down)
        self._event = Clock.schedule_interval(lambda _dt: self.check(), CHECK_S)
        self.check()

    def stop(self) -> None:
        """Light the panel and stop following the schedule (the app is stopping)."""
        if self._event is not None:
            self._event.cancel()
        Window.unbind(on_touch_down=self._on_touch_down, on_key_down=self._on_key_down)
        if self.mode is PanelMode.OFF:
            self._worker.submit(self.panel.set_power, True)
        self._worker.shutdown(wait=True)

    def replan(self, plan: PowerPlan) -> None:
        """A new schedule, looked at now."""
        self.plan = plan
        self.check()

    def check(self) -> None:
        """Switch the panel to what the schedule says now."""
        idle = (float("inf") if self._last_activity is None
                else self._clock() - self._last_activity)
        mode = panel_mode(self.plan, self._wall_clock(), self._session_open(), idle)
        if mode is not self.mode:
            self._switch(mode)

    def _switch(self, mode: PanelMode) -> None:
        before, self.mode = self.mode, mode
        if mode is PanelMode.LIT:
            if self._veil is not None:
                Window.remove_widget(self._veil)
                self._veil = None
        else:
            if self._veil is None:
                self._veil = Veil()
                Window.add_widget(self._veil)
            self._veil.cover(1.0 if mode is PanelMode.OFF else 1.0 - self.plan.dim_level)
        if mode is PanelMode.OFF:
            self._worker.submit(self._turn_off)
        elif before is PanelMode.OFF:
            self._worker.submit(self._turn_on)
        record(EventType.PANEL_POWER, mode=mode)

    def _turn_off(self) -> None:
        self.dpms_off = self.panel.set_power(False)
        record(EventType.PANEL_POWER, logging.INFO if self.dpms_off else logging.WARNING,
               mode=PanelMode.OFF, dpms=self.dpms_off)

    def _turn_on(self) -> None:
        self.panel.set_power(True)
        self.dpms_off = False

    # -- waking ----------------------------------------------------------------------------

    def _wake(self) -> bool:
        """Someone is there; True when the panel was off (the touch or key is used up)."""
        self._last_activity = self._clock()
        was_off = self.mode is PanelMode.OFF
        if self.mode is not PanelMode.LIT:
            self._switch(PanelMode.LIT)
        return was_off

    def _on_touch_down(self, _window: Any, _touch: Any) -> bool:
        return self._wake()

    def _on_key_down(self, *_args: Any) -> bool:
        return self._wake()
