"""The badge terminal at the station (kiosk/badges/terminal.py), on a thread of its own: it
follows the reader, takes the PIN pad's keys and the sign-outs the core asks for, and hands
each new verdict to the core as a `StaffBadge` (kiosk/core/assist.py). A challenge to the card
(tens of milliseconds) and a PIN check (scrypt, about 50 ms) never run on the UI thread.

The PIN's digits go from the core to this thread's queue and into the terminal's state; they
are never logged, never in the app's state, and dropped with the badge's turn.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from kiosk.badges.terminal import BadgeTerminal, PadKey, fresh_nonce
from kiosk.core.assist import CheckResult, CheckStatus, StaffBadge, staff_of
from kiosk.core.badge_auth import BadgePolicy
from kiosk.core.badges import proof_matches
from kiosk.core.clock import Clock
from kiosk.core.devices import CardReader, ChallengeStatus
from kiosk.core.events import EventType, record

POLL_S = 0.05
"""How often the reader's insertions and removals are taken in: a badge's PIN screen shows
within a frame or two of the reader seeing the badge."""

Deliver = Callable[[StaffBadge], None]


class BadgeDesk:
    """One reader, its terminal and the thread that drives them."""

    def __init__(self, reader: CardReader, terminal: BadgeTerminal, clock: Clock,
                 deliver: Deliver, poll_s: float = POLL_S) -> None:
        self._reader = reader
        self._terminal = terminal
        self._clock = clock
        self._deliver = deliver
        self._poll_s = poll_s
        self._keys: queue.SimpleQueue[PadKey | BadgePolicy | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="badge-desk", daemon=True)
        self._shown: StaffBadge | None = None

    def start(self) -> None:
        """Begin following the reader."""
        self._thread.start()

    def stop(self) -> None:
        """Stop; returns when the thread has ended."""
        self._stop.set()
        self._keys.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def press(self, key: PadKey) -> None:
        """A key of the PIN pad, or a sign-out (from any thread)."""
        self._keys.put(key)

    def use_policy(self, policy: BadgePolicy) -> None:
        """Check badges against `policy` from now on (the badge file changed): the badge on
        the reader, if any, must be presented again (from any thread)."""
        self._keys.put(policy)

    def card_test(self) -> CheckResult:
        """Challenge the badge on the reader once more with a fresh nonce and check its proof
        against the badge file (maintenance's card test, on an effect worker)."""
        started = time.monotonic()
        nonce = fresh_nonce()
        answer = self._reader.challenge(nonce)
        ms = round((time.monotonic() - started) * 1000)
        if answer.status is not ChallengeStatus.ANSWERED:
            return CheckResult(CheckStatus.FAILED, answer.status.value, ms)
        badge = self._terminal.state.policy.badges.get(answer.uid or "")
        if badge is None or badge.key is None or not proof_matches(badge.key, nonce,
                                                                   answer.proof):
            return CheckResult(CheckStatus.FAILED, "wrong-proof", ms)
        return CheckResult(CheckStatus.PASSED, "", ms)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                key = self._keys.get(timeout=self._poll_s)
            except queue.Empty:
                key = None
            try:
                if isinstance(key, BadgePolicy):
                    self._terminal = BadgeTerminal(self._reader, key, self._clock)
                elif key is not None:
                    self._terminal.press(key)
                state = self._terminal.poll()
            except Exception as err:  # a driver's surprise must not end the desk's badges
                record(EventType.CARD_READER_ERROR, logging.ERROR, error=type(err).__name__)
                self._stop.wait(self._poll_s)
                continue
            staff = staff_of(state, self._clock())
            if staff != self._shown:
                self._shown = staff
                self._deliver(staff)
