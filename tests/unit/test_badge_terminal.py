"""Unit tests of the badge terminal (kiosk/badges/terminal.py) on the simulated reader: reader
events in, the transition function's commands carried out (challenges, records). The same
terminal on the real PC/SC driver is in tests/integration/test_badges_pcsc.py."""

from __future__ import annotations

import logging

from devices.sim_card_reader import SimCardReader
from devices.sim_control import set_sim_state
from kiosk.badges.terminal import BadgeTerminal, fresh_nonce
from kiosk.core.badge_auth import (
    BadgePolicy,
    EnteringPin,
    NoBadge,
    PinDigit,
    PinSubmit,
    Refusal,
    Refused,
    SignOut,
)
from kiosk.core.badges import NONCE_BYTES, EnrolledBadge, PinHash, Role
from kiosk.core.clock import ManualClock
from kiosk.core.devices import ChallengeAnswer

UID = "04A1B2C3D4E5F6"
KEY = bytes(range(32))
PIN = "4826"
BADGE = EnrolledBadge("F-0012", UID, Role.FACILITATOR, KEY, PinHash.of(PIN, n=2**4))


class CountingReader(SimCardReader):
    """The simulated reader, keeping the nonces it was challenged with."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.nonces: list[bytes] = []

    def challenge(self, nonce: bytes) -> ChallengeAnswer:
        self.nonces.append(nonce)
        return super().challenge(nonce)


def terminal(tmp_path, legacy: bool = False) -> tuple[BadgeTerminal, CountingReader]:
    reader = CountingReader(tmp_path)
    return BadgeTerminal(reader, BadgePolicy.of([BADGE], 60, legacy), ManualClock(5.0)), reader


def test_a_badge_on_the_reader_is_challenged_then_signed_in_with_its_pin(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    desk, reader = terminal(tmp_path)
    assert desk.poll().phase == NoBadge()
    set_sim_state(tmp_path, "card_reader", card=UID, key=KEY.hex())
    assert isinstance(desk.poll().phase, EnteringPin)
    for digit in PIN:
        desk.press(PinDigit(digit))
    assert desk.press(PinSubmit()).signed_in is not None
    assert desk.press(SignOut()).phase == NoBadge()
    messages = [r.getMessage().split()[0] for r in caplog.records if r.name == "kiosk.events"]
    assert messages == ["badge.challenged", "badge.proved", "badge.signed_in", "badge.ended"]
    assert len(reader.nonces) == 1


def test_every_presentation_gets_a_fresh_nonce(tmp_path):
    desk, reader = terminal(tmp_path)
    for _ in range(3):
        set_sim_state(tmp_path, "card_reader", card=UID, key=KEY.hex())
        desk.poll()
        set_sim_state(tmp_path, "card_reader", card=None)
        desk.poll()
    assert len(reader.nonces) == 3 and len(set(reader.nonces)) == 3
    assert all(len(nonce) == NONCE_BYTES for nonce in reader.nonces)
    assert fresh_nonce() != fresh_nonce()


def test_a_plain_card_with_the_badge_uid_is_refused(tmp_path):
    desk, _ = terminal(tmp_path)
    set_sim_state(tmp_path, "card_reader", card=UID)
    assert desk.poll().phase == Refused(Refusal.NOT_A_BADGE)


def test_the_legacy_mode_is_logged_as_a_warning_when_the_terminal_starts(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    terminal(tmp_path)
    assert not caplog.records
    terminal(tmp_path, legacy=True)
    [warning] = caplog.records
    assert (warning.levelno, warning.getMessage()) == (logging.WARNING, "badge.uid_only_allowed")
