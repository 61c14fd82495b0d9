"""The station's end of the console's link (kiosk/shell/agent_wire.py): it accepts the console
`kiosk agent`, greets it with the station's settings, sends it the console's view at every
change of the state, and hands what the console sends to the UI thread.

One console at a time: a new connection replaces the old one (a console restarted by systemd
while the one the station started still runs). A console that stops reading is dropped rather
than allowed to hold the UI thread: messages go out from a writer thread, and only the latest
view waits. A console that dies changes nothing on the visitor's screen.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.core.assist_console import ConsoleView, console_view_of
from kiosk.core.assist_messages import AgentMessage, FieldTexts, Hello
from kiosk.core.events import EventType, Ident, record
from kiosk.core.state import AppState
from kiosk.shell.agent_wire import LineReader, WireError, encode, listen, same_user

CallSoon = Callable[[Callable[[], None]], None]
"""Runs a function on the UI thread, soon."""
Deliver = Callable[[AgentMessage], None]

QUEUE_LIMIT = 256
"""Messages waiting for a console that does not read: beyond, it is dropped."""


class AgentLink:
    """Listens at `path` for the console; `publish` each new state; what the console sends
    goes to `deliver`, through `call_soon`."""

    def __init__(self, path: Path, hello: Hello, deliver: Deliver, call_soon: CallSoon) -> None:
        self._path = path
        self._hello = hello
        self._deliver = deliver
        self._call_soon = call_soon
        self._lock = threading.RLock()
        self._server: socket.socket | None = None
        self._console: _Console | None = None
        self._last: ConsoleView | None = None
        self._stopped = threading.Event()
        self.connections = 0

    @property
    def connected(self) -> bool:
        """Whether a console is connected now."""
        with self._lock:
            return self._console is not None

    def start(self) -> None:
        """Listen, and accept consoles on a thread of its own."""
        self._server = listen(self._path)
        threading.Thread(target=self._accept, name="agent-link", daemon=True).start()

    def stop(self) -> None:
        """Stop listening and drop the console."""
        self._stopped.set()
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
        with self._lock:
            console, self._console = self._console, None
        if console is not None:
            console.close()

    def publish(self, state: AppState) -> None:
        """The console's view of `state`, sent when it changed (UI thread)."""
        view = console_view_of(state)
        with self._lock:
            if view == self._last:
                return
            self._last = view
            if self._console is not None:
                self._console.send(view)

    def send(self, message: FieldTexts) -> None:
        """Another message for the console, if one is connected."""
        with self._lock:
            if self._console is not None:
                self._console.send(message)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            server = self._server
            if server is None:
                return
            try:
                sock, _ = server.accept()
            except OSError:
                return
            if not same_user(sock):
                record(EventType.ASSIST_REFUSED, logging.WARNING, message=Ident("connection"),
                       reason=Ident("other-user"))
                sock.close()
                continue
            console = _Console(sock, self._ended)
            with self._lock:  # the greeting goes first, then the view at this moment
                console.send(self._hello)
                if self._last is not None:
                    console.send(self._last)
                old, self._console = self._console, console
                self.connections += 1
            if old is not None:
                old.close()
            record(EventType.CONSOLE_CONNECTED, replaced=old is not None)
            console.start(self._received)

    def _received(self, message: object) -> None:
        if not isinstance(message, AgentMessage):
            record(EventType.ASSIST_REFUSED, logging.WARNING,
                   message=Ident(type(message).__name__), reason=Ident("not-a-message"))
            return
        self._call_soon(lambda: self._deliver(message))

    def _ended(self, console: _Console, reason: str) -> None:
        with self._lock:
            if self._console is not console:
                return  # replaced by a newer console, or the link stopped
            self._console = None
        record(EventType.CONSOLE_LOST, reason=Ident(reason))


class _Console:
    """One connected console: a reader thread and a writer thread."""

    def __init__(self, sock: socket.socket,
                 ended: Callable[[_Console, str], None]) -> None:
        self._sock = sock
        self._ended = ended
        self._outbox: queue.Queue[object] = queue.Queue(QUEUE_LIMIT)
        self._closed = threading.Event()

    def start(self, received: Callable[[object], None]) -> None:
        threading.Thread(target=self._read, args=(received,), name="agent-read",
                         daemon=True).start()
        threading.Thread(target=self._write, name="agent-write", daemon=True).start()

    def send(self, message: object) -> None:
        try:
            self._outbox.put_nowait(message)
        except queue.Full:
            self._end("not-reading")

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(queue.Full):
            self._outbox.put_nowait(None)
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _end(self, reason: str) -> None:
        if not self._closed.is_set():
            self.close()
            self._ended(self, reason)

    def _read(self, received: Callable[[object], None]) -> None:
        reader = LineReader(self._sock)
        try:
            while True:
                message = reader.read()
                if message is None:
                    self._end("closed")
                    return
                received(message)
        except WireError:
            self._end("bad-message")
        except OSError:
            self._end("closed")
        finally:
            reader.close()

    def _write(self) -> None:
        while not self._closed.is_set():
            batch = [self._outbox.get()]
            with contextlib.suppress(queue.Empty):
                while True:
                    batch.append(self._outbox.get_nowait())
            # Only the latest view matters to a console that fell behind.
            views = [m for m in batch if isinstance(m, ConsoleView)]
            batch = [m for m in batch if not isinstance(m, ConsoleView) or m is views[-1]]
            try:
                for message in batch:
                    if message is None:
                        return
                    self._sock.sendall(encode(message))
            except OSError:
                self._end("closed")
                return
