"""Comparing what people type with what the kiosk holds: case and accents do not count
("demarche" finds "Démarche", "Hotel de ville" is "Hôtel de Ville")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
