"""Badge authentication at a desk: the card reader's events and the PIN pad's keys go into the
transition function (kiosk/core/badge_auth.py), and its commands are carried out here: the
challenge is put to the card on the reader, and every record is logged.

The station draws the nonce of each presentation here, 16 random bytes from `secrets`, so that
the transition function stays pure. One thread drives a terminal: a challenge blocks it for the
exchange with the card (tens of milliseconds), so it is not the UI thread.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from kiosk.core.badge_auth import (
    BadgeAuth,
    BadgePolicy,
    CardPresented,
    CardRemoved,
    Challenge,
    ChallengeAnswered,
    Event,
    PinDigit,
    PinErase,
    PinSubmit,
    Record,
    SignOut,
    step,
)
from kiosk.core.badges import NONCE_BYTES
from kiosk.core.clock import Clock
from kiosk.core.devices import CardEventKind, CardReader
from kiosk.core.events import EventType, record

PadKey = PinDigit | PinErase | PinSubmit | SignOut


def fresh_nonce() -> bytes:
    """A challenge never used before: 128 bits from the operating system's CSPRNG."""
    return secrets.token_bytes(NONCE_BYTES)


class BadgeTerminal:
    """One reader, one policy, the state of badge authentication between them."""

    def __init__(self, reader: CardReader, policy: BadgePolicy, clock: Clock,
                 draw_nonce: Callable[[], bytes] = fresh_nonce) -> None:
        self._reader = reader
        self._clock = clock
        self._draw_nonce = draw_nonce
        self._state = BadgeAuth(policy)
        if policy.legacy_uid_only:
            record(EventType.BADGE_UID_ONLY_ALLOWED, logging.WARNING)

    @property
    def state(self) -> BadgeAuth:
        """Where authentication stands."""
        return self._state

    def poll(self) -> BadgeAuth:
        """Take in every insertion and removal the reader has seen since the last poll."""
        while (event := self._reader.read_event()) is not None:
            if event.kind is CardEventKind.INSERTED:
                uid = event.card.uid if event.card is not None else None
                self._feed(CardPresented(uid, self._draw_nonce()))
            else:
                self._feed(CardRemoved())
        return self._state

    def press(self, key: PadKey) -> BadgeAuth:
        """A key of the PIN pad, or the holder signing out."""
        self._feed(key)
        return self._state

    def _feed(self, event: Event) -> None:
        pending = [event]
        while pending:
            self._state, commands = step(self._state, pending.pop(0), self._clock())
            for command in commands:
                if isinstance(command, Record):
                    record(command.event, command.level, **command.fields)
                elif isinstance(command, Challenge):
                    answer = self._reader.challenge(command.nonce)
                    pending.append(ChallengeAnswered(command.nonce, answer))
