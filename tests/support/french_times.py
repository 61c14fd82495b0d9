"""French times as the catalogs write them: "8 h 30" with no-break spaces around the "h", so
that a line never breaks inside a time (kiosk/locales/fr/LC_MESSAGES/kiosk.po, places.time)."""

from __future__ import annotations

import re

TIME = re.compile(r"(\d) h(?: (\d\d))?")


def nbsp_times(text: str) -> str:
    """`text` written with ordinary spaces, its times as the kiosk writes them."""
    return TIME.sub(lambda m: f"{m[1]}\u00a0h" + (f"\u00a0{m[2]}" if m[2] else ""), text)
