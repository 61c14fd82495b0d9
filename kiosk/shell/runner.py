"""Wiring: configuration, devices, the core and the Kivy app, in the one order that works
(Kivy configured before it is imported, the window sized from the panel geometry)."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core.clock import Clock, monotonic_clock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import DeviceKind, Printer
from kiosk.core.effects import EffectHandler
from kiosk.core.panel_power import power_plan
from kiosk.core.usage import AssistedSource, UsageCounter, no_assistance
from kiosk.settings.loader import ConfigSources
from kiosk.settings.models import CentralSettings, Profile, Settings
from kiosk.shell import boot, memory_seal
from kiosk.shell.effect_runner import EffectRunner
from kiosk.shell.reload_check import Candidate, ReloadStatus, config_version, version_files

if TYPE_CHECKING:
    from devices.factory import DeviceSet
    from kiosk.shell.app import KioskApp
    from kiosk.shell.central_wiring import CentralConnector
    from kiosk.shell.crash_guard import CrashGuard
    from kiosk.shell.heartbeat import HeartbeatSender
    from kiosk.shell.power import ScreenPower
    from kiosk.shell.reload import HotReload, WatchedConfig

WallClock = Callable[[], datetime]

#: Settings a running station cannot take without starting again: the window's size and
#: place, the devices' drivers, the keys and switches the window listens to, where its data
#: lives, the CUPS queue and paper the printer was set up with, and its identity (its
#: references and its fleet token are bound to it). A change to them is kept for the next
#: start and said in the heartbeats.
RESTART_FIELDS = ("profile", "panel", "devices", "input", "data_dir", "receipts.queue",
                  "receipts.paper", "station.id")


@dataclass(frozen=True)
class RunOptions:
    """How to open the window."""

    fullscreen: bool = True
    headless: bool = False


@dataclass
class Station:
    """Everything a running station is made of."""

    settings: Settings
    core: KioskCore
    devices: DeviceSet
    app: KioskApp
    central: CentralConnector
    #: what kept the app alive through an exception in a Kivy callback, and how often
    crash_guard: CrashGuard
    #: how the station is used, counted from the core's states and effects
    usage: UsageCounter
    power: ScreenPower
    #: the configuration in force: the settings, the places and the files' version
    config: Candidate
    #: heartbeats to the fleet, once the first screen is shown
    heartbeats: HeartbeatSender | None = None
    #: the configuration files watched for changes, once the first screen is shown (None: the
    #: configuration never changes)
    reload: HotReload | None = None


class StationError(Exception):
    """The station cannot start for a reason outside its configuration's validity."""


def build_station(settings: Settings, options: RunOptions, clock: Clock | None = None, *,
                  watched: WatchedConfig | None = None, wall_clock: WallClock | None = None,
                  assisted: AssistedSource = no_assistance) -> Station:
    """Configure Kivy, then build devices, core and app (the window opens on first run).
    `watched`: the configuration files to follow (hot reload); `wall_clock`: the local time
    the screen-power schedule follows; `assisted`: the assisted mode's counts."""
    try:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise StationError(
            f"data_dir {settings.data_dir}: cannot be created ({err.strerror}); set data_dir "
            "in the machine file or KIOSK__DATA_DIR"
        ) from None
    from devices.factory import build_devices

    memory_seal.seal()  # before anyone can type anything
    devices = build_devices(settings)  # a device configuration error stops us before any window
    # So does a places file the kiosk cannot read (PlacesFileError is a ConfigError).
    places = read_places(places_path(settings.places.file))
    plan = power_plan(settings, places)  # and so do screen-power hours it cannot read
    read_from = watched.sources() if watched is not None else ConfigSources()
    config = Candidate(settings, places, config_version(version_files(read_from, settings)))
    boot.prepare_environment(settings.data_dir / "kivy", headless=options.headless)
    boot.configure_kivy(boot.WindowPlan(
        geometry=settings.panel,
        fullscreen=options.fullscreen,
        # A totem has no mouse: no pointer on screen. A desk has one.
        show_cursor=settings.profile is not Profile.TOTEM,
        headless=options.headless,
    ))
    from kiosk.shell import crash_guard
    from kiosk.shell.app import KioskApp  # imports Kivy's window: it opens now
    from kiosk.shell.systemd_notify import SystemdLink

    guard = crash_guard.install()
    clock = clock or monotonic_clock
    core = KioskCore(settings, clock, wall_clock, places=places)
    usage = UsageCounter()
    core.subscribe(usage.observe)
    core.on_effect(usage.effect)
    sources: dict[DeviceKind, Any] = {
        DeviceKind.PRINTER: devices.printer.health,
        DeviceKind.CARD_READER: devices.card_reader.health,
        DeviceKind.SCANNER: devices.scanner.health,
        DeviceKind.SPEECH: devices.speech.health,
        DeviceKind.HEADSET: devices.headset.health,
    }
    from kiosk.shell.speech_link import SpeechLink

    speech = SpeechLink(devices.speech, devices.headset, core)
    app = KioskApp(settings, core, sources, SystemdLink(), scanner=devices.scanner,
                   speech=speech)
    from kivy.clock import Clock as KivyClock

    from kiosk.shell.central_wiring import CentralConnector

    connector = CentralConnector(settings, on_connectivity=lambda connectivity: (
        KivyClock.schedule_once(lambda _dt: core.set_connectivity(connectivity))))
    # Receipts print through the station's printer; after each job the devices are read again.
    handlers = effect_handlers(connector, devices.printer, settings, app.poll_devices_now)
    runner = EffectRunner(handlers, app.deliver_outcome)
    core.on_effect(runner.submit)
    from kiosk.shell.power import ScreenPower

    def local_time() -> datetime:
        return datetime.now(ZoneInfo(station.settings.site.timezone))

    def session_open() -> bool:
        return core.state.session is not None

    power = ScreenPower(plan, clock, wall_clock or local_time, session_open)
    station = Station(settings, core, devices, app, connector, guard, usage, power, config)
    # A change that waited for the session's end applies once the session has ended.
    core.subscribe(lambda state: station.reload.nudge()
                   if station.reload is not None and state.session is None else None)

    def ready(_app: Any, is_ready: bool) -> None:
        # The central link (and the embedded peer), the heartbeats, the schedule of the
        # panel and the watch on the configuration start once the first screen is shown.
        if not is_ready:
            return
        connector.start()
        power.start()
        start_heartbeats(station, assisted)
        if watched is not None:
            watch_configuration(station, watched, session_open)

    app.bind(ready=ready)

    def stop(*_args: Any) -> None:
        if station.reload is not None:
            station.reload.stop()
        power.stop()
        if station.heartbeats is not None:
            station.heartbeats.stop()
        runner.stop()
        connector.close()

    app.bind(on_stop=stop)
    return station


