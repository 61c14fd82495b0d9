"""Staff badge authentication as one pure transition function:
`step(state, event, now) -> (state, commands)`.

A badge put on the reader is looked up by its UID; an enrolled badge is sent a fresh challenge
and must answer it with the proof of its key (kiosk/core/badges.py); then its holder types a PIN
(4–8 digits), checked against the salted hash the station holds. Five wrong PINs in a row lock
the badge out for `BadgePolicy.lockout_s`, across removals of the badge. Taking the badge off
the reader ends whatever was under way: a PIN half typed is dropped with the phase that held it.

The UID alone never authenticates, except for a legacy badge enrolled without a key while
`legacy_uid_only` is on (off by default; `auth_health` flags it).

Every change of phase is recorded (a `Record` command) under an event type, with the badge's
number (never its UID, key or PIN) and a reason. Typing a digit changes no phase and is not
recorded: a count of digits would tell the PIN's length. docs/badges.md has the whole protocol.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import ClassVar

from kiosk.core.badges import PIN_MAX_DIGITS, PIN_MIN_DIGITS, EnrolledBadge, Role, proof_matches
from kiosk.core.devices import ChallengeAnswer, ChallengeStatus, DeviceHealth
from kiosk.core.events import EventType, Ident, Loggable

MAX_PIN_FAILURES = 5
"""Wrong PINs in a row after which a badge is locked out (docs/badges.md)."""


# -- policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgePolicy:
    """What the station checks badges against: its enrolled badges (by UID), how long a
    lock-out lasts, and whether legacy badges without a key are let in on their UID."""

    badges: Mapping[str, EnrolledBadge] = field(repr=False)
    lockout_s: float
    legacy_uid_only: bool = False

    @classmethod
    def of(cls, badges: Iterable[EnrolledBadge], lockout_s: float,
           legacy_uid_only: bool = False) -> BadgePolicy:
        """A policy over these badges."""
        return cls({badge.uid: badge for badge in badges}, lockout_s, legacy_uid_only)


UID_ONLY_ALLOWED = "uid-only-allowed"


def auth_health(policy: BadgePolicy) -> DeviceHealth:
    """How badges are checked, for wherever the station reports its health: flagged
    "uid-only-allowed" while a badge may get in on its UID alone."""
    return DeviceHealth(ready=True, reason=UID_ONLY_ALLOWED if policy.legacy_uid_only else "ok")


# -- phases --------------------------------------------------------------------------------


class Refusal(StrEnum):
    """Why a card on the reader opens nothing."""

    NO_UID = "no-uid"
    UNKNOWN_BADGE = "unknown-badge"
    UID_ONLY_DISABLED = "uid-only-disabled"
    NOT_A_BADGE = "not-a-badge"
    NO_PROOF = "no-proof"
    WRONG_PROOF = "wrong-proof"
    UID_MISMATCH = "uid-mismatch"
    READ_FAILED = "read-failed"


class PinError(StrEnum):
    """What went wrong with the last PIN submitted, for the screen to say."""

    TOO_SHORT = "too-short"
    WRONG = "wrong"


class EndReason(StrEnum):
    """Why a badge's turn ended."""

    REMOVED = "removed"
    CARD_CHANGED = "card-changed"
    ASKED = "asked"
    IDLE = "idle"


@dataclass(frozen=True)
class NoBadge:
    """Nothing on the reader (or a badge whose turn has ended)."""

    name: ClassVar[str] = "no-badge"


@dataclass(frozen=True)
class Challenging:
    """An enrolled badge's UID was read; its answer to `nonce` is awaited."""

    name: ClassVar[str] = "challenge"
    badge_id: str
    uid: str
    nonce: bytes = field(repr=False)


@dataclass(frozen=True)
class EnteringPin:
    """The badge has proved its key (or, legacy, its UID was let in); its holder types the PIN.
    `digits` is never shown, only counted."""

    name: ClassVar[str] = "pin"
    badge_id: str
    uid: str
    role: Role
    uid_only: bool = False
    digits: str = field(default="", repr=False)
    error: PinError | None = None

    @property
    def typed(self) -> int:
        """How many digits are typed: what a masked field shows."""
        return len(self.digits)


@dataclass(frozen=True)
class SignedIn:
    """A badge holder is authenticated, for as long as the badge stays on the reader."""

    name: ClassVar[str] = "signed-in"
    badge_id: str
    uid: str
    role: Role
    since: float
    uid_only: bool = False


@dataclass(frozen=True)
class Refused:
    """The card on the reader opens nothing; it must be taken off."""

    name: ClassVar[str] = "refused"
    reason: Refusal


@dataclass(frozen=True)
class LockedOut:
    """The badge is locked out until `until` (clock seconds)."""

    name: ClassVar[str] = "locked-out"
    badge_id: str
    until: float


Phase = NoBadge | Challenging | EnteringPin | SignedIn | Refused | LockedOut


