"""Wiring: configuration, devices, the core and the Kivy app, in the one order that works
(Kivy configured before it is imported, the window sized from the panel geometry)."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core.clock import Clock, monotonic_clock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import DeviceKind, Printer
from kiosk.core.effects import EffectHandler
from kiosk.settings.models import Profile, Settings
from kiosk.shell import agent_clock, boot, memory_seal
from kiosk.shell.effect_runner import EffectRunner

if TYPE_CHECKING:
    from devices.factory import DeviceSet
    from kiosk.shell.agent_wiring import StaffDesk
    from kiosk.shell.app import KioskApp
    from kiosk.shell.central_wiring import CentralConnector
    from kiosk.shell.crash_guard import CrashGuard


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
    #: staff badges, and on desk-assisted the facilitator's console (docs/assisted-mode.md)
    staff: StaffDesk | None = None


class StationError(Exception):
    """The station cannot start for a reason outside its configuration's validity."""


def build_station(settings: Settings, options: RunOptions, clock: Clock | None = None) -> Station:
    """Configure Kivy, then build devices, core and app (the window opens on first run)."""
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
    agent_clock.prepare_clock(settings)  # desk-assisted: the console's clicks drawn at once
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
    core = KioskCore(settings, clock or monotonic_clock, places=places)
    sources: dict[DeviceKind, Any] = {
        DeviceKind.PRINTER: devices.printer.health,
        DeviceKind.CARD_READER: devices.card_reader.health,
        DeviceKind.SCANNER: devices.scanner.health,
        DeviceKind.SPEECH: devices.speech.health,
    }
    app = KioskApp(settings, core, sources, SystemdLink(), scanner=devices.scanner)
    from kivy.clock import Clock as KivyClock

    from kiosk.shell.central_wiring import CentralConnector

    connector = CentralConnector(settings, on_connectivity=lambda connectivity: (
        KivyClock.schedule_once(lambda _dt: core.set_connectivity(connectivity))))
    # Receipts print through the station's printer; after each job the devices are read again.
    handlers = effect_handlers(connector, devices.printer, settings, app.poll_devices_now)
    from kiosk.shell.agent_wiring import StaffDesk

    staff = StaffDesk(settings, core, app, devices.card_reader, clock or monotonic_clock)
    handlers.update(staff.handlers(handlers))
    runner = EffectRunner(handlers, app.deliver_outcome)
    core.on_effect(runner.submit)
    # The central link (and the embedded peer) comes up once the first screen is shown.
    app.bind(ready=lambda _app, ready: connector.start() if ready else None)

    def stop(*_args: Any) -> None:
        runner.stop()
        connector.close()

    app.bind(on_stop=stop)
    return Station(settings, core, devices, app, connector, guard, staff)


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


def run(settings: Settings, options: RunOptions) -> int:
    """Run the station until it is stopped."""
    station = build_station(settings, options)
    install_signal_handlers(station.app)
    station.app.run()
    return 0
