"""The core's values as JSON text and back: the whole `AppState` (session and flow included),
a screen's view, an intent. The agent console mirrors the citizen's session this way, over a
local socket, between two processes of the same installation.

Each value says its own type, so that reading it back needs no schema: a frozen dataclass is
`{"$": "module:Class", "fields": {...}}`, an enum `{"$enum": "module:Class", "value": ...}`,
and tuples, sets, mappings, dates and paths have a tag of their own. `loads(dumps(x)) == x`
for every value the core builds.

Only types of the kiosk's own value modules are read back (`TRUSTED_MODULES`): a message can
name no other class, so reading one never runs anything else. This is not the outbox's format
(kiosk/outbox/codec.py), which is versioned because what it stores must outlive an upgrade;
a mirror lives as long as both ends run the same installation.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Mapping
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any

TRUSTED_MODULES = ("kiosk.core.", "kiosk.settings.")
"""Where the classes a message may name are defined."""


class ValueTextError(ValueError):
    """A text that is not a value this module wrote. The message names the tag or type, never
    a value (values hold personal data)."""


def dumps(value: object) -> str:
    """`value` as compact JSON text."""
    return json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def loads(text: str | bytes) -> Any:
    """The value `text` holds."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueTextError(f"not JSON ({err.msg})") from None
    return from_data(data)


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def to_data(value: object) -> Any:
    """`value` as plain JSON data (dicts, lists, strings, numbers, booleans, None)."""
    if isinstance(value, Enum):
        return {"$enum": _name(type(value)), "value": to_data(value.value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: to_data(getattr(value, f.name))
                  for f in dataclasses.fields(value) if f.init}
        return {"$": _name(type(value)), "fields": fields}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [to_data(v) for v in value]}
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, frozenset | set):
        items = [to_data(v) for v in value]
        items.sort(key=lambda d: json.dumps(d, sort_keys=True))  # one text for one value
        return {"$frozenset" if isinstance(value, frozenset) else "$set": items}
    if isinstance(value, Mapping):
        pairs = [[to_data(k), to_data(v)] for k, v in value.items()]
        return {"$proxy" if isinstance(value, MappingProxyType) else "$map": pairs}
    if isinstance(value, PurePath):
        return {"$path": str(value)}
    raise TypeError(f"values: cannot write a {type(value).__name__}")


def _trusted(name: Any) -> type:
    if not isinstance(name, str) or ":" not in name:
        raise ValueTextError("a type tag is not 'module:Class'")
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(TRUSTED_MODULES):
        raise ValueTextError(f"{module_name}: not a module of the kiosk's values")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        raise ValueTextError(f"{name}: no such type") from None
    if not isinstance(found, type):
        raise ValueTextError(f"{name}: not a type")
    return found


_PLAIN_TAGS = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$path": Path,
}


def from_data(data: Any) -> Any:
    """The value plain `data` (from `to_data`) stands for."""
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [from_data(v) for v in data]
    if not isinstance(data, dict):
        raise ValueTextError(f"unexpected {type(data).__name__}")
    if "$" in data:
        cls = _trusted(data["$"])
        if not dataclasses.is_dataclass(cls):
            raise ValueTextError(f"{data['$']}: not a value type")
        fields = data.get("fields")
        if not isinstance(fields, dict):
            raise ValueTextError(f"{data['$']}: no fields")
        try:
            return cls(**{k: from_data(v) for k, v in fields.items()})
        except TypeError as err:
            raise ValueTextError(f"{data['$']}: fields do not fit ({type(err).__name__})") from None
    if "$enum" in data:
        cls = _trusted(data["$enum"])
        if not issubclass(cls, Enum):
            raise ValueTextError(f"{data['$enum']}: not an enum")
        return cls(from_data(data.get("value")))
    for tag, read in _PLAIN_TAGS.items():
        if tag in data:
            return read(data[tag])
    if "$tuple" in data:
        return tuple(from_data(v) for v in data["$tuple"])
    if "$frozenset" in data:
        return frozenset(from_data(v) for v in data["$frozenset"])
    if "$set" in data:
        return {from_data(v) for v in data["$set"]}
    if "$map" in data or "$proxy" in data:
        pairs = {from_data(k): from_data(v) for k, v in data.get("$map", data.get("$proxy"))}
        return MappingProxyType(pairs) if "$proxy" in data else pairs
    raise ValueTextError("an object without a known tag")
