"""Unit tests of the settings models and the layered loader (docs/architecture.md rule 6).

They prove that:
- the packaged defaults and the three profile files validate, and each brings its panel preset;
- layers override each other in the documented order: defaults < profile file < site file <
  machine file < environment < the profile forced on the command line;
- a bad value, an unknown key, a missing file or an impossible panel is refused with ONE line
  naming the file (or environment variable), the dotted field and the reason, and strings are
  never coerced to numbers;
- the WCAG 2.2.1 floor on the warning and the language rules are enforced;
- every field documents itself in the JSON Schema;
- `kiosk config check` and `kiosk config schema` behave as the command-line surface says.
"""

import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.settings.field_docs import describe_fields
from kiosk.settings.loader import PACKAGED_CONFIG_DIR, ConfigError, ConfigSources, load_settings
from kiosk.settings.models import MIN_WARNING_S, Profile, Settings
from kiosk.settings.validation import json_schema

REPO = Path(__file__).resolve().parents[2]


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load(
    site: Path | None = None,
    machine: Path | None = None,
    env: dict[str, str] | None = None,
    profile: str | None = None,
) -> Settings:
    sources = ConfigSources(site=site, machine=machine, profile=profile)
    return load_settings(sources, environ=env or {})


def problems_of(**kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(**kwargs)  # type: ignore[arg-type]
    return info.value.problems


def only_problem(problems: list[str], prefix: str) -> str:
    """The single problem line, which must start with `prefix` and go on with a reason."""
    assert len(problems) == 1, problems
    line = problems[0]
    assert "\n" not in line
    assert line.startswith(prefix), line
    assert line[len(prefix):].strip(), f"no reason after {prefix!r}: {line!r}"
    return line


# -- packaged configuration -------------------------------------------------------------------


def test_packaged_defaults_validate_as_a_totem_with_the_43_inch_panel():
    settings = load()
    assert settings.profile is Profile.TOTEM
    assert settings.panel.name == "43 in portrait totem"
    assert (settings.panel.width_px, settings.panel.height_px) == (1080, 1920)
    assert settings.session.idle_s == 120
    assert settings.session.warning_s == 45
    assert settings.languages.default == "fr"
    assert settings.languages.available == ("fr", "en", "fr_FALC")


def _preset_named_in(profile_file: Path) -> dict[str, object]:
    with profile_file.open("rb") as handle:
        preset = tomllib.load(handle)["panel"]["preset"]
    with (PACKAGED_CONFIG_DIR / "panels" / f"{preset}.toml").open("rb") as handle:
        return tomllib.load(handle)["panel"]


@pytest.mark.parametrize(
    ("profile", "name", "size", "idle_s"),
    [
        ("totem", "43 in portrait totem", (1080, 1920), 120),
        ("desk", "24 in landscape desk monitor", (1920, 1080), 180),
        ("desk-assisted", "24 in landscape desk monitor", (1920, 1080), 300),
    ],
)
def test_each_profile_file_gives_its_profile_and_its_panel_preset(profile, name, size, idle_s):
    profile_file = PACKAGED_CONFIG_DIR / f"{profile}.toml"
    preset = _preset_named_in(profile_file)
    # As the station's machine file, and as the profile forced on the command line.
    for settings in (load(machine=profile_file), load(profile=profile)):
        assert settings.profile.value == profile
        assert settings.panel.name == name == preset["name"]
        assert (settings.panel.width_px, settings.panel.height_px) == size
        assert settings.panel.width_px == preset["width_px"]
        assert settings.panel.height_px == preset["height_px"]
        assert settings.panel.bottom_edge_mm == preset["bottom_edge_mm"]
        assert settings.session.idle_s == idle_s


# -- layering precedence ----------------------------------------------------------------------


def test_each_layer_overrides_the_one_below(tmp_path):
    site_text = 'profile = "desk"\n[session]\nidle_s = 200\n[station]\nname = "Accueil"\n'
    site = write(tmp_path, "site.toml", site_text)
    machine = write(tmp_path, "machine.toml", '[session]\nidle_s = 210\n[station]\nid = "m-7"\n')
    env = {"KIOSK__SESSION__IDLE_S": "90"}

    assert load().session.idle_s == 120  # defaults (and totem.toml)
    # The profile chosen by the site pulls desk.toml in over the defaults.
    assert load(env={"KIOSK__PROFILE": "desk"}).session.idle_s == 180
    assert load(site=site).session.idle_s == 200
    layered = load(site=site, machine=machine)
    assert layered.session.idle_s == 210
    # Tables merge key by key: the site's station name survives the machine's station id.
    assert (layered.station.id, layered.station.name) == ("m-7", "Accueil")
    assert layered.profile is Profile.DESK
    assert layered.panel.name == "24 in landscape desk monitor"
    assert load(site=site, machine=machine, env=env).session.idle_s == 90


def test_the_profile_from_the_command_line_wins_over_files_and_environment(tmp_path):
    site = write(tmp_path, "site.toml", 'profile = "desk"\n')
    machine = write(tmp_path, "machine.toml", 'profile = "desk-assisted"\n')
    env = {"KIOSK__PROFILE": '"desk"'}
    assert load(site=site, machine=machine).profile is Profile.DESK_ASSISTED
    assert load(site=site, machine=machine, env=env).profile is Profile.DESK

    settings = load(site=site, machine=machine, env=env, profile="totem")
    assert settings.profile is Profile.TOTEM
    # ... and it chooses the profile file: the totem's panel and idle time.
    assert settings.panel.name == "43 in portrait totem"
    assert settings.session.idle_s == 120


def test_environment_values_are_toml_literals_or_else_text():
    settings = load(
        env={
            "KIOSK__LANGUAGES__AVAILABLE": '["en", "fr"]',
            "KIOSK__LANGUAGES__DEFAULT": "en",
            "KIOSK__DEVICES__PRINTER__REQUIRED": "true",
            "KIOSK__STATION__NAME": "Borne du marché",
            "KIOSK__PANEL__BOTTOM_EDGE_MM": "760.5",
            "OTHER_VARIABLE": "ignored",
        }
    )
    assert settings.languages.available == ("en", "fr")
    assert settings.languages.default == "en"
    assert settings.devices.printer.required is True
    assert settings.station.name == "Borne du marché"
    assert settings.panel.bottom_edge_mm == 760.5


def test_keys_set_next_to_a_preset_win_over_the_preset(tmp_path):
    machine = write(tmp_path, "machine.toml", "[panel]\nbottom_edge_mm = 700.0\n")
    settings = load(machine=machine)
    assert settings.panel.name == "43 in portrait totem"
    assert settings.panel.bottom_edge_mm == 700.0


def test_the_configuration_is_validated_as_a_whole_after_layering(tmp_path):
    # A bad value in the site file is fine when the machine file replaces it.
    site = write(tmp_path, "site.toml", '[session]\nidle_s = "soon"\n')
    machine = write(tmp_path, "machine.toml", "[session]\nidle_s = 150\n")
    assert load(site=site, machine=machine).session.idle_s == 150


# -- one line per problem: file, field, reason -----------------------------------------------


@pytest.mark.parametrize(
    ("toml", "field", "reason"),
    [
        ('[session]\nidle_s = "soon"\n', "session.idle_s", "integer"),
        # Strict: a quoted number is a string, never silently a number.
        ('[session]\nidle_s = "120"\n', "session.idle_s", "integer"),
        ("[session]\nidle_s = 90.5\n", "session.idle_s", "integer"),
        ("[session]\nidle_sec = 90\n", "session.idle_sec", "unknown key"),
        ("[panel]\nbottom_edge_mm = -100\n", "panel.bottom_edge_mm", "below the floor"),
        ("[panel]\nwidth_px = 0\n", "panel.width_px", "zero size"),
        ("[panel]\nactive_height_mm = 0\n", "panel.active_height_mm", "zero size"),
        ("[panel]\nwidth_px = 1000\n", "panel", "not square"),
        ('profile = "kiosque"\n', "profile", "'totem', 'desk' or 'desk-assisted'"),
        ('[panel]\npreset = "nope"\n', "panel.preset", "no panel preset 'nope'"),
    ],
)
def test_a_bad_file_names_the_file_the_field_and_the_reason(tmp_path, toml, field, reason):
    machine = write(tmp_path, "machine.toml", toml)
    line = only_problem(problems_of(machine=machine), f"{machine}: {field}: ")
    assert reason in line


def test_the_problem_names_the_layer_that_set_the_bad_value(tmp_path):
    site = write(tmp_path, "site.toml", '[session]\nidle_s = "soon"\n')
    machine = write(tmp_path, "machine.toml", '[station]\nname = "Borne nord"\n')
    only_problem(problems_of(site=site, machine=machine), f"{site}: session.idle_s: ")


@pytest.mark.parametrize(
    ("name", "value", "field", "reason"),
    [
        ("KIOSK__SESSION__IDLE_S", "soon", "session.idle_s", "integer"),
        ("KIOSK__SESSION__IDLE_S", '"90"', "session.idle_s", "integer"),
        ("KIOSK__SESSION__IDLE_SEC", "90", "session.idle_sec", "unknown key"),
        ("KIOSK__PANEL__BOTTOM_EDGE_MM", "-100", "panel.bottom_edge_mm", "below the floor"),
    ],
)
def test_a_bad_environment_variable_is_named(name, value, field, reason):
    line = only_problem(
        problems_of(env={name: value}), f"environment variable {name}: {field}: "
    )
    assert reason in line


@pytest.mark.parametrize(
    ("name", "value", "field", "reason"),
    [
        ("KIOSK__PANEL__WIDTH_PX", "1000", "panel", "not square"),
        ("KIOSK__LANGUAGES__DEFAULT", "de", "languages", "not in available"),
    ],
)
def test_a_section_level_problem_from_the_environment_names_the_variable(
    name, value, field, reason
):
    # A rule checked on a whole section (square pixels, default language offered) must still
    # tell the IT team which variable to fix, not merely "environment".
    line = only_problem(
        problems_of(env={name: value}), f"environment variable {name}: {field}: "
    )
    assert reason in line


def test_a_missing_file_is_named(tmp_path):
    absent = tmp_path / "absent.toml"
    line = only_problem(problems_of(machine=absent), f"{absent}: ")
    assert line.endswith("file not found")


def test_a_file_that_is_not_toml_is_named(tmp_path):
    broken = write(tmp_path, "machine.toml", "[session\nidle_s = 90\n")
    line = only_problem(problems_of(machine=broken), f"{broken}: ")
    assert "not valid TOML" in line


# -- accessibility and language rules ---------------------------------------------------------


def test_a_warning_shorter_than_20_seconds_is_refused(tmp_path):
    assert MIN_WARNING_S == 20  # WCAG 2.2 SC 2.2.1
    assert load(env={"KIOSK__SESSION__WARNING_S": "20"}).session.warning_s == 20
    machine = write(tmp_path, "machine.toml", "[session]\nwarning_s = 19\n")
    line = only_problem(problems_of(machine=machine), f"{machine}: session.warning_s: ")
    assert "20" in line


def test_a_default_language_that_is_not_offered_is_refused(tmp_path):
    machine = write(tmp_path, "machine.toml", '[languages]\ndefault = "en"\navailable = ["fr"]\n')
    line = only_problem(problems_of(machine=machine), f"{machine}: languages")
    assert "'en'" in line
    assert "not in available" in line


def test_a_language_without_a_message_catalog_is_refused(tmp_path):
    machine = write(tmp_path, "machine.toml", '[languages]\navailable = ["fr", "en", "de"]\n')
    line = only_problem(problems_of(machine=machine), f"{machine}: languages.available: ")
    assert line.endswith("no message catalog for de")


# -- self-documenting schema ------------------------------------------------------------------


def test_every_field_of_every_model_has_a_description():
    schema = json_schema()
    models = {"Settings": schema, **schema["$defs"]}
    fields = {
        f"{model}.{name}": prop.get("description", "")
        for model, node in models.items()
        for name, prop in node.get("properties", {}).items()
    }
    # The walk really reaches the nested models.
    assert {"Settings.panel", "PanelGeometry.bottom_edge_mm", "SessionSettings.warning_s",
            "Location.lat", "DeviceSettings.required"} <= fields.keys()
    assert len(fields) >= 45
    undocumented = sorted(name for name, text in fields.items() if not text.strip())
    assert undocumented == []
    # A field declared again in a subclass has the subclass's docstring.
    assert fields["ScannerSettings.required"].endswith("a keyboard-wedge scanner cannot be seen).")
    assert fields["ScannerSettings.driver"] != fields["DeviceSettings.driver"]
    assert fields["PanelGeometry.tilt_deg"].startswith("Backward tilt of the panel")
    models_without_text = sorted(n for n, node in models.items() if not node.get("description"))
    assert models_without_text == []


# -- command line -----------------------------------------------------------------------------


def run_kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK__")}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_config_check_accepts_the_packaged_files():
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "config").glob("*.toml"))
    assert files == [
        "config/defaults.toml", "config/desk-assisted.toml", "config/desk.toml",
        "config/totem.toml",
    ]
    result = run_kiosk("config", "check", *files)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for name in files:
        assert f"{name}: ok" in result.stdout


