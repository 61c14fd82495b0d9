"""The evdev scanner: key decoding, code assembly, and the driver's reader thread.

What runs for real here, and what cannot: the test machines have no input device at all and no
uinput (the kernel is built without CONFIG_INPUT_UINPUT: /dev/uinput is absent and a node made
with mknod answers ENODEV), so no test can type on a virtual keyboard, nor check that the grab
keeps the scanner's keys from other readers. Instead:

* the bytes are real struct input_event records, written by a small C program compiled here
  against the kernel's linux/input.h (tests/support/evdev_writer.c), into a real FIFO that stands in
  for /dev/input/eventN;
* the driver's reader thread, decoding, hot-plug (the node and its by-id link disappearing and
  coming back) and `read()` run unchanged on that FIFO; only the opening is replaced
  (`FifoScanner._open_node`), because a FIFO cannot be grabbed;
* the unmodified driver is pointed at the FIFO to check the refusal path: a node that cannot
  be opened and grabbed as an input device is reported, retried, never read, and leaks no
  file descriptor.
"""

from __future__ import annotations

import errno
import logging
import os
import string
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from evdev import ecodes as e

from devices import evdev_node
from devices.evdev_keys import (
    EVENT_SIZE,
    MAX_CODE_CHARS,
    EventStream,
    InputEvent,
    KeyDecoder,
    pack_event,
)
from devices.evdev_scanner import (
    GRABBED_ELSEWHERE,
    NOT_INPUT_DEVICE,
    OPEN_FAILED,
    PERMISSION_DENIED,
    READER_FAILED,
    EvdevScanner,
    failure_reason,
)
from devices.scanned_codes import CodeQueue
from devices.sim_scanner import SCANNER_ABSENT
from kiosk.core.devices import DeviceHealth, Scanner
from kiosk.settings.models import ScannerKeymap

WRITER_SOURCE = Path(__file__).resolve().parents[1] / "support" / "evdev_writer.c"
READY = DeviceHealth(ready=True)
"""Open and grabbed (the health before the first reading, "unknown", is ready too)."""
SHIFT, ALTGR = "shift", "altgr"
MODIFIERS = {SHIFT: e.KEY_LEFTSHIFT, ALTGR: e.KEY_RIGHTALT}
SCANNER_LINK = "usb-Honeywell_Imaging___Mobility_1900-event-kbd"

# -- how the two layouts type, written out independently of the driver's tables ---------------

def _letter_key(letter: str) -> int:
    return getattr(e, f"KEY_{letter.upper()}")


US_STROKES: dict[str, tuple] = {
    **{c: (_letter_key(c),) for c in string.ascii_lowercase},
    **{c.upper(): (_letter_key(c), SHIFT) for c in string.ascii_lowercase},
    **{d: (getattr(e, f"KEY_{d}"),) for d in string.digits},
    "-": (e.KEY_MINUS,), "_": (e.KEY_MINUS, SHIFT), ":": (e.KEY_SEMICOLON, SHIFT),
    "/": (e.KEY_SLASH,), ".": (e.KEY_DOT,), "?": (e.KEY_SLASH, SHIFT), "=": (e.KEY_EQUAL,),
    "&": (e.KEY_7, SHIFT), "@": (e.KEY_2, SHIFT), " ": (e.KEY_SPACE,),
}

_AZERTY_MOVED = {"a": e.KEY_Q, "q": e.KEY_A, "z": e.KEY_W, "w": e.KEY_Z, "m": e.KEY_SEMICOLON}
FR_STROKES: dict[str, tuple] = {
    **{c: (_AZERTY_MOVED.get(c, _letter_key(c)),) for c in string.ascii_lowercase},
    **{c.upper(): (_AZERTY_MOVED.get(c, _letter_key(c)), SHIFT) for c in string.ascii_lowercase},
    **{d: (getattr(e, f"KEY_{d}"), SHIFT) for d in string.digits},
    "-": (e.KEY_6,), "_": (e.KEY_8,), ":": (e.KEY_DOT,), "/": (e.KEY_DOT, SHIFT),
    ".": (e.KEY_COMMA, SHIFT), "?": (e.KEY_M, SHIFT), "=": (e.KEY_EQUAL,), "&": (e.KEY_1,),
    "@": (e.KEY_0, ALTGR), "é": (e.KEY_2,), "!": (e.KEY_SLASH,), " ": (e.KEY_SPACE,),
}

