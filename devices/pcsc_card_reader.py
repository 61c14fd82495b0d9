"""The real badge reader: a PC/SC reader through pcscd, driven with pyscard, behind the
`CardReader` port.

What users of such readers complain about (docs/architecture.md, "What appliances like this
get wrong"): a reader "not found" until it is replugged, and card monitors that die silently
when pcscd restarts. So a thread of this
driver follows the reader with SCardGetStatusChange on a PC/SC context of its own and starts
over on any failure of that context: pcscd stopped or restarted (the context is established
again every `RETRY_S` until pcscd answers), the reader unplugged (it is looked for again every
`RETRY_S`, and at once when pcscd announces a new reader), the reader back. A card that was on
the reader when the reader or pcscd went away is reported removed: nobody can tell whether the
card that is there when it comes back is the same one.

The reader is chosen by name (`devices.card_reader.reader`): the reader of exactly that name,
or else the first, in pcscd's order, whose name begins with it (pcscd appends " 00 00"-style
numbers that depend on the order readers were plugged in).

Nothing physical raises: `health()` says what is wrong ("pcsc-unavailable", "reader-absent"),
`read_event()` reports insertions and removals, `challenge()` returns a ChallengeAnswer whose
status says what went wrong. Only a configuration error (no reader name) raises, when the
driver is built.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any

from smartcard import scard

from devices.badge_apdu import (
    GET_UID,
    MAX_GET_RESPONSE,
    SW_BYTES_REMAINING,
    Response,
    get_response,
    internal_authenticate,
    is_proof,
    parse_response,
    select_badge,
    uid_hex,
)
from kiosk.core.devices import (
    UNKNOWN_HEALTH,
    Card,
    CardEvent,
    CardEventKind,
    ChallengeAnswer,
    ChallengeStatus,
    DeviceHealth,
)
from kiosk.core.events import EventType, Ident, record

PCSC_UNAVAILABLE = "pcsc-unavailable"
READER_ABSENT = "reader-absent"
READY = DeviceHealth(ready=True, reason="ok")

RETRY_S = 0.25
"""Pause between two attempts to reach pcscd or to find the reader: a badge put on a reader
that came back is seen well within a second."""
WAIT_MS = 2000
"""Longest single wait for a change on the reader; `stop()` cancels it sooner."""
MAX_EVENTS = 64
"""Insertions and removals kept for `read_event`; older ones go if nobody reads them."""

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
"""The pseudo-reader whose state changes when a reader is plugged or unplugged (PC/SC Part 5,
pcsc-lite's SCardGetStatusChange)."""
_READER_GONE = scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE | scard.SCARD_STATE_IGNORE
_CARD_GONE_CODES = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD})
_PROTOCOLS = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1


class PcscConfigError(ValueError):
    """The driver cannot be built as configured."""


class _ReaderGoneError(Exception):
    """The reader went away; pcscd still answers."""