def start_heartbeats(station: Station, assisted: AssistedSource) -> None:
    """Heartbeats to the fleet, from the station's settings as they are at each beat."""
    from kiosk.shell.heartbeat import HeartbeatSender

    def status() -> ReloadStatus:
        reload = station.reload
        return reload.status if reload is not None else ReloadStatus(station.config.version)

    station.heartbeats = HeartbeatSender(lambda: station.settings, lambda: station.core.state,
                                         station.usage, station.central, status, assisted)
    station.heartbeats.start()


def watch_configuration(station: Station, watched: WatchedConfig,
                        session_open: Callable[[], bool]) -> None:
    """Hot reload of the configuration files: a change is checked off the UI thread, then
    applied on it between sessions (`reconfigure`); each change of status is in the next
    heartbeat, sent at once."""
    from kivy.clock import Clock as KivyClock

    from kiosk.shell.reload import HotReload

    def status_changed(_status: object) -> None:
        if station.heartbeats is not None:
            station.heartbeats.soon()

    station.reload = HotReload(
        watched, station.config, lambda candidate: reconfigure(station, candidate),
        post=lambda work: KivyClock.schedule_once(lambda _dt: work()),
        session_open=session_open, on_status=status_changed)
    station.reload.start()


def _field(settings: Settings, dotted: str) -> Any:
    value: Any = settings
    for name in dotted.split("."):
        value = getattr(value, name)
    return value


def _with_field(settings: Any, dotted: str, value: Any) -> Any:
    name, _, rest = dotted.partition(".")
    inner = _with_field(getattr(settings, name), rest, value) if rest else value
    return replace(settings, **{name: inner})


def _link_of(settings: Settings) -> tuple[CentralSettings, str]:
    """What the central link is built from: the central systems (but the fleet's fields, read
    at each heartbeat) and the time zone the adapters read dates in."""
    return replace(settings.central, fleet_url=None, heartbeat_s=0), settings.site.timezone


def reconfigure(station: Station, candidate: Candidate) -> tuple[str, ...]:
    """Put a changed configuration in force between sessions: the core, the screens' texts and
    timings, the central link when the central systems changed, the screen-power schedule;
    the heartbeats read the settings at each beat. Returns the fields that wait for a restart
    (RESTART_FIELDS), which keep their running value."""
    running, new = station.settings, candidate.settings
    restart = tuple(f for f in RESTART_FIELDS if _field(new, f) != _field(running, f))
    settings = new
    for dotted in restart:
        settings = _with_field(settings, dotted, _field(running, dotted))
    if not station.core.reconfigure(settings, candidate.places):
        raise RuntimeError("a configuration applied during a session")  # HotReload forbids it
    station.settings, station.config = settings, replace(candidate, settings=settings)
    station.app.reconfigured(settings)
    if _link_of(settings) != _link_of(running):
        station.central.reconnect(settings)
    station.power.replan(power_plan(settings, candidate.places))
    return restart


def effect_handlers(connector: CentralConnector, printer: Printer, settings: Settings,
                    on_printed: Callable[[], None] | None = None) -> dict[type, EffectHandler]:
    """What runs every effect the core can ask for: the flows' central effects and printing
    (a test checks that each effect a flow declares has one)."""
    from kiosk.shell.central_effects import central_effects
    from kiosk.shell.printing import print_handlers

    return {**central_effects(connector),
            **print_handlers(printer, settings, on_finished=on_printed)}


def install_signal_handlers(app: KioskApp) -> None:
    """SIGTERM (systemctl stop) ends the app cleanly: SDL would otherwise turn it into a close
    request that the lock-down refuses, and the unit would hang until SIGKILL (docs/kivy.md §1)."""
    from kivy.clock import Clock as KivyClock

    def on_term(_signum: int, _frame: Any) -> None:
        KivyClock.schedule_once(lambda _dt: app.shutdown())

    signal.signal(signal.SIGTERM, on_term)


def run(settings: Settings, options: RunOptions, watched: WatchedConfig | None = None) -> int:
    """Run the station until it is stopped, following `watched` files' changes."""
    station = build_station(settings, options, watched=watched)
    install_signal_handlers(station.app)
    station.app.run()
    return 0
