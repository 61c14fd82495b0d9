"""Unit tests of the badge protocol's APDUs (devices/badge_apdu.py) and of the emulator's card
(devices/badge_emulator.py), including its vpcd framing over a real socket pair. The emulator
on a real pcscd is exercised by tests/integration/test_badges_pcsc.py."""

from __future__ import annotations

import socket
import threading

import pytest

from devices.badge_apdu import (
    BADGE_AID,
    GET_UID,
    SW_CLA_UNKNOWN,
    SW_CONDITIONS,
    SW_DATA_NOT_FOUND,
    SW_FILE_NOT_FOUND,
    SW_INS_UNKNOWN,
    SW_OK,
    SW_WRONG_LENGTH,
    get_response,
    internal_authenticate,
    is_proof,
    parse_response,
    select_badge,
    uid_hex,
)
from devices.badge_emulator import (
    GET_ATR,
    MIFARE_HISTORICAL,
    POWER_ON,
    RESET,
    EmulatedCard,
    contactless_atr,
    main,
    serve_once,
)
from kiosk.core.badges import badge_proof

UID = bytes.fromhex("04A1B2C3D4E5F6")
KEY = bytes(range(32))
NONCE = bytes(range(16, 32))


def answer(card: EmulatedCard, apdu: bytes) -> tuple[bytes, int]:
    response = parse_response(card.answer(apdu))
    return response.data, response.sw


def test_apdus_are_those_of_iso_7816_4_and_pc_sc():
    assert select_badge() == bytes.fromhex("00A4040C0B") + BADGE_AID
    assert BADGE_AID[0] == 0xF0 and 5 <= len(BADGE_AID) <= 16  # ISO/IEC 7816-5 proprietary AID
    assert internal_authenticate(NONCE) == bytes.fromhex("0088000010") + NONCE + b"\x00"
    assert get_response(0x20) == bytes.fromhex("00C0000020")
    assert bytes.fromhex("FFCA000000") == GET_UID
    with pytest.raises(ValueError, match="16 bytes"):
        internal_authenticate(b"short")


def test_responses_are_parsed_into_data_and_status_word():
    response = parse_response([0x04, 0xA1, 0x90, 0x00])
    assert (response.data, response.sw, response.ok) == (b"\x04\xa1", SW_OK, True)
    assert uid_hex(response) == "04A1"
    assert uid_hex(parse_response(b"\x6a\x82")) is None
    assert parse_response(b"\x90").sw == 0  # too short to be a response
    assert is_proof(parse_response(bytes(32) + b"\x90\x00"))
    assert not is_proof(parse_response(bytes(31) + b"\x90\x00"))


def test_the_plain_card_atr_is_the_pc_sc_atr_of_a_mifare_classic():
    # PC/SC Part 3 §3.1.3.2.3.1, the ATR a contactless reader builds for a MIFARE Classic 1K.
    assert contactless_atr(MIFARE_HISTORICAL) == bytes.fromhex(
        "3B8F8001804F0CA000000306030001000000006A")
    badge = EmulatedCard(UID, application=True, key=KEY)
    assert badge.atr[:4] == bytes.fromhex("3B888001")


def test_an_enrolled_badge_answers_the_challenge_with_its_key():
    card = EmulatedCard(UID, application=True, key=KEY)
    assert answer(card, GET_UID) == (UID, SW_OK)
    assert answer(card, internal_authenticate(NONCE)) == (b"", SW_CONDITIONS)  # not selected
    assert answer(card, select_badge()) == (b"", SW_OK)
    assert answer(card, internal_authenticate(NONCE)) == (badge_proof(KEY, NONCE), SW_OK)
    card.power(RESET)
    assert answer(card, internal_authenticate(NONCE)) == (b"", SW_CONDITIONS)


def test_a_clone_without_a_key_has_the_application_and_no_answer():
    card = EmulatedCard(UID, application=True)
    assert answer(card, select_badge()) == (b"", SW_OK)
    assert answer(card, internal_authenticate(NONCE)) == (b"", SW_DATA_NOT_FOUND)


def test_a_plain_card_gives_its_uid_and_has_no_badge_application():
    card = EmulatedCard(UID, application=False)
    assert answer(card, GET_UID) == (UID, SW_OK)
    assert answer(card, select_badge()) == (b"", SW_FILE_NOT_FOUND)
    assert answer(card, internal_authenticate(NONCE)) == (b"", SW_INS_UNKNOWN)


@pytest.mark.parametrize(("apdu", "sw"), [
    (b"\x00\xa4", SW_WRONG_LENGTH),
    (bytes.fromhex("80A4040C0B") + BADGE_AID, SW_CLA_UNKNOWN),
    (bytes.fromhex("00A4040C03F00102"), SW_FILE_NOT_FOUND),
    (bytes.fromhex("00B0000000"), SW_INS_UNKNOWN),
])
def test_the_badge_refuses_what_it_does_not_know(apdu, sw):
    assert answer(EmulatedCard(UID, application=True, key=KEY), apdu)[1] == sw


def test_a_nonce_of_the_wrong_length_is_refused():
    card = EmulatedCard(UID, application=True, key=KEY)
    answer(card, select_badge())
    assert answer(card, bytes.fromhex("0088000004AABBCCDD00"))[1] == SW_WRONG_LENGTH


def test_vpcd_framing_over_a_socket():
    station, emulator = socket.socketpair()
    card = EmulatedCard(UID, application=True, key=KEY)
    worker = threading.Thread(target=serve_once, args=(card, emulator))
    worker.start()

    def exchange(payload: bytes) -> bytes:
        station.sendall(len(payload).to_bytes(2, "big") + payload)
        size = int.from_bytes(station.recv(2), "big")
        data = b""
        while len(data) < size:
            data += station.recv(size - len(data))
        return data

    try:
        assert exchange(bytes([GET_ATR])) == card.atr
        station.sendall(b"\x00\x01" + bytes([POWER_ON]))  # control messages get no answer
        assert exchange(select_badge()) == b"\x90\x00"
        assert exchange(internal_authenticate(NONCE)) == badge_proof(KEY, NONCE) + b"\x90\x00"
    finally:
        station.close()  # the reader hangs up: the emulator's loop ends
        worker.join(timeout=5)
        emulator.close()
    assert not worker.is_alive()


@pytest.mark.parametrize(("args", "message"), [
    (["--uid", "04A1", "--plain"], "--uid: 2 bytes; expected 4 or 7 or 10"),
    (["--uid", "zz" * 7, "--plain"], "--uid: not hexadecimal"),
    (["--uid", UID.hex(), "--key", "00" * 16], "--key: 16 bytes; expected 32"),
    (["--uid", UID.hex()], "one of the arguments --key --no-key --plain is required"),
])
def test_the_emulator_refuses_a_wrong_command_line(args, message, capsys):
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err
