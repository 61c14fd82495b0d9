"""A tiny real HTTP server (stdlib, loopback) that answers handwritten, sometimes hostile,
answers, for the adapters' tests; and `fails`, which checks the failure a call raises."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from kiosk.core.central import CentralError, CentralFailure


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> list[tuple[str, str]]:
        """The body as form fields, in order."""
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


Behaviour = Callable[[BaseHTTPRequestHandler, Received], None]


@dataclass
class AnswerServer:
    """Handwritten answers by (method, path), served over real HTTP on 127.0.0.1."""

    routes: dict[tuple[str, str], Behaviour] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    sent_bytes: int = 0

    def start(self, tls: ssl.SSLContext | None = None) -> AnswerServer:
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                got = Received(self.command, parts.path, parts.query,
                               {k.lower(): v for k, v in self.headers.items()}, body)
                server_self.received.append(got)
                behaviour = server_self.routes.get((self.command, parts.path))
                if behaviour is None:
                    send(self, 404, b'{"error": "no route in this test"}')
                    return
                behaviour(self, got)

            def do_GET(self) -> None:
                self._any()

            def do_POST(self) -> None:
                self._any()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def on(self, method: str, path: str, behaviour: Behaviour) -> None:
        self.routes[(method, path)] = behaviour

    def answer(self, method: str, path: str, body: bytes | str, status: int = 200,
               content_type: str = "application/json", headers: dict[str, str] | None = None
               ) -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        self.on(method, path, lambda h, _r: send(h, status, raw, content_type, headers))

    def answer_json(self, method: str, path: str, value: Any, status: int = 200) -> None:
        self.answer(method, path, json.dumps(value), status)

    def last(self, method: str, path: str) -> Received:
        return [r for r in self.received if r.method == method and r.path == path][-1]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes,
         content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def fails(failure: CentralFailure, call: Callable[[], object]) -> CentralError:
    with pytest.raises(CentralError) as info:
        call()
    assert info.value.failure is failure, str(info.value)
    return info.value
