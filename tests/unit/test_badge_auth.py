"""Unit tests of the badge transition function (kiosk/core/badge_auth.py) and the checks it
relies on (kiosk/core/badges.py): every transition, the lock-out clock, and what is recorded.

Pure logic: the card's answers are computed here with the badge's key, as the emulator and a
real badge compute them. PIN hashes use a small scrypt cost to keep the tests fast; the cost is
stored with each hash, so the same code checks them.
"""

from __future__ import annotations

import logging

import pytest

from kiosk.core.badge_auth import (
    MAX_PIN_FAILURES,
    BadgeAuth,
    BadgePolicy,
    CardPresented,
    CardRemoved,
    Challenge,
    ChallengeAnswered,
    Challenging,
    EndReason,
    EnteringPin,
    LockedOut,
    NoBadge,
    PinDigit,
    PinErase,
    PinError,
    PinSubmit,
    Record,
    Refusal,
    Refused,
    SignedIn,
    SignOut,
    Strikes,
    attempts_left,
    auth_health,
    step,
)
from kiosk.core.badges import EnrolledBadge, PinHash, Role, badge_proof, is_pin, proof_matches
from kiosk.core.devices import ChallengeAnswer, ChallengeStatus
from kiosk.core.events import EventType, format_event

FAST_N = 2**4  # scrypt cost for tests only
UID = "04A1B2C3D4E5F6"
TECH_UID = "04998877665544"
LEGACY_UID = "A1B2C3D4"
KEY = bytes(range(32))
TECH_KEY = bytes(range(32, 64))
PIN = "4826"
LOCKOUT_S = 300.0
NONCE = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
OTHER_NONCE = bytes(16)

FACILITATOR = EnrolledBadge("F-0012", UID, Role.FACILITATOR, KEY, PinHash.of(PIN, n=FAST_N))
TECHNICIAN = EnrolledBadge("T-0003", TECH_UID, Role.TECHNICIAN, TECH_KEY,
                           PinHash.of("73194", n=FAST_N))
LEGACY = EnrolledBadge("F-0001", LEGACY_UID, Role.FACILITATOR, None, PinHash.of("1590", n=FAST_N))


def auth(legacy_uid_only: bool = False) -> BadgeAuth:
    return BadgeAuth(BadgePolicy.of([FACILITATOR, TECHNICIAN, LEGACY], LOCKOUT_S, legacy_uid_only))


def records(commands: tuple[object, ...]) -> list[tuple[EventType, dict[str, object]]]:
    return [(c.event, dict(c.fields)) for c in commands if isinstance(c, Record)]


def proved(uid: str = UID, key: bytes = KEY, nonce: bytes = NONCE) -> ChallengeAnswered:
    """The answer of the genuine badge to `nonce`."""
    return ChallengeAnswered(nonce, ChallengeAnswer(ChallengeStatus.ANSWERED, uid,
                                                    badge_proof(key, nonce)))


def run(state: BadgeAuth, *events: object, now: float = 0.0) -> tuple[BadgeAuth, list[object]]:
    """Feed events one after the other; every command they produced."""
    commands: list[object] = []
    for event in events:
        state, produced = step(state, event, now)  # type: ignore[arg-type]
        commands.extend(produced)
    return state, commands


def at_pin(state: BadgeAuth | None = None, now: float = 0.0) -> BadgeAuth:
    """The facilitator's badge on the reader, proved, its PIN awaited."""
    state, _ = run(state or auth(), CardPresented(UID, NONCE), proved(), now=now)
    assert isinstance(state.phase, EnteringPin)
    return state


def typed(pin: str) -> list[object]:
    return [*(PinDigit(d) for d in pin), PinSubmit()]


# -- the checks ------------------------------------------------------------------------------


def test_badge_proof_is_hmac_sha256():
    # RFC 4231, test case 2.
    assert badge_proof(b"Jefe", b"what do ya want for nothing?").hex() == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    assert proof_matches(KEY, NONCE, badge_proof(KEY, NONCE))
    assert not proof_matches(KEY, OTHER_NONCE, badge_proof(KEY, NONCE))
    assert not proof_matches(TECH_KEY, NONCE, badge_proof(KEY, NONCE))


