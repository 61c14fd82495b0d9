"""Connectivity as the outbox sender sees it: ONLINE, DEGRADED or OFFLINE, derived from the
results of calls to the central.

The rule
- ONLINE after an answer that came within `slow_s` (3 s by default): a success, or a refusal
  about the item itself (rejected, not found, conflict), which still proves the central works.
- DEGRADED after a success or a refusal slower than `slow_s`, after a server error, a
  malformed answer or an authorisation refusal (the central is up but cannot take
  submissions), and after the first unreachable/time-limit failures.
- OFFLINE after `offline_after` (3) unreachable/time-limit failures in a row with no answer
  in between; the next answer of any kind ends it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.central import CentralFailure
from kiosk.core.state import Connectivity

# Three connection failures in a row: a single dropped connection is not an outage.
DEFAULT_OFFLINE_AFTER = 3
# An answer slower than this is "slow" (a third of the default 10 s call time limit).
DEFAULT_SLOW_S = 3.0

_CONNECTION_FAILURES = frozenset({CentralFailure.UNREACHABLE, CentralFailure.TIMEOUT})
_CENTRAL_UNWELL = frozenset({CentralFailure.SERVER_ERROR, CentralFailure.MALFORMED,
                             CentralFailure.UNAUTHORISED})


@dataclass(frozen=True)
class ConnectivityRule:
    """The thresholds of the connectivity rule (module docstring)."""

    offline_after: int = DEFAULT_OFFLINE_AFTER
    slow_s: float = DEFAULT_SLOW_S


DEFAULT_RULE = ConnectivityRule()


class ConnectivityTracker:
    """Derives connectivity from the results of calls to the central (pure logic)."""

    def __init__(self, rule: ConnectivityRule | None = None,
                 initial: Connectivity = Connectivity.ONLINE) -> None:
        self.rule = rule or DEFAULT_RULE
        self.state = initial
        #: unreachable/time-limit failures since the last answer
        self.streak = 0

    def observe(self, failure: CentralFailure | None, latency_s: float) -> Connectivity | None:
        """Take one call's result (None: success); returns the new state if it changed."""
        if failure in _CONNECTION_FAILURES:
            self.streak += 1
            new = (Connectivity.OFFLINE if self.streak >= self.rule.offline_after
                   else Connectivity.DEGRADED)
        else:
            self.streak = 0
            if failure in _CENTRAL_UNWELL or latency_s > self.rule.slow_s:
                new = Connectivity.DEGRADED
            else:
                new = Connectivity.ONLINE
        if new is self.state:
            return None
        self.state = new
        return new
