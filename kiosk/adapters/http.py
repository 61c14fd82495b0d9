"""The one HTTP client of the central adapters: a thin wrapper over `httpx.Client`.

Why a wrapper: every adapter must get the same guarantees, and none may forget one.
- TLS certificates are always verified, against the system's store (`system_trust`); there is
  deliberately no switch. Redirects are never followed (a central that redirects is
  misconfigured, and following could carry personal data to another host).
- Every call has a time limit (`settings.central.timeout_s`) for connecting, for each read and
  for the whole body.
- Bodies are streamed with a size limit: a huge answer is cut off at the limit, never read
  whole; compressed answers are refused (we ask for `identity`), so that a small gzip bomb cannot
  expand in memory.
- Every failure becomes a `kiosk.core.central.CentralError`. Messages name the method and the URL
  *path* only: never the query (it holds `api_key` or Publik signatures), never a body, never
  personal data. For the log, the error also carries the central's name and the endpoint as a
  template the adapter gives ("requests/{id}": a path may hold a person's number), a short
  reason code, and what the call did (`CallOutcome`): refused before sending, answered, or sent
  with its answer lost, late, unreadable or a 5xx (then the central may have taken it).
- A UTF-8 byte-order mark before a JSON answer is skipped (some Windows-hosted servers send
  one; RFC 8259 §8.1 lets a parser ignore it).

It also holds the small helpers adapters use to check the shape of decoded answers, so that a
wrong type anywhere turns into `CentralError(MALFORMED)` rather than a `KeyError`.
"""

from __future__ import annotations

import json
import math
import ssl
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlencode, urlsplit

import httpx

from kiosk.core.central import CallOutcome, CentralError, CentralFailure

if TYPE_CHECKING:
    from kiosk.settings.models import CentralSettings

#: Largest body the kiosk reads from a central. The biggest legitimate answer (a services list,
#: a month of slots) is a few tens of kilobytes; 2 MiB leaves room and bounds memory.
MAX_BODY_BYTES = 2 * 1024 * 1024
USER_AGENT = "kiosk/0.1 (city-hall kiosk)"
#: Longest Idempotency-Key accepted (station references and UUIDs are far shorter).
MAX_KEY_LENGTH = 200
#: Longest URL path quoted in an error message.
MAX_PATH_IN_MESSAGE = 120


def system_trust() -> ssl.SSLContext:
    """A TLS client context that trusts the system's certificate store and checks host names.

    The store is the one Debian's ca-certificates keeps up to date with security updates, and
    the one where a city adds its own certificate authority (`update-ca-certificates`): its
    central systems are often signed by one. It is read as OpenSSL's hashed directory
    (`/etc/ssl/certs`, or `SSL_CERT_DIR`), so a certificate is read when a verification needs
    it: loading the whole bundle at start costs about 1.5 MiB of resident memory. Without that
    directory, OpenSSL's default file is loaded instead."""
    return ssl.create_default_context(capath=ssl.get_default_verify_paths().capath)


class Where(str):
    """"GET /path" for messages (never the query), carrying the central's name and the
    endpoint template for the log, so that an adapter's shape checks (`malformed`) name them
    without being told."""

    __slots__ = ("central", "endpoint")
    central: str
    endpoint: str

    def __new__(cls, text: str, central: str = "", endpoint: str = "") -> Where:
        where = super().__new__(cls, text)
        where.central = central
        where.endpoint = endpoint
        return where


