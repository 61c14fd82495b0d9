"""The core's single owner of `AppState`: it applies intents, device readings and the passing of
time, and tells listeners about each new state.

Every change is a new state value (`_commit`); flows and printing give their next value and the
effects to run (kiosk/core/flows/, kiosk/core/printing.py), and the effects go to the shell
only once the new state is in place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.core import intents as i
from kiosk.core import printing
from kiosk.core.central import Place
from kiosk.core.clock import Clock
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.events import EventType, Ident, record
from kiosk.core.flows import registry
from kiosk.core.flows.base import CodeScanned, Flow, FlowContext, FlowInput, FlowIntent, Step
from kiosk.core.places import EMPTY_DIRECTORY, PlaceDirectory
from kiosk.core.printing import PrintAgain, PrintReceipt, PrintView, ReceiptDetails, printer_view
from kiosk.core.receipt import Receipt
from kiosk.core.session import CitizenSession, EndReason, IdlePhase, IdleTimer
from kiosk.core.speech_settings import with_speech
from kiosk.core.state import AppState, Connectivity, Screens, freeze_devices
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


def receipt_details(settings: Settings) -> ReceiptDetails:
    """What every receipt of the station says of it (settings.site, settings.receipts)."""
    site = settings.site
    return ReceiptDetails(
        city=site.city, place=", ".join(p for p in (site.name, site.location.address) if p),
        tracking_url=settings.receipts.tracking_url, logo=settings.receipts.logo,
    )


class KioskCore:
    """Holds the current `AppState` and changes it; nothing else does."""

    def __init__(self, settings: Settings, clock: Clock, wall_clock: WallClock | None = None,
                 places: PlaceDirectory = EMPTY_DIRECTORY) -> None:
        self._settings = settings
        self._places = places
        self._clock = clock
        self._wall_clock = wall_clock or (
            lambda: datetime.now(ZoneInfo(self._settings.site.timezone)))
        self._state = initial_state(settings)
        self._timer: IdleTimer | None = None
        self._listeners: list[Listener] = []
        self._effect_sinks: list[EffectSink] = []
        self._receipt_details = receipt_details(settings)

    @property
    def state(self) -> AppState:
        """The current state."""
        return self._state

    def reconfigure(self, settings: Settings, places: PlaceDirectory) -> bool:
        """Take new settings and places (a configuration changed, kiosk/shell/reload.py): only
        between sessions, so that nobody's session changes under them. The languages, the
        accessibility defaults and the required devices start again from them. Returns False,
        changing nothing, while a session is open."""
        if self._state.session is not None:
            return False
        self._settings, self._places = settings, places
        self._receipt_details = receipt_details(settings)
        self._commit(replace(initial_state(settings), devices=self._state.devices,
                             connectivity=self._state.connectivity))
        return True

    @property
    def places(self) -> PlaceDirectory:
        """The city's places, read at start (the attract screen's line of the day)."""
        return self._places

    def now(self) -> datetime:
        """The wall-clock time, as the flows see it."""
        return self._wall_clock()

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every new state."""
        self._listeners.append(listener)

    def on_effect(self, sink: EffectSink) -> None:
        """Hand every effect a flow asks for to `sink` (the shell runs it off the UI thread)."""
        self._effect_sinks.append(sink)

    def _commit(self, state: AppState, effects: tuple[Effect, ...] = ()) -> None:
        """Make `state` the current state, tell the listeners, then hand over `effects`."""
        if state != self._state:
            self._state = state
            for listener in list(self._listeners):
                listener(state)
        for effect in effects:
            for sink in self._effect_sinks:
                sink(effect)

    # -- intents ---------------------------------------------------------------------------

    def dispatch(self, intent: i.Intent | FlowInput | PrintAgain) -> None:
        """Apply what a screen asked for, after the time that has passed: a "continue" that
        arrives once the warning has run out does not bring the session back."""
        self.tick()
        state = self._state
        session = state.session
        match intent:
            case i.StartSession():
                if session is None:
                    self._start_session()
            case i.EndSession():
                self.end_session(EndReason.FINISHED)
            case CodeScanned() if session is None:
                # A receipt shown to the scanner of an idle station: a session starts with it.
                self._start_session()
                self.dispatch(intent)
            case i.SetSpeech():
                # Also before a session: the attract screen offers speech.
                self._set_speech(intent)
            case _ if session is None:
                # Anything else needs a session: a late touch after expiry changes nothing.
                return
            case i.StartAgain():
                self._commit(replace(state, session=session.cleared(), nav=(Screens.HOME,),
                                     printing=PrintView()))
            case i.ContinueSession():
                self._extend()
            case i.Open(screen=screen):
                if state.nav[-1:] != (screen,):
                    self._commit(replace(state, nav=(*state.nav, screen)))
            case i.Back():
                if state.nav[-1:] == (Screens.FLOW,) and session.flow is not None:
                    self._apply_step(session.flow.back(self._context()))
                elif len(state.nav) > 1:
                    self._commit(replace(state, nav=state.nav[:-1]))
            case i.StartFlow(flow=name, param=param):
                self._start_flow(name, param)
            case EffectDone(effect=PrintReceipt()) | EffectFailed(effect=PrintReceipt()):
                health = printing.job_health(intent)
                if health is not None:
                    self.device_health(DeviceKind.PRINTER, health)
                self._commit(printing.job_ended(self._state, intent))
            case PrintAgain():
                self._commit(*printing.print_again(state))
            case EffectDone() | EffectFailed():
                self._effect_outcome(intent)
            case CodeScanned(code=code) if session.flow is None:
                # A receipt's QR code shown to the scanner outside any flow: the flow that
                # reads codes (tracking) starts with it.
                scanning = next((s for s in registry.FLOWS.values() if s.starts_on_scan), None)
                if scanning is not None:
                    self._start_flow(scanning.name, code)
            case FlowIntent():
                if session.flow is not None:
                    self._apply_step(session.flow.handle(intent, self._context()))
            case i.SetLanguage(language=language):
                if language in state.languages and language != state.language:
                    record(EventType.LANGUAGE_CHANGED, session=session.id,
                           language=Ident(language))
                    changed = replace(state, language=language)
                    self._commit(printing.relocalise_receipt(
                        changed, self._receipt_of(changed, session.receipt)))
            case i.Remember(key=key, value=value):
                if session.get(key) != value:
                    self._commit(replace(state, session=session.put(key, value)))

    # -- flows -----------------------------------------------------------------------------

    def _context(self, state: AppState | None = None) -> FlowContext:
        state = state or self._state
        session = state.session
        location = self._settings.site.location
        return FlowContext(
            session_id=session.id if session else "",
            station_id=self._settings.station.id,
            language=state.language,
            now=self._wall_clock(),
            place=Place(lat=location.lat, long=location.long, address=location.address),
            places=self._places,
        )

    def _start_flow(self, name: str, param: str) -> None:
        spec = registry.FLOWS.get(name)
        session = self._state.session
        if spec is None or session is None:
            return
        record(EventType.FLOW_STARTED, session=session.id, flow=Ident(name))
        self._apply_step(spec.start(self._context(), param), start=True)

    def _apply_step(self, step: Step, start: bool = False) -> None:
        """The flow's next value in a new session and state, its receipt kept and printed
        when it has a new one, then its effects."""
        state = self._state
        session = state.session
        if session is None:
            return
        nav = state.nav
        if step.flow is None:
            nav = tuple(s for s in nav if s != Screens.FLOW) or (Screens.HOME,)
        elif start and nav[-1:] != (Screens.FLOW,):
            nav = (*tuple(s for s in nav if s != Screens.FLOW), Screens.FLOW)
        state = replace(state, nav=nav, session=replace(session, flow=step.flow))
        for effect in step.effects:
            record(EventType.EFFECT_REQUESTED, session=session.id, effect=Ident(effect.name),
                   effect_id=effect.effect_id)
        state, print_effects = printing.keep_receipt(state, self._receipt_of(state))
        self._commit(state, (*step.effects, *print_effects))

    def _receipt_of(self, state: AppState, kept: Receipt | None = None) -> Receipt | None:
        """The receipt the active flow leaves the person with now, if any (built again at
        `kept`'s time when given). A number no receipt can hold (Receipt raises ValueError)
        gives none: the screen still shows it."""
        flow = state.session.flow if state.session else None
        spec = registry.spec_of(flow)
        if spec is None or spec.receipt is None:
            return None
        when = kept.when if kept is not None else self._wall_clock()
        try:
            return spec.receipt(flow, self._context(state), self._receipt_details, when)
        except ValueError:
            return None

    def _effect_outcome(self, outcome: EffectDone | EffectFailed) -> None:
        session = self._state.session
        flow: Flow | None = session.flow if session else None
        if session is None or outcome.effect.session_id != session.id or flow is None:
            # An answer for a session that has ended: nobody must see it.
            record(EventType.EFFECT_DROPPED, effect=Ident(outcome.effect.name),
                   effect_id=outcome.effect.effect_id)
            return
        self._apply_step(flow.handle(outcome, self._context()))

    # -- speech and the headset -------------------------------------------------------------

    def _set_speech(self, change: i.SetSpeech) -> None:
        state = self._state
        settings = with_speech(state.accessibility, change)
        if settings != state.accessibility:
            record(EventType.SPEECH_CHANGED, on=settings.audio, rate=settings.speech_rate,
                   volume=settings.speech_volume)
            self._commit(replace(state, accessibility=settings))

    def set_headset(self, plugged: bool) -> None:
        """The headphone jack: plugging a headset turns speech on (docs/accessibility.md
        H14); unplugged while nobody is in a session, speech returns to the station's
        default."""
        state = self._state
        if plugged == state.headset:
            return
        record(EventType.HEADSET, plugged=plugged)
        settings = state.accessibility
        if plugged:
            settings = replace(settings, audio=True)
        elif state.session is None:
            settings = self._settings.accessibility
        self._commit(replace(state, headset=plugged, accessibility=settings))

    # -- connectivity, activity, the session's life -------------------------------------------

    def set_connectivity(self, connectivity: Connectivity) -> None:
        """What the outbox sender last saw of the central systems."""
        if connectivity is not self._state.connectivity:
            record(EventType.CONNECTIVITY, connectivity=connectivity)
            self._commit(replace(self._state, connectivity=connectivity))

    def activity(self) -> None:
        """A touch or a key anywhere: the person is still there."""
        if self._timer is not None:
            self._timer.activity()

    def _start_session(self) -> None:
        session = CitizenSession.begin(self._clock())
        self._timer = IdleTimer(self._clock, self._settings.session.idle_s,
                                self._settings.session.warning_s)
        record(EventType.SESSION_STARTED, session=session.id)
        self._commit(replace(self._state, session=session, nav=(Screens.HOME,),
                             warning_remaining_s=None))

    def _extend(self) -> None:
        if self._timer is None or self._state.session is None:
            return
        if self._state.warning_remaining_s is not None:
            record(EventType.SESSION_EXTENDED, session=self._state.session.id)
        self._timer.extend()
        self._commit(replace(self._state, warning_remaining_s=None))

    def end_session(self, reason: EndReason) -> None:
        """Drop everything personal and return language and accessibility to defaults."""
        session = self._state.session
        if session is None:
            return
        record(EventType.SESSION_ENDED, session=session.id, reason=reason)
        self._timer = None
        fresh = initial_state(self._settings)
        self._commit(replace(fresh, devices=self._state.devices,
                             connectivity=self._state.connectivity,
                             headset=self._state.headset))

    # -- time and devices -------------------------------------------------------------------

    def tick(self) -> None:
        """Let time pass: show, update or act on the inactivity warning."""
        if self._timer is None or self._state.session is None:
            return
        if self._state.printing.status is printing.PrintStatus.PRINTING:
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
            self._commit(replace(self._state, warning_remaining_s=status.remaining_s))
        elif self._state.warning_remaining_s is not None:
            self._commit(replace(self._state, warning_remaining_s=None))

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
        self._commit(replace(self._state, devices=freeze_devices(devices)))
        failing = self._state.failing_devices
        if failing and not was_failing:
            record(EventType.OUT_OF_ORDER, logging.WARNING, device=failing[0])
        elif was_failing and not failing:
            record(EventType.BACK_IN_SERVICE)
