"""The Idempotency-Key header on POST (IETF draft-ietf-httpapi-idempotency-key-header): the first
request with a key is handled and its answer stored with it, in the same transaction as the
record it creates; the same key with the same request gets the stored status and body again and
creates nothing; the same key with another request is refused with 422 (draft §2.7).

Only successful answers (2xx) are stored: a refusal (bad key, bad payload) is worked out again
when the request is sent again, so that fixing a configuration is not undone by a stored 403.
The fingerprint covers the path and the body (JSON keys and form fields in a canonical order),
not the query: a Publik client signs every attempt anew (new nonce, new timestamp), and the
signature is checked before the stored answer is used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from urllib.parse import urlencode

from kiosk.peer.store import PeerStore
from kiosk.peer.web import PeerRequest, PeerResponse, json_response

#: A key longer than this is refused (the draft leaves the limit to the server; Stripe: 255).
MAX_KEY_LENGTH = 255
PROBLEM_JSON = "application/problem+json; charset=utf-8"
REPLAYED_HEADER = "Idempotent-Replayed"


def _canonical_body(request: PeerRequest) -> bytes:
    """The body with what does not change its meaning taken out: the order of JSON keys, of
    form fields, and JSON whitespace (a client may serialise the same submission anew)."""
    if request.content_type == "application/json":
        try:
            return json.dumps(request.json(), sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return request.body
    if request.form is not None:
        return urlencode(sorted((k, v) for k, values in request.form.items()
                                for v in values)).encode("ascii")
    return request.body


def fingerprint(request: PeerRequest) -> str:
    """What must match for a request to count as the same one again."""
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0" + request.path.encode("utf-8") + b"\0")
    digest.update(_canonical_body(request))
    return digest.hexdigest()


def _problem(status: int, title: str, detail: str) -> PeerResponse:
    response = json_response(status, {"type": "about:blank", "title": title, "detail": detail,
                                      "status": status})
    response.content_type = PROBLEM_JSON
    return response


def key_problem(key: str) -> PeerResponse | None:
    """A 400 for a key the peer will not store."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return _problem(400, "Invalid Idempotency-Key",
                        f"The key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.")
    return None


def idempotent(store: PeerStore, request: PeerRequest, now: str,
               handle: Callable[[], PeerResponse]) -> PeerResponse:
    """`handle()`'s answer, or the stored answer of an earlier request with the same key."""
    key = request.idempotency_key
    if key is None:
        return handle()
    problem = key_problem(key)
    if problem is not None:
        return problem
    wanted = fingerprint(request)
    with store.transaction():
        stored = store.row("SELECT fingerprint, status, content_type, body FROM idempotency "
                           "WHERE key = ?", (key,))
        if stored is not None:
            if stored["fingerprint"] != wanted:
                return _problem(422, "Idempotency-Key already used",
                                "This key was used with another request.")
            return PeerResponse(int(stored["status"]), bytes(stored["body"]),
                                str(stored["content_type"]), {REPLAYED_HEADER: "true"})
        response = handle()
        if 200 <= response.status < 300:
            store.execute("INSERT INTO idempotency (key, fingerprint, status, content_type, body, "
                          "stored_at) VALUES (?, ?, ?, ?, ?, ?)",
                          (key, wanted, response.status, response.content_type, response.body,
                           now))
        return response

