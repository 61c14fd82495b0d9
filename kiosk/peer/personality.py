"""The peer's Open311 side standing for a server we did not write: `kiosk peer --personality
no-idempotency,5xx-after-storing`. Each trait is a way real GeoReport v2 servers behave
(docs/central-systems.md), so that the kiosk's tests meet them on purpose. Without traits the
peer follows the spec, and honours the Idempotency-Key header as well.

Traits touch the Open311 routes only; w.c.s., Chrono and the control routes are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.settings.models import PEER_AFTER_STORING as AFTER_STORING
from kiosk.settings.models import PeerTrait as Trait
from kiosk.settings.models import check_peer_traits

__all__ = ["AFTER_STORING", "FAITHFUL", "Personality", "Trait"]


@dataclass(frozen=True)
class Personality:
    """The traits in force (none: a faithful server). The traits themselves are listed, with
    what each does, where a station's configuration names them (kiosk.settings.models,
    PeerTrait)."""

    traits: frozenset[Trait] = frozenset()

    def __post_init__(self) -> None:
        check_peer_traits(self.traits)

    def __contains__(self, trait: object) -> bool:
        return trait in self.traits

    def __str__(self) -> str:
        return ",".join(t.value for t in Trait if t in self.traits) or "faithful"

    @classmethod
    def parse(cls, names: str | Iterable[str]) -> Personality:
        """Traits from a comma-separated list or from names; ValueError names the unknown
        ones and the known ones."""
        if isinstance(names, str):
            names = names.split(",")
        wanted = [name.strip() for name in names if name.strip()]
        known = {t.value: t for t in Trait}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValueError(f"unknown personality trait(s) {', '.join(unknown)}; known: "
                             f"{', '.join(known)}")
        return cls(frozenset(known[name] for name in wanted))


FAITHFUL = Personality()
