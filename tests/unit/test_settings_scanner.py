"""The scanner's settings (devices.scanner) and the driver the factory builds from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.evdev_scanner import EvdevScanner
from devices.factory import build_devices
from devices.sim_scanner import SimScanner
from devices.wedge_scanner import WedgeScanner
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import ScannerKeymap, ScannerMode, ScannerSettings, Settings

ABSENT_NAME = "no-such-scanner-on-this-machine"


def settings(tmp_path: Path, **scanner: str) -> Settings:
    """Packaged configuration with devices.scanner.<field> = <TOML value> overrides."""
    environ = {"KIOSK__DATA_DIR": f'"{tmp_path}"'}
    environ |= {f"KIOSK__DEVICES__SCANNER__{k.upper()}": v for k, v in scanner.items()}
    return load_settings(ConfigSources(), environ=environ)


def problem(tmp_path: Path, **scanner: str) -> str:
    with pytest.raises(ConfigError) as caught:
        settings(tmp_path, **scanner)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


@pytest.fixture
def closing() -> Iterator[list[object]]:
    """Devices a test builds; evdev scanners are closed at the end (their thread stops)."""
    built: list[object] = []
    yield built
    for device in built:
        if isinstance(device, EvdevScanner):
            device.close()


def test_packaged_defaults(tmp_path):
    scanner = settings(tmp_path).devices.scanner
    assert scanner == ScannerSettings()
    assert (scanner.driver.value, scanner.required, scanner.mode, scanner.keymap) == (
        "sim", False, ScannerMode.EVDEV, ScannerKeymap.US)
    assert (scanner.device, scanner.match) == (None, None)
    assert (scanner.wedge_max_gap_ms, scanner.wedge_min_chars) == (35, 3)


def test_the_simulator_stays_the_default(tmp_path):
    assert isinstance(build_devices(settings(tmp_path)).scanner, SimScanner)


def test_real_evdev_by_name(tmp_path, closing):
    config = settings(tmp_path, driver='"real"', match=f'"{ABSENT_NAME.upper()}"', keymap='"fr"')
    scanner = build_devices(config).scanner
    closing.append(scanner)
    assert isinstance(scanner, EvdevScanner)
    assert (scanner.device, scanner.match, scanner.keymap) == (None, ABSENT_NAME, "fr")
    assert not (tmp_path / "sim" / "scanner.json").exists()


def test_real_evdev_by_path_wins_over_a_name(tmp_path, closing):
    node = tmp_path / "scanner-node"
    config = settings(tmp_path, driver='"real"', device=f'"{node}"', match='"Honeywell"')
    scanner = build_devices(config).scanner
    closing.append(scanner)
    assert isinstance(scanner, EvdevScanner)
    assert (scanner.device, scanner.match) == (node, None)


def test_real_wedge(tmp_path):
    config = settings(tmp_path, driver='"real"', mode='"wedge"', wedge_max_gap_ms="20",
                      wedge_min_chars="8")
    scanner = build_devices(config).scanner
    assert isinstance(scanner, WedgeScanner)
    assert scanner._discriminator.max_gap_s == pytest.approx(0.020)
    assert scanner._discriminator.min_chars == 8


def test_real_evdev_needs_a_device_or_a_name(tmp_path):
    assert problem(tmp_path, driver='"real"').endswith(
        'devices.scanner: the real scanner in mode "evdev" needs `device` or `match`')


def test_a_wedge_scanner_cannot_be_required(tmp_path):
    assert "devices.scanner: a scanner in mode \"wedge\" cannot be required" in problem(
        tmp_path, driver='"real"', mode='"wedge"', required="true")


def test_a_required_simulated_scanner_in_wedge_mode_is_fine(tmp_path):
    # The mode only matters for the real driver.
    assert settings(tmp_path, mode='"wedge"', required="true").devices.scanner.required


@pytest.mark.parametrize(("field", "value", "words"), [
    ("device", '"dev/input/event3"', "devices.scanner.device: must be an absolute path"),
    ("match", '"by-id/usb"', "devices.scanner.match: "),
    ("match", '""', "devices.scanner.match: "),
    ("keymap", '"de"', "devices.scanner.keymap: "),
    ("mode", '"serial"', "devices.scanner.mode: "),
    ("wedge_max_gap_ms", "60", "devices.scanner.wedge_max_gap_ms: "),
    ("wedge_max_gap_ms", "2", "devices.scanner.wedge_max_gap_ms: "),
    ("wedge_min_chars", "0", "devices.scanner.wedge_min_chars: "),
    ("wedge_max_gap_ms", '"35"', "devices.scanner.wedge_max_gap_ms: "),
])
def test_bad_values_name_the_field(tmp_path, field, value, words):
    assert words in problem(tmp_path, **{field: value})


def test_a_scanner_table_in_a_site_file(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[devices.scanner]\ndriver = "real"\nmode = "evdev"\n'
                    'device = "/dev/input/by-id/usb-Honeywell_Imaging_1900-event-kbd"\n'
                    'keymap = "fr"\n', encoding="utf-8")
    config = load_settings(ConfigSources(site=site),
                           environ={"KIOSK__DATA_DIR": f'"{tmp_path}"'})
    scanner = config.devices.scanner
    assert scanner.device == Path("/dev/input/by-id/usb-Honeywell_Imaging_1900-event-kbd")
    assert scanner.keymap is ScannerKeymap.FR
