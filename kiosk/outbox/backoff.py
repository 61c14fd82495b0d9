"""How long to wait before sending again: exponential backoff with full jitter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Exponential backoff with "Full Jitter": wait = random_between(0, min(cap, base * 2**n)) after
# the n-th failure in a row. AWS Architecture Blog, Marc Brooker, "Exponential Backoff And
# Jitter" (2015, https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
# of the variants compared there, full jitter does the least total work and spreads the
# retries of many stations, so a central coming back is not hit by all of them at once.
DEFAULT_BACKOFF_BASE_S = 1.0
DEFAULT_BACKOFF_CAP_S = 300.0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter (see DEFAULT_BACKOFF_BASE_S)."""

    base_s: float = DEFAULT_BACKOFF_BASE_S
    cap_s: float = DEFAULT_BACKOFF_CAP_S

    def __post_init__(self) -> None:
        if not 0 < self.base_s <= self.cap_s:
            raise ValueError("backoff: 0 < base_s <= cap_s")

    def ceiling_s(self, failures: int) -> float:
        """The longest wait after `failures` failures in a row (1 → base, then doubling)."""
        exponent = min(max(failures, 1) - 1, 64)  # 2**64 × base is past any cap
        return min(self.cap_s, self.base_s * 2.0 ** exponent)

    def delay_s(self, failures: int, uniform: Callable[[], float]) -> float:
        """A wait drawn uniformly in [0, ceiling); `uniform` returns a float in [0, 1)."""
        return uniform() * self.ceiling_s(failures)


DEFAULT_BACKOFF = Backoff()
"""1 s doubling up to 5 min."""