CODES = [
    "TRK-2026-0042",
    "https://demarches.example.fr/suivi?numero=104217&lang=fr",
    "demo-0001-20261122-0042",
]


class Typist:
    """The events a scanner in keyboard mode sends: modifiers down, key down, SYN_REPORT, key
    up, modifiers up, SYN_REPORT, one report every `step_us` (a 2 ms HID polling interval)."""

    def __init__(self, strokes: dict[str, tuple], start_us: int = 1_763_800_000_000_000,
                 step_us: int = 2000) -> None:
        self.strokes = strokes
        self.now_us = start_us
        self.step_us = step_us

    def _event(self, kind: int, code: int, value: int) -> InputEvent:
        return InputEvent(self.now_us / 1e6, kind, code, value)

    def _report(self, *keys: tuple[int, int]) -> list[InputEvent]:
        events = [self._event(e.EV_KEY, code, value) for code, value in keys]
        events.append(self._event(e.EV_SYN, e.SYN_REPORT, 0))
        self.now_us += self.step_us
        return events

    def key(self, code: int, *mods: str) -> list[InputEvent]:
        """One key, pressed and released, with its modifiers held around it."""
        held = [MODIFIERS[m] for m in mods]
        return [*self._report(*[(m, 1) for m in held], (code, 1)),
                *self._report((code, 0), *[(m, 0) for m in held])]

    def text(self, text: str) -> list[InputEvent]:
        return [event for char in text for event in self.key(*self.strokes[char])]

    def scan(self, code: str) -> list[InputEvent]:
        """A whole scan: the code, then Enter (the factory CR suffix)."""
        return [*self.text(code), *self.key(e.KEY_ENTER)]

    def pause(self, seconds: float) -> None:
        self.now_us += round(seconds * 1e6)


def lines(events: list[InputEvent]) -> str:
    """The events as evdev_writer reads them."""
    out = []
    for event in events:
        micros = round(event.time * 1e6)
        out.append(f"{micros // 10**6} {micros % 10**6} {event.type} {event.code} {event.value}")
    return "\n".join(out) + "\n"


def decode(events: list[InputEvent], keymap: str = "us") -> list[str]:
    decoder = KeyDecoder(keymap)
    return [code for code in map(decoder.feed, events) if code is not None]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(0.01)


def read_codes(scanner: Scanner, count: int, timeout: float = 5.0) -> list[str]:
    codes: list[str] = []

    def got_all() -> bool:
        while (code := scanner.read()) is not None:
            codes.append(code)
        return len(codes) >= count

    wait_until(got_all, timeout)
    return codes


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# -- the C writer: real struct input_event bytes -----------------------------------------------


@pytest.fixture(scope="session")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/support/evdev_writer.c, compiled against the kernel's linux/input.h."""
    binary = tmp_path_factory.mktemp("evdev") / "evdev_writer"
    subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1", "-o",
                    str(binary), str(WRITER_SOURCE)], check=True, capture_output=True, timeout=60)
    return binary


def write_events(writer: Path, path: Path, events: list[InputEvent]) -> None:
    """Write the events into `path` (a FIFO being read, or a plain file) as the kernel would."""
    subprocess.run([str(writer), str(path)], input=lines(events), text=True, check=True,
                   capture_output=True, timeout=10)


def kernel_bytes(writer: Path, tmp_path: Path, events: list[InputEvent]) -> bytes:
    record = tmp_path / "events.bin"
    record.write_bytes(b"")
    write_events(writer, record, events)
    return record.read_bytes()


def test_the_event_layout_is_the_kernels(writer):
    size = subprocess.run([str(writer), "--size"], check=True, capture_output=True, text=True)
    assert int(size.stdout) == EVENT_SIZE


