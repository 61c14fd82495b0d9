"""The link between the station and the facilitator's console, as bytes: a Unix stream socket
in the station's data directory (mode 0600, in a directory of mode 0700, and only a process of
the station's own user is served), carrying one message per line, each the JSON text of a core
value (kiosk/core/values.py), which names its own type and can name no type outside the
kiosk's value modules. Both ends use this module; neither imports Kivy here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
from pathlib import Path
from typing import Any

from kiosk.core.values import ValueTextError, dumps, loads
from kiosk.settings.models import Settings

SOCKET_NAME = "agent.sock"
SOCKET_MODE = 0o600
MAX_LINE_BYTES = 8 * 1024 * 1024
"""The longest message: a visitor's view with the whole places directory is about 200 kB."""
_PEERCRED = struct.Struct("3i")
"""struct ucred of SO_PEERCRED (socket(7)): pid, uid, gid."""


class WireError(Exception):
    """A line that is not a message: too long, not a value, or cut short."""


def socket_path(settings: Settings) -> Path:
    """Where the station listens for its console."""
    return settings.data_dir / SOCKET_NAME


def encode(message: object) -> bytes:
    """One message as one line."""
    return dumps(message).encode("utf-8") + b"\n"


class LineReader:
    """Messages from a connected socket, one per line."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def read(self) -> Any:
        """The next message; None when the other end has closed. Raises WireError."""
        line = self._file.readline(MAX_LINE_BYTES + 1)
        if not line:
            return None
        if not line.endswith(b"\n"):
            raise WireError("a message longer than allowed, or cut short")
        try:
            return loads(line)
        except (ValueTextError, UnicodeDecodeError) as err:
            raise WireError(type(err).__name__) from None

    def close(self) -> None:
        """Close the reading side."""
        with contextlib.suppress(OSError):
            self._file.close()


def listen(path: Path) -> socket.socket:
    """A listening socket at `path`, owner-only; a socket left by a previous run is replaced."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_socket():
            path.unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        os.chmod(path, SOCKET_MODE)
        server.listen(2)
    except OSError:
        server.close()
        raise
    return server


def same_user(sock: socket.socket) -> bool:
    """Whether the process at the other end runs as this process's user."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size)
    _pid, uid, _gid = _PEERCRED.unpack(raw)
    return uid == os.getuid()


def connect(path: Path) -> socket.socket:
    """A connection to the station listening at `path` (OSError when it does not)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        raise
    return sock