@dataclass(frozen=True)
class HttpAnswer:
    """A complete answer, read within the size and time limits. `central` and `endpoint`
    name the call for the log (see the module docstring)."""

    method: str
    path: str
    status: int
    body: bytes
    content_type: str
    central: str = ""
    endpoint: str = ""

    @property
    def where(self) -> Where:
        """"GET /path" for messages (never the query)."""
        return Where(f"{self.method} {self.path}", self.central, self.endpoint or self.path)

    def json(self) -> Any:
        """The body decoded as JSON, a byte-order mark skipped; CentralError(MALFORMED) when
        it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise malformed(self.where, "answer is not valid JSON", "not-json") from None


#: Describes an error answer without its body (for example a Publik err_class).
Describer = Callable[[HttpAnswer], str]


def failure_for_status(status: int) -> CentralFailure:
    """How an HTTP status the kiosk did not expect is classified.

    408 and 429 mean "later" (RFC 9110 §15.5.9, RFC 6585 §4), not "your request is wrong": they
    are classified as retryable so that the outbox keeps the submission."""
    if status in (401, 403):
        return CentralFailure.UNAUTHORISED
    if status == 404:
        return CentralFailure.NOT_FOUND
    if status == 409:
        return CentralFailure.CONFLICT
    if status == 408:
        return CentralFailure.TIMEOUT
    if status == 429 or 500 <= status <= 599:
        return CentralFailure.SERVER_ERROR
    if 400 <= status <= 499:
        return CentralFailure.REJECTED
    return CentralFailure.MALFORMED  # 1xx, 3xx (redirects are not followed), nonsense


def message_path(url: str) -> str:
    """The part of `url` an error message may show: its path, shortened, without the query."""
    path = urlsplit(url).path or "/"
    if len(path) > MAX_PATH_IN_MESSAGE:
        path = path[:MAX_PATH_IN_MESSAGE] + "…"
    return path


class HttpClient:
    """GET and POST to the central systems with the guarantees listed in the module docstring.

    Thread-safe (httpx.Client is), so the outbox sender and the UI effects may share one."""

    def __init__(self, timeout_s: float, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        if not (timeout_s > 0 and math.isfinite(timeout_s)):
            raise ValueError("timeout_s must be a positive number of seconds")
        self._timeout_s = timeout_s
        self._max_body = max_body_bytes
        self._client = httpx.Client(
            verify=system_trust(),
            follow_redirects=False,
            timeout=httpx.Timeout(timeout_s),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )  # no transport or TLS parameter: nothing can switch verification off

    @classmethod
    def from_settings(cls, central: CentralSettings) -> HttpClient:
        """A client with the configured time limit."""
        return cls(central.timeout_s)

    @property
    def timeout_s(self) -> float:
        """The time limit of one call."""
        return self._timeout_s

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- verbs ---------------------------------------------------------------------------

    def get(self, url: str, *, headers: Mapping[str, str] | None = None,
            accept: Collection[int] = (), describe: Describer | None = None,
            central: str = "", endpoint: str = "") -> HttpAnswer:
        """GET `url` exactly as given (a signed query must not be re-encoded).

        A status outside 2xx raises CentralError unless it is in `accept`; `describe` may add a
        safe detail (never the body) to that error. `central` and `endpoint` (a template:
        "requests/{id}") name the call in errors, for the log."""
        return self._send("GET", url, None, headers, accept, describe, central, endpoint)

    def post_form(self, url: str, fields: Sequence[tuple[str, str]], *, idempotency_key: str,
                  headers: Mapping[str, str] | None = None, accept: Collection[int] = (),
                  describe: Describer | None = None, central: str = "",
                  endpoint: str = "") -> HttpAnswer:
        """POST `fields` as application/x-www-form-urlencoded; charset=utf-8 (Open311)."""
        body = urlencode(list(fields)).encode("ascii")
        _check_key(idempotency_key)
        merged = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                  **(headers or {}), "Idempotency-Key": idempotency_key}
        return self._send("POST", url, body, merged, accept, describe, central, endpoint)

    def post_json(self, url: str, payload: object, *, idempotency_key: str,
                  headers: Mapping[str, str] | None = None, accept: Collection[int] = (),
                  describe: Describer | None = None, central: str = "",
                  endpoint: str = "") -> HttpAnswer:
        """POST `payload` as a JSON document (Publik, fleet)."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        _check_key(idempotency_key)
        merged = {"Content-Type": "application/json", **(headers or {}),
                  "Idempotency-Key": idempotency_key}
        return self._send("POST", url, body, merged, accept, describe, central, endpoint)

    # -- the one place where HTTP happens ------------------------------------------------

    def _send(self, method: str, url: str, body: bytes | None,
              headers: Mapping[str, str] | None, accept: Collection[int],
              describe: Describer | None, central: str, endpoint: str) -> HttpAnswer:
        path = message_path(url)
        where = Where(f"{method} {path}", central, endpoint or path)
        deadline = time.monotonic() + self._timeout_s
        try:
            with self._client.stream(method, url, content=body,
                                     headers=dict(headers or {})) as response:
                status = response.status_code
                content_type = response.headers.get("content-type", "")
                data = self._read_limited(response, where, deadline)
        except CentralError:
            raise
        except (httpx.ConnectTimeout, httpx.PoolTimeout):
            _fail(CentralFailure.TIMEOUT, where, f"no connection within {self._timeout_s:g} s",
                  "no-connection-in-time", CallOutcome.NOT_SENT)
        except httpx.TimeoutException:
            _fail(CentralFailure.TIMEOUT, where, f"no answer within {self._timeout_s:g} s",
                  "no-answer-in-time")
        except httpx.InvalidURL:
            _fail(CentralFailure.UNREACHABLE, where, "invalid URL", "invalid-url",
                  CallOutcome.NOT_SENT)
        except (httpx.ConnectError, httpx.UnsupportedProtocol):
            # No connection (refused, no route, DNS, TLS handshake): nothing was sent.
            _fail(CentralFailure.UNREACHABLE, where, "ConnectError", "no-connection",
                  CallOutcome.NOT_SENT)
        except httpx.HTTPError as err:
            # ReadError, WriteError, RemoteProtocolError ("server disconnected without
            # sending a response"), ...: the request may have arrived. The exception text
            # may hold the URL: only its type is kept.
            _fail(CentralFailure.UNREACHABLE, where, type(err).__name__, "connection-dropped")
        answer = HttpAnswer(method, path, status, data, content_type, central,
                            endpoint or path)
        if 200 <= status <= 299 or status in accept:
            return answer
        detail = ""
        if describe is not None:
            try:
                detail = describe(answer)
            except CentralError:
                detail = ""
        suffix = f" ({detail})" if detail else ""
        # A 4xx says the request was refused as it came; after a 5xx the central may have
        # done the work and failed on the way out (a database error after storing, a proxy
        # giving up on a slow backend).
        did = CallOutcome.UNKNOWN if status >= 500 else CallOutcome.ANSWERED
        _fail(failure_for_status(status), where, f"HTTP {status}{suffix}", f"http-{status}",
              did)

    def _read_limited(self, response: httpx.Response, where: Where, deadline: float) -> bytes:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding not in ("", "identity"):
            _fail(CentralFailure.MALFORMED, where, "compressed answer refused", "compressed")
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self._max_body:
            _fail(CentralFailure.MALFORMED, where,
                  f"answer larger than {self._max_body} bytes (declared)", "too-big")
        data = bytearray()
        # Chunks as the network gives them (a chunk_size would wait for a full chunk and
        # defeat the deadline check below).
        for chunk in response.iter_raw():
            data += chunk
            if len(data) > self._max_body:
                _fail(CentralFailure.MALFORMED, where,
                      f"answer larger than {self._max_body} bytes", "too-big")
            if time.monotonic() > deadline:
                _fail(CentralFailure.TIMEOUT, where,
                      f"answer not complete within {self._timeout_s:g} s", "answer-too-slow")
        return bytes(data)