def test_events_read_back_exactly_as_the_kernel_struct_holds_them(writer, tmp_path):
    events = Typist(US_STROKES).scan("A1")
    data = kernel_bytes(writer, tmp_path, events)
    assert len(data) == EVENT_SIZE * len(events)
    assert data == b"".join(map(pack_event, events))
    assert EventStream().feed(data) == events


def test_a_record_split_across_two_reads_is_joined(writer, tmp_path):
    events = Typist(US_STROKES).scan("42")
    data = kernel_bytes(writer, tmp_path, events)
    stream = EventStream()
    cut = EVENT_SIZE * 3 + 7
    first = stream.feed(data[:cut])
    assert first == events[:3]
    assert stream.feed(data[cut:]) == events[3:]
    assert stream.feed(b"") == []


# -- decoding and assembly -------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_a_us_scanner_is_decoded(code):
    assert decode(Typist(US_STROKES).scan(code)) == [code]


@pytest.mark.parametrize("code", [*CODES, "contact@ville.fr", "Mairie! é=1&2"])
def test_an_azerty_scanner_is_decoded(code):
    assert decode(Typist(FR_STROKES).scan(code), "fr") == [code]


def test_the_keymap_must_match_the_scanner():
    # An AZERTY scanner read as US: the digits come out as the symbols on their keys.
    assert decode(Typist(FR_STROKES).scan("2026"), "us") == ["@)@^"]


def test_every_keymap_of_the_settings_has_a_layout():
    for keymap in ScannerKeymap:
        KeyDecoder(keymap.value)
    with pytest.raises(ValueError, match="unknown keymap 'de'"):
        KeyDecoder("de")


def test_codes_back_to_back_and_enter_alone():
    typist = Typist(US_STROKES)
    events = [*typist.key(e.KEY_ENTER), *typist.scan("ONE"), *typist.key(e.KEY_KPENTER),
              *typist.scan("TWO")]
    assert decode(events) == ["ONE", "TWO"]


def test_keypad_digits_and_keypad_enter():
    typist = Typist(US_STROKES)
    keys = [e.KEY_KP1, e.KEY_KP0, e.KEY_KPMINUS, e.KEY_KP4, e.KEY_KPDOT, e.KEY_KP2]
    events = [ev for key in keys for ev in typist.key(key)] + typist.key(e.KEY_KPENTER)
    assert decode(events) == ["10-4.2"]


def test_azerty_dead_keys_accent_or_precede():
    typist = Typist(FR_STROKES)
    events = [*typist.key(e.KEY_LEFTBRACE), *typist.key(e.KEY_E),            # ^ e → ê
              *typist.key(e.KEY_LEFTBRACE, SHIFT), *typist.key(e.KEY_I),     # ¨ i → ï
              *typist.key(e.KEY_LEFTBRACE), *typist.key(e.KEY_SPACE),        # ^ space → ^
              *typist.key(e.KEY_2, ALTGR), *typist.key(e.KEY_N),             # ~ n → ñ
              *typist.key(e.KEY_LEFTBRACE), *typist.key(e.KEY_1, SHIFT),     # ^ 1 → ^1
              *typist.key(e.KEY_7, ALTGR), *typist.key(e.KEY_ENTER)]         # ` Enter → `
    assert decode(events, "fr") == ["êï^ñ^1`"]


def test_caps_lock_swaps_the_case_of_letters_only():
    typist = Typist(US_STROKES)
    events = [*typist.key(e.KEY_CAPSLOCK), *typist.text("ab1-"), *typist.key(e.KEY_A, SHIFT),
              *typist.key(e.KEY_CAPSLOCK), *typist.text("c"), *typist.key(e.KEY_ENTER)]
    assert decode(events) == ["AB1-ac"]


def test_shortcuts_autorepeat_and_unknown_keys_type_nothing():
    typist = Typist(US_STROKES)
    ctrl = [InputEvent(typist.now_us / 1e6, e.EV_KEY, e.KEY_LEFTCTRL, 1),
            *typist.key(e.KEY_C),
            InputEvent(typist.now_us / 1e6, e.EV_KEY, e.KEY_LEFTCTRL, 0)]
    repeat = [InputEvent(typist.now_us / 1e6, e.EV_KEY, e.KEY_X, 2)]
    events = [*typist.text("ok"), *ctrl, *repeat, *typist.key(e.KEY_F5), *typist.key(e.KEY_ENTER)]
    assert decode(events) == ["ok"]


