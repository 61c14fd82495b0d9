"""Message catalogs (gettext, domain `kiosk`), one directory per language."""

from __future__ import annotations

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
DOMAIN = "kiosk"


def shipped_languages() -> frozenset[str]:
    """Languages that have a compiled catalog in the package."""
    return frozenset(
        p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    )
