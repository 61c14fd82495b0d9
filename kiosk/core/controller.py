"""The core's single owner of `AppState`: it applies intents, device readings and the passing of
time, and tells listeners about each new state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.core import intents as i
from kiosk.core.central import Place
from kiosk.core.clock import Clock
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.events import EventType, Ident, record
from kiosk.core.flow_receipts import receipt_of
from kiosk.core.flows.base import (
    CodeScanned,
    Flow,
    FlowContext,
    FlowInput,
    FlowIntent,
    Step,
)
from kiosk.core.flows.registry import FLOW_STARTERS
from kiosk.core.places import EMPTY_DIRECTORY, PlaceDirectory
from kiosk.core.printing import (
    PrintAgain,
    PrintFailure,
    PrintReceipt,
    PrintResult,
    PrintStatus,
    PrintView,
    ReceiptDetails,
    failure_for,
    printer_view,
    same_receipt,
)
from kiosk.core.receipt import Receipt
from kiosk.core.session import CitizenSession, EndReason, IdlePhase, IdleTimer
from kiosk.core.state import AppState, Connectivity, FlowName, ScreenName, freeze_devices
from kiosk.settings.models import Settings

Listener = Callable[[AppState], None]
EffectSink = Callable[[Effect], None]
WallClock = Callable[[], datetime]


def initial_state(settings: Settings) -> AppState:
    """The state of a station that has just started: no session, devices not yet read."""
    required = frozenset(
        kind for kind in DeviceKind if getattr(settings.devices, kind.value).required
    )
    return AppState(
        devices=freeze_devices({}),
        required_devices=required,
        language=settings.languages.default,
        accessibility=settings.accessibility,
        languages=tuple(settings.languages.available),
    )


class KioskCore:
    """Holds the current `AppState` and changes it; nothing else does."""

    def __init__(self, settings: Settings, clock: Clock, wall_clock: WallClock | None = None,
                 places: PlaceDirectory = EMPTY_DIRECTORY) -> None:
        self._settings = settings
        self._places = places
        self._clock = clock
        zone = ZoneInfo(settings.site.timezone)
        self._wall_clock = wall_clock or (lambda: datetime.now(zone))
        self._state = initial_state(settings)
        self._timer: IdleTimer | None = None
        self._listeners: list[Listener] = []
        self._effect_sinks: list[EffectSink] = []
        site = settings.site
        self._receipt_details = ReceiptDetails(
            city=site.city,
            place=", ".join(p for p in (site.name, site.location.address) if p),
            tracking_url=settings.receipts.tracking_url, logo=settings.receipts.logo,
        )

    @property
    def state(self) -> AppState:
        """The current state."""
        return self._state

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every new state."""
        self._listeners.append(listener)

    def on_effect(self, sink: EffectSink) -> None:
        """Hand every effect a flow asks for to `sink` (the shell runs it off the UI thread)."""
        self._effect_sinks.append(sink)

    def _set(self, state: AppState) -> None:
        if state == self._state:
            return
        self._state = state
        for listener in list(self._listeners):
            listener(state)

    # -- intents ---------------------------------------------------------------------------

    def dispatch(self, intent: i.Intent | FlowInput | PrintAgain) -> None:
        """Apply what a screen asked for, after the time that has passed: a "continue" that
        arrives once the warning has run out does not bring the session back."""
        self.tick()
        state = self._state
        match intent:
            case i.StartSession():
                if state.session is None:
                    self._start_session()
            case i.EndSession():
                self.end_session(EndReason.FINISHED)
            case CodeScanned() if state.session is None:
                # A receipt shown to the scanner of an idle station: a session starts with it.
                self._start_session()
                self.dispatch(intent)
            case _ if state.session is None:
                # Anything else needs a session: a late touch after expiry changes nothing.
                return
            case i.StartAgain():
                state.session.wipe()
                self._set(replace(state, nav=(ScreenName.HOME,), flow=None,
                                  printing=PrintView(), session_rev=state.session_rev + 1))
            case i.ContinueSession():
                self._extend()
            case i.Open(screen=screen):
                if state.nav[-1:] != (screen,):
                    self._set(replace(state, nav=(*state.nav, screen)))
            case i.Back():
                flow = state.session.flow
                if state.nav[-1:] == (ScreenName.FLOW,) and isinstance(flow, Flow):
                    self._apply_step(flow.back(self._context()))
                elif len(state.nav) > 1:
                    self._set(replace(state, nav=state.nav[:-1]))
            case i.StartFlow(flow=name, param=param):
                starter = FLOW_STARTERS.get(name)
                if starter is not None:
                    record(EventType.FLOW_STARTED, session=state.session.id, flow=name)
                    self._apply_step(starter(self._context(), param), start=True)
            case EffectDone(effect=PrintReceipt()) | EffectFailed(effect=PrintReceipt()):
                self._print_outcome(intent)
            case PrintAgain():
                self._print_again()
            case EffectDone() | EffectFailed():
                self._effect_outcome(intent)
            case CodeScanned(code=code) if not isinstance(state.session.flow, Flow):
                # A receipt's QR code shown to the scanner outside any flow: track it.
                self.dispatch(i.StartFlow(FlowName.TRACKING, code))
            case FlowIntent():
                flow = state.session.flow
                if isinstance(flow, Flow):
                    self._apply_step(flow.handle(intent, self._context()))
            case i.SetLanguage(language=language):
                if language in state.languages and language != state.language:
                    record(EventType.LANGUAGE_CHANGED, session=state.session.id,
                           language=Ident(language))
                    self._set(replace(state, language=language))
                    self._relocalise_receipt()
            case i.Remember(key=key, value=value):
                if state.session.get(key) != value:
                    state.session.put(key, value)
                    self._set(replace(state, session_rev=state.session_rev + 1))

    # -- flows -----------------------------------------------------------------------------

    def _context(self) -> FlowContext:
        session = self._state.session
        location = self._settings.site.location
        return FlowContext(
            session_id=session.id if session else "",
            station_id=self._settings.station.id,
            language=self._state.language,
            now=self._wall_clock(),
            place=Place(lat=location.lat, long=location.long, address=location.address),
            places=self._places,
        )

    def _apply_step(self, step: Step, start: bool = False) -> None:
        state = self._state
        session = state.session
        if session is None:
            return
        session.flow = step.flow
        nav = state.nav
        if step.flow is None:
            nav = tuple(s for s in nav if s is not ScreenName.FLOW) or (ScreenName.HOME,)
            view = None
        else:
            if start and nav[-1:] != (ScreenName.FLOW,):
                nav = (*tuple(s for s in nav if s is not ScreenName.FLOW), ScreenName.FLOW)
            view = step.flow.view()
        self._set(replace(state, nav=nav, flow=view, session_rev=state.session_rev + 1))
        for effect in step.effects:
            record(EventType.EFFECT_REQUESTED, session=session.id, effect=Ident(effect.name),
                   effect_id=effect.effect_id)
            for sink in self._effect_sinks:
                sink(effect)
        if step.flow is not None:
            self._keep_receipt(step.flow)

    def _effect_outcome(self, outcome: EffectDone | EffectFailed) -> None:
        session = self._state.session
        flow = session.flow if session else None
        if session is None or outcome.effect.session_id != session.id or not isinstance(
            flow, Flow
        ):
            # An answer for a session that has ended: nobody must see it.
            record(EventType.EFFECT_DROPPED, effect=Ident(outcome.effect.name),
                   effect_id=outcome.effect.effect_id)
            return
        self._apply_step(flow.handle(outcome, self._context()))

    # -- receipts (kiosk/core/printing.py) -----------------------------------------------------

    def _keep_receipt(self, flow: object) -> None:
        """A flow that now has a receipt: keep it for the session and print it at once (with
        no usable printer, the screen shows the number and the QR code instead)."""
        session = self._state.session
        if session is None:
            return
        receipt = receipt_of(flow, self._context(), self._receipt_details, self._wall_clock())
        if receipt is None or same_receipt(receipt, session.receipt):
            return
        session.receipt = receipt
        self._print(receipt)

    def _relocalise_receipt(self) -> None:
        """After a language change, "Print again" prints the receipt in the new language
        (same number, same time); nothing is printed now."""
        session = self._state.session
        kept = session.receipt if session else None
        if session is None or kept is None:
            return
        again = receipt_of(session.flow, self._context(), self._receipt_details, kept.when)
        if same_receipt(again, kept):
            session.receipt = again

    def _print_again(self) -> None:
        state = self._state
        receipt = state.session.receipt if state.session else None
        if receipt is None or state.printing.status is PrintStatus.PRINTING:
            return
        if state.printer.usable:  # the button is hidden otherwise; a late tap does nothing
            self._print(receipt)

    def _print(self, receipt: Receipt) -> None:
        state = self._state
        session = state.session
        if session is None:
            return
        rev = state.session_rev + 1
        printer = state.printer
        if not printer.usable:
            failure = printer.problem or PrintFailure.ERROR
            record(EventType.PRINT_FAILED, logging.WARNING, session=session.id, sent=False,
                   failure=failure, reason=Ident(printer.reason))
            self._set(replace(state, session_rev=rev, printing=replace(
                state.printing, status=PrintStatus.FAILED, failure=failure, effect_id=None)))
            return
        effect = PrintReceipt(session_id=session.id, receipt=receipt)
        record(EventType.PRINT_REQUESTED, session=session.id, effect_id=effect.effect_id)
        self._set(replace(state, session_rev=rev, printing=replace(
            state.printing, status=PrintStatus.PRINTING, failure=None,
            effect_id=effect.effect_id)))
        for sink in self._effect_sinks:
            sink(effect)

    def _print_outcome(self, outcome: EffectDone | EffectFailed) -> None:
        """PRINTED only when the printer port said the job completed; FAILED otherwise."""
        state = self._state
        effect = outcome.effect
        if (state.session is None or effect.session_id != state.session.id
                or effect.effect_id != state.printing.effect_id):
            # A print of an ended session, or one the person started again over.
            record(EventType.EFFECT_DROPPED, effect=Ident(effect.name),
                   effect_id=effect.effect_id)
            return
        result = outcome.value if isinstance(outcome, EffectDone) else None
        if not isinstance(result, PrintResult):  # the handler failed: not printed
            result = PrintResult(printed=False)
        if result.health is not None:
            self.device_health(DeviceKind.PRINTER, result.health)
        state = self._state
        if result.printed:
            record(EventType.PRINT_COMPLETED, session=state.session.id,
                   effect_id=effect.effect_id)
            printing = replace(state.printing, status=PrintStatus.PRINTED, failure=None,
                               printed=state.printing.printed + 1)
        else:
            failure = failure_for(result.reason)
            record(EventType.PRINT_FAILED, logging.WARNING, session=state.session.id, sent=True,
                   effect_id=effect.effect_id, failure=failure,
                   reason=Ident(result.reason or "none"))
            printing = replace(state.printing, status=PrintStatus.FAILED, failure=failure)
        self._set(replace(state, printing=printing))

    def set_connectivity(self, connectivity: Connectivity) -> None:
        """What the outbox sender last saw of the central systems."""
        if connectivity is not self._state.connectivity:
            record(EventType.CONNECTIVITY, connectivity=connectivity)
            self._set(replace(self._state, connectivity=connectivity))

    def activity(self) -> None:
        """A touch or a key anywhere: the person is still there."""
        if self._timer is not None:
            self._timer.activity()

    def _start_session(self) -> None:
        session = CitizenSession(started_at=self._clock())
        self._timer = IdleTimer(self._clock, self._settings.session.idle_s,
                                self._settings.session.warning_s)
        record(EventType.SESSION_STARTED, session=session.id)
        self._set(replace(self._state, session=session, nav=(ScreenName.HOME,),
                          warning_remaining_s=None))

    def _extend(self) -> None:
        if self._timer is None or self._state.session is None:
            return
        if self._state.warning_remaining_s is not None:
            record(EventType.SESSION_EXTENDED, session=self._state.session.id)
        self._timer.extend()
        self._set(replace(self._state, warning_remaining_s=None))

    def end_session(self, reason: EndReason) -> None:
        """Drop everything personal and return language and accessibility to defaults."""
        session = self._state.session
        if session is None:
            return
        record(EventType.SESSION_ENDED, session=session.id, reason=reason)
        session.wipe()
        self._timer = None
        fresh = initial_state(self._settings)
        self._set(replace(fresh, devices=self._state.devices,
                          connectivity=self._state.connectivity))

    # -- time and devices -------------------------------------------------------------------

    def tick(self) -> None:
        """Let time pass: show, update or act on the inactivity warning."""
        if self._timer is None or self._state.session is None:
            return
        if self._state.printing.status is PrintStatus.PRINTING:
            # The person is waiting for the receipt, not gone: the inactivity count starts
            # again when the printer has answered (the job is followed for a bounded time).
            self._timer.extend()
        status = self._timer.status()
        if status.phase is IdlePhase.EXPIRED:
            self.end_session(EndReason.TIMEOUT)
        elif status.phase is IdlePhase.WARNING:
            if self._state.warning_remaining_s is None:
                record(EventType.SESSION_WARNED, session=self._state.session.id,
                       seconds=status.remaining_s or 0)
            self._set(replace(self._state, warning_remaining_s=status.remaining_s))
        elif self._state.warning_remaining_s is not None:
            self._set(replace(self._state, warning_remaining_s=None))

    def device_health(self, kind: DeviceKind, health: DeviceHealth) -> None:
        """A new reading of a device."""
        if self._state.health(kind) == health:
            return
        level = logging.INFO if health.ready else logging.WARNING
        record(EventType.DEVICE_STATUS, level, device=kind, ready=health.ready,
               reason=Ident(health.reason))
        if kind is DeviceKind.PRINTER:
            before, after = self._state.printer, printer_view(health)
            if after != before:
                record(EventType.PRINTER_STATE, level, usable=after.usable,
                       reason=Ident(after.reason))
        was_failing = bool(self._state.failing_devices)
        devices = dict(self._state.devices)
        devices[kind] = health
        self._set(replace(self._state, devices=freeze_devices(devices)))
        failing = self._state.failing_devices
        if failing and not was_failing:
            record(EventType.OUT_OF_ORDER, logging.WARNING, device=failing[0])
        elif was_failing and not failing:
            record(EventType.BACK_IN_SERVICE)
