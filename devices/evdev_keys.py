"""From Linux input events to scanned codes: the struct input_event records read from a
scanner's event node, and the keys in them turned into characters and codes.

A scanner in keyboard mode does not send characters: it sends key positions (HID usages, which
the kernel reports as KEY_* codes), chosen so that a host using the *same keyboard layout as
the one the scanner is configured for* types the right characters. Reading the device
directly, the station is that host, so it decodes with that layout: `us` (the factory setting
in the programming guides of the common brands: "keyboard country: USA") or `fr` (AZERTY, for
a scanner configured as a French keyboard). Configure the scanner's suffix as CR (Enter),
its factory default. Not decoded: Alt+keypad code entry ("ALT mode" emulation) and Ctrl+key
control characters (GS1 separators): configure the scanner to send plain characters.
"""

from __future__ import annotations

import struct
import unicodedata
from typing import NamedTuple

from evdev import ecodes as e

EVENT_FORMAT = "llHHi"
"""struct input_event (linux/input.h): the time as two C longs (seconds, microseconds; the
kernel's __kernel_ulong_t, so also right on 32-bit systems with a 64-bit time_t), then __u16
type, __u16 code, __s32 value, in native order and alignment: 24 bytes on 64-bit systems."""
EVENT_SIZE = struct.calcsize(EVENT_FORMAT)

MAX_CODE_CHARS = 7089
"""A version 40 QR code holds 7089 digits (ISO/IEC 18004, Table 7): no scan is longer. A
longer run of keys without Enter is dropped."""

STALE_PARTIAL_S = 1.0
"""A scanner sends its keys without pausing (a few ms apart; scanners' optional inter-character
delay goes up to ~0.5 s), so a second without a key means the Enter of the code being read was
lost: the next key starts a new code instead of gluing two scans together. (Measured on the
events' own timestamps; a wall-clock step during a scan costs that one scan.)"""

KEY_PRESS, KEY_RELEASE = 1, 0
"""EV_KEY values (Documentation/input/input.rst); 2, autorepeat, is ignored: a scanner presses
every key of a code afresh."""

SHIFT_KEYS = frozenset({e.KEY_LEFTSHIFT, e.KEY_RIGHTSHIFT})
ALTGR_KEYS = frozenset({e.KEY_RIGHTALT})
SHORTCUT_KEYS = frozenset({e.KEY_LEFTCTRL, e.KEY_RIGHTCTRL, e.KEY_LEFTALT, e.KEY_LEFTMETA,
                           e.KEY_RIGHTMETA})
"""A key pressed with these held is a shortcut, not a character."""
MODIFIER_KEYS = SHIFT_KEYS | ALTGR_KEYS | SHORTCUT_KEYS
ENTER_KEYS = frozenset({e.KEY_ENTER, e.KEY_KPENTER})

PLAIN, SHIFT, ALTGR = 0, 1, 2
"""Levels of a key: alone, with Shift, with AltGr."""

Layout = dict[int, tuple[str, ...]]
"""KEY_* code → its characters at each level ("" where it types nothing)."""

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _is_letter(char: str) -> bool:
    return len(char) == 1 and char in _LETTERS


def _letters(keys: dict[str, str]) -> Layout:
    return {getattr(e, f"KEY_{name.upper()}"): (char, char.upper()) for name, char in keys.items()}


_COMMON: Layout = {
    e.KEY_SPACE: (" ", " "),
    e.KEY_TAB: ("\t", "\t"),
    # The keypad, with Num Lock on, types the same in every layout.
    **{getattr(e, f"KEY_KP{d}"): (str(d), "") for d in range(10)},
    e.KEY_KPDOT: (".", ""), e.KEY_KPSLASH: ("/", "/"), e.KEY_KPASTERISK: ("*", "*"),
    e.KEY_KPMINUS: ("-", "-"), e.KEY_KPPLUS: ("+", "+"),
}

US: Layout = {
    **_COMMON,
    **_letters({c: c for c in _LETTERS}),
    **{getattr(e, f"KEY_{d}"): (d, s) for d, s in zip("1234567890", "!@#$%^&*()", strict=True)},
    e.KEY_MINUS: ("-", "_"), e.KEY_EQUAL: ("=", "+"), e.KEY_LEFTBRACE: ("[", "{"),
    e.KEY_RIGHTBRACE: ("]", "}"), e.KEY_BACKSLASH: ("\\", "|"), e.KEY_SEMICOLON: (";", ":"),
    e.KEY_APOSTROPHE: ("'", '"'), e.KEY_GRAVE: ("`", "~"), e.KEY_COMMA: (",", "<"),
    e.KEY_DOT: (".", ">"), e.KEY_SLASH: ("/", "?"),
}
"""US English (xkb "us", Windows "US"): what a scanner set to "USA" sends for."""