class _ServiceLostError(Exception):
    """pcscd stopped answering on this context (or `stop()` cancelled the wait)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"PC/SC error 0x{code:08X}")
        self.code = code


def pick_reader(readers: list[str], wanted: str) -> str | None:
    """The reader named `wanted`, or else the first whose name begins with it."""
    if wanted in readers:
        return wanted
    return next((name for name in readers if name.startswith(wanted)), None)


class PcscCardReader:
    """The `CardReader` port over PC/SC. `start()` begins following the reader."""

    def __init__(self, reader: str) -> None:
        if not reader.strip():
            raise PcscConfigError("devices.card_reader.reader: the reader's name is empty")
        self._wanted = reader
        self._lock = threading.Lock()
        self._health = UNKNOWN_HEALTH
        self._reader: str | None = None
        self._card: Card | None = None
        self._events: deque[CardEvent] = deque(maxlen=MAX_EVENTS)
        self._context: Any = None
        self._stop = threading.Event()
        self._exchange = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)

    # -- the port ------------------------------------------------------------------------

    def health(self) -> DeviceHealth:
        """Ready while pcscd answers and lists the configured reader."""
        with self._lock:
            return self._health

    def card(self) -> Card | None:
        """The card on the reader, as last seen by the monitor."""
        with self._lock:
            return self._card

    def read_event(self) -> CardEvent | None:
        """The next insertion or removal not yet read."""
        with self._lock:
            return self._events.popleft() if self._events else None

    def challenge(self, nonce: bytes) -> ChallengeAnswer:
        """SELECT the badge application and ask it for INTERNAL AUTHENTICATE over `nonce`,
        on a PC/SC context of this call's own, in one transaction that also reads the UID."""
        with self._lock:
            reader = self._reader
        if reader is None:
            return ChallengeAnswer(ChallengeStatus.READER_FAILED)
        with self._exchange:
            try:
                return _challenge(reader, nonce)
            except Exception as err:  # a pyscard surprise must not reach the caller
                record(EventType.CARD_READER_ERROR, logging.ERROR, error=type(err).__name__)
                return ChallengeAnswer(ChallengeStatus.READER_FAILED)

    # -- the monitor ---------------------------------------------------------------------

    def start(self) -> None:
        """Begin following the reader, on a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop following the reader; returns when the thread has ended."""
        self._stop.set()
        with self._lock:
            context = self._context
        if context is not None:
            scard.SCardCancel(context)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        lost_code: int | None = None
        while not self._stop.is_set():
            code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if code != scard.SCARD_S_SUCCESS:
                if lost_code is None:
                    lost_code = code
                    record(EventType.CARD_SERVICE_LOST, logging.WARNING, code=_hex(code))
                self._lose(PCSC_UNAVAILABLE)
                self._stop.wait(RETRY_S)
                continue
            if lost_code is not None:
                lost_code = None
                record(EventType.CARD_SERVICE_BACK)
            with self._lock:
                self._context = context
            try:
                self._watch(context)
            except _ServiceLostError as lost:
                if not self._stop.is_set():
                    lost_code = lost.code
                    record(EventType.CARD_SERVICE_LOST, logging.WARNING, code=_hex(lost.code))
                    self._lose(PCSC_UNAVAILABLE)
                    self._stop.wait(RETRY_S)  # an error that persists must not spin
            except Exception as err:  # a bug here must not end the monitor for good
                lost_code = -1
                record(EventType.CARD_READER_ERROR, logging.ERROR, error=type(err).__name__)
                self._lose(PCSC_UNAVAILABLE)
                self._stop.wait(RETRY_S)
            finally:
                with self._lock:
                    self._context = None
                scard.SCardReleaseContext(context)

    def _watch(self, context: Any) -> None:
        """Follow the reader on `context` until pcscd is lost (raises _ServiceLostError)."""
        pnp_state = scard.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            reader = self._find(context)
            if reader is None:
                self._lose(READER_ABSENT)
                pnp_state = self._wait_for_readers(context, pnp_state)
                continue
            with self._lock:
                self._reader = reader
                self._health = READY
            try:
                self._follow(context, reader)
            except _ReaderGoneError:
                self._lose(READER_ABSENT)

    def _find(self, context: Any) -> str | None:
        code, readers = scard.SCardListReaders(context, [])
        if code == scard.SCARD_E_NO_READERS_AVAILABLE:
            return None
        _check(code)
        return pick_reader(list(readers), self._wanted)

    def _wait_for_readers(self, context: Any, pnp_state: int) -> int:
        """Until pcscd announces a change of readers, or RETRY_S, whichever comes first."""
        code, states = scard.SCardGetStatusChange(
            context, int(RETRY_S * 1000), [(PNP_NOTIFICATION, pnp_state)])
        if code == scard.SCARD_E_TIMEOUT:
            return pnp_state
        _check(code)
        return int(states[0][1]) & ~scard.SCARD_STATE_CHANGED

    def _follow(self, context: Any, reader: str) -> None:
        """Report the cards put on and taken off `reader` until it goes (_ReaderGoneError)."""
        known = scard.SCARD_STATE_UNAWARE
        counter: int | None = None
        while not self._stop.is_set():
            code, states = scard.SCardGetStatusChange(context, WAIT_MS, [(reader, known)])
            if code == scard.SCARD_E_TIMEOUT:
                continue
            if code in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
                raise _ReaderGoneError
            _check(code)
            state = int(states[0][1])
            if state & _READER_GONE:
                raise _ReaderGoneError
            # The high 16 bits count insertions and removals: a card taken off and put back
            # between two waits changes the count, not the presence.
            now_counter = state >> 16
            present = bool(state & scard.SCARD_STATE_PRESENT)
            with self._lock:
                had_card = self._card is not None
            if had_card and (not present or now_counter != counter):
                self._remove()
            if present and (not had_card or now_counter != counter):
                card = self._read_card(context, reader, mute=bool(state & scard.SCARD_STATE_MUTE))
                if card is not None:
                    self._insert(card)
            counter = now_counter
            known = state & ~scard.SCARD_STATE_CHANGED

    def _read_card(self, context: Any, reader: str, *, mute: bool) -> Card | None:
        """The card just put on the reader, with its UID if it gives one; None if it has
        already gone again."""
        if mute:
            return Card(uid=None)
        code, handle, protocol = scard.SCardConnect(context, reader, scard.SCARD_SHARE_SHARED,
                                                    _PROTOCOLS)
        if code != scard.SCARD_S_SUCCESS:
            return None if code in _CARD_GONE_CODES else Card(uid=None)
        try:
            return Card(uid=uid_hex(_transmit(handle, protocol, GET_UID)))
        except _ExchangeError as failed:
            return None if failed.status is ChallengeStatus.NO_CARD else Card(uid=None)
        finally:
            scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)

    def _insert(self, card: Card) -> None:
        with self._lock:
            self._card = card
            self._events.append(CardEvent(CardEventKind.INSERTED, card))

    def _remove(self) -> None:
        with self._lock:
            if self._card is not None:
                self._card = None
                self._events.append(CardEvent(CardEventKind.REMOVED))

    def _lose(self, reason: str) -> None:
        """The reader is not usable: a card on it counts as removed."""
        self._remove()
        with self._lock:
            self._reader = None
            self._health = DeviceHealth(ready=False, reason=reason)


