"""The real scanner as a plain keyboard ("keyboard wedge"), behind the `Scanner` port.

For a scanner that can only be a keyboard, or a station that may not open /dev/input: the
scanner's keys reach the app with the desk keyboard's, and the shell hands every printable key
and Enter to `feed()` before anything else sees it. kiosk/core/scan_wedge.py tells scans from
typing by speed; this class swallows the keys while it decides, gives a scan to `read()`, and
hands keys that were typing back to the shell through the typing sink, in their order, so
that they reach the focused field as if never held.

The shell's side, on the UI thread (kiosk/shell/app.py):

* at start, `scanner.set_typing_sink(deliver)` where `deliver(text)` puts `text` into the
  focused widget as typed text (it must not come back through `feed`);
* for each printable character the window receives as text input, `feed(char, now)`, and for
  the Enter key `feed("\\r", now)`; a True answer means "swallowed: do not pass it on";
* before any other key (Backspace, Tab, arrows, Escape), `interrupt(now)`;
* every frame, `tick(now)`, which releases keys held across a pause.

`now` is one monotonic clock (time.monotonic()) for all calls. Without a typing sink, nothing
can be held: every key passes on and no scan is recognised.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.scanned_codes import CodeQueue
from kiosk.core.devices import DeviceHealth
from kiosk.core.scan_wedge import (
    ENTER_KEYS,
    MAX_SCAN_GAP_S,
    MIN_SCAN_CHARS,
    Scan,
    Typing,
    WedgeDiscriminator,
)

WEDGE_HEALTH = DeviceHealth(ready=True, reason="keyboard-wedge")
"""A scanner that is a keyboard cannot be told from one, so its presence is never known; it
counts as usable (and the settings refuse to make it required)."""


class WedgeScanner:
    """The `Scanner` port fed with the app's key events. UI thread only, except read()."""

    def __init__(self, max_gap_s: float = MAX_SCAN_GAP_S, min_chars: int = MIN_SCAN_CHARS,
                 codes: CodeQueue | None = None) -> None:
        self._discriminator = WedgeDiscriminator(max_gap_s, min_chars)
        self._codes = codes or CodeQueue()
        self._sink: Callable[[str], None] | None = None

    def set_typing_sink(self, sink: Callable[[str], None]) -> None:
        """Where keys that turn out to be typing go: the shell's "type this into the focused
        widget". Keys held so far go there first."""
        self._sink = sink
        self._deliver(self._discriminator.flush())

    def feed(self, char: str, t: float) -> bool:
        """One key from the app: a printable character or Enter, at monotonic time `t`.
        True: the key is swallowed (held for now, or part of a scan). False: pass it on now
        (the typing sink has already received any key held before it)."""
        if self._sink is None:
            return False
        verdict = self._discriminator.key(char, t)
        if isinstance(verdict, Scan):
            self._codes.put(verdict.code)
            return True
        if char in ENTER_KEYS:  # typed Enter: what was held goes first, then Enter itself
            self._deliver(Typing(verdict.keys[:-1]))
            return False
        self._deliver(verdict)
        return True

    def tick(self, t: float) -> None:
        """Release keys held across a pause (call every frame)."""
        self._deliver(self._discriminator.pause(t))

    def interrupt(self, t: float) -> None:
        """Another key is coming at `t` (no scan holds it): release every held key first."""
        self._deliver(self._discriminator.flush(t))

    def health(self) -> DeviceHealth:
        """Always usable: see WEDGE_HEALTH."""
        return WEDGE_HEALTH

    def read(self) -> str | None:
        """The next scanned code not yet read, if any; never blocks."""
        return self._codes.get()

    def _deliver(self, typing: Typing) -> None:
        if typing.keys and self._sink is not None:
            self._sink(typing.keys)