def test_dropped_events_discard_the_code_being_read():
    typist = Typist(US_STROKES)
    dropped = InputEvent(typist.now_us / 1e6, e.EV_SYN, e.SYN_DROPPED, 0)
    events = [*typist.text("LOST"), dropped, *typist.scan("KEPT")]
    assert decode(events) == ["KEPT"]


def test_dropped_events_forget_a_shift_whose_release_was_lost():
    typist = Typist(US_STROKES)
    shift_down = InputEvent(typist.now_us / 1e6, e.EV_KEY, e.KEY_LEFTSHIFT, 1)
    dropped = InputEvent(typist.now_us / 1e6, e.EV_SYN, e.SYN_DROPPED, 0)
    assert decode([shift_down, dropped, *typist.scan("abc")]) == ["abc"]


def test_a_code_whose_enter_was_lost_is_not_glued_to_the_next():
    typist = Typist(US_STROKES)
    events = typist.text("HALF")
    typist.pause(1.5)
    events += typist.scan("WHOLE")
    assert decode(events) == ["WHOLE"]


def test_a_slow_but_steady_scanner_is_not_cut():
    # Scanners' optional inter-character delay: 400 ms between keys still makes one code.
    typist = Typist(US_STROKES, step_us=200_000)
    assert decode(typist.scan("SLOW")) == ["SLOW"]


def test_a_run_of_keys_longer_than_any_code_is_dropped():
    typist = Typist(US_STROKES, step_us=10)
    events = [*typist.text("7" * (MAX_CODE_CHARS + 1)), *typist.key(e.KEY_ENTER),
              *typist.scan("NEXT")]
    assert decode(events) == ["NEXT"]
    longest = "7" * MAX_CODE_CHARS
    assert decode(Typist(US_STROKES, step_us=10).scan(longest)) == [longest]


def test_other_event_types_are_ignored():
    typist = Typist(US_STROKES)
    misc = [InputEvent(0.0, e.EV_MSC, e.MSC_SCAN, 0x70004), InputEvent(0.0, e.EV_LED, 1, 1)]
    assert decode([*misc, *typist.scan("ok")]) == ["ok"]


# -- the driver on a FIFO ----------------------------------------------------------------------


class _Fd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        os.close(self.fd)


