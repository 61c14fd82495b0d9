"""What w.c.s. and Chrono share: the `{"err": …}` envelope and the signed-URL check.

Errors follow w.c.s. (`wcs/api_utils.py`, its tests): `{"err": 1, "err_class": …, "err_code": …,
"err_desc": …}`; a refused signature is HTTP 403 with err_class "Access denied". The signature is
checked against the real clock (±30 s) and each nonce is accepted once
(kiosk.protocols.publik_signing.check_query).
"""

from __future__ import annotations

import hmac
from typing import Any

from kiosk.peer.context import PeerContext
from kiosk.peer.web import Auth, PeerRequest, PeerResponse, json_response
from kiosk.protocols.publik_signing import SignatureError, check_query


def ok(payload: dict[str, Any], status: int = 200) -> PeerResponse:
    """A success answer: `{"err": 0, …payload}`."""
    return json_response(status, {"err": 0, **payload})


def error(status: int, err_class: str, err_desc: str, err_code: str | None = None
          ) -> PeerResponse:
    """A failure answer in the Publik envelope. `err_desc` never holds a received value."""
    body = {"err": 1, "err_class": err_class,
            "err_code": err_code or err_class.lower().replace(" ", "-"), "err_desc": err_desc}
    return json_response(status, body)


def signed(ctx: PeerContext) -> Auth:
    """The check of a signed route: a 403 unless the query is correctly signed by the known
    `orig`, within ±30 s of the real clock, with a nonce never seen before."""
    expected = ctx.credentials

    def key_for(orig: str) -> str | None:
        return expected.publik_key if hmac.compare_digest(orig, expected.publik_orig) else None

    def refusal(request: PeerRequest) -> PeerResponse | None:
        try:
            check_query(request.query, key_for, ctx.nonces.seen)
        except SignatureError as err:
            return error(403, "Access denied", f"invalid signature: {err}", "access-denied")
        return None

    return refusal


def json_body(request: PeerRequest) -> tuple[dict[str, Any] | None, PeerResponse | None]:
    """The JSON object a POST carries, or the w.c.s.-style 400 explaining why not."""
    if request.content_type != "application/json":
        return None, error(400, "Invalid request",
                           "Expected JSON but missing appropriate content-type.",
                           "invalid-request")
    try:
        body = request.json()
    except (ValueError, UnicodeDecodeError):
        return None, error(400, "Invalid request", "Invalid JSON payload.", "invalid-request")
    if not isinstance(body, dict):
        return None, error(400, "Invalid request", "The payload must be a JSON object.",
                           "invalid-request")
    return body, None
