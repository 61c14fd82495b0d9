"""Layered configuration: packaged defaults → profile → panel preset → site overlay → machine
file → environment, validated as a whole.

Each value remembers the layer it came from, so that an error names the file (or environment
variable) to fix, the field and the reason, on one line.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kiosk.locales import shipped_languages
from kiosk.settings.models import Settings

#: Packaged defaults, profiles and panel presets (the repository's `config/`).
PACKAGED_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
#: Where a station keeps its city-wide and its own overlays (see systemd/kiosk.service).
DEFAULT_SITE_FILE = Path("/etc/kiosk/site.toml")
DEFAULT_MACHINE_FILE = Path("/etc/kiosk/machine.toml")
#: Environment overrides: KIOSK__SESSION__IDLE_S=90 sets session.idle_s.
ENV_PREFIX = "KIOSK__"
ENV_SEPARATOR = "__"

Path_ = tuple[str, ...]


class ConfigError(Exception):
    """A configuration that cannot be used; `str()` is one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Layer:
    """One source of values: a file or the environment."""

    source: str
    values: dict[str, Any]
    #: where each leaf came from when it is not `source` itself (environment variables)
    leaf_sources: dict[Path_, str] = field(default_factory=dict)


@dataclass
class _Merged:
    values: dict[str, Any] = field(default_factory=dict)
    origin: dict[Path_, str] = field(default_factory=dict)

    def apply(self, layer: Layer, prefix: Path_ = ()) -> None:
        _merge_into(self.values, layer.values, prefix, layer, self.origin)

    def source_of(self, loc: Path_) -> str:
        """The layer that set `loc`, or its deepest set parent, or the defaults."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.origin:
                return self.origin[loc[:end]]
        return "defaults"


def _merge_into(
    target: dict[str, Any],
    values: Mapping[str, Any],
    prefix: Path_,
    layer: Layer,
    origin: dict[Path_, str],
) -> None:
    for key, value in values.items():
        path = (*prefix, key)
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge_into(target[key], value, path, layer, origin)
        else:
            target[key] = _plain(value)
        origin[path] = layer.leaf_sources.get(path, layer.source)
        _mark_children(value, path, layer, origin)


def _mark_children(value: Any, path: Path_, layer: Layer, origin: dict[Path_, str]) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            child_path = (*path, key)
            origin[child_path] = layer.leaf_sources.get(child_path, layer.source)
            _mark_children(child, child_path, layer, origin)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read_toml(path: Path) -> Layer:
    """A TOML file as a layer; a missing or unreadable file is a ConfigError naming it."""
    try:
        with path.open("rb") as handle:
            return Layer(str(path), tomllib.load(handle))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except PermissionError:
        raise ConfigError([f"{path}: cannot be read (permission denied)"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a directory, not a TOML file"]) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"{path}: not valid TOML: {err}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None


def env_layer(environ: Mapping[str, str]) -> Layer:
    """KIOSK__A__B=v sets a.b; v is read as a TOML value (90, true, ["fr"]) or else a string."""
    values: dict[str, Any] = {}
    names: dict[Path_, list[str]] = {}
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX):
            continue
        path = tuple(part.lower() for part in name[len(ENV_PREFIX):].split(ENV_SEPARATOR))
        if not all(path):
            raise ConfigError([f"environment variable {name}: empty part in the name"])
        node = values
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError([f"environment variable {name}: conflicts with another"])
        node[path[-1]] = _env_value(environ[name])
        # A problem with a whole section names every variable that set part of it.
        for end in range(1, len(path) + 1):
            names.setdefault(path[:end], []).append(name)
    sources = {
        path: ("environment variable " if len(found) == 1 else "environment variables ")
        + ", ".join(found)
        for path, found in names.items()
    }
    return Layer("environment", values, sources)


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# What a number out of range means for the panel, in the words of the person installing it.
_PANEL_HINTS = {
    "bottom_edge_mm": "the panel cannot start below the floor",
    "width_px": "a panel cannot have a zero size",
    "height_px": "a panel cannot have a zero size",
    "active_width_mm": "a panel cannot have a zero size",
    "active_height_mm": "a panel cannot have a zero size",
}


def _describe(error: Mapping[str, Any], merged: _Merged) -> str:
    loc = tuple(str(part) for part in error["loc"])
    dotted = ".".join(loc) or "(whole file)"
    source = merged.source_of(loc)
    kind = error["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        reason = "unknown key (check its spelling and its section)"
    elif kind == "missing":
        reason = "required but not set"
    else:
        reason = str(error["msg"]).removeprefix("Value error, ")
        reason = reason.replace("Input should be", "must be", 1)
        if loc[:1] == ("panel",) and loc[-1] in _PANEL_HINTS and "than" in reason:
            reason += f": {_PANEL_HINTS[loc[-1]]}"
        if "input" in error and kind not in ("model_type", "dict_type", "dataclass_type",
                                             "value_error"):
            reason += f" (got {error['input']!r})"
    return f"{source}: {dotted}: {reason}"


@dataclass(frozen=True)
class ConfigSources:
    """The files a station's configuration is layered from."""

    packaged_dir: Path = PACKAGED_CONFIG_DIR
    site: Path | None = None
    machine: Path | None = None
    #: a profile forced from the command line, over what the files say
    profile: str | None = None


