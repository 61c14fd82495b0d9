"""What every route of the peer needs: the seed, the credentials in force, the store, the clock,
the Publik nonces already seen, the peer's own base URL (for the absolute URLs it returns) and
the personality of its Open311 side."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.peer.personality import FAITHFUL, Personality
from kiosk.peer.seed import PeerCredentials, PeerSeed
from kiosk.peer.store import PeerClock, PeerStore
from kiosk.protocols.publik_signing import MAX_SKEW


class NonceRegistry:
    """Publik nonces seen recently (w.c.s. refuses a nonce used twice). A nonce only needs
    remembering while its timestamp could still pass the ±30 s check, so entries older than
    twice that window are forgotten."""

    KEEP_S = 2 * MAX_SKEW.total_seconds()

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def seen(self, nonce: str) -> bool:
        """Record `nonce`; whether it had been seen before."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {n: t for n, t in self._seen.items() if now - t < self.KEEP_S}
            if nonce in self._seen and now - self._seen[nonce] < self.KEEP_S:
                return True
            self._seen[nonce] = now
            return False


@dataclass
class PeerContext:
    """The shared state of one running peer."""

    seed: PeerSeed
    credentials: PeerCredentials
    store: PeerStore
    clock: PeerClock
    base_url: str
    nonces: NonceRegistry = field(default_factory=NonceRegistry)
    personality: Personality = FAITHFUL

    @property
    def tz(self) -> ZoneInfo:
        """The city's time zone."""
        return ZoneInfo(self.seed.city.timezone)

    def local(self, moment: datetime) -> datetime:
        """An instant in the city's local time."""
        return moment.astimezone(self.tz)

    def stamp(self, moment: datetime) -> str:
        """An instant as Open311 shows it: W3C/ISO 8601 local time with its offset."""
        return self.local(moment).isoformat(timespec="seconds")
