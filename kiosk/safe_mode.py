"""`kiosk safe-mode`: the safe out-of-order screen a station shows once the app failed to start
too often (kiosk-safe-mode.service, started by kiosk.service's OnFailure=).

A minimal program, so that whatever broke the app does not break it too: it imports the
settings, the message catalogs, the fleet adapter and Kivy, and nothing of the app's flows,
screens, shell, devices or outbox (an import-linter contract in pyproject.toml holds it to
that). It shows the city, the front desk's address and the station id, in every language the
station offers, and sends a heartbeat every minute that says it is in safe mode and why.

Why comes from systemd: a unit started by OnFailure= gets the failed unit's result in
MONITOR_SERVICE_RESULT, MONITOR_EXIT_CODE and MONITOR_EXIT_STATUS (systemd.exec(5),
"Environment variables passed to OnFailure= units", systemd ≥ 251). When even the
configuration cannot be read, the packaged one is used, with the station's id, city and
address taken from the files as far as they can be read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.core.events import EventType, Ident, record
from kiosk.core.i18n import translate
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings, read_toml
from kiosk.settings.models import Settings

#: How often the fleet hears from a station in safe mode, in seconds.
HEARTBEAT_S = 60.0
#: The screen's name in heartbeats.
SCREEN = "safe_mode"
#: Debian's fonts-dejavu-core (full French coverage); Kivy's Roboto otherwise.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: Colours of the screen: the default theme's text on its background (≥ 7:1).
BACKGROUND = (0.08, 0.13, 0.22, 1)
TEXT = (1, 1, 1, 1)

LOG = logging.getLogger("kiosk.safe_mode")


@dataclass(frozen=True)
class SafeScreen:
    """What the screen shows and what heartbeats say."""

    settings: Settings
    city: str
    site: str
    address: str
    station_id: str
    reason: str
    config_error: str | None

    def texts(self) -> list[str]:
        """The city, then each offered language's message, then the station's id."""
        values = {"site": self.site, "address": self.address}
        languages = self.settings.languages.available
        blocks = [translate("out_of_order.title", lang) + "\n"
                  + translate("out_of_order.body", lang, **values) for lang in languages]
        station = translate("out_of_order.station", self.settings.languages.default,
                            station=self.station_id)
        return [self.city, *blocks, station]


def reason_from(environ: Mapping[str, str], config_error: str | None) -> str:
    """Why the app is down, as an identifier: the failed unit's result, exit code and status
    (for example start-limit-hit:exited:2), and whether its configuration is invalid."""
    parts = [environ.get("MONITOR_SERVICE_RESULT") or "unknown"]
    parts += [environ[name] for name in ("MONITOR_EXIT_CODE", "MONITOR_EXIT_STATUS")
              if environ.get(name)]
    if config_error is not None:
        parts.insert(0, "config-invalid")
    text = ":".join(part.replace(" ", "-") for part in parts)
    return "".join(c for c in text if c.isalnum() or c in "-_.:")[:64]


def _raw_values(sources: ConfigSources) -> dict[str, Any]:
    """What the configuration files say, merged without validation, as far as they read."""
    merged: dict[str, Any] = {}

    def merge(into: dict[str, Any], values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if isinstance(value, Mapping) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    for path in (sources.site, sources.machine):
        if path is None:
            continue
        try:
            merge(merged, read_toml(path).values)
        except ConfigError:
            continue
    return merged


def _text(values: Mapping[str, Any], *path: str) -> str | None:
    node: Any = values
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, str) and node.strip() else None


def safe_screen(sources: ConfigSources, environ: Mapping[str, str]) -> SafeScreen:
    """The station's own settings, or the packaged ones with what its files say."""
    try:
        settings = load_settings(sources)
        config_error = None
    except ConfigError as err:
        config_error = err.problems[0]
        profile = _text(_raw_values(sources), "profile")
        try:
            settings = load_settings(ConfigSources(packaged_dir=sources.packaged_dir,
                                                   profile=profile))
        except ConfigError:
            settings = load_settings(ConfigSources(packaged_dir=sources.packaged_dir),
                                     environ={})
    raw = _raw_values(sources)
    return SafeScreen(
        settings=settings,
        city=_text(raw, "site", "city") or settings.site.city,
        site=_text(raw, "site", "name") or settings.site.name,
        address=_text(raw, "site", "location", "address") or settings.site.location.address,
        station_id=_text(raw, "station", "id") or settings.station.id,
        reason=reason_from(environ, config_error),
        config_error=config_error,
    )


