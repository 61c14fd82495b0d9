"""sd_notify from the UI loop: READY=1 after the first interactive frame, WATCHDOG=1 from a
Kivy clock event, so that a frozen UI stops the pings and systemd restarts the station."""

from __future__ import annotations

import os

import sdnotify

# sd_watchdog_enabled(3): ping at least twice per WATCHDOG_USEC.
PINGS_PER_PERIOD = 2


class SystemdLink:
    """Messages to systemd; does nothing when the app is not started by systemd."""

    def __init__(self) -> None:
        self.enabled = bool(os.environ.get("NOTIFY_SOCKET"))
        self._notifier = sdnotify.SystemdNotifier() if self.enabled else None

    def _send(self, message: str) -> None:
        if self._notifier is not None:
            self._notifier.notify(message)

    def ready(self) -> None:
        """The first interactive frame is on screen."""
        self._send("READY=1")

    def watchdog(self) -> None:
        """The UI loop is alive."""
        self._send("WATCHDOG=1")

    def status(self, text: str) -> None:
        """A one-line status for `systemctl status` (never personal data)."""
        self._send(f"STATUS={text}")

    def stopping(self) -> None:
        """The app is shutting down on purpose."""
        self._send("STOPPING=1")

    def watchdog_interval_s(self) -> float | None:
        """How often to ping, from WATCHDOG_USEC, or None when no watchdog is set."""
        usec = os.environ.get("WATCHDOG_USEC", "")
        if not self.enabled or not usec.isdigit() or int(usec) == 0:
            return None
        return int(usec) / 1_000_000 / PINGS_PER_PERIOD
