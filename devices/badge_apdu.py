"""The badge protocol on the wire: the few APDUs a station exchanges with a staff badge.

    GET UID                 FF CA 00 00 00                  PC/SC Part 3 §3.2.2.1.3 GET DATA
    SELECT the application  00 A4 04 0C 0B <AID>            ISO 7816-4 §11.2.2, by DF name,
                                                            no response data
    INTERNAL AUTHENTICATE   00 88 00 00 10 <nonce> 00       ISO 7816-4 §11.5.2
        → HMAC-SHA256(badge key, nonce), 32 bytes, 90 00    (kiosk.core.badges.badge_proof)

The card reader driver sends them and the badge emulator answers them; what an answer proves is
decided in the core (kiosk/core/badge_auth.py). docs/badges.md explains the choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.badges import NONCE_BYTES, PROOF_BYTES

BADGE_AID = bytes.fromhex("F04B494F534B4241444745")
"""The badge application: "F0" opens a proprietary, unregistered AID (ISO/IEC 7816-5 §5.2,
category F), followed by "KIOSKBADGE" in ASCII."""

GET_UID = bytes.fromhex("FFCA000000")
"""PC/SC Part 3 GET DATA, P1=00: the card's UID, answered by a contactless reader itself."""

SW_OK = 0x9000
SW_BYTES_REMAINING = 0x61  # first byte: SW2 more bytes wait for a GET RESPONSE (ISO 7816-4 §5.1.3)
SW_FILE_NOT_FOUND = 0x6A82  # ISO 7816-4 §5.1.3: no application with this AID
SW_DATA_NOT_FOUND = 0x6A88  # referenced data not found: the application holds no key
SW_CONDITIONS = 0x6985  # conditions of use not satisfied: the application is not selected
SW_WRONG_LENGTH = 0x6700
SW_WRONG_P1P2 = 0x6A86
SW_INS_UNKNOWN = 0x6D00
SW_CLA_UNKNOWN = 0x6E00

MAX_GET_RESPONSE = 4
"""GET RESPONSE rounds accepted for one answer: a badge's longest answer is 32 bytes."""


@dataclass(frozen=True)
class Response:
    """A response APDU: data and status word."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        """Did the card answer 90 00?"""
        return self.sw == SW_OK

    def to_bytes(self) -> bytes:
        """The response as it travels back to the reader."""
        return self.data + self.sw.to_bytes(2, "big")


def parse_response(raw: bytes | list[int]) -> Response:
    """A response from its bytes (at least the two of the status word)."""
    raw = bytes(raw)
    if len(raw) < 2:
        return Response(b"", 0)
    return Response(raw[:-2], int.from_bytes(raw[-2:], "big"))


def select_badge() -> bytes:
    """SELECT the badge application by its AID, asking for no response data."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(BADGE_AID)]) + BADGE_AID


def internal_authenticate(nonce: bytes) -> bytes:
    """INTERNAL AUTHENTICATE with the station's challenge; Le=00 (up to 256 bytes)."""
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"a challenge is {NONCE_BYTES} bytes")
    return bytes([0x00, 0x88, 0x00, 0x00, len(nonce)]) + nonce + b"\x00"


def get_response(length: int) -> bytes:
    """GET RESPONSE for the `length` bytes a card announced with 61 xx."""
    return bytes([0x00, 0xC0, 0x00, 0x00, length])


def is_proof(response: Response) -> bool:
    """Has the card answered a challenge with something shaped like a proof?"""
    return response.ok and len(response.data) == PROOF_BYTES


def uid_hex(response: Response) -> str | None:
    """The UID of a GET UID answer, as upper-case hex; None when the card gave none."""
    if not response.ok or not response.data:
        return None
    return response.data.hex().upper()
