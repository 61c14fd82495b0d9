"""The headphone jack: found among the input devices by its switch, followed through real
struct input_event records, and lost and found again.

As for the scanner (tests/integration/test_evdev_scanner.py), the test machines have no input
device and no uinput: the kernel's part is played by tests/support/evdev_writer.c, which writes
real EV_SW records into a FIFO standing in for /dev/input/eventN, and by a folder laid out as
/sys/class/input. The driver's search, reader thread, decoding and hot-plug run unchanged; only
reading the switch's state when the node is opened (EVIOCGSW, which a FIFO cannot answer) is
replaced, and the unmodified driver is pointed at the FIFO to check that refusal.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from evdev import ecodes as e

from devices import evdev_node
from devices.evdev_jack import (
    NOT_INPUT_DEVICE,
    EvdevJack,
    bitmap,
    eviocgsw,
    find_jack,
    has_headphone_switch,
)
from devices.evdev_keys import InputEvent
from devices.sim_headset import JACK_ABSENT
from kiosk.core.devices import DeviceHealth, Headset

WRITER_SOURCE = Path(__file__).resolve().parents[1] / "support" / "evdev_writer.c"
READY = DeviceHealth(ready=True)
# What the kernel prints in capabilities/sw: SW_HEADPHONE_INSERT is bit 2, SW_LID bit 0; a
# headset jack with a microphone also has SW_MICROPHONE_INSERT (bit 4): 0x14.
HEADPHONE_ONLY = "4"
HEADSET_WITH_MIC = "14"
LID_ONLY = "1"


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/support/evdev_writer.c, compiled against the kernel's linux/input.h."""
    binary = tmp_path_factory.mktemp("evdev") / "evdev_writer"
    subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1", "-o",
                    str(binary), str(WRITER_SOURCE)], check=True, capture_output=True, timeout=60)
    return binary


def switch(value: int, at: float = 1_763_800_000.0) -> list[InputEvent]:
    """The headphone switch turned to `value`, then the report's end, as the kernel sends."""
    return [InputEvent(at, e.EV_SW, e.SW_HEADPHONE_INSERT, value),
            InputEvent(at, e.EV_SYN, e.SYN_REPORT, 0)]


def write_events(writer: Path, node: Path, events: list[InputEvent]) -> None:
    lines = "".join(f"{int(ev.time)} {round(ev.time % 1 * 1e6)} {ev.type} {ev.code} {ev.value}\n"
                    for ev in events)
    subprocess.run([str(writer), str(node)], input=lines, text=True, check=True,
                   capture_output=True, timeout=10)


class Machine:
    """/sys/class/input and /dev/input in a folder: input devices come and go."""

    def __init__(self, root: Path) -> None:
        self.sys = root / "sys" / "class" / "input"
        self.dev = root / "dev" / "input"
        self.sys.mkdir(parents=True)
        self.dev.mkdir(parents=True)

    def plug(self, event: str, name: str, switches: str = "0") -> Path:
        device = self.sys / event / "device"
        (device / "capabilities").mkdir(parents=True)
        (device / "name").write_text(name + "\n")
        (device / "capabilities" / "sw").write_text(switches + "\n")
        node = self.dev / event
        os.mkfifo(node)
        return node

    def unplug(self, event: str) -> None:
        for path in sorted((self.sys / event).rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        (self.sys / event).rmdir()
        (self.dev / event).unlink()


class FifoJack(EvdevJack):
    """The driver with one change: a FIFO has no EVIOCGSW, so the switch's state when the node
    is opened is given (`at_open`). Opened read-write, as an event node never ends."""

    at_open = False

    def _open_node(self, path: Path) -> int:
        return os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)

    def _switch_state(self, fd: int) -> bool:
        return self.at_open


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evdev_node, "REOPEN_S", 0.1)
    monkeypatch.setattr(evdev_node, "PRESENCE_CHECK_S", 0.05)


@pytest.fixture
def jacks() -> Iterator[list[EvdevJack]]:
    started: list[EvdevJack] = []
    yield started
    for jack in started:
        jack.close()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not true in time"
        time.sleep(0.01)


def test_the_switch_bitmaps_as_the_kernel_prints_them():
    assert has_headphone_switch(HEADPHONE_ONLY) and has_headphone_switch(HEADSET_WITH_MIC)
    assert not has_headphone_switch(LID_ONLY) and not has_headphone_switch("0")
    assert not has_headphone_switch("not hex")
    assert bitmap("1 0") == 1 << (8 * 8)  # two longs, most significant first
    assert eviocgsw(8) == 0x8008451B  # _IOC(_IOC_READ, 'E', 0x1b, 8), as linux/input.h has it


