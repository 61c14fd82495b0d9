"""The state of a simulated device, kept as a small JSON file a person can read and edit.

Each simulator's state lives in `<data_dir>/sim/<device>.json` (for example `printer.json`).
Tests, the demo, the `kiosk` CLI and a technician with a text editor flip it to inject faults.
Reading is tolerant (docs/architecture.md rule 3: nothing physical raises into the UI): a missing
file is the default state and is created so it can be found; a file that cannot be used
(half-written, not JSON, wrong types, unknown keys) makes the device not ready with the reason
`sim-state-unreadable` instead of raising. Writes are atomic (temporary file in the same
directory, then `os.replace`), and read-modify-write cycles hold an advisory lock so that a
scan queued from the CLI is never lost to a scan popped by the app.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.events import EventType, Ident, record

SIM_DIR_NAME = "sim"
"""Sub-directory of the station's data directory holding simulator state."""

UNREADABLE = "sim-state-unreadable"
"""Reason reported while a simulator's state file cannot be used."""

UNREADABLE_HEALTH = DeviceHealth(ready=False, reason=UNREADABLE)

READY_HEALTH = DeviceHealth(ready=True, reason="ok")

STATE_FILE_MODE = 0o644
"""State files hold fault switches and test codes, never personal data; readable by a
technician's tools even when the CLI ran as another user."""

T = TypeVar("T")

# (inode, mtime in ns, size): os.replace gives a new inode, so a rewrite within one mtime tick
# with the same size is still noticed.
_Stamp = tuple[int, int, int]


class SimStateError(ValueError):
    """A state file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class StateField:
    """One field of a simulator's state: its default and the values it accepts."""

    default: Any
    check: Callable[[Any], bool]
    #: what the field accepts, in words, for error messages ("one of online, offline")
    expected: str


Schema = Mapping[str, StateField]


def choice(default: str, *choices: str) -> StateField:
    """A field holding one of a few words."""
    allowed = frozenset(choices)
    return StateField(default, lambda v: isinstance(v, str) and v in allowed,
                      "one of " + ", ".join(f'"{c}"' for c in choices))


def boolean(default: bool) -> StateField:
    """A field holding true or false (JSON booleans only: 0 and "no" are mistakes)."""
    return StateField(default, lambda v: isinstance(v, bool), "true or false")


def defaults_of(schema: Schema) -> dict[str, Any]:
    """A fresh copy of a schema's default state."""
    return {name: copy.deepcopy(spec.default) for name, spec in schema.items()}


def check_field(device: str, schema: Schema, name: str, value: Any) -> None:
    """Raise ValueError naming `device.name` when the field is unknown or the value wrong."""
    if name not in schema:
        known = ", ".join(sorted(schema))
        raise ValueError(f"{device} has no field {name!r} (fields: {known})")
    spec = schema[name]
    if not spec.check(value):
        raise ValueError(f"{device}.{name}: must be {spec.expected} (got {value!r})")


def check_state(device: str, schema: Schema, raw: Any) -> dict[str, Any]:
    """A validated state; missing fields take their defaults (files from older versions stay
    usable), unknown fields are refused (a misspelt key must not be silently ignored)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{device}: must be a JSON object")
    state = defaults_of(schema)
    for name, value in raw.items():
        check_field(device, schema, name, value)
        state[name] = value
    return state


def sim_dir(data_dir: Path) -> Path:
    """Where simulator state lives under the station's data directory."""
    return Path(data_dir) / SIM_DIR_NAME


def state_path(data_dir: Path, device: DeviceKind) -> Path:
    """The state file of one simulated device."""
    return sim_dir(data_dir) / f"{device.value}.json"


