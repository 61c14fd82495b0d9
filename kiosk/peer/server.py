"""The reference peer's HTTP server: `start_peer()` serves Open311, w.c.s., Chrono, the fleet
endpoints and /_peer/ on 127.0.0.1 only, in daemon threads, until `RunningPeer.stop()`.

Stdlib only (http.server.ThreadingHTTPServer): HTTP/1.1 with keep-alive, every answer with a
Content-Length, one thread per connection. A request goes: faults drawn (latency, an injected
5xx) → route → credentials (api_key, Publik signature, bearer token) → for a POST, its
Idempotency-Key → handler → faults after handling (a dropped connection, a malformed body) →
the Open311 personality (kiosk/peer/personality.py: an answer lost after storing, a
byte-order mark).

Logs hold the method, the path without its query (a Publik query holds a signature), the status
and the duration: never a body, a key, a signature or a header.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlsplit

from kiosk.peer import publik
from kiosk.peer.chrono import Chrono
from kiosk.peer.context import PeerContext
from kiosk.peer.control import Control
from kiosk.peer.faults import FaultInjector, malform
from kiosk.peer.fleet import Fleet
from kiosk.peer.idempotency import idempotent
from kiosk.peer.open311 import Open311, error_response, fmt_of
from kiosk.peer.personality import AFTER_STORING, FAITHFUL, Personality, Trait
from kiosk.peer.seed import load_seed, resolve_credentials
from kiosk.peer.store import PeerClock, PeerStore, iso
from kiosk.peer.wcs import Wcs
from kiosk.peer.web import (
    TEXT,
    MethodNotAllowed,
    PeerRequest,
    PeerResponse,
    Router,
    json_response,
)

LOG = logging.getLogger("kiosk.peer")
HOST = "127.0.0.1"
#: Bodies above this are refused (413): the largest legitimate one, a 4000-character Open311
#: description with its attributes, is a few kilobytes.
MAX_BODY = 1024 * 1024
#: An idle keep-alive connection is closed after this long, freeing its thread.
IDLE_TIMEOUT_S = 30.0
#: A listening backlog that absorbs a burst of new connections from a flushing outbox.
BACKLOG = 256
#: Longest chunk-size or trailer line read (http.server's own limit for header lines).
MAX_LINE = 65536
#: How slowly the "timeout-after-storing" personality sends its answer: one byte this often.
TRICKLE_S = 0.5
#: The UTF-8 byte-order mark the "bom" personality puts before every Open311 answer.
BOM = b"\xef\xbb\xbf"
#: Where Open311 lives on the peer, and its POST requests route.
OPEN311_PREFIX = "/open311/"
_POST_REQUESTS = ("/open311/v2/requests.json", "/open311/v2/requests.xml")


class PeerApp:
    """Turns a request into a response: routing, credentials, idempotency."""

    def __init__(self, ctx: PeerContext, faults: FaultInjector) -> None:
        self.ctx = ctx
        self.faults = faults
        self.open311 = Open311(ctx)
        self.router = Router([*self.open311.routes(), *Wcs(ctx).routes(),
                              *Chrono(ctx).routes(), *Fleet(ctx).routes(),
                              *Control(ctx, faults, self.open311).routes()])

    @property
    def personality(self) -> Personality:
        """The traits of the Open311 side."""
        return self.ctx.personality

    @staticmethod
    def refusal(status: int, path: str, message: str) -> PeerResponse:
        """A refusal in the format of the API the path belongs to."""
        if path.startswith("/open311/"):
            return error_response(status, message, fmt_of(path))
        if path.startswith(("/wcs/", "/chrono/")):
            return publik.error(status, "Page not found" if status == 404 else "Not allowed",
                                message)
        return json_response(status, {"error": message})

    def respond(self, request: PeerRequest) -> PeerResponse:
        """The answer to one request (faults aside)."""
        open311 = request.path.startswith(OPEN311_PREFIX)
        if open311 and Trait.XML_ONLY in self.personality and request.path.endswith(".json"):
            return error_response(404, "no such resource", "xml")
        resolved = self.router.resolve(request.method, request.path)
        if resolved is None:
            return self.refusal(404, request.path, "no such resource")
        if isinstance(resolved, MethodNotAllowed):
            response = self.refusal(405, request.path, "method not allowed")
            response.headers["Allow"] = ", ".join(resolved.allowed)
            return response
        found, groups = resolved
        if found.auth is not None:
            refusal = found.auth(request)
            if refusal is not None:
                return refusal
        if request.method == "POST" and not (
                open311 and Trait.NO_IDEMPOTENCY in self.personality):
            return idempotent(self.ctx.store, request, iso(self.ctx.clock.now()),
                              lambda: found.handler(request, groups))
        return found.handler(request, groups)

    def after_storing(self, request: PeerRequest, response: PeerResponse) -> Trait | None:
        """What the personality does with the answer of a POST that stored a request."""
        if request.method != "POST" or request.path not in _POST_REQUESTS or not (
                200 <= response.status <= 299):
            return None
        return next((t for t in AFTER_STORING if t in self.personality), None)


class _Handler(BaseHTTPRequestHandler):
    """One connection: reads requests, lets the app answer, writes answers."""

    protocol_version = "HTTP/1.1"
    server_version = "kiosk-peer/1"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    # Small answers on a kept-alive connection: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold each answer back ~40 ms.
    disable_nagle_algorithm = True
    server: _PeerHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the stdlib logs the request line, query (and signature) included."""

    def _target(self) -> tuple[str, str]:
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            return parts.path or "/", parts.query
        path, _, query = target.partition("?")
        return path or "/", query.partition("#")[0]

    def _read_body(self, path: str) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._early(400, path, "bad Content-Length")
            return None
        if length > MAX_BODY:
            self._early(413, path, "body too large")
            return None
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            self.close_connection = True
            return None
        return body

    def _read_chunked(self, path: str) -> bytes | None:
        """A body sent with Transfer-Encoding: chunked (RFC 9112 §7.1)."""
        body = bytearray()
        while True:
            line = self.rfile.readline(MAX_LINE)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self._early(400, path, "bad chunk size")
                return None
            if size == 0:
                while self.rfile.readline(MAX_LINE).strip():  # trailer fields, ignored
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY:
                self._early(413, path, "body too large")
                return None
            body += self.rfile.read(size)
            self.rfile.readline(MAX_LINE)

    def _early(self, status: int, path: str, message: str) -> None:
        self.close_connection = True
        self._send(self.server.app.refusal(status, path, message))

    def _send(self, response: PeerResponse, head_only: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        # One write for head and body (end_headers() would send the head on its own).
        self._headers_buffer.append(b"\r\n")
        if not head_only:
            self._headers_buffer.append(response.body)
        self.flush_headers()

    def _dispatch(self) -> None:
        started = time.perf_counter()
        path, query = self._target()
        body = self._read_body(path)
        if body is None:
            self._log(path, "refused", started)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = PeerRequest(self.command, path, query, headers, body)
        app = self.server.app
        draw = app.faults.draw(path)
        if draw.latency_s:
            time.sleep(draw.latency_s)
        if draw.error_status is not None:
            response = PeerResponse(draw.error_status, b"injected server error", TEXT)
        else:
            try:
                response = app.respond(request)
            except Exception as err:  # a bug in the peer: answer 500, log the kind only
                LOG.error("%s %s: %s in the peer", self.command, path[:200], type(err).__name__)
                response = json_response(500, {"error": "internal error of the reference peer"})
        after = app.after_storing(request, response)
        if draw.drop or after is Trait.DROP_AFTER_STORING:
            self.close_connection = True
            self._log(path, "dropped", started)
            return
        if after is Trait.ERROR_AFTER_STORING:
            response = error_response(500, "internal error", fmt_of(path))
        if draw.malformed is not None:
            response.body = malform(response.body, response.content_type, draw.malformed)
        if Trait.BOM in app.personality and path.startswith(OPEN311_PREFIX):
            response.body = BOM + response.body
        if after is Trait.TIMEOUT_AFTER_STORING:
            self._trickle(response)
            self._log(path, "trickled", started)
            return
        self._send(response, head_only=self.command == "HEAD")
        self._log(path, str(response.status), started)

    def _trickle(self, response: PeerResponse) -> None:
        """Send the head, then the body one byte every TRICKLE_S, until done or the client
        gives up: a central that stored a request and answers too slowly."""
        self.close_connection = True
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Connection", "close")
        self.end_headers()  # sends the head at once
        for byte in response.body:
            time.sleep(TRICKLE_S)
            try:
                self.wfile.write(bytes((byte,)))
                self.wfile.flush()
            except OSError:
                return

    def _log(self, path: str, outcome: str, started: float) -> None:
        LOG.info("%s %s %s %.1fms", self.command, path[:200], outcome,
                 (time.perf_counter() - started) * 1000)

    def __getattr__(self, name: str) -> Any:
        """http.server calls do_<METHOD>: every method, known or not (QUERY, TRACE…), goes
        through the same dispatch, so an unsupported one gets 405 rather than 501."""
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)