class Heartbeats:
    """A heartbeat now and every `every_s` seconds, through the fleet adapter, in a thread."""

    def __init__(self, screen: SafeScreen, every_s: float) -> None:
        self.screen = screen
        self.every_s = every_s
        self.started = datetime.now(UTC)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="safe-mode-heartbeats",
                                        daemon=True)

    def start(self) -> None:
        """Start beating."""
        self._thread.start()

    def stop(self) -> None:
        """Stop beating."""
        self._stop.set()

    def _run(self) -> None:
        while True:
            self.beat()
            if self._stop.wait(self.every_s):
                return

    def beat(self) -> None:
        """One heartbeat; a failure is logged (by kind) and the next one tried later."""
        from kiosk.adapters.credentials import CredentialsError, load_credentials
        from kiosk.adapters.fleet import OtlpFleet
        from kiosk.adapters.http import HttpClient
        from kiosk.core.central import CentralError
        from kiosk.core.fleet import Health, Heartbeat

        settings = self.screen.settings
        central = settings.central
        if central.fleet_url is None or central.credentials_file is None:
            record(EventType.HEARTBEAT_FAILED, logging.WARNING, reason=Ident("no-fleet"))
            return
        try:
            token = load_credentials(central.credentials_file, required=("fleet",)).fleet_token
            free = shutil.disk_usage(settings.data_dir).free if settings.data_dir.exists() else 0
            beat = Heartbeat(
                station_id=self.screen.station_id, site=settings.site.name,
                profile=settings.profile.value, at=datetime.now(UTC),
                counting_since=self.started,
                health=Health(screen=SCREEN, safe_mode=True, safe_mode_reason=self.screen.reason,
                              last_reload_error=self.screen.config_error,
                              disk_free_bytes=free))
            with HttpClient(central.timeout_s) as http:
                OtlpFleet(http, central.fleet_url, token or "").heartbeat(beat)
        except (CentralError, CredentialsError, OSError) as err:
            kind = getattr(err, "failure", None) or type(err).__name__
            record(EventType.HEARTBEAT_FAILED, logging.WARNING, reason=Ident(str(kind)))
            return
        record(EventType.HEARTBEAT_SENT, safe_mode=True)


def _configure_kivy(settings: Settings, kivy_home: Path) -> None:
    """Kivy's environment and window, set before Kivy is imported: a borderless window of the
    panel's size at its place, no cursor, no input but the default mouse, nothing on disk."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    kivy_home.mkdir(parents=True, exist_ok=True)
    from kivy.config import Config

    panel = settings.panel
    for key, value in {"width": panel.width_px, "height": panel.height_px,
                       "position": "custom", "left": panel.left_px, "top": panel.top_px,
                       "borderless": 1, "fullscreen": 0, "resizable": 0, "show_cursor": 0,
                       "allow_screensaver": 0, "maxfps": 10}.items():
        Config.set("graphics", key, str(value))
    Config.set("kivy", "exit_on_escape", "0")
    for name, _ in Config.items("modules"):
        Config.remove_option("modules", name)


def run(screen: SafeScreen, every_s: float = HEARTBEAT_S, transcript: Path | None = None) -> int:
    """Show the screen and beat until SIGTERM; `transcript` gets what is shown (JSON) once
    the first frame is drawn."""
    import signal

    settings = screen.settings
    _configure_kivy(settings, Path(settings.data_dir) / "kivy")
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label

    heartbeats = Heartbeats(screen, every_s)
    texts = screen.texts()
    width, height = settings.panel.width_px, settings.panel.height_px
    font = str(FONT) if FONT.is_file() else "Roboto"

    class SafeModeApp(App):
        def build(self) -> BoxLayout:
            Window.clearcolor = BACKGROUND
            # Nothing closes it (Alt+F4 reaches a window even with no window manager).
            Window.bind(on_request_close=lambda *_args, **_kwargs: True)
            root = BoxLayout(orientation="vertical", padding=width * 0.06,
                             spacing=height * 0.02)
            sizes = [0.06, *([0.032] * (len(texts) - 2)), 0.028]
            for text, size in zip(texts, sizes, strict=True):
                label = Label(text=text, font_name=font, font_size=min(width, height) * size,
                              color=TEXT, halign="center", valign="middle")
                label.bind(size=lambda lbl, value: setattr(lbl, "text_size", value))
                root.add_widget(label)
            return root

        def on_start(self) -> None:
            heartbeats.start()
            record(EventType.SAFE_MODE_SHOWN, reason=Ident(screen.reason))
            Window.bind(on_flip=self._flipped)

        def _flipped(self, *_args: object) -> None:
            # The second frame on the X screen: the first may precede the labels' textures.
            self.flips = getattr(self, "flips", 0) + 1
            if self.flips == 2:
                Window.unbind(on_flip=self._flipped)
                self._drawn()

        def _drawn(self) -> None:
            if transcript is not None:
                widgets = [child.text for child in reversed(self.root.children)]
                transcript.write_text(json.dumps({
                    "texts": widgets, "reason": screen.reason, "window": list(Window.size),
                    "modules": sorted(m for m in sys.modules
                                      if m.split(".")[0] in ("kiosk", "screens", "devices")),
                }, ensure_ascii=False), encoding="utf-8")

        def on_stop(self) -> None:
            heartbeats.stop()

    app = SafeModeApp()
    signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: app.stop()))
    app.run()
    return 0