def gather_layers(sources: ConfigSources, environ: Mapping[str, str]) -> list[Layer]:
    """All layers in order, with the profile overlay inserted right after the defaults."""
    defaults = read_toml(sources.packaged_dir / "defaults.toml")
    overlays = [read_toml(p) for p in (sources.site, sources.machine) if p is not None]
    env = env_layer(environ)
    cli = Layer("command line --profile", {"profile": sources.profile} if sources.profile else {})
    profile_layer = _profile_layer(sources.packaged_dir, [defaults, *overlays, env, cli])
    return [defaults, *profile_layer, *overlays, env, cli]


def _profile_layer(packaged_dir: Path, layers: Iterable[Layer]) -> list[Layer]:
    chosen = None
    for layer in layers:
        chosen = layer.values.get("profile", chosen)
    path = packaged_dir / f"{chosen}.toml"
    if not isinstance(chosen, str) or not chosen.replace("-", "").isalnum() or not path.is_file():
        # Validation then reports the bad value against the layer that set it.
        return []
    layer = read_toml(path)
    layer.values.pop("profile", None)
    return [layer]


def _expand_panel_preset(merged: _Merged, packaged_dir: Path) -> list[str]:
    panel = merged.values.get("panel")
    if not isinstance(panel, dict) or "preset" not in panel:
        return []
    preset = panel.pop("preset")
    source = merged.origin.pop(("panel", "preset"), "defaults")
    if not isinstance(preset, str) or not preset.replace("-", "").isalnum():
        return [f"{source}: panel.preset: must be the name of a file in config/panels/"]
    path = packaged_dir / "panels" / f"{preset}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in (packaged_dir / "panels").glob("*.toml"))
        return [f"{source}: panel.preset: no panel preset {preset!r} (known: {', '.join(known)})"]
    layer = read_toml(path)
    geometry = layer.values.get("panel", {})
    # The preset is the base; keys set next to `preset` win over it.
    for key, value in geometry.items():
        if key not in panel:
            panel[key] = value
            merged.origin[("panel", key)] = layer.source
    return []


def load_settings(
    sources: ConfigSources = ConfigSources(), environ: Mapping[str, str] | None = None
) -> Settings:
    """Validate the layered configuration, or raise ConfigError naming file, field and reason."""
    layers = gather_layers(sources, os.environ if environ is None else environ)
    merged = _Merged()
    for layer in layers:
        merged.apply(layer)
    problems = _expand_panel_preset(merged, sources.packaged_dir)
    if problems:
        raise ConfigError(problems)
    # pydantic is imported here, not at the top: the running station validates in a child
    # process (kiosk.settings.apart) and its own memory never holds pydantic.
    from kiosk.settings.validation import ValidationError, validate_json

    try:
        settings = validate_json(json.dumps(merged.values, default=_json_default))
    except ValidationError as err:
        raise ConfigError([_describe(e, merged) for e in err.errors()]) from None
    missing = [lang for lang in settings.languages.available if lang not in shipped_languages()]
    if missing:
        source = merged.source_of(("languages", "available"))
        raise ConfigError(
            [f"{source}: languages.available: no message catalog for {', '.join(missing)}"]
        )
    return settings


def check_file(path: Path, packaged_dir: Path = PACKAGED_CONFIG_DIR) -> Settings:
    """Validate one file as an overlay on the packaged defaults (what `kiosk config check`
    does for each file it is given). The packaged defaults validate on their own."""
    if path.resolve() == (packaged_dir / "defaults.toml").resolve():
        return load_settings(ConfigSources(packaged_dir=packaged_dir), environ={})
    return load_settings(ConfigSources(packaged_dir=packaged_dir, machine=path), environ={})
