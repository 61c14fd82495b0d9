"""Staff badges as a station knows them: the roles, an enrolled badge's verification data, and
the two checks a badge must pass, its proof of holding its key and its holder's PIN.

A badge proves itself by answering the station's fresh challenge with HMAC-SHA256 under a key
of its own, which the station holds too (docs/badges.md says why a shared key per badge and not
a key pair). Its UID only says which key to check against: anyone can copy a UID.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

NONCE_BYTES = 16
"""The station's challenge: 128 random bits, fresh for each presentation, so that a recorded
answer is worth nothing (replay resistance, NIST SP 800-63B §5.2.8)."""

KEY_BYTES = 32
"""A badge key: as long as HMAC-SHA256's output (RFC 2104 §3: the key should be at least as long
as the hash output)."""

PROOF_BYTES = 32
"""HMAC-SHA256's output, the badge's answer to a challenge (FIPS 180-4: SHA-256, 256 bits)."""

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
"""A staff PIN is 4 to 8 digits (docs/badges.md)."""

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
"""scrypt's parameters for interactive log-ins (Percival, "Stronger key derivation via
sequential memory-hard functions", 2009, §7): 16 MiB and about 50 ms per check here."""
SALT_BYTES = 16
PIN_HASH_BYTES = 32

BADGE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
"""How the city numbers its badges (the number printed on it, e.g. "F-0012"): letters, digits
and dashes, never a name, since it is what the event log names."""

UID_PATTERN = re.compile(r"(?:[0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20})")
"""A contactless UID in upper-case hex: 4, 7 or 10 bytes (ISO/IEC 14443-3 §6.5.4)."""


class Role(StrEnum):
    """What a badge opens."""

    FACILITATOR = "facilitator"
    TECHNICIAN = "technician"


def is_pin(text: str) -> bool:
    """4 to 8 ASCII digits."""
    return (PIN_MIN_DIGITS <= len(text) <= PIN_MAX_DIGITS
            and all(char in "0123456789" for char in text))


@dataclass(frozen=True)
class PinHash:
    """A PIN as the station keeps it: scrypt over the PIN with a salt of its own, with the
    parameters it was made with, so that stronger ones can come without re-enrolling."""

    salt: bytes = field(repr=False)
    digest: bytes = field(repr=False)
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def of(cls, pin: str, n: int = SCRYPT_N) -> PinHash:
        """The hash of a new PIN, under a fresh salt."""
        if not is_pin(pin):
            raise ValueError(f"a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
        salt = secrets.token_bytes(SALT_BYTES)
        return cls(salt, _scrypt(pin, salt, n, SCRYPT_R, SCRYPT_P), n, SCRYPT_R, SCRYPT_P)

    def matches(self, pin: str) -> bool:
        """Is this the PIN? (Constant time in the digest's comparison.)"""
        if not is_pin(pin):
            return False
        return hmac.compare_digest(_scrypt(pin, self.salt, self.n, self.r, self.p), self.digest)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # maxmem: 128 * r * n bytes is what scrypt needs; the default cap (32 MiB) is too low for
    # the largest parameters a badge file may hold.
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * n + 1024 * 1024, dklen=PIN_HASH_BYTES)


@dataclass(frozen=True)
class EnrolledBadge:
    """A badge registered on this station. `key` is None for a legacy badge that has no key and
    can only be recognised by its UID (refused unless `badges.legacy_uid_only` is on)."""

    badge_id: str
    uid: str
    role: Role
    key: bytes | None = field(repr=False)
    pin: PinHash = field(repr=False)

    @property
    def uid_only(self) -> bool:
        """A legacy badge, known by its UID alone."""
        return self.key is None


def badge_proof(key: bytes, nonce: bytes) -> bytes:
    """What a badge holding `key` answers to the challenge `nonce`."""
    return hmac.new(key, nonce, hashlib.sha256).digest()


def proof_matches(key: bytes, nonce: bytes, answer: bytes) -> bool:
    """Is `answer` the proof of `key` for `nonce`? (Constant time.)"""
    return hmac.compare_digest(badge_proof(key, nonce), answer)