class FifoScanner(EvdevScanner):
    """The driver with one change: the node is a FIFO, which has no EVIOCGRAB, so it is opened
    without a grab. Read-write, as an event node is never at end of file."""

    def _open_node(self, path: Path) -> _Fd:
        return _Fd(os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC))


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry and presence checks ten times faster than on a station, for short tests."""
    monkeypatch.setattr(evdev_node, "REOPEN_S", 0.1)
    monkeypatch.setattr(evdev_node, "PRESENCE_CHECK_S", 0.05)


@pytest.fixture
def scanners() -> Iterator[list[EvdevScanner]]:
    """Scanners a test starts; all closed at the end."""
    started: list[EvdevScanner] = []
    yield started
    for scanner in started:
        scanner.close()


def test_the_driver_reads_scans_from_real_event_bytes(writer, tmp_path, scanners):
    node = tmp_path / "event7"
    os.mkfifo(node)
    scanner = FifoScanner(device=node)
    scanners.append(scanner)
    assert isinstance(scanner, Scanner)
    wait_until(lambda: scanner.health() == READY)
    assert scanner.read() is None
    typist = Typist(US_STROKES)
    write_events(writer, node, [event for code in CODES for event in typist.scan(code)])
    assert read_codes(scanner, len(CODES)) == CODES
    assert scanner.read() is None
    assert scanner.health() == READY


def test_the_driver_decodes_in_the_configured_keymap(writer, tmp_path, scanners):
    node = tmp_path / "event3"
    os.mkfifo(node)
    scanner = FifoScanner(device=node, keymap="fr")
    scanners.append(scanner)
    wait_until(lambda: scanner.health() == READY)
    write_events(writer, node, Typist(FR_STROKES).scan(CODES[1]))
    assert read_codes(scanner, 1) == [CODES[1]]


def test_a_record_cut_between_two_writes_still_decodes(writer, tmp_path, scanners):
    data = kernel_bytes(writer, tmp_path, Typist(US_STROKES).scan("SPLIT-42"))
    node = tmp_path / "event4"
    os.mkfifo(node)
    scanner = FifoScanner(device=node)
    scanners.append(scanner)
    wait_until(lambda: scanner.health() == READY)
    fd = os.open(node, os.O_WRONLY)
    try:
        os.write(fd, data[:EVENT_SIZE * 5 + 11])
        time.sleep(0.2)
        assert scanner.read() is None
        os.write(fd, data[EVENT_SIZE * 5 + 11:])
    finally:
        os.close(fd)
    assert read_codes(scanner, 1) == ["SPLIT-42"]


def test_the_scanner_found_by_name_comes_and_goes(writer, tmp_path, scanners):
    """Hot-plug: the node and its by-id link disappear when the scanner is unplugged and come
    back when it is plugged in again; health follows, and scans work again."""
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    # Other devices: a keyboard, and the scanner's own non-keyboard interface.
    (by_id / "usb-Logitech_USB_Keyboard-event-kbd").symlink_to(os.devnull)
    (by_id / "usb-Honeywell_Imaging___Mobility_1900-event-mouse").symlink_to(os.devnull)
    scanner = FifoScanner(match="honeywell", by_id_dir=by_id)
    scanners.append(scanner)
    wait_until(lambda: scanner.health() == DeviceHealth(False, SCANNER_ABSENT))

    def plug(name: str) -> Path:
        node = tmp_path / name
        os.mkfifo(node)
        (by_id / SCANNER_LINK).symlink_to(node)
        return node

    def unplug(node: Path) -> None:
        (by_id / SCANNER_LINK).unlink()
        node.unlink()

    node = plug("event5")
    wait_until(lambda: scanner.health() == READY)
    assert scanner.find_node() == by_id / SCANNER_LINK
    write_events(writer, node, Typist(US_STROKES).scan("BEFORE"))
    assert read_codes(scanner, 1) == ["BEFORE"]

    unplug(node)
    wait_until(lambda: scanner.health() == DeviceHealth(False, SCANNER_ABSENT))
    node = plug("event9")  # the kernel gives the node a new number
    wait_until(lambda: scanner.health() == READY)
    write_events(writer, node, Typist(US_STROKES).scan("AFTER"))
    assert read_codes(scanner, 1) == ["AFTER"]


def test_find_node_by_name(tmp_path, scanners):
    by_id = tmp_path / "by-id"
    scanner = EvdevScanner(match="Scan", by_id_dir=by_id)
    scanners.append(scanner)
    assert scanner.find_node() is None  # no by-id directory at all: nothing plugged
    by_id.mkdir()
    (by_id / "usb-Zebra_Bar_Code_Scanner-if01-event-kbd").symlink_to(tmp_path / "gone")
    (by_id / "usb-Zebra_Bar_Code_Scanner-event-mouse").symlink_to(os.devnull)
    assert scanner.find_node() is None  # a dangling link, and a node that is not a keyboard
    (by_id / "usb-Zebra_Bar_Code_SCANNER-event-kbd").symlink_to(os.devnull)
    (by_id / "usb-Newland_Scanner-event-kbd").symlink_to(os.devnull)
    assert scanner.find_node() == by_id / "usb-Newland_Scanner-event-kbd"  # name order


def test_a_missing_device_path_is_absent(tmp_path, scanners):
    scanner = EvdevScanner(device=tmp_path / "no-such-node")
    scanners.append(scanner)
    wait_until(lambda: scanner.health() == DeviceHealth(False, SCANNER_ABSENT))
    assert scanner.read() is None


def test_a_node_that_cannot_be_grabbed_is_never_read(writer, tmp_path, scanners):
    """The unmodified driver on a FIFO: python-evdev's ioctls fail (ENOTTY) before any grab,
    the driver reports it, retries, and reads nothing: the scan's bytes are all still there."""
    node = tmp_path / "event6"
    os.mkfifo(node)
    holder = os.open(node, os.O_RDWR | os.O_NONBLOCK)
    try:
        data = kernel_bytes(writer, tmp_path, Typist(US_STROKES).scan("NEVER-READ"))
        os.write(holder, data)
        fds_before = open_fds()
        scanner = EvdevScanner(device=node)
        scanners.append(scanner)
        wait_until(lambda: scanner.health() == DeviceHealth(False, NOT_INPUT_DEVICE))
        time.sleep(0.5)  # several more attempts (every 0.1 s here)
        assert scanner.health() == DeviceHealth(False, NOT_INPUT_DEVICE)
        assert scanner.read() is None
        scanner.close()
        assert open_fds() == fds_before  # no descriptor leaked by the failed attempts
        assert os.read(holder, len(data) + EVENT_SIZE) == data
    finally:
        os.close(holder)


