"""What the safe screen shows and says when the configuration that broke the app is itself
broken: the packaged configuration, with the station's id, city and address as far as its
files can be read, and a reason that says so (kiosk/safe_mode.py)."""

from __future__ import annotations

from pathlib import Path

from kiosk.safe_mode import reason_from, safe_screen
from kiosk.settings.loader import ConfigSources

MONITOR = {"MONITOR_SERVICE_RESULT": "start-limit-hit", "MONITOR_EXIT_CODE": "exited",
           "MONITOR_EXIT_STATUS": "2"}


def machine(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "machine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_configuration_is_shown_as_it_is(tmp_path):
    path = machine(tmp_path, '[station]\nid = "B-7"\nname = "x"\n[site]\ncity = "Blois"\n')
    screen = safe_screen(ConfigSources(machine=path), MONITOR)
    assert (screen.station_id, screen.city, screen.config_error) == ("B-7", "Blois", None)
    assert screen.reason == "start-limit-hit:exited:2"
    assert screen.texts()[0] == "Blois" and screen.texts()[-1] == "Borne n° B-7"


def test_an_invalid_configuration_still_names_the_station_and_says_why(tmp_path):
    path = machine(tmp_path, 'profile = "desk"\n[station]\nid = "B-8"\nname = "x"\n'
                             '[site]\ncity = "Blois"\n[session]\nidle_s = "soon"\n')
    screen = safe_screen(ConfigSources(machine=path), MONITOR)
    assert screen.station_id == "B-8" and screen.city == "Blois"
    assert screen.settings.profile.value == "desk"  # the packaged desk, panel included
    assert screen.config_error == f"{path}: session.idle_s: must be a valid integer (got 'soon')"
    assert screen.reason == "config-invalid:start-limit-hit:exited:2"


def test_a_file_that_is_not_toml_leaves_the_packaged_configuration(tmp_path):
    path = machine(tmp_path, "station = [unclosed\n")
    screen = safe_screen(ConfigSources(machine=path), {})
    assert screen.station_id == "demo-0001"  # config/defaults.toml
    assert screen.reason == "config-invalid:unknown"
    assert "not valid TOML" in (screen.config_error or "")


def test_the_reason_is_an_identifier_whatever_the_environment_holds():
    reason = reason_from({"MONITOR_SERVICE_RESULT": "exit code; rm -rf /",
                          "MONITOR_EXIT_STATUS": "2"}, None)
    assert reason == "exit-code-rm--rf-:2"