@pytest.mark.parametrize(("text", "ok"), [
    ("1234", True), ("12345678", True), ("123", False), ("123456789", False),
    ("12a4", False), ("١٢٣٤", False), ("", False), (" 1234", False),
])
def test_a_pin_is_four_to_eight_ascii_digits(text, ok):
    assert is_pin(text) is ok


def test_pin_hash_is_salted_and_checks_only_its_pin():
    first, second = PinHash.of(PIN, n=FAST_N), PinHash.of(PIN, n=FAST_N)
    assert first.salt != second.salt and first.digest != second.digest
    assert first.matches(PIN) and second.matches(PIN)
    assert not first.matches("4827") and not first.matches("48260")
    assert PIN not in repr(first) and first.digest.hex() not in repr(first)
    with pytest.raises(ValueError, match="4 to 8 digits"):
        PinHash.of("12")


def test_pin_hash_defaults_to_the_interactive_scrypt_cost():
    assert (PinHash.of(PIN).n, PinHash.of(PIN).r, PinHash.of(PIN).p) == (2**14, 8, 1)


# -- presenting a card -----------------------------------------------------------------------


def test_an_enrolled_badge_is_challenged_with_the_nonce_drawn_for_it():
    state, commands = step(auth(), CardPresented(UID.lower(), NONCE), 10.0)
    assert state.phase == Challenging("F-0012", UID, NONCE)
    assert commands[-1] == Challenge(NONCE)
    assert records(commands) == [(EventType.BADGE_CHALLENGED, {"badge": "F-0012"})]


def test_an_unknown_card_is_refused_and_its_uid_is_not_recorded():
    state, commands = step(auth(), CardPresented("04FFFFFFFFFFFF", NONCE), 0.0)
    assert state.phase == Refused(Refusal.UNKNOWN_BADGE)
    assert records(commands) == [(EventType.BADGE_REFUSED, {"reason": Refusal.UNKNOWN_BADGE})]
    assert not any(isinstance(c, Challenge) for c in commands)


def test_a_card_without_a_uid_is_refused():
    state, commands = step(auth(), CardPresented(None, NONCE), 0.0)
    assert state.phase == Refused(Refusal.NO_UID)
    assert records(commands) == [(EventType.BADGE_REFUSED, {"reason": Refusal.NO_UID})]


def test_a_legacy_badge_is_refused_on_its_uid_while_the_legacy_mode_is_off():
    state, commands = step(auth(), CardPresented(LEGACY_UID, NONCE), 0.0)
    assert state.phase == Refused(Refusal.UID_ONLY_DISABLED)
    assert records(commands) == [
        (EventType.BADGE_REFUSED, {"reason": Refusal.UID_ONLY_DISABLED, "badge": "F-0001"})]
    assert auth_health(state.policy).reason == "ok"


def test_the_legacy_mode_lets_a_keyless_badge_to_its_pin_flagged_everywhere():
    state, commands = step(auth(legacy_uid_only=True), CardPresented(LEGACY_UID, NONCE), 0.0)
    assert state.phase == EnteringPin("F-0001", LEGACY_UID, Role.FACILITATOR, uid_only=True)
    assert not any(isinstance(c, Challenge) for c in commands)
    [(event, fields)] = records(commands)
    assert (event, fields) == (EventType.BADGE_UID_ONLY, {"badge": "F-0001"})
    assert commands[0].level == logging.WARNING
    state, commands = run(state, *typed("1590"), now=5.0)
    assert state.phase == SignedIn("F-0001", LEGACY_UID, Role.FACILITATOR, 5.0, uid_only=True)
    assert records(commands)[-1][1]["uid_only"] is True
    health = auth_health(state.policy)
    assert (health.ready, health.reason) == (True, "uid-only-allowed")


def test_the_legacy_mode_does_not_spare_a_keyed_badge_its_challenge():
    _, commands = step(auth(legacy_uid_only=True), CardPresented(UID, NONCE), 0.0)
    assert Challenge(NONCE) in commands


# -- the badge's answer ----------------------------------------------------------------------


