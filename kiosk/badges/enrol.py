"""`kiosk badge enrol`: registering a badge on this station.

A badge on the reader gives its UID, then, before anything is written, must prove the key it is
enrolled with, by the same challenge as at the desk: a key file that belongs to another badge is
caught now, not at its holder's first sign-in. A badge given by its UID (`--uid`: the emulator,
or a badge enrolled away from its reader) is written as given. The PIN is asked twice without
echo, or read from standard input (`--pin-stdin`, for scripts); never from the command line,
which every user of the machine can see. docs/badges.md has the whole procedure.
"""

from __future__ import annotations

import getpass
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.badges.store import read_badges, write_badges
from kiosk.core.badges import (
    BADGE_ID_PATTERN,
    KEY_BYTES,
    NONCE_BYTES,
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    UID_PATTERN,
    EnrolledBadge,
    PinHash,
    Role,
    is_pin,
    proof_matches,
)
from kiosk.core.devices import CardReader, ChallengeStatus
from kiosk.core.events import EventType, Ident, record

POLL_S = 0.1
"""How often the reader is asked whether a badge is on it."""
MAX_KEY_FILE_BYTES = 4096

_CHALLENGE_PROBLEMS = {
    ChallengeStatus.NO_APPLICATION: "the card on the reader is not a badge (no badge "
                                    "application)",
    ChallengeStatus.DECLINED: "the badge on the reader holds no key",
    ChallengeStatus.NO_CARD: "the badge left the reader during the check",
    ChallengeStatus.READER_FAILED: "the reader failed during the check; try again",
}


class EnrolError(Exception):
    """A badge that cannot be enrolled; one line per problem, naming the file or the option."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Enrolment:
    """What to enrol: `uid` None means the badge on the reader; `key` None a legacy badge."""

    badge_id: str
    role: Role
    pin: str = field(repr=False)
    key: bytes | None = field(repr=False)
    uid: str | None = None
    replace: bool = False


def enrol(path: Path, enrolment: Enrolment,
          open_reader: Callable[[], CardReader] | None = None, wait_s: float = 30.0,
          ) -> EnrolledBadge:
    """Add the badge to the badge file at `path` (created if missing); returns it."""
    problems = _check(enrolment)
    if problems:
        raise EnrolError(problems)
    existing = read_badges(path) if path.exists() else ()
    uid = enrolment.uid
    if uid is None:
        if open_reader is None:
            raise EnrolError(["--uid: needed when no card reader is configured"])
        uid = _from_reader(open_reader(), enrolment.key, wait_s)
    kept = _without_conflicts(path, existing, enrolment, uid)
    badge = EnrolledBadge(enrolment.badge_id, uid, enrolment.role, enrolment.key,
                          PinHash.of(enrolment.pin))
    write_badges(path, [*kept, badge])
    record(EventType.BADGE_ENROLLED, badge=Ident(badge.badge_id), role=badge.role,
           uid_only=badge.uid_only)
    return badge


def read_key_file(path: Path) -> bytes:
    """A badge key from a file of 64 hex digits (white space ignored)."""
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise EnrolError([f"--key-file {path}: too large to be a key file"])
        text = "".join(path.read_text(encoding="ascii").split())
    except FileNotFoundError:
        raise EnrolError([f"--key-file {path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not text"
        raise EnrolError([f"--key-file {path}: cannot be read ({reason})"]) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise EnrolError([f"--key-file {path}: must hold {2 * KEY_BYTES} hex digits "
                          f"(a {KEY_BYTES}-byte key)"])
    return key


def ask_pin(from_stdin: bool) -> str:
    """The new PIN: one line of standard input, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass(f"PIN for this badge ({PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits): ")
    if getpass.getpass("The same PIN again: ") != first:
        raise EnrolError(["PIN: the two PINs differ; nothing was written"])
    return first


def _check(enrolment: Enrolment) -> list[str]:
    problems = []
    if not BADGE_ID_PATTERN.fullmatch(enrolment.badge_id):
        problems.append("--id: must be letters, digits and dashes, at most 32 (the number on "
                        "the badge, never a name)")
    if enrolment.uid is not None and not UID_PATTERN.fullmatch(enrolment.uid):
        problems.append("--uid: must be 8, 14 or 20 hex digits (a 4, 7 or 10-byte UID)")
    if not is_pin(enrolment.pin):
        problems.append(f"PIN: must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    return problems


def _from_reader(reader: CardReader, key: bytes | None, wait_s: float) -> str:
    """The UID of the badge on the reader, once it has proved `key` (if any)."""
    deadline = time.monotonic() + wait_s
    card = reader.card()
    while card is None and time.monotonic() < deadline:
        time.sleep(POLL_S)
        card = reader.card()
    if card is None:
        health = reader.health()
        why = "" if health.ready else f" (the reader is not ready: {health.reason})"
        raise EnrolError([f"card reader: no badge on the reader within {wait_s:g} s{why}"])
    if card.uid is None:
        raise EnrolError(["card reader: the card on the reader gives no UID"])
    if key is None:
        return card.uid
    nonce = secrets.token_bytes(NONCE_BYTES)
    answer = reader.challenge(nonce)
    if answer.status is not ChallengeStatus.ANSWERED:
        raise EnrolError([f"card reader: {_CHALLENGE_PROBLEMS[answer.status]}"])
    if answer.uid != card.uid:
        raise EnrolError(["card reader: the badge changed during the check; try again"])
    if not proof_matches(key, nonce, answer.proof):
        raise EnrolError(["--key-file: the badge on the reader does not hold this key"])
    return card.uid


def _without_conflicts(path: Path, existing: tuple[EnrolledBadge, ...], enrolment: Enrolment,
                       uid: str) -> list[EnrolledBadge]:
    """The badges to keep: without the one enrolled again (`replace`), refusing otherwise."""
    clashes = [b for b in existing if b.badge_id == enrolment.badge_id or b.uid == uid]
    if clashes and not enrolment.replace:
        raise EnrolError([
            f"{path}: badges[{existing.index(b)}]: " + (
                f"badge {b.badge_id} is already enrolled" if b.badge_id == enrolment.badge_id
                else f"this badge's UID is already enrolled as {b.badge_id}")
            + "; --replace enrols it again" for b in clashes])
    return [b for b in existing if b not in clashes]

