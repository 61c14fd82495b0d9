"""The real headphone jack: the switch the sound card reports through the Linux input layer.

A sound card with jack detection (HDA codecs, most USB and SoC cards) gives the kernel an input
device, named after the card ("HDA Intel PCH Headphone", "… Front Headphone"), whose
SW_HEADPHONE_INSERT switch is 1 while a plug is in the jack (Documentation/input/event-codes.rst,
EV_SW). This driver finds that device (by `device`, or in /sys/class/input the first device with
that switch, or the first whose name holds `match`), reads the switch's state when it opens it
(EVIOCGSW) and follows its EV_SW events on a thread of its own. The node is only read, never
grabbed: the desktop's sound server may watch the same jack.

Nothing physical raises: an absent, unreadable or wrong node is a health reason, the headset
counts as unplugged meanwhile, and the thread tries again every second.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
from pathlib import Path

from evdev import ecodes as e

from devices.evdev_node import READY, NodeFollower
from devices.sim_headset import JACK_ABSENT
from kiosk.core.devices import DeviceHealth, DeviceKind

SYS_INPUT_DIR = Path("/sys/class/input")
"""Where the kernel lists input devices: eventN/device/name and eventN/device/capabilities/sw."""
DEV_INPUT_DIR = Path("/dev/input")

BITS_PER_LONG = struct.calcsize("l") * 8
"""The kernel prints capability bitmaps as hexadecimal longs, most significant first."""
SWITCH_BYTES = 8
"""Room for the switch bitmap EVIOCGSW fills (SW_MAX is 0x10: two bytes are used)."""


def eviocgsw(length: int) -> int:
    """The EVIOCGSW(len) request: _IOC(_IOC_READ, 'E', 0x1b, len) (linux/input.h)."""
    return (2 << 30) | (length << 16) | (ord("E") << 8) | 0x1B


READ_EVENTS = 16
"""Events taken per read: a plug in or out is two (EV_SW, SYN_REPORT)."""
NOT_INPUT_DEVICE = "jack-not-input-device"
"""The node answers no evdev ioctl (ENOTTY, EINVAL)."""
PERMISSION_DENIED = "jack-permission-denied"
"""The station's user may not read the node (the `input` group, or a udev rule)."""
OPEN_FAILED = "jack-open-failed"
READER_FAILED = "jack-reader-failed"

_REASONS = {
    errno.ENOENT: JACK_ABSENT, errno.ENODEV: JACK_ABSENT, errno.ENXIO: JACK_ABSENT,
    errno.EACCES: PERMISSION_DENIED, errno.EPERM: PERMISSION_DENIED,
    errno.ENOTTY: NOT_INPUT_DEVICE, errno.EINVAL: NOT_INPUT_DEVICE,
}


def failure_reason(err: OSError) -> str:
    """The health reason for a node that could not be opened or read."""
    return _REASONS.get(err.errno or 0, OPEN_FAILED)


def bitmap(text: str) -> int:
    """A capability bitmap as sysfs prints it ("3c", "1 0": longs, most significant first)."""
    value = 0
    for word in text.split():
        value = (value << BITS_PER_LONG) | int(word, 16)
    return value


def has_headphone_switch(capabilities: str) -> bool:
    """Whether a device's `capabilities/sw` includes SW_HEADPHONE_INSERT."""
    try:
        return bool(bitmap(capabilities) >> e.SW_HEADPHONE_INSERT & 1)
    except ValueError:
        return False


def find_jack(device: Path | None, match: str | None, sys_dir: Path = SYS_INPUT_DIR,
              dev_dir: Path = DEV_INPUT_DIR) -> Path | None:
    """The jack's node, if it is there now: `device`, or the first input device (in name order)
    with a headphone switch, whose name holds `match` (case ignored) if given."""
    if device is not None:
        return device if device.exists() else None
    try:
        entries = sorted(p for p in sys_dir.iterdir() if p.name.startswith("event"))
    except OSError:
        return None
    for entry in entries:
        try:
            capabilities = (entry / "device" / "capabilities" / "sw").read_text()
            name = (entry / "device" / "name").read_text().strip()
        except OSError:
            continue
        if not has_headphone_switch(capabilities):
            continue
        if match is not None and match.lower() not in name.lower():
            continue
        node = dev_dir / entry.name
        if node.exists():
            return node
    return None


class EvdevJack(NodeFollower):
    """The `Headset` port on the jack's input device. Thread-safe; call close() to stop it."""

    kind = DeviceKind.HEADSET
    reader_failed = READER_FAILED
    read_events = READ_EVENTS

    def __init__(self, device: Path | None = None, match: str | None = None, *,
                 sys_dir: Path = SYS_INPUT_DIR, dev_dir: Path = DEV_INPUT_DIR) -> None:
        if match is not None and (not match.strip() or "/" in match):
            raise ValueError("the name part must be non-empty and hold no '/'")
        self.device = device
        self.match = match.lower() if match is not None else None
        self.sys_dir = sys_dir
        self.dev_dir = dev_dir
        self._plugged = False
        self._start("headset-jack")

    # -- the port ----------------------------------------------------------------------------

    def plugged(self) -> bool:
        """Whether a headset is in the jack (False while the jack cannot be read)."""
        with self._lock:
            return self._plugged

    # -- finding and opening the node ---------------------------------------------------------

    def find_node(self) -> Path | None:
        """The jack's node as configured, if it is there now."""
        return find_jack(self.device, self.match, self.sys_dir, self.dev_dir)

    def _open_node(self, path: Path) -> int:
        """The node, opened for reading; raises OSError when it cannot be."""
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)

    def _switch_state(self, fd: int) -> bool:
        """Whether the headphone switch is on now (EVIOCGSW); raises OSError on a node that
        is not an input device."""
        state = bytearray(SWITCH_BYTES)
        fcntl.ioctl(fd, eviocgsw(SWITCH_BYTES), state)
        return bool(int.from_bytes(state, "little") >> e.SW_HEADPHONE_INSERT & 1)

    # -- the reader thread ---------------------------------------------------------------------

    def _failed(self, health: DeviceHealth) -> None:
        self._set(health, False)

    def _attempt(self) -> None:
        path = self.find_node()
        if path is None:
            self._set(DeviceHealth(False, JACK_ABSENT), False)
            return
        try:
            fd = self._open_node(path)
        except OSError as err:
            self._set(DeviceHealth(False, failure_reason(err)), False)
            return
        try:
            try:
                plugged = self._switch_state(fd)
            except OSError as err:
                self._set(DeviceHealth(False, failure_reason(err)), False)
                return
            self._set(READY, plugged)
            self._pump(fd, path)
        finally:
            os.close(fd)
        if not self._stop.is_set():
            self._set(DeviceHealth(False, JACK_ABSENT), False)

    def _pump(self, fd: int, path: Path) -> None:
        """Follow the switch until the node goes away or close() is called."""
        for event in self._events(fd, path):
            if event.type == e.EV_SW and event.code == e.SW_HEADPHONE_INSERT:
                self._set(READY, event.value != 0)
            elif event.type == e.EV_SYN and event.code == e.SYN_DROPPED:
                # Events were lost: ask the switch itself.
                self._set(READY, self._switch_state(fd))

    def _set(self, health: DeviceHealth, plugged: bool) -> None:
        with self._lock:
            self._plugged = plugged
            self._health_changed(health)
