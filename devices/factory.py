"""Builds the station's devices from validated settings: the one place a driver is chosen.

Each `settings.devices.<name>.driver` is "sim" (the shipped simulator, state under
`settings.data_dir`) or "real". The real printer is the CUPS queue `settings.receipts.queue`
(devices/cups_printer.py). The real scanner is, by `devices.scanner.mode`, its own grabbed
evdev node (devices/evdev_scanner.py) or a keyboard wedge fed by the shell's key handler
(devices/wedge_scanner.py). The badge reader's driver is "sim" or "pcsc", a PC/SC reader
through pcscd (devices/pcsc_card_reader.py). Real speech is espeak-ng through ALSA
(devices/espeak_speech.py), and "recording" the simulator that keeps a transcript for tests
(devices/recording_speech.py); the real headset is the jack's switch in the input layer
(devices/evdev_jack.py). A device that cannot be built as configured is a configuration error,
reported before anything starts, on one line naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.sim_card_reader import SimCardReader
from devices.sim_headset import SimHeadset
from devices.sim_printer import SimPrinter
from devices.sim_scanner import SimScanner
from devices.sim_speech import SimSpeech
from kiosk.core.devices import CardReader, Headset, Printer, Scanner, Speech
from kiosk.settings.loader import ConfigError
from kiosk.settings.models import (
    CardReaderDriver,
    CardReaderSettings,
    DeviceDriver,
    HeadsetSettings,
    ScannerMode,
    ScannerSettings,
    Settings,
    SpeechDriver,
    SpeechSettings,
)


class DeviceConfigError(ConfigError):
    """Devices that cannot be built as configured; one line per problem."""


@dataclass(frozen=True)
class DeviceSet:
    """The devices of a station, each behind its port."""

    printer: Printer
    card_reader: CardReader
    scanner: Scanner
    speech: Speech
    headset: Headset


def build_devices(settings: Settings) -> DeviceSet:
    """Every device as configured; raises DeviceConfigError for one that cannot be built."""
    card_reader = build_card_reader(settings.devices.card_reader, settings)
    data_dir = settings.data_dir
    printer: Printer
    if settings.devices.printer.driver is DeviceDriver.REAL:
        # Imported here: pycups loads libcups, which a station with the simulator never needs.
        from devices.cups_printer import CupsPrinter

        printer = CupsPrinter(settings.receipts.queue)
    else:
        printer = SimPrinter(data_dir)
    return DeviceSet(
        printer=printer,
        card_reader=card_reader,
        scanner=build_scanner(settings.devices.scanner, settings),
        speech=build_speech(settings.devices.speech, settings),
        headset=build_headset(settings.devices.headset, settings),
    )


def build_speech(config: SpeechSettings, settings: Settings) -> Speech:
    """The speech engine as configured. espeak-ng's thread starts here and runs for the life
    of the process; a missing espeak-ng or aplay is a health reason, not an error."""
    if config.driver == SpeechDriver.REAL:
        from devices.espeak_speech import EspeakSpeech

        return EspeakSpeech(config.alsa_device)
    if config.driver == SpeechDriver.RECORDING:
        from devices.recording_speech import RecordingSpeech

        return RecordingSpeech(settings.data_dir)
    return SimSpeech(settings.data_dir)


def build_headset(config: HeadsetSettings, settings: Settings) -> Headset:
    """The headphone jack as configured; the real one is followed on a thread that runs for
    the life of the process."""
    if config.driver != DeviceDriver.REAL:
        return SimHeadset(settings.data_dir)
    # Imported here: python-evdev is Linux-only and a simulated station never needs it.
    from devices.evdev_jack import EvdevJack

    return EvdevJack(config.device, None if config.device else config.match)


def build_scanner(config: ScannerSettings, settings: Settings) -> Scanner:
    """The scanner as configured (the settings have checked that each mode has what it needs).
    The evdev scanner starts its reader thread here; it runs for the life of the process."""
    if config.driver is DeviceDriver.SIM:
        return SimScanner(settings.data_dir)
    if config.mode is ScannerMode.WEDGE:
        from devices.wedge_scanner import WedgeScanner

        return WedgeScanner(config.wedge_max_gap_ms / 1000, config.wedge_min_chars)
    # Imported here: python-evdev is Linux-only and a simulated station never needs it.
    from devices.evdev_scanner import EvdevScanner

    return EvdevScanner(config.device, None if config.device else config.match,
                        config.keymap.value)


def build_card_reader(config: CardReaderSettings, settings: Settings) -> CardReader:
    """The badge reader as configured. The PC/SC driver starts following its reader here, on a
    thread that runs for the life of the process."""
    if config.driver != CardReaderDriver.PCSC:
        return SimCardReader(settings.data_dir)
    try:
        # Imported here: pyscard loads libpcsclite, which a simulated station never needs.
        from devices.pcsc_card_reader import PcscCardReader, PcscConfigError
    except ImportError as err:
        raise DeviceConfigError([f"devices.card_reader.driver: pyscard cannot be loaded ({err})"
                                 ]) from None
    try:
        reader = PcscCardReader(config.reader or "")
    except PcscConfigError as err:
        raise DeviceConfigError([str(err)]) from None
    reader.start()
    return reader
