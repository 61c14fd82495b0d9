"""The station's secrets for the central systems, read from their own TOML file.

Secrets never live in the settings (which are logged, exported as a schema, copied into support
bundles): `settings.central.credentials_file` names a separate file that only the kiosk user may
read. The file is refused if its group or other permission bits are set, like ssh refuses a
private key that others can read.

    [open311]
    api_key = "..."
    [publik]
    orig = "borne-demo"
    key = "..."
    [fleet]
    token = "..."

A section may be left out when the city does not run that system (`required` says which ones
must be there). `repr()` of the result never shows a secret.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

#: Sections and their keys (docs/central-systems.md). The `publik` section serves both
#: w.c.s. and Chrono: Publik has one signing key per caller (`orig`).
SECTIONS: dict[str, tuple[str, ...]] = {
    "open311": ("api_key",),
    "publik": ("orig", "key"),
    "fleet": ("token",),
}
#: Permission bits that must all be clear (group and other: read, write, execute).
FORBIDDEN_MODE = stat.S_IRWXG | stat.S_IRWXO
#: A credentials file is a handful of lines; anything bigger is the wrong file.
MAX_FILE_BYTES = 64 * 1024


class CredentialsError(Exception):
    """A credentials file that cannot be used; `str()` is one line naming the file and field,
    never a secret."""


@dataclass(frozen=True)
class Credentials:
    """What the adapters need to authenticate. Fields of a section left out are None."""

    open311_api_key: str | None = field(default=None, repr=False)
    publik_orig: str | None = None
    publik_key: str | None = field(default=None, repr=False)
    fleet_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        def shown(secret: str | None) -> str:
            return "None" if secret is None else "<hidden>"

        return (f"Credentials(open311_api_key={shown(self.open311_api_key)}, "
                f"publik_orig={self.publik_orig!r}, publik_key={shown(self.publik_key)}, "
                f"fleet_token={shown(self.fleet_token)})")

    __str__ = __repr__


def load_credentials(path: Path | str,
                     required: Collection[str] = tuple(SECTIONS)) -> Credentials:
    """Read and check the credentials file; raises CredentialsError with one line."""
    path = Path(path)
    unknown = set(required) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown credentials sections: {sorted(unknown)}")
    text = _read_private(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # tomllib messages hold a position and a description, never the file's content.
        raise CredentialsError(f"{path}: not valid TOML ({err})") from None
    values: dict[str, str | None] = {}
    for section, keys in SECTIONS.items():
        table = document.get(section)
        if table is None:
            if section in required:
                raise CredentialsError(f"{path}: [{section}]: section missing")
            values.update({f"{section}_{key}": None for key in keys})
            continue
        if not isinstance(table, dict):
            raise CredentialsError(f"{path}: [{section}]: must be a table")
        for key in keys:
            value = table.get(key)
            if value is None:
                raise CredentialsError(f"{path}: [{section}] {key}: missing")
            if not isinstance(value, str) or not value.strip():
                raise CredentialsError(f"{path}: [{section}] {key}: must be a non-empty string")
            if value != value.strip() or any(ord(c) < 32 for c in value):
                raise CredentialsError(f"{path}: [{section}] {key}: has spaces or control "
                                       "characters around or inside it")
            values[f"{section}_{key}"] = value
    return Credentials(
        open311_api_key=values["open311_api_key"],
        publik_orig=values["publik_orig"],
        publik_key=values["publik_key"],
        fleet_token=values["fleet_token"],
    )


def _read_private(path: Path) -> str:
    """The file's text, after checking on the open file that only its owner can read it."""
    try:
        # O_NONBLOCK: a FIFO put in place of the file must not hang the start.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise CredentialsError(f"{path}: no such file") from None
    except PermissionError:
        raise CredentialsError(f"{path}: not readable by the kiosk user") from None
    except OSError as err:
        raise CredentialsError(f"{path}: cannot be opened ({err.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CredentialsError(f"{path}: not a regular file")
        if info.st_mode & FORBIDDEN_MODE:
            raise CredentialsError(f"{path}: readable by others; run chmod 600 {path}")
        raw = b""
        while len(raw) <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - len(raw))
            if not chunk:
                break
            raw += chunk
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise CredentialsError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CredentialsError(f"{path}: not UTF-8 text") from None
