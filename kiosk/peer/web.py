"""The request and response values the peer's route modules work with, and the router that
picks a route by method and path. Nothing here touches a socket: the server turns bytes into a
`PeerRequest` and a `PeerResponse` back into bytes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, unquote

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
#: More form fields than this is not a citizen's request.
MAX_FORM_FIELDS = 500


@dataclass(frozen=True)
class PeerRequest:
    """One HTTP request as received. `path` is percent-decoded later, per segment, by routes;
    `query` is the raw query string (a Publik signature is computed over it as sent)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""

    @cached_property
    def params(self) -> dict[str, list[str]]:
        """The query parameters, every value of each."""
        return parse_qs(self.query, keep_blank_values=True)

    @cached_property
    def form(self) -> dict[str, list[str]] | None:
        """An application/x-www-form-urlencoded body, parsed; None when the body is not one
        (another media type, not UTF-8, or absurdly many fields)."""
        if self.content_type != "application/x-www-form-urlencoded":
            return None
        try:
            return parse_qs(self.body.decode("utf-8"), keep_blank_values=True,
                            max_num_fields=MAX_FORM_FIELDS)
        except (UnicodeDecodeError, ValueError):
            return None

    def param(self, name: str) -> str | None:
        """The first value of a query parameter."""
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def content_type(self) -> str:
        """The media type of the body, without its parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def idempotency_key(self) -> str | None:
        """The Idempotency-Key header, when given."""
        return self.headers.get("idempotency-key")

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError)."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class PeerResponse:
    """What to send back."""

    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, value: Any, headers: dict[str, str] | None = None
                  ) -> PeerResponse:
    """A JSON answer (UTF-8, not ASCII-escaped: French text stays readable)."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return PeerResponse(status, body, JSON, dict(headers or {}))


Responder = Callable[[PeerRequest, dict[str, str]], PeerResponse]
#: Checks a request's credentials: None to go on, or the refusal to send.
Auth = Callable[[PeerRequest], "PeerResponse | None"]


@dataclass(frozen=True)
class Route:
    """A method and a path pattern (named groups are percent-decoded and passed on). `auth`
    runs before anything else, a stored idempotent answer included."""

    method: str
    pattern: re.Pattern[str]
    handler: Responder
    auth: Auth | None = None


def route(method: str, pattern: str, handler: Responder, auth: Auth | None = None) -> Route:
    """A route whose `pattern` must match the whole path."""
    return Route(method, re.compile(pattern), handler, auth)


@dataclass(frozen=True)
class MethodNotAllowed:
    """The path exists, not with this method."""

    allowed: tuple[str, ...]


class Router:
    """Routes tried in order; the first whose pattern matches the whole path wins."""

    def __init__(self, routes: list[Route]) -> None:
        self._routes = routes

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route, in the order they are tried."""
        return tuple(self._routes)

    def resolve(self, method: str, path: str
                ) -> tuple[Route, dict[str, str]] | MethodNotAllowed | None:
        """The route for a request, why there is none (405), or None (404)."""
        allowed: list[str] = []
        lookup = "GET" if method == "HEAD" else method
        for candidate in self._routes:
            match = candidate.pattern.fullmatch(path)
            if match is None:
                continue
            if candidate.method == lookup:
                return candidate, {k: unquote(v) for k, v in match.groupdict().items()}
            allowed.append(candidate.method)
        if allowed:
            if "GET" in allowed:
                allowed.append("HEAD")
            return MethodNotAllowed(tuple(dict.fromkeys(allowed)))
        return None
