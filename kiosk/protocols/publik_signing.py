"""Publik signed URLs, as w.c.s. computes and checks them (wcs/api_utils.py; see
docs/central-systems.md): the query gets `algo`, `timestamp` (UTC, to the second) and `nonce`,
then `signature` = base64(HMAC-SHA256(key, query so far)), percent-quoted. The caller's
`orig` is part of the signed query. A server accepts a timestamp within ±30 s and each nonce
once.

Both the adapters (signing) and the embedded reference peer (checking) use this module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

ALGO = "sha256"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# w.c.s. check_query(): timedelta=30 seconds either way.
MAX_SKEW = timedelta(seconds=30)


def _mac(message: str, key: str) -> bytes:
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()


def sign_query(query: str, key: str, now: datetime | None = None,
               nonce: str | None = None) -> str:
    """`query` with algo, timestamp, nonce and signature appended."""
    stamp = (now or datetime.now(UTC)).strftime(TIMESTAMP_FORMAT)
    nonce = nonce or secrets.token_hex(16)
    signed = (query + "&" if query else "") + urlencode(
        (("algo", ALGO), ("timestamp", stamp), ("nonce", nonce))
    )
    signature = base64.b64encode(_mac(signed, key)).decode("ascii")
    return f"{signed}&signature={quote(signature)}"


def sign_url(url: str, orig: str, key: str, now: datetime | None = None,
             nonce: str | None = None) -> str:
    """`url` with `orig` added to its query and the whole query signed."""
    parts = urlsplit(url)
    query = (parts.query + "&" if parts.query else "") + urlencode({"orig": orig})
    return urlunsplit(parts._replace(query=sign_query(query, key, now, nonce)))


class SignatureError(Exception):
    """Why a signed query is refused (the reason never holds the key)."""


def check_query(query: str, key_for: Callable[[str], str | None],
                nonce_seen: Callable[[str], bool], now: datetime | None = None) -> str:
    """The `orig` of a correctly signed, fresh, never-seen query; raises SignatureError.

    `key_for(orig)` gives the caller's key (None if unknown); `nonce_seen(nonce)` records the
    nonce and says whether it had been used before."""
    if "&signature=" not in query:
        raise SignatureError("missing signature")
    unsigned, _, quoted = query.rpartition("&signature=")
    params = parse_qs(unsigned, keep_blank_values=True)
    try:
        orig = params["orig"][-1]
        algo = params["algo"][-1]
        stamp = datetime.strptime(params["timestamp"][-1], TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        nonce = params["nonce"][-1]
        given = base64.b64decode(parse_qs(f"s={quoted}")["s"][0], validate=True)
    except (KeyError, IndexError, ValueError) as err:
        raise SignatureError(f"incomplete signed query ({type(err).__name__})") from None
    if algo != ALGO:
        raise SignatureError(f"unsupported algo {algo!r}")
    key = key_for(orig)
    if key is None:
        raise SignatureError("unknown orig")
    if not hmac.compare_digest(given, _mac(unsigned, key)):
        raise SignatureError("bad signature")
    if abs((now or datetime.now(UTC)) - stamp) > MAX_SKEW:
        raise SignatureError("timestamp outside ±30 s")
    if nonce_seen(nonce):
        raise SignatureError("nonce already used")
    return orig
