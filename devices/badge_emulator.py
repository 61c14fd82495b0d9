"""A staff badge on pcscd's vpcd virtual reader, for the tests and the demo.

    python -m devices.badge_emulator --uid 04A1B2C3D4E5F6 --key <64 hex digits>  enrolled badge
    python -m devices.badge_emulator --uid 04A1B2C3D4E5F6 --key <another key>    clone, wrong key
    python -m devices.badge_emulator --uid 04A1B2C3D4E5F6 --no-key     clone: application, no key
    python -m devices.badge_emulator --uid 04A1B2C3D4E5F6 --plain      plain card: a UID only

It speaks vsmartcard's vpcd protocol: TCP to the reader's port (35963 for the first vpcd
reader), every message a 2-byte big-endian length then its payload. A 1-byte payload is a
control message (0 power off, 1 power on, 2 reset, 4 send the ATR); anything longer is a
command APDU, answered with the response APDU. Connected means the card is on the reader;
closing the connection takes it away. While nothing listens (pcscd stopped), the card waits and
connects again when the reader comes back, as a badge left on a reader would. SIGTERM takes it
off the reader and ends the process.

It answers the APDUs of devices/badge_apdu.py, like a badge of docs/badges.md would. Its keys are
test keys: a key on a command line is visible to every user of the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import sys
import threading
from dataclasses import dataclass, field
from types import FrameType

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
    SW_WRONG_P1P2,
    Response,
)
from kiosk.core.badges import KEY_BYTES, NONCE_BYTES, UID_PATTERN, badge_proof

VPCD_PORT = 35963
"""vsmartcard-vpcd's first reader listens here (its reader.conf: CHANNELID 0x8C7B)."""

POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4
"""vpcd's control messages (vsmartcard, vpcd/vpcd.h)."""

RECONNECT_S = 0.1
"""Pause between two attempts to reach a reader that is not there."""

MIFARE_HISTORICAL = bytes.fromhex("804F0CA00000030603000100000000")
"""PC/SC Part 3 §3.1.3.2.3.1: the historical bytes of a MIFARE Classic 1K storage card."""
BADGE_HISTORICAL = b"KIOSKBDG"
"""The badge's historical bytes (from its ATS, PC/SC Part 3 §3.1.3.2.3.2)."""


def contactless_atr(historical: bytes) -> bytes:
    """The ATR a PC/SC contactless reader builds for a card (PC/SC Part 3 §3.1.3.2.3):
    3B 8n 80 01 <n historical bytes> TCK, TCK the XOR of every byte after 3B."""
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    check = 0
    for byte in body:
        check ^= byte
    return b"\x3b" + body + bytes([check])


@dataclass
class EmulatedCard:
    """The card's side of the protocol: a UID, and a badge application holding a key or not."""

    uid: bytes
    application: bool
    key: bytes | None = field(default=None, repr=False)
    selected: bool = False

    @property
    def atr(self) -> bytes:
        """A badge's ATR, or a MIFARE Classic's for a plain card."""
        return contactless_atr(BADGE_HISTORICAL if self.application else MIFARE_HISTORICAL)

    def power(self, control: int) -> None:
        """Power off, on or reset: the application is no longer selected."""
        if control in (POWER_OFF, POWER_ON, RESET):
            self.selected = False

    def answer(self, apdu: bytes) -> bytes:
        """The response APDU to a command APDU."""
        return self._answer(apdu).to_bytes()

    def _answer(self, apdu: bytes) -> Response:
        if len(apdu) < 4:
            return Response(b"", SW_WRONG_LENGTH)
        if apdu == GET_UID:
            return Response(self.uid, SW_OK)
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[5:5 + apdu[4]] if len(apdu) > 5 else b""
        if cla != 0x00:
            return Response(b"", SW_CLA_UNKNOWN)
        if ins == 0xA4:
            return self._select(p1, p2, body)
        if ins == 0x88 and self.application:
            return self._authenticate(p1, p2, body)
        return Response(b"", SW_INS_UNKNOWN)

    def _select(self, p1: int, p2: int, aid: bytes) -> Response:
        self.selected = False
        if (p1, p2) != (0x04, 0x0C):
            return Response(b"", SW_WRONG_P1P2)
        if not self.application or aid != BADGE_AID:
            return Response(b"", SW_FILE_NOT_FOUND)
        self.selected = True
        return Response(b"", SW_OK)

    def _authenticate(self, p1: int, p2: int, nonce: bytes) -> Response:
        if not self.selected:
            return Response(b"", SW_CONDITIONS)
        if (p1, p2) != (0x00, 0x00):
            return Response(b"", SW_WRONG_P1P2)
        if len(nonce) != NONCE_BYTES:
            return Response(b"", SW_WRONG_LENGTH)
        if self.key is None:
            return Response(b"", SW_DATA_NOT_FOUND)
        return Response(badge_proof(self.key, nonce), SW_OK)


