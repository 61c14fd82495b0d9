"""Runs the core's effects on worker threads and hands each outcome back, so that a slow
central or printer never freezes the screen and no exception ever reaches a Kivy callback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from kiosk.core.central import CentralError, CentralFailure
from kiosk.core.effects import Effect, EffectDone, EffectFailed, EffectHandler, handler_for
from kiosk.core.events import EventType, Ident, record

Deliver = Callable[[EffectDone | EffectFailed], None]
# Two workers: a person waits on at most one answer at a time; the second keeps a slow
# print job from delaying a central call.
WORKERS = 2


class EffectRunner:
    """Effects in, outcomes out (through `deliver`, which must hop to the UI thread)."""

    def __init__(self, handlers: Mapping[type, EffectHandler], deliver: Deliver) -> None:
        self._handlers = dict(handlers)
        self._deliver = deliver
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="effect")

    def submit(self, effect: Effect) -> None:
        """Run `effect` on a worker."""
        self._pool.submit(self._run, effect)

    def _run(self, effect: Effect) -> None:
        handler = handler_for(type(effect), self._handlers)
        if handler is None:
            record(EventType.EFFECT_FAILED, logging.ERROR, effect=Ident(effect.name),
                   effect_id=effect.effect_id, failure=Ident("no-handler"))
            self._deliver(EffectFailed(effect, CentralFailure.REJECTED))
            return
        try:
            value = handler(effect)
        except CentralError as err:
            record(EventType.EFFECT_FAILED, logging.WARNING, effect=Ident(effect.name),
                   effect_id=effect.effect_id, **err.log_fields())
            self._deliver(EffectFailed(effect, err.failure))
        except Exception as err:  # a bug in a handler: the person gets a clear failure
            record(EventType.EFFECT_FAILED, logging.ERROR, effect=Ident(effect.name),
                   effect_id=effect.effect_id, error=Ident(type(err).__name__))
            self._deliver(EffectFailed(effect, CentralFailure.MALFORMED))
        else:
            record(EventType.EFFECT_DONE, effect=Ident(effect.name), effect_id=effect.effect_id)
            self._deliver(EffectDone(effect, value))

    def stop(self) -> None:
        """Stop taking effects; running ones finish on their own."""
        self._pool.shutdown(wait=False, cancel_futures=True)
