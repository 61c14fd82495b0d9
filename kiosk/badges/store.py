"""The station's badge file (`badges.file`): the enrolled badges, each with its key and the
salted hash of its holder's PIN.

    {"version": 1, "badges": [
      {"id": "F-0012", "uid": "04A1B2C3D4E5F6", "role": "facilitator",
       "key": "<64 hex digits, or null for a legacy badge>",
       "pin": {"scheme": "scrypt", "n": 16384, "r": 8, "p": 1,
               "salt": "<hex>", "hash": "<64 hex digits>"}}]}

Its keys let anyone who reads it make badges, so, like the central credentials, it belongs to
the kiosk user alone: a file whose group or other permission bits are set is refused. It is
written atomically (a new file, mode 0600, written, flushed to disk, then renamed over the old
one), keeping an existing file's owner and group, so that root enrolling a badge leaves it
readable by the kiosk user. Errors name the file, the field and the reason, never a value.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.core.badge_auth import BadgePolicy
from kiosk.core.badges import (
    BADGE_ID_PATTERN,
    KEY_BYTES,
    PIN_HASH_BYTES,
    SALT_BYTES,
    UID_PATTERN,
    EnrolledBadge,
    PinHash,
    Role,
)
from kiosk.settings.models import BadgeSettings

FORMAT_VERSION = 1
FILE_MODE = 0o600
FORBIDDEN_MODE = stat.S_IRWXG | stat.S_IRWXO
"""Permission bits that must all be clear: group and other, read, write and execute."""
MAX_FILE_BYTES = 1024 * 1024
"""A few thousand badges at most; anything bigger is the wrong file."""
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 32
MAX_SCRYPT_P = 16
"""The costs a file may ask for: beyond, one PIN check would take seconds and gigabytes."""

_ENTRY_KEYS = {"id", "uid", "role", "key", "pin"}
_PIN_KEYS = {"scheme", "n", "r", "p", "salt", "hash"}


class BadgeFileError(Exception):
    """A badge file that cannot be used, or a badge that cannot be added to it; one line per
    problem, each naming the file and the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_policy(settings: BadgeSettings) -> BadgePolicy:
    """The policy of the station's settings over its badge file; no file, no badge enrolled."""
    badges = read_badges(settings.file) if settings.file.exists() else ()
    return BadgePolicy.of(badges, settings.lockout_s, settings.legacy_uid_only)