def test_the_right_proof_leads_to_the_pin():
    state, _ = step(auth(), CardPresented(UID, NONCE), 0.0)
    state, commands = step(state, proved(), 0.1)
    assert state.phase == EnteringPin("F-0012", UID, Role.FACILITATOR)
    assert records(commands) == [(EventType.BADGE_PROVED, {"badge": "F-0012"})]
    assert state.signed_in is None


@pytest.mark.parametrize(("answer", "refusal"), [
    (ChallengeAnswer(ChallengeStatus.ANSWERED, UID, badge_proof(TECH_KEY, NONCE)),
     Refusal.WRONG_PROOF),
    (ChallengeAnswer(ChallengeStatus.ANSWERED, UID, b""), Refusal.WRONG_PROOF),
    (ChallengeAnswer(ChallengeStatus.ANSWERED, TECH_UID, badge_proof(KEY, NONCE)),
     Refusal.UID_MISMATCH),
    (ChallengeAnswer(ChallengeStatus.ANSWERED, None, badge_proof(KEY, NONCE)),
     Refusal.UID_MISMATCH),
    (ChallengeAnswer(ChallengeStatus.NO_APPLICATION, UID), Refusal.NOT_A_BADGE),
    (ChallengeAnswer(ChallengeStatus.DECLINED, UID), Refusal.NO_PROOF),
    (ChallengeAnswer(ChallengeStatus.NO_CARD), Refusal.READ_FAILED),
    (ChallengeAnswer(ChallengeStatus.READER_FAILED), Refusal.READ_FAILED),
], ids=["wrong-key", "empty", "other-uid", "no-uid", "plain-card", "no-key", "gone", "reader"])
def test_a_card_that_does_not_prove_the_key_of_its_uid_is_refused(answer, refusal):
    state, _ = step(auth(), CardPresented(UID, NONCE), 0.0)
    state, commands = step(state, ChallengeAnswered(NONCE, answer), 0.1)
    assert state.phase == Refused(refusal)
    assert records(commands) == [(EventType.BADGE_REFUSED, {"reason": refusal, "badge": "F-0012"})]
    assert state.signed_in is None


def test_a_recorded_answer_to_an_earlier_challenge_is_refused():
    state, _ = step(auth(), CardPresented(UID, NONCE), 0.0)
    replayed = ChallengeAnswer(ChallengeStatus.ANSWERED, UID, badge_proof(KEY, OTHER_NONCE))
    state, _ = step(state, ChallengeAnswered(NONCE, replayed), 0.1)
    assert state.phase == Refused(Refusal.WRONG_PROOF)


def test_an_answer_to_a_challenge_no_longer_awaited_changes_nothing():
    challenged, _ = step(auth(), CardPresented(UID, NONCE), 0.0)
    assert step(challenged, proved(nonce=OTHER_NONCE), 0.1) == (challenged, ())
    idle = auth()
    assert step(idle, proved(), 0.1) == (idle, ())
    pin = at_pin()
    assert step(pin, proved(), 0.2) == (pin, ())


# -- the PIN ---------------------------------------------------------------------------------


def test_digits_are_counted_capped_at_eight_and_erased_without_a_record():
    state, commands = run(at_pin(), *(PinDigit(d) for d in "123456789"), PinDigit("x"),
                          PinDigit("12"), PinErase())
    assert isinstance(state.phase, EnteringPin)
    assert state.phase.typed == 7
    assert commands == []
    assert "1234567" not in repr(state) and "1234567" not in repr(state.phase)


def test_a_pin_too_short_is_not_checked_and_not_counted():
    state, commands = run(at_pin(), PinDigit("4"), PinDigit("8"), PinSubmit())
    assert state.phase == EnteringPin("F-0012", UID, Role.FACILITATOR, digits="48",
                                      error=PinError.TOO_SHORT)
    assert commands == []
    assert attempts_left(state, "F-0012") == MAX_PIN_FAILURES
    state, _ = run(state, PinDigit("2"))
    assert state.phase.error is None


def test_the_right_pin_signs_the_badge_holder_in_with_their_role():
    state, commands = run(at_pin(), *typed(PIN), now=42.0)
    assert state.phase == SignedIn("F-0012", UID, Role.FACILITATOR, since=42.0)
    assert state.signed_in is state.phase
    assert records(commands) == [(EventType.BADGE_SIGNED_IN, {
        "badge": "F-0012", "role": Role.FACILITATOR, "uid_only": False})]