@pytest.mark.parametrize(("code", "reason"), [
    (errno.ENOENT, SCANNER_ABSENT), (errno.ENODEV, SCANNER_ABSENT),
    (errno.EACCES, PERMISSION_DENIED), (errno.EPERM, PERMISSION_DENIED),
    (errno.EBUSY, GRABBED_ELSEWHERE), (errno.ENOTTY, NOT_INPUT_DEVICE),
    (errno.EINVAL, NOT_INPUT_DEVICE), (errno.EIO, OPEN_FAILED), (None, OPEN_FAILED),
])
def test_failure_reasons(code, reason):
    assert failure_reason(OSError(code, "x") if code else OSError("x")) == reason


def test_the_reader_survives_an_unexpected_error(tmp_path, scanners, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    node = tmp_path / "event8"
    os.mkfifo(node)
    failures = iter([RuntimeError("boom")])

    class Flaky(FifoScanner):
        def find_node(self) -> Path | None:
            for failure in failures:
                raise failure
            return super().find_node()

    scanner = Flaky(device=node)
    scanners.append(scanner)
    wait_until(lambda: scanner.health() == READY)
    assert scanner._thread.is_alive()
    logged = [r.getMessage() for r in caplog.records]
    assert "device.status device=scanner error=RuntimeError" in logged
    assert f"device.status device=scanner reason={READER_FAILED}" in logged
    assert logged[-1] == "device.status device=scanner reason=ok"


def test_the_first_reading_is_unknown_then_real(tmp_path, scanners):
    gate = threading.Event()

    class Slow(EvdevScanner):
        def find_node(self) -> Path | None:
            gate.wait(5)
            return super().find_node()

    scanner = Slow(device=tmp_path / "absent")
    scanners.append(scanner)
    assert scanner.health() == DeviceHealth(ready=True, reason="unknown")
    gate.set()
    wait_until(lambda: scanner.health() == DeviceHealth(False, SCANNER_ABSENT))


def test_close_stops_the_reader_at_once(tmp_path):
    node = tmp_path / "event2"
    os.mkfifo(node)
    scanner = FifoScanner(device=node)
    wait_until(lambda: scanner.health() == READY)
    started = time.monotonic()
    scanner.close()
    assert time.monotonic() - started < 0.5
    assert not scanner._thread.is_alive()
    scanner.close()  # twice is harmless


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "device path or a part of its name"),
    ({"device": Path("/dev/input/event3"), "match": "x"}, "not both"),
    ({"match": ""}, "non-empty"),
    ({"match": "a/b"}, "no '/'"),
    ({"match": "x", "keymap": "dvorak"}, "unknown keymap"),
])
def test_configuration_errors_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EvdevScanner(**kwargs)


# -- the code queue ----------------------------------------------------------------------------


def test_codes_nobody_took_expire_and_the_queue_is_bounded():
    now = [100.0]
    queue = CodeQueue(clock=lambda: now[0], max_codes=3, ttl_s=30)
    queue.put("old")
    now[0] += 31
    queue.put("fresh")
    assert queue.get() == "fresh"
    assert queue.get() is None
    for code in "abcd":
        queue.put(code)
    assert [queue.get() for _ in range(4)] == ["b", "c", "d", None]
