"""What runs the maintenance screen's effects (kiosk/core/assist.py): the test print through
the station's own printing handler, the card test through the badge desk, the central test
through the same read as a visitor's "Find a service", the recent event types, and the restart.
Nothing here decides anything; each returns a `CheckResult` or raises as any handler does."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.core.assist import (
    CardTest,
    CentralTest,
    CheckResult,
    CheckStatus,
    PrintTest,
    ReadStationFacts,
    RecentEvent,
    RestartStation,
    StationFacts,
)
from kiosk.core.effects import EffectHandler
from kiosk.core.events import LOGGER
from kiosk.core.flows.services import LoadCatalogue
from kiosk.core.printing import PrintReceipt, PrintResult

RECENT_EVENTS = 40
"""Event types kept for the maintenance screen: a screenful."""


class RecentEvents(logging.Handler):
    """The types of the last events the station recorded, with their time and level. Only the
    type, the first word of an event's line (kiosk/core/events.py): never its fields."""

    def __init__(self, size: int = RECENT_EVENTS) -> None:
        super().__init__(logging.INFO)
        self._kept: deque[RecentEvent] = deque(maxlen=size)
        self._guard = threading.Lock()

    def attach(self) -> None:
        """Listen to the event log (at least from INFO, where a station logs its events)."""
        if LOGGER.getEffectiveLevel() > logging.INFO:
            LOGGER.setLevel(logging.INFO)
        LOGGER.addHandler(self)

    def detach(self) -> None:
        """Stop listening."""
        LOGGER.removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the event's type."""
        event = str(record.msg).split(" ", 1)[0]
        at = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        with self._guard:
            self._kept.append(RecentEvent(at, record.levelname.lower(), event))

    def read(self) -> tuple[RecentEvent, ...]:
        """The events kept, the newest first."""
        with self._guard:
            return tuple(reversed(self._kept))


def check_handlers(recent: RecentEvents, card_test: Callable[[], CheckResult],
                   printing: EffectHandler, catalogue: EffectHandler,
                   restart: Callable[[], None],
                   config_version: Callable[[], str]) -> dict[type, EffectHandler]:
    """The handlers of the maintenance effects, over the station's own handlers for printing
    (`PrintReceipt`) and the catalogue (`LoadCatalogue`), and the version of the configuration
    in force as the station's heartbeats report it."""

    def print_test(effect: PrintTest) -> CheckResult:
        started = time.monotonic()
        result: Any = printing(PrintReceipt(session_id="", receipt=effect.receipt))
        ms = _ms(started)
        if isinstance(result, PrintResult) and result.printed:
            return CheckResult(CheckStatus.PASSED, "", ms)
        reason = result.reason if isinstance(result, PrintResult) else "no-result"
        return CheckResult(CheckStatus.FAILED, reason or "job-failed", ms)

    def central_test(_effect: CentralTest) -> CheckResult:
        started = time.monotonic()
        catalogue(LoadCatalogue(session_id=""))  # raises CentralError when it fails
        return CheckResult(CheckStatus.PASSED, "", _ms(started))

    def facts(_effect: ReadStationFacts) -> StationFacts:
        return StationFacts(recent.read(), config_version())

    def restart_station(_effect: RestartStation) -> None:
        restart()

    return {PrintTest: print_test, CardTest: lambda _effect: card_test(),
            CentralTest: central_test, ReadStationFacts: facts,
            RestartStation: restart_station}


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