def test_the_jack_is_the_device_with_a_headphone_switch(tmp_path):
    machine = Machine(tmp_path)
    machine.plug("event0", "Power Button", LID_ONLY)
    machine.plug("event1", "AT Translated Set 2 keyboard")
    machine.plug("event4", "HDA Intel PCH Front Headphone", HEADPHONE_ONLY)
    machine.plug("event5", "HDA Intel PCH Headphone Mic", HEADSET_WITH_MIC)
    assert find_jack(None, None, machine.sys, machine.dev) == machine.dev / "event4"
    assert find_jack(None, "headphone mic", machine.sys, machine.dev) == machine.dev / "event5"
    assert find_jack(None, "keyboard", machine.sys, machine.dev) is None  # it has no switch
    assert find_jack(machine.dev / "event1", None) == machine.dev / "event1"
    assert find_jack(machine.dev / "event9", None) is None
    assert find_jack(None, None, tmp_path / "no-sysfs", machine.dev) is None


def test_a_headset_plugged_and_unplugged_is_followed(writer, tmp_path, jacks):
    machine = Machine(tmp_path)
    node = machine.plug("event4", "HDA Intel PCH Headphone", HEADPHONE_ONLY)
    jack = FifoJack(sys_dir=machine.sys, dev_dir=machine.dev)
    jacks.append(jack)
    assert isinstance(jack, Headset)
    wait_until(lambda: jack.health() == READY)
    assert jack.plugged() is False
    write_events(writer, node, switch(1))
    wait_until(jack.plugged)
    write_events(writer, node, switch(0))
    wait_until(lambda: not jack.plugged())
    # A microphone switch or a key on the same device changes nothing.
    write_events(writer, node, [InputEvent(0.0, e.EV_SW, e.SW_MICROPHONE_INSERT, 1),
                                InputEvent(0.0, e.EV_SYN, e.SYN_REPORT, 0)])
    time.sleep(0.2)
    assert jack.plugged() is False


def test_a_headset_already_in_when_the_jack_is_opened(tmp_path, jacks):
    machine = Machine(tmp_path)
    machine.plug("event4", "HDA Intel PCH Headphone", HEADPHONE_ONLY)

    class PluggedAtOpen(FifoJack):
        at_open = True

    jack = PluggedAtOpen(sys_dir=machine.sys, dev_dir=machine.dev)
    jacks.append(jack)
    wait_until(jack.plugged)


def test_lost_events_are_made_up_by_asking_the_switch(writer, tmp_path, jacks):
    machine = Machine(tmp_path)
    node = machine.plug("event4", "HDA Intel PCH Headphone", HEADPHONE_ONLY)
    jack = FifoJack(sys_dir=machine.sys, dev_dir=machine.dev)
    jacks.append(jack)
    wait_until(lambda: jack.health() == READY)
    jack.at_open = True  # the switch went on while the kernel's buffer overflowed
    write_events(writer, node, [InputEvent(0.0, e.EV_SYN, e.SYN_DROPPED, 0)])
    wait_until(jack.plugged)


def test_a_card_that_goes_away_takes_the_headset_with_it(writer, tmp_path, jacks):
    machine = Machine(tmp_path)
    node = machine.plug("event4", "USB Audio Headphone", HEADPHONE_ONLY)
    jack = FifoJack(match="usb audio", sys_dir=machine.sys, dev_dir=machine.dev)
    jacks.append(jack)
    wait_until(lambda: jack.health() == READY)
    write_events(writer, node, switch(1))
    wait_until(jack.plugged)
    machine.unplug("event4")
    wait_until(lambda: jack.health() == DeviceHealth(False, JACK_ABSENT))
    assert jack.plugged() is False
    node = machine.plug("event7", "USB Audio Headphone", HEADPHONE_ONLY)
    wait_until(lambda: jack.health() == READY)
    write_events(writer, node, switch(1))
    wait_until(jack.plugged)


def test_a_node_that_is_no_input_device_is_reported_and_never_read(tmp_path, jacks):
    machine = Machine(tmp_path)
    node = machine.plug("event4", "HDA Intel PCH Headphone", HEADPHONE_ONLY)
    holder = os.open(node, os.O_RDWR | os.O_NONBLOCK)
    try:
        os.write(holder, b"x" * 24)
        jack = EvdevJack(sys_dir=machine.sys, dev_dir=machine.dev)  # unmodified: EVIOCGSW
        jacks.append(jack)
        wait_until(lambda: jack.health() == DeviceHealth(False, NOT_INPUT_DEVICE))
        assert jack.plugged() is False
        assert os.read(holder, 48) == b"x" * 24, "nothing was read from it"
    finally:
        os.close(holder)


def test_no_jack_on_the_machine(tmp_path, jacks):
    machine = Machine(tmp_path)
    machine.plug("event0", "Power Button", LID_ONLY)
    jack = EvdevJack(sys_dir=machine.sys, dev_dir=machine.dev)
    jacks.append(jack)
    wait_until(lambda: jack.health() == DeviceHealth(False, JACK_ABSENT))
    assert jack.plugged() is False
    with pytest.raises(ValueError, match="non-empty"):
        EvdevJack(match=" ")
