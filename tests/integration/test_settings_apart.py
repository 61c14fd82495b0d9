"""The running station validates its settings in a child process and never holds pydantic
itself (kiosk/settings/apart.py): same settings, same problems, and no pydantic in the
station's memory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from station_process import running_station

from kiosk.settings.apart import SettingsChildError, load_settings_apart
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings

ENVIRON = {"KIOSK__SESSION__IDLE_S": "90", "KIOSK__LANGUAGES__DEFAULT": '"en"'}

# A fresh interpreter loads the settings one way or the other, then says what it holds.
PROBE = """
import sys
from kiosk.settings.apart import load_settings_apart
from kiosk.settings.loader import ConfigSources, load_settings
load = load_settings_apart if sys.argv[1] == "apart" else load_settings
settings = load(ConfigSources(), environ={})
print(settings.panel.name, "pydantic" in sys.modules, "pydantic_core" in sys.modules)
"""


def test_the_child_returns_what_loading_here_returns():
    apart = load_settings_apart(ConfigSources(profile="desk"), ENVIRON)
    here = load_settings(ConfigSources(profile="desk"), ENVIRON)
    assert apart == here
    assert apart.session.idle_s == 90
    assert apart.languages.default == "en"


def test_the_child_reports_the_same_problems(tmp_path):
    machine = tmp_path / "machine.toml"
    machine.write_text('[session]\nidle_s = "soon"\n[panel]\nwidth_px = 0\n', encoding="utf-8")
    sources = ConfigSources(machine=machine)
    with pytest.raises(ConfigError) as here:
        load_settings(sources, {})
    with pytest.raises(ConfigError) as apart:
        load_settings_apart(sources, {})
    assert apart.value.problems == here.value.problems
    assert len(apart.value.problems) == 2
    assert all(p.startswith(f"{machine}: ") for p in apart.value.problems)


@pytest.mark.parametrize(("how", "holds_pydantic"), [("apart", "False"), ("here", "True")])
def test_only_the_child_imports_pydantic(how, holds_pydantic):
    done = subprocess.run([sys.executable, "-c", PROBE, how], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split() == ["43", "in", "portrait", "totem", holds_pydantic,
                                   holds_pydantic]


class _Broken(Mapping[str, str]):
    """An environment that cannot be read: a bug in the child, not a bad file."""

    def __getitem__(self, key: str) -> str:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("unreadable environment")

    def __len__(self) -> int:
        return 1


def test_a_child_that_dies_is_an_error_not_a_hang(capfd):
    with pytest.raises(SettingsChildError, match="child exit status 70"):
        load_settings_apart(ConfigSources(), _Broken())
    assert "RuntimeError: unreadable environment" in capfd.readouterr().err


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text(encoding="utf-8")


def test_the_running_station_holds_no_pydantic(tmp_path):
    with running_station(tmp_path) as station:
        maps = _maps(station.pid)
    assert "libSDL2" in maps  # the walk does read the libraries the station loaded
    assert "_pydantic_core" not in maps