FR: Layout = {
    **_COMMON,
    # AZERTY letters sit on the US positions of QWERTY except a/q, z/w and m.
    **_letters({c: c for c in "bcdefghijklnoprstuvxy"}),
    **_letters({"q": "a", "a": "q", "w": "z", "z": "w", "semicolon": "m"}),
    e.KEY_E: ("e", "E", "€"),
    e.KEY_GRAVE: ("²", ""),
    e.KEY_1: ("&", "1"), e.KEY_2: ("é", "2", "~"), e.KEY_3: ('"', "3", "#"),
    e.KEY_4: ("'", "4", "{"), e.KEY_5: ("(", "5", "["), e.KEY_6: ("-", "6", "|"),
    e.KEY_7: ("è", "7", "`"), e.KEY_8: ("_", "8", "\\"), e.KEY_9: ("ç", "9", "^"),
    e.KEY_0: ("à", "0", "@"), e.KEY_MINUS: (")", "°", "]"), e.KEY_EQUAL: ("=", "+", "}"),
    e.KEY_LEFTBRACE: ("^", "¨"), e.KEY_RIGHTBRACE: ("$", "£", "¤"),
    e.KEY_APOSTROPHE: ("ù", "%"), e.KEY_BACKSLASH: ("*", "µ"), e.KEY_102ND: ("<", ">"),
    e.KEY_M: (",", "?"), e.KEY_COMMA: (";", "."), e.KEY_DOT: (":", "/"), e.KEY_SLASH: ("!", "§"),
}
"""French AZERTY (xkb "fr", Windows "French"): what a scanner set to "France" sends for."""

FR_DEAD = frozenset({(e.KEY_LEFTBRACE, PLAIN), (e.KEY_LEFTBRACE, SHIFT), (e.KEY_2, ALTGR),
                     (e.KEY_7, ALTGR)})
"""AZERTY's dead keys (^ ¨ ~ `): they type nothing until the next key, which they accent
("^" then "e" is "ê") or, for a space or a key they cannot accent, precede ("^" then " " is
"^"). A scanner sends "^" as the dead key then a space."""

COMBINING = {"^": "\u0302", "¨": "\u0308", "~": "\u0303", "`": "\u0300"}
"""The combining mark each dead key puts on the next letter (Unicode, NFC composition)."""

LAYOUTS: dict[str, tuple[Layout, frozenset[tuple[int, int]]]] = {
    "us": (US, frozenset()),
    "fr": (FR, FR_DEAD),
}
"""Keymaps by the name `devices.scanner.keymap` uses."""


class InputEvent(NamedTuple):
    """One struct input_event."""

    time: float
    """When the kernel stamped it, in seconds (CLOCK_REALTIME unless the reader changed it)."""
    type: int
    code: int
    value: int


def pack_event(event: InputEvent) -> bytes:
    """An event as the kernel writes it."""
    seconds, micros = divmod(round(event.time * 1e6), 1_000_000)
    return struct.pack(EVENT_FORMAT, seconds, micros, event.type, event.code, event.value)


class EventStream:
    """Whole events out of the bytes read from a node. An event node hands out whole records;
    a pipe may split one across two reads, so the remainder waits for the next read."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> list[InputEvent]:
        """The events completed by `data`."""
        data = self._pending + data
        whole = len(data) - len(data) % EVENT_SIZE
        self._pending = data[whole:]
        return [InputEvent(sec + usec / 1e6, kind, code, value)
                for sec, usec, kind, code, value in struct.iter_unpack(EVENT_FORMAT, data[:whole])]


class KeyDecoder:
    """Key events in, codes out: characters in the configured layout, assembled until Enter."""

    def __init__(self, layout: str = "us", max_chars: int = MAX_CODE_CHARS,
                 stale_s: float = STALE_PARTIAL_S) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown keymap {layout!r}: use one of {', '.join(LAYOUTS)}")
        self._keys, self._dead_keys = LAYOUTS[layout]
        self._max_chars = max_chars
        self._stale_s = stale_s
        self._held: set[int] = set()
        self._caps = False
        self._dead = ""
        self._chars: list[str] = []
        self._overflow = False
        self._last = 0.0

    def feed(self, event: InputEvent) -> str | None:
        """The code this event completes, if any."""
        if event.type == e.EV_SYN and event.code == e.SYN_DROPPED:
            # The kernel's buffer overflowed: keys of this code were lost, and maybe a release.
            self._held.clear()
            self._reset()
            return None
        if event.type != e.EV_KEY:
            return None
        key, value = event.code, event.value
        if key in MODIFIER_KEYS:
            if value == KEY_PRESS:
                self._held.add(key)
            elif value == KEY_RELEASE:
                self._held.discard(key)
            return None
        if value != KEY_PRESS:
            return None
        if key == e.KEY_CAPSLOCK:
            self._caps = not self._caps
            return None
        if (self._chars or self._dead) and event.time - self._last > self._stale_s:
            self._reset()
        self._last = event.time
        if key in ENTER_KEYS:
            self._add(self._dead)
            code = "" if self._overflow else "".join(self._chars)
            self._reset()
            return code or None
        if not self._held & SHORTCUT_KEYS:
            self._add(self._character(key))
        return None

    def _character(self, key: int) -> str:
        level = ALTGR if self._held & ALTGR_KEYS else SHIFT if self._held & SHIFT_KEYS else PLAIN
        chars = self._keys.get(key, ())
        char = chars[level] if level < len(chars) else ""
        if self._caps and level != ALTGR and len(chars) > 1 and _is_letter(chars[PLAIN]):
            char = chars[SHIFT - level]  # Caps Lock swaps the case of letters only
        if (key, level) in self._dead_keys:
            pending, self._dead = self._dead, char
            return pending
        if self._dead:
            dead, self._dead = self._dead, ""
            if char in ("", " "):
                return dead
            accented = unicodedata.normalize("NFC", char + COMBINING[dead])
            return accented if len(accented) == 1 else dead + char
        return char

    def _add(self, chars: str) -> None:
        if len(self._chars) + len(chars) > self._max_chars:
            self._overflow = True
        if not self._overflow:
            self._chars.extend(chars)

    def _reset(self) -> None:
        self._chars.clear()
        self._dead = ""
        self._overflow = False