@dataclass(frozen=True)
class Strikes:
    """A badge's wrong PINs in a row, and the end of its lock-out if it is locked out."""

    failures: int = 0
    locked_until: float | None = None


@dataclass(frozen=True)
class BadgeAuth:
    """The whole state: the policy, the phase, and the strikes of each badge (by number),
    which outlive the badge's removal."""

    policy: BadgePolicy = field(repr=False)
    phase: Phase = NoBadge()
    strikes: Mapping[str, Strikes] = field(default_factory=dict)

    @property
    def signed_in(self) -> SignedIn | None:
        """Who is authenticated, if anyone."""
        return self.phase if isinstance(self.phase, SignedIn) else None


# -- events and commands -------------------------------------------------------------------


@dataclass(frozen=True)
class CardPresented:
    """A card was put on the reader; `nonce` is a fresh challenge drawn for it by the station
    (random: the caller draws it, the function stays pure)."""

    uid: str | None
    nonce: bytes = field(repr=False)


@dataclass(frozen=True)
class CardRemoved:
    """The card was taken off (or the reader, or the card service, went away)."""


@dataclass(frozen=True)
class ChallengeAnswered:
    """What the card answered to the challenge `nonce`."""

    nonce: bytes = field(repr=False)
    answer: ChallengeAnswer = field(repr=False)


@dataclass(frozen=True)
class PinDigit:
    """One key of the PIN pad."""

    digit: str = field(repr=False)


@dataclass(frozen=True)
class PinErase:
    """Erase the last digit typed."""


@dataclass(frozen=True)
class PinSubmit:
    """Check the PIN typed."""


@dataclass(frozen=True)
class SignOut:
    """End the badge's turn with the badge still on the reader (the holder asks, or was idle);
    it must be taken off and presented again."""

    reason: EndReason = EndReason.ASKED


Event = CardPresented | CardRemoved | ChallengeAnswered | PinDigit | PinErase | PinSubmit | SignOut


@dataclass(frozen=True)
class Challenge:
    """Send `nonce` to the card on the reader (INTERNAL AUTHENTICATE) and feed back its
    answer as ChallengeAnswered."""

    nonce: bytes = field(repr=False)


@dataclass(frozen=True)
class Record:
    """Record `event` with these fields (kiosk.core.events.record)."""

    event: EventType
    fields: Mapping[str, Loggable] = field(default_factory=dict)
    level: int = logging.INFO


Command = Challenge | Record
Step = tuple[BadgeAuth, tuple[Command, ...]]


# -- the transition function ---------------------------------------------------------------


def step(state: BadgeAuth, event: Event, now: float) -> Step:
    """The state after `event` at clock time `now`, and what to do about it."""
    phase = state.phase
    if isinstance(event, CardPresented):
        ended = _end(state, EndReason.CARD_CHANGED)
        after, commands = _presented(ended[0], event, now)
        return after, ended[1] + commands
    if isinstance(event, CardRemoved):
        return _end(state, EndReason.REMOVED)
    if isinstance(event, SignOut):
        if isinstance(phase, SignedIn | EnteringPin):
            return _end(state, event.reason)
        return state, ()
    if isinstance(event, ChallengeAnswered):
        if isinstance(phase, Challenging) and event.nonce == phase.nonce:
            return _answered(state, phase, event.answer, now)
        return state, ()  # an answer to a challenge no longer awaited
    if isinstance(phase, EnteringPin):
        return _pin(state, phase, event, now)
    return state, ()


def _presented(state: BadgeAuth, event: CardPresented, now: float) -> Step:
    if event.uid is None:
        return _refuse(state, Refusal.NO_UID)
    badge = state.policy.badges.get(event.uid.upper())
    if badge is None:
        return _refuse(state, Refusal.UNKNOWN_BADGE)
    if badge.uid_only:
        if not state.policy.legacy_uid_only:
            return _refuse(state, Refusal.UID_ONLY_DISABLED, badge)
        return _proved(state, badge, now, Record(
            EventType.BADGE_UID_ONLY, {"badge": Ident(badge.badge_id)}, logging.WARNING))
    return (replace(state, phase=Challenging(badge.badge_id, badge.uid, event.nonce)),
            (Record(EventType.BADGE_CHALLENGED, {"badge": Ident(badge.badge_id)}),
             Challenge(event.nonce)))


_ANSWER_REFUSALS = {
    ChallengeStatus.NO_APPLICATION: Refusal.NOT_A_BADGE,
    ChallengeStatus.DECLINED: Refusal.NO_PROOF,
    ChallengeStatus.NO_CARD: Refusal.READ_FAILED,
    ChallengeStatus.READER_FAILED: Refusal.READ_FAILED,
}