class SimStateStore:
    """The state file of one simulated device, re-read only when it has changed on disk."""

    def __init__(self, data_dir: Path, device: DeviceKind, schema: Schema) -> None:
        self.device = device
        self.schema = schema
        self.path = state_path(data_dir, device)
        self._lock_path = self.path.with_name(f".{device.value}.lock")
        self._cache_lock = threading.Lock()
        self._stamp: _Stamp | None = None
        self._state: dict[str, Any] | None = None
        self._problem = ""
        self._create_failed_logged = False

    # -- reading -------------------------------------------------------------------------

    def load(self) -> dict[str, Any] | None:
        """The current state, or None when the file cannot be used. Never raises: this is
        what health polls and device calls use."""
        try:
            return self.read()
        except SimStateError:
            return None
        except OSError as err:  # the data directory itself is unusable
            self._log_once(err)
            return defaults_of(self.schema)

    def read(self) -> dict[str, Any]:
        """The current state; a missing file is created with the defaults. Raises
        SimStateError when the file cannot be used (for the CLI, which says why)."""
        try:
            return self._read_existing()
        except FileNotFoundError:
            pass
        with self._exclusive():
            try:  # someone may have created it while we waited for the lock
                return self._read_existing()
            except FileNotFoundError:
                state = defaults_of(self.schema)
                self._write(state)
                return copy.deepcopy(state)

    def _read_existing(self) -> dict[str, Any]:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            raise  # the caller creates it
        except OSError as err:
            raise SimStateError(f"{self.path}: cannot be read ({type(err).__name__})") from None
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._cache_lock:
            if stamp != self._stamp:
                self._state, self._problem = _parse_file(self.path, self.device, self.schema)
                self._stamp = stamp
                if self._state is None:
                    record(EventType.DEVICE_STATUS, logging.WARNING, device=self.device,
                           ready=False, reason=Ident(UNREADABLE))
            if self._state is None:
                raise SimStateError(f"{self.path}: {self._problem}")
            return copy.deepcopy(self._state)

    # -- writing -------------------------------------------------------------------------

    def modify(self, change: Callable[[dict[str, Any]], T], *, recover: bool = False) -> T:
        """Apply `change` to the state in place and save it if it changed, holding the lock so
        that concurrent changes (app and CLI) are never lost. Returns what `change` returns.
        A file that cannot be used raises SimStateError, unless `recover` starts from the
        defaults instead (a person asking to set a state wants it set)."""
        with self._exclusive():
            try:
                state = self._read_existing()
            except FileNotFoundError:
                state = defaults_of(self.schema)
            except SimStateError:
                if not recover:
                    raise
                state = defaults_of(self.schema)
            before = copy.deepcopy(state)
            result = change(state)
            state = check_state(self.device.value, self.schema, state)
            if state != before or not self.path.exists():
                self._write(state)
            return result

    def _write(self, state: dict[str, Any]) -> None:
        """Atomic replace; the new file's stamp goes to the cache so it is not re-parsed."""
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.",
                                        suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
                os.fchmod(handle.fileno(), STATE_FILE_MODE)
                stat = os.fstat(handle.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        with self._cache_lock:
            self._stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            self._state = copy.deepcopy(state)
            self._problem = ""

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """An advisory lock between every process and thread using this state file (each call
        opens its own descriptor, so flock also separates threads of one process)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _log_once(self, err: OSError) -> None:
        if not self._create_failed_logged:
            self._create_failed_logged = True
            record(EventType.DEVICE_STATUS, logging.WARNING, device=self.device,
                   error=Ident(type(err).__name__))


def _parse_file(
    path: Path, device: DeviceKind, schema: Schema
) -> tuple[dict[str, Any] | None, str]:
    """The validated state of a file, or None and the problem: shown by the CLI to the person
    who edited the file, never logged."""
    try:
        raw = json.loads(path.read_bytes())
    except OSError as err:
        return None, f"cannot be read ({type(err).__name__})"
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, absurd nesting
        return None, "not valid JSON (half-written or mistyped?)"
    try:
        return check_state(device.value, schema, raw), ""
    except ValueError as err:
        return None, str(err)