def test_config_check_refuses_a_bad_file_on_one_stderr_line(tmp_path):
    bad = write(tmp_path, "bad.toml", '[panel]\nbottom_edge_mm = -100\n')
    result = run_kiosk("config", "check", str(bad), "config/desk.toml")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{bad}: panel.bottom_edge_mm: ")
    assert "below the floor" in lines[0]
    assert "config/desk.toml: ok" in result.stdout


def test_config_check_refuses_a_brand_colour_below_7_to_1_with_the_ratio_it_reached(tmp_path):
    # A light blue: 2.7:1 on the background, so the city's name and stepper would not read.
    pale = write(tmp_path, "pale.toml", '[site]\nbrand_colour = "#3399FF"\n')
    dark = write(tmp_path, "dark.toml", '[site]\nbrand_colour = "#0B5D3B"\n')
    result = run_kiosk("config", "check", str(pale), str(dark))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{pale}: site.brand_colour: #3399FF reaches 2.7:1 against")
    assert "7:1" in lines[0]
    assert f"{dark}: ok" in result.stdout


def test_config_schema_prints_the_json_schema():
    result = run_kiosk("config", "schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert "panel" in schema["properties"]
    assert schema["properties"]["panel"]["description"]


@dataclass
class _Base:
    kept: int = 0
    """The base's words."""
    redone: int = 0
    """Replaced below."""


@dataclass
class _Child(_Base):
    redone: int = 0
    """The child's words."""


def test_field_docstrings_come_from_the_class_that_declares_them():
    schema: dict = {"properties": {"kept": {"type": "integer"}, "redone": {}}}
    describe_fields(schema, _Child)
    assert schema == {"properties": {
        "kept": {"type": "integer", "description": "The base's words."},
        "redone": {"description": "The child's words."},
    }}