def _answered(state: BadgeAuth, phase: Challenging, answer: ChallengeAnswer, now: float) -> Step:
    badge = state.policy.badges[phase.uid]
    if answer.status is not ChallengeStatus.ANSWERED:
        return _refuse(state, _ANSWER_REFUSALS[answer.status], badge)
    if answer.uid != phase.uid:
        return _refuse(state, Refusal.UID_MISMATCH, badge)
    if badge.key is None or not proof_matches(badge.key, phase.nonce, answer.proof):
        return _refuse(state, Refusal.WRONG_PROOF, badge)
    return _proved(state, badge, now,
                   Record(EventType.BADGE_PROVED, {"badge": Ident(badge.badge_id)}))


def _proved(state: BadgeAuth, badge: EnrolledBadge, now: float, proved: Record) -> Step:
    """The badge is what it says: on to the PIN, unless it is locked out."""
    strikes = state.strikes.get(badge.badge_id, Strikes())
    if strikes.locked_until is not None:
        if now < strikes.locked_until:
            remaining = max(1, round(strikes.locked_until - now))
            return (replace(state, phase=LockedOut(badge.badge_id, strikes.locked_until)),
                    (proved, Record(EventType.BADGE_REFUSED,
                                    {"badge": Ident(badge.badge_id), "reason": Ident("locked-out"),
                                     "remaining_s": remaining}, logging.WARNING)))
        state = _with_strikes(state, badge.badge_id, None)  # the lock-out is over
    return (replace(state, phase=EnteringPin(badge.badge_id, badge.uid, badge.role,
                                             uid_only=badge.uid_only)), (proved,))


def _pin(state: BadgeAuth, phase: EnteringPin, event: Event, now: float) -> Step:
    if isinstance(event, PinDigit):
        if len(event.digit) != 1 or event.digit not in "0123456789" or (
                phase.typed >= PIN_MAX_DIGITS):
            return state, ()
        return replace(state, phase=replace(phase, digits=phase.digits + event.digit,
                                            error=None)), ()
    if isinstance(event, PinErase):
        return replace(state, phase=replace(phase, digits=phase.digits[:-1], error=None)), ()
    if not isinstance(event, PinSubmit):
        return state, ()
    if phase.typed < PIN_MIN_DIGITS:
        return replace(state, phase=replace(phase, error=PinError.TOO_SHORT)), ()
    badge = state.policy.badges[phase.uid]
    ident = Ident(badge.badge_id)
    if badge.pin.matches(phase.digits):
        signed = SignedIn(badge.badge_id, badge.uid, badge.role, now, uid_only=phase.uid_only)
        return (replace(_with_strikes(state, badge.badge_id, None), phase=signed),
                (Record(EventType.BADGE_SIGNED_IN,
                        {"badge": ident, "role": badge.role, "uid_only": phase.uid_only}),))
    failures = state.strikes.get(badge.badge_id, Strikes()).failures + 1
    if failures >= MAX_PIN_FAILURES:
        until = now + state.policy.lockout_s
        locked = _with_strikes(state, badge.badge_id, Strikes(failures, until))
        return (replace(locked, phase=LockedOut(badge.badge_id, until)),
                (Record(EventType.BADGE_LOCKED_OUT,
                        {"badge": ident, "seconds": state.policy.lockout_s}, logging.WARNING),))
    failed = _with_strikes(state, badge.badge_id, Strikes(failures))
    return (replace(failed, phase=replace(phase, digits="", error=PinError.WRONG)),
            (Record(EventType.BADGE_PIN_FAILED, {"badge": ident, "failures": failures},
                    logging.WARNING),))


def attempts_left(state: BadgeAuth, badge_id: str) -> int:
    """Wrong PINs this badge may still type before it is locked out."""
    return MAX_PIN_FAILURES - state.strikes.get(badge_id, Strikes()).failures


def _end(state: BadgeAuth, reason: EndReason) -> Step:
    """Back to no badge, dropping the phase (and any PIN typed with it)."""
    phase = state.phase
    if isinstance(phase, NoBadge):
        return state, ()
    fields: dict[str, Loggable] = {"during": Ident(phase.name), "reason": reason}
    if not isinstance(phase, Refused):
        fields["badge"] = Ident(phase.badge_id)
    return replace(state, phase=NoBadge()), (Record(EventType.BADGE_ENDED, fields),)


def _refuse(state: BadgeAuth, reason: Refusal, badge: EnrolledBadge | None = None) -> Step:
    fields: dict[str, Loggable] = {"reason": reason}
    if badge is not None:
        fields["badge"] = Ident(badge.badge_id)
    return (replace(state, phase=Refused(reason)),
            (Record(EventType.BADGE_REFUSED, fields, logging.WARNING),))


def _with_strikes(state: BadgeAuth, badge_id: str, strikes: Strikes | None) -> BadgeAuth:
    updated = {key: value for key, value in state.strikes.items() if key != badge_id}
    if strikes is not None:
        updated[badge_id] = strikes
    return replace(state, strikes=updated)
