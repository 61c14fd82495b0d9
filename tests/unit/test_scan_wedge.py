"""Keyboard-wedge scanning: telling a scan from typing by speed (kiosk/core/scan_wedge.py),
and the `Scanner` port the shell feeds with key events (devices/wedge_scanner.py).

Pure logic with exact timings: every key comes with the time it arrived.
"""

from __future__ import annotations

import random

import pytest

from devices.wedge_scanner import WEDGE_HEALTH, WedgeScanner
from kiosk.core.devices import Scanner
from kiosk.core.scan_wedge import (
    ENTER,
    MAX_SCAN_CHARS,
    MAX_SCAN_GAP_S,
    MIN_QUIET_S,
    MIN_SCAN_CHARS,
    Scan,
    Typing,
    Verdict,
    WedgeDiscriminator,
)

CODE = "TRK-2026-0042"
START = 1000.0


class Session:
    """Keys fed at given times; collects what is passed on as typing and what is scanned."""

    def __init__(self, discriminator: WedgeDiscriminator | None = None) -> None:
        self.d = discriminator or WedgeDiscriminator()
        self.typed = ""
        self.scans: list[str] = []

    def take(self, verdict: Verdict) -> None:
        if isinstance(verdict, Scan):
            self.scans.append(verdict.code)
        else:
            self.typed += verdict.keys

    def keys(self, text: str, times: list[float]) -> None:
        assert len(text) == len(times)
        for char, t in zip(text, times, strict=True):
            self.take(self.d.pause(t))  # the frame before the key
            self.take(self.d.key(char, t))

    def idle(self, t: float) -> None:
        self.take(self.d.pause(t))


def steady(start: float, count: int, step: float) -> list[float]:
    return [start + i * step for i in range(count)]


def jittered(start: float, count: int, rng: random.Random) -> list[float]:
    """A scanner's keys: 1–12 ms apart, and now and then a whole 60 Hz frame (16.7 ms) of
    dispatch delay on top."""
    times, t = [], start
    for _ in range(count):
        times.append(t)
        t += rng.uniform(0.001, 0.012) + (1 / 60 if rng.random() < 0.2 else 0)
    return times


# -- scans -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_a_scanner_with_jitter_is_a_scan(seed):
    session = Session()
    text = CODE + ENTER
    session.keys(text, jittered(START, len(text), random.Random(seed)))
    assert session.scans == [CODE]
    assert session.typed == ""


def test_a_scanner_at_the_gap_limit_is_still_a_scan():
    session = Session()
    text = CODE + ENTER
    session.keys(text, steady(START, len(text), MAX_SCAN_GAP_S * 0.999))  # float-safe
    assert session.scans == [CODE]


def test_keys_held_during_a_scan_are_never_passed_on():
    d = WedgeDiscriminator()
    for i, char in enumerate(CODE):
        assert d.key(char, START + i * 0.005) == Typing("")
        assert d.pause(START + i * 0.005 + 0.004) == Typing("")
        assert d.holding
    assert d.key(ENTER, START + len(CODE) * 0.005) == Scan(CODE)
    assert not d.holding


def test_a_line_feed_ends_a_scan_too():
    session = Session()
    session.keys("ABC123\n", steady(START, 7, 0.004))
    assert session.scans == ["ABC123"]


def test_two_scans_one_after_the_other():
    session = Session()
    session.keys(CODE + ENTER, steady(START, 14, 0.004))
    session.keys("104217" + ENTER, steady(START + 1.0, 7, 0.004))
    assert session.scans == [CODE, "104217"]
    assert session.typed == ""


def test_a_scan_right_after_typing_is_typing_too_soon():
    # Less than MIN_QUIET_S after the last typed key, a fast burst is not taken as a scan.
    session = Session()
    session.keys("ab", [START, START + 0.2])
    session.keys("XYZ9" + ENTER, steady(START + 0.2 + MIN_QUIET_S / 2, 5, 0.004))
    assert session.scans == []
    assert session.typed == "abXYZ9" + ENTER