def test_a_technician_badge_signs_in_as_technician():
    state, _ = run(auth(), CardPresented(TECH_UID, NONCE), proved(TECH_UID, TECH_KEY),
                   *typed("73194"))
    assert state.signed_in is not None and state.signed_in.role is Role.TECHNICIAN


def test_a_wrong_pin_is_counted_and_the_pad_cleared():
    state, commands = run(at_pin(), *typed("1111"))
    assert state.phase == EnteringPin("F-0012", UID, Role.FACILITATOR, error=PinError.WRONG)
    assert state.strikes == {"F-0012": Strikes(failures=1)}
    assert attempts_left(state, "F-0012") == 4
    assert records(commands) == [(EventType.BADGE_PIN_FAILED, {"badge": "F-0012", "failures": 1})]


def test_five_wrong_pins_lock_the_badge_out_for_the_configured_time():
    state, commands = run(at_pin(), *typed("1111") * 4, now=100.0)
    assert isinstance(state.phase, EnteringPin)
    state, commands = run(state, *typed("2222"), now=130.0)
    assert state.phase == LockedOut("F-0012", until=130.0 + LOCKOUT_S)
    assert records(commands) == [
        (EventType.BADGE_LOCKED_OUT, {"badge": "F-0012", "seconds": LOCKOUT_S})]
    # Locked out, the right PIN does nothing: the pad is gone.
    after, commands = run(state, *typed(PIN), now=131.0)
    assert (after, commands) == (state, [])


def test_the_lock_out_outlives_the_badge_and_ends_on_time():
    locked, _ = run(at_pin(), *typed("1111") * MAX_PIN_FAILURES, now=100.0)
    until = 100.0 + LOCKOUT_S
    away, commands = run(locked, CardRemoved(), now=101.0)
    assert away.phase == NoBadge()
    # Back before the end: the badge proves itself, and is still locked out.
    back, commands = run(away, CardPresented(UID, NONCE), proved(), now=until - 0.5)
    assert back.phase == LockedOut("F-0012", until)
    assert records(commands)[-1] == (EventType.BADGE_REFUSED, {
        "badge": "F-0012", "reason": "locked-out", "remaining_s": 1})
    # Back at the end: the PIN again, with every attempt.
    back, _ = run(back, CardRemoved(), CardPresented(UID, NONCE), proved(), now=until)
    assert back.phase == EnteringPin("F-0012", UID, Role.FACILITATOR)
    assert back.strikes == {}
    assert attempts_left(back, "F-0012") == MAX_PIN_FAILURES


def test_pulling_the_badge_does_not_reset_the_count_of_wrong_pins():
    state, _ = run(at_pin(), *typed("1111") * 3)
    state, _ = run(state, CardRemoved(), CardPresented(UID, NONCE), proved())
    assert attempts_left(state, "F-0012") == 2
    state, _ = run(state, *typed("1111") * 2, now=7.0)
    assert state.phase == LockedOut("F-0012", 7.0 + LOCKOUT_S)


def test_the_right_pin_clears_the_wrong_ones():
    state, _ = run(at_pin(), *typed("1111") * 4, *typed(PIN))
    assert state.signed_in is not None
    assert state.strikes == {}


def test_one_badge_locked_out_leaves_the_others_alone():
    state, _ = run(at_pin(), *typed("1111") * MAX_PIN_FAILURES, CardRemoved())
    state, _ = run(state, CardPresented(TECH_UID, NONCE), proved(TECH_UID, TECH_KEY),
                   *typed("73194"), now=1.0)
    assert state.signed_in is not None and state.signed_in.badge_id == "T-0003"


def test_pin_keys_outside_the_pin_phase_change_nothing():
    for state in (auth(), step(auth(), CardPresented(UID, NONCE), 0.0)[0],
                  run(at_pin(), *typed(PIN))[0]):
        assert run(state, *typed("1234"), PinErase()) == (state, [])


# -- taking the badge off, signing out -------------------------------------------------------