def read_badges(path: Path) -> tuple[EnrolledBadge, ...]:
    """Every badge of the file; raises BadgeFileError naming what is wrong."""
    try:
        info = path.stat()
        if info.st_mode & FORBIDDEN_MODE:
            raise BadgeFileError([f"{path}: readable or writable by others (mode "
                                  f"{stat.S_IMODE(info.st_mode):04o}); chmod 600 it"])
        if info.st_size > MAX_FILE_BYTES:
            raise BadgeFileError([f"{path}: larger than {MAX_FILE_BYTES} bytes: not a badge file"])
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadgeFileError([f"{path}: no such file"]) from None
    except OSError as err:
        raise BadgeFileError([f"{path}: cannot be read ({err.strerror})"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        where = f" (line {err.lineno})" if isinstance(err, json.JSONDecodeError) else ""
        raise BadgeFileError([f"{path}: not JSON{where}"]) from None
    return _badges(path, raw)


def write_badges(path: Path, badges: Iterable[EnrolledBadge]) -> None:
    """Replace the file with these badges, atomically, owner-only."""
    text = json.dumps({"version": FORMAT_VERSION, "badges": [_entry(b) for b in badges]},
                      indent=2) + "\n"
    owner = None
    with contextlib.suppress(FileNotFoundError):
        old = path.stat()
        owner = (old.st_uid, old.st_gid)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, FILE_MODE)
        if owner is not None and owner != (os.getuid(), os.getgid()):
            os.fchown(fd, *owner)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _entry(badge: EnrolledBadge) -> dict[str, Any]:
    pin = badge.pin
    return {"id": badge.badge_id, "uid": badge.uid, "role": badge.role.value,
            "key": None if badge.key is None else badge.key.hex(),
            "pin": {"scheme": "scrypt", "n": pin.n, "r": pin.r, "p": pin.p,
                    "salt": pin.salt.hex(), "hash": pin.digest.hex()}}


def _badges(path: Path, raw: Any) -> tuple[EnrolledBadge, ...]:
    if not isinstance(raw, dict) or set(raw) != {"version", "badges"}:
        raise BadgeFileError([f'{path}: must be an object with "version" and "badges"'])
    if raw["version"] != FORMAT_VERSION:
        raise BadgeFileError([f"{path}: version: must be {FORMAT_VERSION}"])
    if not isinstance(raw["badges"], list):
        raise BadgeFileError([f"{path}: badges: must be a list"])
    problems: list[str] = []
    badges: list[EnrolledBadge] = []
    for index, entry in enumerate(raw["badges"]):
        field = f"{path}: badges[{index}]"
        try:
            badges.append(_badge(entry))
        except _FieldError as err:
            problems.append(f"{field}{err.where}: {err}")
    problems += _duplicates(path, badges)
    if problems:
        raise BadgeFileError(problems)
    return tuple(badges)


def _duplicates(path: Path, badges: list[EnrolledBadge]) -> list[str]:
    """One problem per badge number or UID enrolled twice."""
    problems = []
    for attribute, what in (("badge_id", "id"), ("uid", "uid")):
        seen: dict[str, int] = {}
        for index, badge in enumerate(badges):
            value = getattr(badge, attribute)
            if value in seen:
                problems.append(f"{path}: badges[{index}].{what}: the same as badges"
                                f"[{seen[value]}]'s; a badge is enrolled once")
            seen.setdefault(value, index)
    return problems


class _FieldError(ValueError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


def _badge(entry: Any) -> EnrolledBadge:
    if not isinstance(entry, dict):
        raise _FieldError("", "must be an object")
    if set(entry) != _ENTRY_KEYS:
        raise _FieldError("", f"must have exactly the fields {', '.join(sorted(_ENTRY_KEYS))}")
    badge_id, uid, role, key = entry["id"], entry["uid"], entry["role"], entry["key"]
    if not isinstance(badge_id, str) or not BADGE_ID_PATTERN.fullmatch(badge_id):
        raise _FieldError(".id", "must be letters, digits and dashes, at most 32")
    if not isinstance(uid, str) or not UID_PATTERN.fullmatch(uid):
        raise _FieldError(".uid", "must be 8, 14 or 20 upper-case hex digits")
    if role not in {r.value for r in Role}:
        raise _FieldError(".role", "must be " + " or ".join(r.value for r in Role))
    if key is not None:
        key = _hex(key, ".key", KEY_BYTES)
    return EnrolledBadge(badge_id, uid, Role(role), key, _pin(entry["pin"]))


def _pin(pin: Any) -> PinHash:
    if not isinstance(pin, dict) or set(pin) != _PIN_KEYS:
        raise _FieldError(".pin", f"must have exactly the fields {', '.join(sorted(_PIN_KEYS))}")
    if pin["scheme"] != "scrypt":
        raise _FieldError(".pin.scheme", 'must be "scrypt"')
    n, r, p = pin["n"], pin["r"], pin["p"]
    if type(n) is not int or not 2 <= n <= MAX_SCRYPT_N or n & (n - 1):
        raise _FieldError(".pin.n", f"must be a power of two from 2 to {MAX_SCRYPT_N}")
    if type(r) is not int or not 1 <= r <= MAX_SCRYPT_R:
        raise _FieldError(".pin.r", f"must be an integer from 1 to {MAX_SCRYPT_R}")
    if type(p) is not int or not 1 <= p <= MAX_SCRYPT_P:
        raise _FieldError(".pin.p", f"must be an integer from 1 to {MAX_SCRYPT_P}")
    return PinHash(_hex(pin["salt"], ".pin.salt", SALT_BYTES),
                   _hex(pin["hash"], ".pin.hash", PIN_HASH_BYTES), n, r, p)


def _hex(value: Any, where: str, size: int) -> bytes:
    if isinstance(value, str) and len(value) == 2 * size:
        with contextlib.suppress(ValueError):
            raw = bytes.fromhex(value)
            if len(raw) == size:
                return raw
    raise _FieldError(where, f"must be {2 * size} hex digits")