def test_a_scan_a_moment_after_typing_is_a_scan():
    session = Session()
    session.keys("ab", [START, START + 0.2])
    session.idle(START + 0.3)
    session.keys(CODE + ENTER, steady(START + 0.2 + MIN_QUIET_S, 14, 0.004))
    assert session.typed == "ab"
    assert session.scans == [CODE]


# -- typing ------------------------------------------------------------------------------------


def test_a_fast_typist_is_typing():
    session = Session()
    text = "104217" + ENTER
    session.keys(text, steady(START, len(text), 0.060))
    assert session.scans == []
    assert session.typed == text


def test_a_fast_typist_with_a_roll_over_is_typing():
    # Two keys 20 ms apart (the second pressed before the first is released), then normal pace.
    session = Session()
    text = "the" + ENTER
    session.keys(text, [START, START + 0.020, START + 0.140, START + 0.260])
    assert session.scans == []
    assert session.typed == text


def test_a_fast_burst_shorter_than_a_code_is_typing():
    session = Session()
    text = "ok" + ENTER
    session.keys(text, steady(START, 3, 0.005))
    assert MIN_SCAN_CHARS > 2
    assert session.scans == []
    assert session.typed == text


def test_enter_alone_is_typing():
    d = WedgeDiscriminator()
    assert d.key(ENTER, START) == Typing(ENTER)
    assert d.key(ENTER, START + 0.001) == Typing(ENTER)
    assert not d.holding


def test_typed_keys_come_out_in_order_after_the_gap():
    d = WedgeDiscriminator()
    assert d.key("a", START) == Typing("")
    assert d.pause(START + MAX_SCAN_GAP_S / 2) == Typing("")
    assert d.pause(START + MAX_SCAN_GAP_S * 1.01) == Typing("a")
    assert d.key("b", START + 0.100) == Typing("")
    assert d.key("c", START + 0.101) == Typing("")  # fast pair: held together
    assert d.key("d", START + 0.300) == Typing("bc")  # a slow key releases the ones before
    assert d.pause(START + 0.400) == Typing("d")
    assert d.pause(START + 0.500) == Typing("")


def test_another_key_releases_what_is_held_first():
    d = WedgeDiscriminator()
    d.key("a", START)
    d.key("b", START + 0.005)
    assert d.flush(START + 0.006) == Typing("ab")
    assert d.flush() == Typing("")
    # The burst after the interruption is too close to it to be a scan.
    for i, char in enumerate("ABC"):
        d.key(char, START + 0.010 + i * 0.004)
    assert d.key(ENTER, START + 0.030) == Typing("ABC" + ENTER)


def test_a_key_held_down_and_repeating_is_not_a_scan():
    d = WedgeDiscriminator(max_chars=10)
    released = ""
    for i in range(25):
        verdict = d.key("x", START + i * 0.001)
        assert isinstance(verdict, Typing)
        released += verdict.keys
    verdict = d.key(ENTER, START + 0.030)
    assert verdict == Typing("x" * (25 - len(released)) + ENTER)
    assert len(released) == 20


def test_a_clock_that_goes_back_ends_the_burst():
    d = WedgeDiscriminator()
    d.key("a", START)
    d.key("b", START + 0.005)
    assert d.key("c", START - 1) == Typing("ab")


# -- a scan interrupted ------------------------------------------------------------------------


def test_a_scan_cut_by_a_stall_is_passed_on_whole_as_typing():
    """The head is released once the pause is longer than the gap; the tail, too close behind
    to be a scan of its own, follows it as typing: the field gets the whole code, no truncated
    number is looked up."""
    session = Session()
    session.keys("TRK-20", steady(START, 6, 0.004))
    session.idle(START + 0.020 + MAX_SCAN_GAP_S * 2)
    assert session.typed == "TRK-20"
    session.keys("26-0042" + ENTER, steady(START + 0.150, 8, 0.004))
    assert session.scans == []
    assert session.typed == CODE + ENTER


def test_a_scan_cut_by_a_person_pressing_a_key_is_typing():
    d = WedgeDiscriminator()
    for i, char in enumerate("TRK-2"):
        d.key(char, START + i * 0.004)
    assert d.flush(START + 0.021) == Typing("TRK-2")
    tail = [d.key(char, START + 0.025 + i * 0.004) for i, char in enumerate("026-0042")]
    assert all(v == Typing("") for v in tail)
    assert d.key(ENTER, START + 0.060) == Typing("026-0042" + ENTER)