def _check_key(key: str) -> None:
    """An Idempotency-Key is a header value: printable ASCII (station references, UUIDs)."""
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " < c <= "~" for c in key):
        raise ValueError("an idempotency key is 1 to 200 printable ASCII characters")


def _fail(failure: CentralFailure, where: Where, what: str, reason: str,
          outcome: CallOutcome = CallOutcome.UNKNOWN) -> NoReturn:
    raise CentralError(failure, f"{where}: {what}", outcome=outcome, central=where.central,
                       endpoint=where.endpoint, reason=reason) from None


# -- shapes of decoded answers -------------------------------------------------------------


def malformed(where: str, what: str, reason: str = "") -> CentralError:
    """The error for an answer that does not have the shape the contract says. `where` names
    the call (an `HttpAnswer.where`); `reason` is a short code, by default `what` made one
    (`what` is the adapter's own words, never a value received)."""
    central = where.central if isinstance(where, Where) else ""
    endpoint = where.endpoint if isinstance(where, Where) else ""
    return CentralError(CentralFailure.MALFORMED, f"{where}: {what}", central=central,
                        endpoint=endpoint, reason=reason or what)


def as_dict(value: object, where: str, what: str) -> dict[str, Any]:
    """`value` if it is a JSON object."""
    if not isinstance(value, dict):
        raise malformed(where, f"{what} is not an object")
    return value


def as_list(value: object, where: str, what: str) -> list[Any]:
    """`value` if it is a JSON array."""
    if not isinstance(value, list):
        raise malformed(where, f"{what} is not a list")
    return value


def as_id(value: object, where: str, what: str) -> str:
    """An identifier given as a string or an integer (Open311 examples use numbers, the JSON
    Schemas strings: docs/central-systems.md), normalised to a non-empty string."""
    if isinstance(value, bool):
        raise malformed(where, f"{what} is not an identifier")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise malformed(where, f"{what} is missing or not an identifier")


def as_text(value: object, where: str, what: str) -> str:
    """Optional text: None becomes ""; numbers are tolerated; anything else is malformed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise malformed(where, f"{what} is not text")


def as_bool(value: object, where: str, what: str, default: bool = False) -> bool:
    """A boolean given as JSON true/false or as XML text "true"/"false"."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise malformed(where, f"{what} is not a boolean")


def as_int(value: object, where: str, what: str, default: int = 0) -> int:
    """An integer given as a JSON number or as digits."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise malformed(where, f"{what} is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise malformed(where, f"{what} is not an integer")
