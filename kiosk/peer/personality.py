"""The peer's Open311 side standing for a server we did not write: `kiosk peer --personality
no-idempotency,5xx-after-storing`. Each trait is a way real GeoReport v2 servers behave
(docs/central-systems.md), so that the kiosk's tests meet them on purpose. Without traits the
peer follows the spec, and honours the Idempotency-Key header as well.

Traits touch the Open311 routes only; w.c.s., Chrono and the control routes are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Trait(StrEnum):
    """One behaviour of a foreign Open311 server."""

    #: the Idempotency-Key header is ignored: it is not part of GeoReport v2
    NO_IDEMPOTENCY = "no-idempotency"
    #: POST requests stores the request, then answers 500 (a failure on the way out)
    ERROR_AFTER_STORING = "5xx-after-storing"
    #: POST requests stores the request, then closes the connection without an answer
    DROP_AFTER_STORING = "drop-after-storing"
    #: POST requests stores the request, then sends its answer one byte every half second
    TIMEOUT_AFTER_STORING = "timeout-after-storing"
    #: GET requests and servicerequestupdates ignore their parameters: the first answers its
    #: default list (the last 90 days, at most 1000), the second its whole feed
    IGNORED_FILTERS = "ignored-filters"
    #: the .json routes do not exist (404); discovery announces text/xml only
    XML_ONLY = "xml-only"
    #: every Open311 answer starts with a UTF-8 byte-order mark (some Windows-hosted servers)
    BOM = "bom"


#: What an after-storing trait does to the answer of a POST that stored a request.
AFTER_STORING = (Trait.ERROR_AFTER_STORING, Trait.DROP_AFTER_STORING,
                 Trait.TIMEOUT_AFTER_STORING)


@dataclass(frozen=True)
class Personality:
    """The traits in force (none: a faithful server)."""

    traits: frozenset[Trait] = frozenset()

    def __post_init__(self) -> None:
        chosen = [t for t in AFTER_STORING if t in self.traits]
        if len(chosen) > 1:
            raise ValueError(f"choose one of {', '.join(chosen)}: a POST ends one way")

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