class _PeerHTTPServer(ThreadingHTTPServer):
    """A threading server that knows its open connections, to close them on stop."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = BACKLOG
    app: PeerApp

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self._open: dict[socket.socket, threading.Thread] = {}
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in its own daemon thread."""
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address), daemon=True,
                                  name="kiosk-peer-connection")
        with self._open_lock:
            self._open[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        """Forget a finished connection."""
        with self._open_lock:
            self._open.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke (client gone): not worth a traceback on stderr."""
        LOG.debug("connection closed abruptly")

    def close_open_connections(self, wait_s: float) -> None:
        """Close every open connection and wait a little for their threads."""
        with self._open_lock:
            open_now = list(self._open.items())
        for sock, _ in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + wait_s
        for _, thread in open_now:
            thread.join(max(0.0, deadline - time.monotonic()))


@dataclass
class RunningPeer:
    """A peer serving on loopback. The URLs end with "/" except `base_url`."""

    base_url: str
    credentials: dict[str, str]
    data_path: Path
    _server: _PeerHTTPServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _store: PeerStore = field(repr=False)
    _tempdir: TemporaryDirectory[str] | None = field(default=None, repr=False)
    _stopped: bool = field(default=False, repr=False)

    def __repr__(self) -> str:  # the credentials stay out of test output
        return f"RunningPeer({self.base_url!r}, data={str(self.data_path)!r})"

    @property
    def port(self) -> int:
        """The TCP port it listens on."""
        return int(self._server.server_address[1])

    @property
    def routes(self) -> tuple[tuple[str, str], ...]:
        """(method, path pattern) of every route it serves (tests probe them all)."""
        return tuple((r.method, r.pattern.pattern) for r in self._server.app.router.routes)

    @property
    def personality(self) -> Personality:
        """The traits of its Open311 side."""
        return self._server.app.personality

    @property
    def open311_url(self) -> str:
        """Base of Open311 GeoReport v2."""
        return f"{self.base_url}/open311/v2/"

    @property
    def wcs_url(self) -> str:
        """Base of the w.c.s. API."""
        return f"{self.base_url}/wcs/api/"

    @property
    def chrono_url(self) -> str:
        """Base of the Chrono API."""
        return f"{self.base_url}/chrono/api/"

    @property
    def fleet_url(self) -> str:
        """Base of the fleet endpoints."""
        return f"{self.base_url}/fleet/"

    def stop(self) -> None:
        """Stop serving, close connections and the data file (a temporary one is deleted)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_open_connections(wait_s=2.0)
        self._server.server_close()
        self._thread.join(timeout=5)
        self._store.close()
        if self._tempdir is not None:
            self._tempdir.cleanup()

    def __enter__(self) -> RunningPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_peer(port: int = 0, data: Path | None = None, seed: Path | None = None,
               personality: Personality = FAITHFUL) -> RunningPeer:
    """Serve the reference peer on 127.0.0.1:`port` (0: any free port) from the SQLite file
    `data` (None: a temporary one) and the seed file `seed` (None: config/peer-seed.json),
    its Open311 side with `personality` (kiosk/peer/personality.py).

    Raises SeedError for an unusable seed and OSError when the port cannot be bound."""
    seeded = load_seed(seed)
    credentials = resolve_credentials(seeded)
    tempdir: TemporaryDirectory[str] | None = None
    if data is None:
        tempdir = TemporaryDirectory(prefix="kiosk-peer-")
        data = Path(tempdir.name) / "peer.sqlite3"
    else:
        data.parent.mkdir(parents=True, exist_ok=True)
    store = PeerStore(data)
    try:
        server = _PeerHTTPServer((HOST, port))
    except OSError:
        store.close()
        if tempdir is not None:
            tempdir.cleanup()
        raise
    base_url = f"http://{HOST}:{server.server_address[1]}"
    ctx = PeerContext(seeded, credentials, store, PeerClock(store), base_url,
                      personality=personality)
    server.app = PeerApp(ctx, FaultInjector())
    server.app.open311.seed_requests()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True, name="kiosk-peer")
    thread.start()
    LOG.info("reference peer serving on %s (Open311: %s)", base_url, personality)
    return RunningPeer(base_url, credentials.as_dict(), data, server, thread, store, tempdir)