def test_pulling_the_badge_during_the_pin_drops_the_pin_and_authenticates_nobody():
    state, _ = run(at_pin(), PinDigit("4"), PinDigit("8"))
    state, commands = step(state, CardRemoved(), 1.0)
    assert state == BadgeAuth(state.policy, NoBadge(), {})
    assert state.signed_in is None
    assert records(commands) == [(EventType.BADGE_ENDED, {
        "badge": "F-0012", "during": "pin", "reason": EndReason.REMOVED})]


@pytest.mark.parametrize("phase", ["challenge", "refused", "locked-out", "signed-in"])
def test_pulling_the_badge_ends_every_phase(phase):
    setups = {
        "challenge": [CardPresented(UID, NONCE)],
        "refused": [CardPresented("04FFFFFFFFFFFF", NONCE)],
        "locked-out": [CardPresented(UID, NONCE), proved(), *typed("1111") * MAX_PIN_FAILURES],
        "signed-in": [CardPresented(UID, NONCE), proved(), *typed(PIN)],
    }
    state, _ = run(auth(), *setups[phase])
    assert state.phase.name == phase
    state, commands = step(state, CardRemoved(), 1.0)
    assert state.phase == NoBadge()
    [(event, fields)] = records(commands)
    assert (event, fields["during"], fields["reason"]) == (
        EventType.BADGE_ENDED, phase, EndReason.REMOVED)


def test_removal_with_no_badge_changes_nothing():
    state = auth()
    assert step(state, CardRemoved(), 0.0) == (state, ())


@pytest.mark.parametrize("reason", [EndReason.ASKED, EndReason.IDLE])
def test_signing_out_ends_the_turn_with_the_badge_on_the_reader(reason):
    state, _ = run(at_pin(), *typed(PIN))
    state, commands = step(state, SignOut(reason), 9.0)
    assert state.phase == NoBadge() and state.signed_in is None
    assert records(commands) == [(EventType.BADGE_ENDED, {
        "badge": "F-0012", "during": "signed-in", "reason": reason})]
    # The badge still on the reader opens nothing until it is presented again.
    assert run(state, *typed(PIN)) == (state, [])


def test_signing_out_cancels_a_pin_and_means_nothing_elsewhere():
    state, _ = run(at_pin(), PinDigit("1"), SignOut())
    assert state.phase == NoBadge()
    refused, _ = step(auth(), CardPresented(None, NONCE), 0.0)
    assert step(refused, SignOut(), 1.0) == (refused, ())


def test_another_card_without_a_removal_in_between_ends_the_first_ones_turn():
    state, _ = run(at_pin(), *typed(PIN))
    state, commands = step(state, CardPresented(TECH_UID, OTHER_NONCE), 3.0)
    assert state.phase == Challenging("T-0003", TECH_UID, OTHER_NONCE)
    assert records(commands) == [
        (EventType.BADGE_ENDED, {"badge": "F-0012", "during": "signed-in",
                                 "reason": EndReason.CARD_CHANGED}),
        (EventType.BADGE_CHALLENGED, {"badge": "T-0003"})]


# -- what is recorded ------------------------------------------------------------------------


def test_no_record_and_no_repr_holds_a_uid_a_key_a_nonce_or_a_pin():
    state, commands = run(
        auth(legacy_uid_only=True),
        CardPresented("04FFFFFFFFFFFF", NONCE), CardRemoved(),
        CardPresented(UID, NONCE), proved(), *typed("9999"), *typed(PIN), SignOut(),
        CardRemoved(), CardPresented(LEGACY_UID, NONCE), *typed("1590"), CardRemoved(),
        CardPresented(UID, OTHER_NONCE), proved(nonce=OTHER_NONCE), *typed("0000") * 5)
    lines = [format_event(c.event, dict(c.fields)) for c in commands if isinstance(c, Record)]
    assert len(lines) >= 12
    secrets = [UID, LEGACY_UID, "04FFFFFFFFFFFF", KEY.hex(), NONCE.hex(), PIN, "1590", "9999",
               "0000"]
    for text in [*lines, repr(state), repr(commands)]:
        for secret in secrets:
            assert secret.lower() not in text.lower(), (secret, text)
    assert not any("redacted" in line for line in lines), lines