def _hex(code: int) -> Ident:
    """A PC/SC return code as it is written in pcsclite.h (0x8010001D: SCARD_E_NO_SERVICE)."""
    return Ident(f"0x{code & 0xFFFFFFFF:08X}")


def _check(code: int) -> None:
    if code != scard.SCARD_S_SUCCESS:
        raise _ServiceLostError(code)


class _ExchangeError(Exception):
    """An exchange with the card failed; `status` says how."""

    def __init__(self, status: ChallengeStatus) -> None:
        super().__init__(status.value)
        self.status = status


def _failure(code: int) -> _ExchangeError:
    gone = code in _CARD_GONE_CODES
    return _ExchangeError(ChallengeStatus.NO_CARD if gone else ChallengeStatus.READER_FAILED)


def _transmit(handle: Any, protocol: int, apdu: bytes) -> Response:
    """Send one APDU and collect its whole answer (GET RESPONSE after 61 xx)."""
    code, raw = scard.SCardTransmit(handle, protocol, list(apdu))
    if code != scard.SCARD_S_SUCCESS:
        raise _failure(code)
    response = parse_response(raw)
    data = response.data
    for _ in range(MAX_GET_RESPONSE):
        if response.sw >> 8 != SW_BYTES_REMAINING:
            break
        code, raw = scard.SCardTransmit(handle, protocol, list(get_response(response.sw & 0xFF)))
        if code != scard.SCARD_S_SUCCESS:
            raise _failure(code)
        response = parse_response(raw)
        data += response.data
    return Response(data, response.sw)


def _challenge(reader: str, nonce: bytes) -> ChallengeAnswer:
    code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if code != scard.SCARD_S_SUCCESS:
        return ChallengeAnswer(ChallengeStatus.READER_FAILED)
    try:
        code, handle, protocol = scard.SCardConnect(context, reader, scard.SCARD_SHARE_SHARED,
                                                    _PROTOCOLS)
        if code != scard.SCARD_S_SUCCESS:
            return ChallengeAnswer(_failure(code).status)
        try:
            code = scard.SCardBeginTransaction(handle)
            if code != scard.SCARD_S_SUCCESS:
                return ChallengeAnswer(_failure(code).status)
            try:
                return _exchange(handle, protocol, nonce)
            except _ExchangeError as failed:
                return ChallengeAnswer(failed.status)
            finally:
                scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
        finally:
            scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
    finally:
        scard.SCardReleaseContext(context)


def _exchange(handle: Any, protocol: int, nonce: bytes) -> ChallengeAnswer:
    """GET UID, SELECT, INTERNAL AUTHENTICATE (devices/badge_apdu.py), inside a transaction:
    no other PC/SC client's APDU comes in between."""
    uid = uid_hex(_transmit(handle, protocol, GET_UID))
    if not _transmit(handle, protocol, select_badge()).ok:
        return ChallengeAnswer(ChallengeStatus.NO_APPLICATION, uid=uid)
    answer = _transmit(handle, protocol, internal_authenticate(nonce))
    if not is_proof(answer):
        return ChallengeAnswer(ChallengeStatus.DECLINED, uid=uid)
    return ChallengeAnswer(ChallengeStatus.ANSWERED, uid=uid, proof=answer.data)