def test_a_scan_whose_enter_never_comes_is_typing():
    session = Session()
    session.keys(CODE, steady(START, len(CODE), 0.004))
    session.idle(START + 1)
    assert session.typed == CODE
    assert session.scans == []


@pytest.mark.parametrize("kwargs", [
    {"max_gap_s": 0}, {"max_gap_s": 0.3}, {"min_chars": 0}, {"min_chars": 5, "max_chars": 4},
])
def test_impossible_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        WedgeDiscriminator(**kwargs)


def test_one_character_at_a_time():
    with pytest.raises(ValueError):
        WedgeDiscriminator().key("ab", START)


def test_the_longest_code_is_a_scan():
    session = Session()
    text = "7" * MAX_SCAN_CHARS + ENTER
    session.keys(text, steady(START, len(text), 0.001))
    assert session.scans == ["7" * MAX_SCAN_CHARS]


# -- the Scanner port the shell feeds ----------------------------------------------------------


class Shell:
    """What the shell does: feeds keys, passes on what is not swallowed, types what the sink
    hands back into the focused field."""

    def __init__(self, scanner: WedgeScanner) -> None:
        self.scanner = scanner
        self.field = ""
        scanner.set_typing_sink(self.type_in)

    def type_in(self, text: str) -> None:
        self.field += text

    def keys(self, text: str, times: list[float]) -> None:
        for char, t in zip(text, times, strict=True):
            self.scanner.tick(t)
            if not self.scanner.feed(char, t):
                self.field += char  # passed on: the window delivers it as usual

    def other_key(self, name: str, t: float) -> None:
        self.scanner.interrupt(t)
        self.field += f"<{name}>"


def test_the_wedge_scanner_hands_scans_to_read():
    scanner = WedgeScanner()
    assert isinstance(scanner, Scanner)
    assert scanner.health() == WEDGE_HEALTH and scanner.health().ready
    shell = Shell(scanner)
    shell.keys(CODE + ENTER, steady(START, 14, 0.004))
    assert shell.field == ""
    assert scanner.read() == CODE
    assert scanner.read() is None


def test_the_wedge_scanner_passes_typing_on_in_order():
    scanner = WedgeScanner()
    shell = Shell(scanner)
    shell.keys("12", [START, START + 0.1])
    shell.other_key("backspace", START + 0.12)  # arrives while "2" is still held
    shell.keys("3" + ENTER, [START + 0.3, START + 0.4])
    assert shell.field == "12<backspace>3" + ENTER
    assert scanner.read() is None


def test_a_typed_enter_is_passed_on_after_the_keys_held_before_it():
    scanner = WedgeScanner()
    shell = Shell(scanner)
    shell.keys("ab" + ENTER, [START, START + 0.005, START + 0.010])
    assert shell.field == "ab" + ENTER


def test_the_wedge_scanner_follows_its_settings():
    scanner = WedgeScanner(max_gap_s=0.010, min_chars=6)
    shell = Shell(scanner)
    shell.keys("12345" + ENTER, steady(START, 6, 0.004))  # too short for min_chars=6
    shell.keys("ABCDEF" + ENTER, steady(START + 1, 7, 0.015))  # too slow for a 10 ms gap
    shell.keys("123456" + ENTER, steady(START + 2, 7, 0.004))
    assert shell.field == "12345" + ENTER + "ABCDEF" + ENTER
    assert scanner.read() == "123456"


def test_without_a_sink_every_key_passes_on():
    scanner = WedgeScanner()
    assert not any(scanner.feed(char, START + i * 0.004) for i, char in enumerate(CODE + ENTER))
    assert scanner.read() is None


def test_setting_the_sink_releases_nothing_twice():
    scanner = WedgeScanner()
    shell = Shell(scanner)
    shell.keys("x", [START])
    received: list[str] = []
    scanner.set_typing_sink(received.append)
    assert received == ["x"]
    scanner.tick(START + 1)
    assert received == ["x"]
    assert shell.field == ""
