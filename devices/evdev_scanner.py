"""The real QR code and barcode scanner: a USB HID scanner read through Linux evdev.

A scanner in keyboard mode types its codes. Left to the desktop, those keys would land in
whatever text field has focus (and a scan on the wrong screen would type a number into a
citizen's request). So this driver opens the scanner's own event node and grabs it
(EVIOCGRAB, through python-evdev): from then on the kernel delivers its keys to the station
alone, not to X, not to Kivy. A background thread reads the struct input_event records,
decodes them in the layout the scanner is configured for (devices/evdev_keys.py), assembles a
code until Enter and queues it for `read()`.

The scanner is found by `device` (a node path, a /dev/input/by-id link or a udev symlink) or
by `match`, a part of its name under /dev/input/by-id (udev names a keyboard's event node
`usb-<vendor>_<product>…-event-kbd`). A Bluetooth scanner gets no by-id link: give it a udev
symlink and set `device`. Unplugged, the node disappears and health() says so; plugged back,
it is found, opened and grabbed again within a second.

Nothing physical raises: an absent, busy (grabbed by another program), unreadable or wrong
node is a health reason, and the thread retries. Keys are read only from a grabbed node, so a
scanner that cannot be grabbed is never half-used. The station's user must be allowed to open
the node (the `input` group, or a udev rule).
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Protocol

from evdev import InputDevice

from devices.evdev_keys import KeyDecoder
from devices.evdev_node import READY, NodeFollower
from devices.scanned_codes import CodeQueue
from devices.sim_scanner import SCANNER_ABSENT
from kiosk.core.devices import DeviceHealth, DeviceKind

BY_ID_DIR = Path("/dev/input/by-id")
"""Where udev (60-persistent-input.rules) links input nodes under stable, named paths."""
KEYBOARD_NODE_SUFFIX = "-event-kbd"
"""udev's suffix for the event node of a device that has keys (ID_INPUT_KEY)."""

READ_EVENTS = 64
"""Events taken per read: a scanned character is four to six events (press, release, Shift,
SYN_REPORT), so one read usually takes a dozen characters."""

NOT_INPUT_DEVICE = "scanner-not-input-device"
"""The configured path is not an evdev node (ENOTTY/EINVAL from its ioctls)."""
GRABBED_ELSEWHERE = "scanner-grabbed-elsewhere"
"""Another program holds the exclusive grab (EBUSY): a second station process, `evtest
--grab`, a remapping daemon."""
PERMISSION_DENIED = "scanner-permission-denied"
"""The station's user may not open the node (not in the `input` group, no udev rule)."""
OPEN_FAILED = "scanner-open-failed"
READER_FAILED = "scanner-reader-failed"
"""An unexpected error in the reader thread (logged with its type); it starts over."""

_REASONS = {
    errno.ENOENT: SCANNER_ABSENT, errno.ENODEV: SCANNER_ABSENT, errno.ENXIO: SCANNER_ABSENT,
    errno.EACCES: PERMISSION_DENIED, errno.EPERM: PERMISSION_DENIED,
    errno.EBUSY: GRABBED_ELSEWHERE,
    errno.ENOTTY: NOT_INPUT_DEVICE, errno.EINVAL: NOT_INPUT_DEVICE,
}


def failure_reason(err: OSError) -> str:
    """The health reason for a node that could not be opened and grabbed."""
    return _REASONS.get(err.errno or 0, OPEN_FAILED)


class OpenNode(Protocol):
    """An opened, grabbed event node (python-evdev's InputDevice is one)."""

    def fileno(self) -> int:
        """The descriptor the events are read from."""
        ...

    def close(self) -> None:
        """Release the grab and the node."""
        ...


class EvdevScanner(NodeFollower):
    """The `Scanner` port on a grabbed evdev node. Thread-safe; call close() to stop it."""

    kind = DeviceKind.SCANNER
    reader_failed = READER_FAILED
    read_events = READ_EVENTS

    def __init__(self, device: Path | None = None, match: str | None = None,
                 keymap: str = "us", *, by_id_dir: Path = BY_ID_DIR,
                 codes: CodeQueue | None = None) -> None:
        if (device is None) == (match is None):
            raise ValueError("give the scanner's device path or a part of its name, not both")
        if match is not None and (not match or "/" in match):
            raise ValueError("the name part must be non-empty and hold no '/'")
        KeyDecoder(keymap)  # an unknown keymap is a configuration error, raised here
        self.device = device
        self.match = match.lower() if match is not None else None
        self.keymap = keymap
        self.by_id_dir = by_id_dir
        self._codes = codes or CodeQueue()
        self._start("evdev-scanner")

    # -- the port ----------------------------------------------------------------------------

    def read(self) -> str | None:
        """The next scanned code not yet read, if any; never blocks."""
        return self._codes.get()

    # -- finding and opening the node ---------------------------------------------------------

    def find_node(self) -> Path | None:
        """The scanner's node as configured, if it is there now. With `match`, the first
        by-id keyboard node (in name order) whose name holds it, case ignored."""
        if self.device is not None:
            return self.device if self.device.exists() else None
        try:
            names = sorted(p.name for p in self.by_id_dir.iterdir())
        except OSError:  # no by-id directory: no input device with a stable name is plugged
            return None
        for name in names:
            path = self.by_id_dir / name
            if name.endswith(KEYBOARD_NODE_SUFFIX) and self.match in name.lower() and path.exists():
                return path
        return None

    def _open_node(self, path: Path) -> OpenNode:
        """The node, opened and grabbed; raises OSError when it cannot be (see `_REASONS`)."""
        device = InputDevice(str(path))
        try:
            device.grab()
        except OSError:
            device.close()
            raise
        return device

    # -- the reader thread ---------------------------------------------------------------------

    def _attempt(self) -> None:
        path = self.find_node()
        if path is None:
            self._set_health(DeviceHealth(False, SCANNER_ABSENT))
            return
        try:
            node = self._open_node(path)
        except OSError as err:
            self._set_health(DeviceHealth(False, failure_reason(err)))
            return
        try:
            self._set_health(READY)
            self._pump(node.fileno(), path)
        finally:
            node.close()
        if not self._stop.is_set():
            self._set_health(DeviceHealth(False, SCANNER_ABSENT))

    def _pump(self, fd: int, path: Path) -> None:
        """Read and decode until the node goes away or close() is called."""
        decoder = KeyDecoder(self.keymap)
        for event in self._events(fd, path):
            code = decoder.feed(event)
            if code is not None:
                self._codes.put(code)
