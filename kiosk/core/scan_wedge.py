"""Telling a scan from typing when the scanner is an ordinary keyboard ("keyboard wedge").

Many scanners can only present themselves as a USB keyboard: a scan arrives as key presses,
mixed with what a person types on the desk keyboard. What tells them apart is speed. A scanner
sends its keys a few milliseconds apart and ends with Enter; a person leaves 100 ms or more
between keys. So every printable key is held back for a moment: if the next key follows fast
enough, the burst may still be a scan; if a pause comes first, the held keys were typing and
are handed back, in their order, to be passed on. A fast burst of at least `min_chars` keys
ending with Enter, that began after a quiet moment, is a scan.

Pure logic: no Kivy, no clock of its own (every key comes with its time), so it is tested with
exact timings. devices/wedge_scanner.py puts it behind the `Scanner` port.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.settings.scan_timing import MAX_SCAN_GAP_S, MIN_SCAN_CHARS

ENTER = "\r"
"""What the shell feeds for the Enter key."""
ENTER_KEYS = frozenset({"\r", "\n"})
"""A scanner's suffix is CR (the factory setting) or LF; either ends a scan."""

MIN_QUIET_S = 0.25
"""A scan begins after at least this long without a key. Presenting a code to the scanner
after typing takes longer, and so does a second read (scanners wait 0.5 s or more before
reading the same code again: their "reread delay"). The tail of a scan cut by a short stall
comes sooner: it is passed on as typing, after the head, rather than taken for a code of its
own (a truncated number looked up as if it were whole)."""

MAX_SCAN_CHARS = 7089
"""Longest code a scanner can send: a version 40 QR code holds 7089 digits (ISO/IEC 18004,
Table 7). A longer fast burst is not a scan (a key held down and repeating)."""


@dataclass(frozen=True)
class Typing:
    """Keys to pass on now as typing, in the order they came; empty: nothing to pass yet."""

    keys: str = ""


@dataclass(frozen=True)
class Scan:
    """The keys were a scan: the code, without its Enter."""

    code: str


Verdict = Typing | Scan


class WedgeDiscriminator:
    """Fed every printable key and Enter with its time, answers what to do with them.

    A printable key is always held first (whether it starts a scan is not known yet); it comes
    back in a later `Typing` when a pause, a slow key, another kind of key (`flush`) or an Enter
    after too few keys shows it was typed.
    """

    def __init__(self, max_gap_s: float = MAX_SCAN_GAP_S, min_chars: int = MIN_SCAN_CHARS,
                 max_chars: int = MAX_SCAN_CHARS, min_quiet_s: float = MIN_QUIET_S) -> None:
        if not 0 < max_gap_s < min_quiet_s or not 1 <= min_chars <= max_chars:
            raise ValueError("need 0 < max_gap_s < min_quiet_s and 1 <= min_chars <= max_chars")
        self.max_gap_s = max_gap_s
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.min_quiet_s = min_quiet_s
        self._held: list[str] = []
        self._last = -math.inf
        self._quiet_before = math.inf  # the pause before the first held key

    @property
    def holding(self) -> bool:
        """Whether keys are held, waiting for the verdict."""
        return bool(self._held)

    def key(self, char: str, t: float) -> Verdict:
        """One key: a single printable character, or Enter ("\\r" or "\\n"), pressed at `t`
        seconds (any monotonic clock). For Enter the answer is final: `Scan`, or `Typing`
        holding the held keys then the Enter itself. For a printable key it is the keys an
        earlier pause released (often none); the key itself is held."""
        if len(char) != 1:
            raise ValueError("feed one character at a time")
        released = self._take() if self._held and self._paused(t) else ""
        quiet, self._last = t - self._last, t
        if char in ENTER_KEYS:
            if len(self._held) >= self.min_chars and self._quiet_before >= self.min_quiet_s:
                return Scan(self._take())
            return Typing(released + self._take() + char)
        if len(self._held) >= self.max_chars:
            released += self._take()
        if not self._held:
            self._quiet_before = quiet
        self._held.append(char)
        return Typing(released)

    def pause(self, t: float) -> Typing:
        """Held keys whose burst is over at `t` (no key for longer than the scan gap): they were
        typing. Call it often (every frame) so that typed keys appear without a visible delay."""
        if self._held and self._paused(t):
            return Typing(self._take())
        return Typing()

    def flush(self, t: float | None = None) -> Typing:
        """Every held key, now: another kind of key came (Backspace, Tab, an arrow) at `t`,
        which no scan contains, and what was held must reach the screen before it."""
        if t is not None:
            self._last = t
        return Typing(self._take())

    def _paused(self, t: float) -> bool:
        # A clock that went backwards cannot prove a fast burst: treat it as a pause.
        return t - self._last > self.max_gap_s or t < self._last

    def _take(self) -> str:
        keys = "".join(self._held)
        self._held.clear()
        return keys