def _receive(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(len(payload).to_bytes(2, "big") + payload)


def serve_once(card: EmulatedCard, sock: socket.socket) -> None:
    """Answer the reader until it hangs up (pcscd stopped) or the socket is closed."""
    while True:
        header = _receive(sock, 2)
        if header is None:
            return
        payload = _receive(sock, int.from_bytes(header, "big"))
        if payload is None:
            return
        if len(payload) == 1:
            if payload[0] == GET_ATR:
                _send(sock, card.atr)
            else:
                card.power(payload[0])
            continue
        _send(sock, card.answer(payload))


def run(card: EmulatedCard, host: str, port: int, stop: threading.Event) -> None:
    """Keep the card on the reader until `stop` is set, reconnecting while it is away."""
    while not stop.is_set():
        try:
            sock = socket.create_connection((host, port), timeout=1)
        except OSError:
            stop.wait(RECONNECT_S)
            continue
        sock.settimeout(None)
        card.power(POWER_OFF)
        with contextlib.suppress(OSError), sock:
            serve_once(card, sock)
        stop.wait(RECONNECT_S)


def _hex(value: str, what: str, sizes: tuple[int, ...]) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what}: not hexadecimal") from None
    if len(raw) not in sizes:
        raise argparse.ArgumentTypeError(
            f"{what}: {len(raw)} bytes; expected {' or '.join(map(str, sizes))}")
    return raw


def _uid(value: str) -> bytes:
    raw = _hex(value, "--uid", (4, 7, 10))
    if not UID_PATTERN.fullmatch(raw.hex().upper()):
        raise argparse.ArgumentTypeError("--uid: not a contactless UID")
    return raw


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devices.badge_emulator",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--uid", required=True, type=_uid,
                        help="the card's UID: 4, 7 or 10 bytes in hex")
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--key", type=lambda v: _hex(v, "--key", (KEY_BYTES,)),
                      help=f"the badge's key, {KEY_BYTES} bytes in hex")
    kind.add_argument("--no-key", action="store_true",
                      help="the badge application without a key (a clone of the UID)")
    kind.add_argument("--plain", action="store_true",
                      help="no badge application: a plain contactless card")
    parser.add_argument("--host", default="127.0.0.1", help="vpcd's host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=VPCD_PORT,
                        help=f"vpcd's port (default {VPCD_PORT}, the first virtual reader)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Put the card on the reader until SIGTERM or SIGINT."""
    args = _parser().parse_args(argv)
    card = EmulatedCard(uid=args.uid, application=not args.plain, key=args.key)
    stop = threading.Event()

    def take_away(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, take_away)
    signal.signal(signal.SIGINT, take_away)
    worker = threading.Thread(target=run, args=(card, args.host, args.port, stop), daemon=True)
    worker.start()
    while worker.is_alive() and not stop.is_set():
        stop.wait(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
