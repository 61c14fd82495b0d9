"""Staff at the station, wired to the app: the badge desk (the terminal on its thread) on every
profile, for technicians; on `desk-assisted`, the console's link, the supervisor that keeps a
console running while a facilitator is signed in, and the mirror of the visitor's text fields
(docs/assisted-mode.md). The runner builds one `StaffDesk` per station."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from kivy.clock import Clock

from kiosk.badges.store import BadgeFileError, load_policy
from kiosk.badges.terminal import BadgeTerminal
from kiosk.core.assist_messages import AgentMessage, FieldTexts, Hello, TypeInto
from kiosk.core.badge_auth import BadgePolicy
from kiosk.core.clock import Clock as CoreClock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import CardReader
from kiosk.core.effects import EffectHandler
from kiosk.core.events import EventType, record
from kiosk.core.flows.services import LoadCatalogue
from kiosk.core.printing import PrintReceipt
from kiosk.core.state import AppState
from kiosk.core.usage import AssistedUse
from kiosk.settings.models import Profile, Settings
from kiosk.shell.agent_badges import BadgeDesk
from kiosk.shell.agent_checks import RecentEvents, check_handlers
from kiosk.shell.agent_link import AgentLink
from kiosk.shell.agent_supervisor import ConsoleSupervisor
from kiosk.shell.agent_wire import socket_path
from screens.widgets import KioskTextInput

SUPERVISE_S = 0.5
"""How often the supervisor looks at the console."""
BADGE_FILE_CHECK_S = 5.0
"""How often the badge file is looked at: a badge enrolled on a running station
(`kiosk badge enrol`) opens it within this long, without a restart."""
RESTART_AFTER_S = 1.0
"""A restart waits this long, so that "Restarting…" is on screen when the window closes."""


def text_fields(screen: Any) -> list[KioskTextInput]:
    """The text fields of a screen, in the order of its widget tree: both windows build the
    same screen from the same rules, so a field's place names it in both."""
    return [w for w in screen.walk(restrict=True) if isinstance(w, KioskTextInput)]


def call_soon(function: Callable[[], None]) -> None:
    """Run `function` on the UI thread as soon as it can: at once, between two frames, when
    Kivy's clock is a free one (it never waits for the next frame's tick then)."""
    schedule = getattr(Clock, "schedule_once_free", Clock.schedule_once)
    schedule(lambda _dt: function())


class StaffDesk:
    """The badge desk, and on `desk-assisted` the console's link and supervisor."""

    def __init__(self, settings: Settings, core: KioskCore, app: Any, reader: CardReader,
                 clock: CoreClock, config_version: Callable[[], str] = lambda: "") -> None:
        self._core = core
        self._config_version = config_version
        self._app = app
        self.recent = RecentEvents()
        self.recent.attach()
        self._badge_file = settings.badges.file
        self._badge_file_seen = _stamp(self._badge_file)
        self._settings = settings
        self._policy = _policy(settings)
        terminal = BadgeTerminal(reader, self._policy, clock)
        self.badges = BadgeDesk(reader, terminal, clock, self._deliver_staff)
        core.on_badge(self.badges.press)
        self.link: AgentLink | None = None
        self.supervisor: ConsoleSupervisor | None = None
        if settings.profile is Profile.DESK_ASSISTED:
            path = socket_path(settings)
            self.link = AgentLink(path, Hello(settings), self.receive, call_soon)
            self.supervisor = ConsoleSupervisor(
                [sys.executable, "-m", "kiosk.cli", "agent", "--socket", str(path)],
                lambda: self.link is not None and self.link.connected)
            core.subscribe(self._state_changed)
            app.bind(current_screen=lambda *_args: self._watch_fields())
        self._fields_trigger = Clock.create_trigger(lambda _dt: self._send_fields(), 0)
        self._watched: list[KioskTextInput] = []
        self._connections = 0
        self._assisting = False
        app.bind(ready=lambda _app, ready: self._start() if ready else None)
        app.bind(on_stop=lambda *_args: self._stop())

    def handlers(self, station: Mapping[type, EffectHandler]) -> dict[type, EffectHandler]:
        """The maintenance effects' handlers, over the station's printing and catalogue."""
        return check_handlers(self.recent, self.badges.card_test, station[PrintReceipt],
                              station[LoadCatalogue], self._restart, self._config_version)

    def assisted_use(self) -> AssistedUse:
        """The heartbeat's counts of the assisted desk (any thread: the state is a value):
        every assisted session, closed with an outcome or not, and their minutes."""
        stats = self._core.state.assist.stats
        return AssistedUse(stats.sessions + stats.unclosed, stats.minutes + stats.unclosed_minutes)

    # -- life ----------------------------------------------------------------------------------

    def _start(self) -> None:
        self.badges.start()
        Clock.schedule_interval(lambda _dt: self._check_badge_file(), BADGE_FILE_CHECK_S)
        if self.link is not None:
            self.link.start()
            Clock.schedule_interval(lambda _dt: self._supervise(), SUPERVISE_S)

    def _stop(self) -> None:
        self.badges.stop()
        if self.link is not None:
            self.link.stop()
        if self.supervisor is not None:
            self.supervisor.stop()
        self.recent.detach()

    def _restart(self) -> None:
        Clock.schedule_once(lambda _dt: self._app.shutdown(), RESTART_AFTER_S)

    def _supervise(self) -> None:
        if self.supervisor is not None:
            self.supervisor.check(self._core.state.assist.assisted is not None)
        if self.link is not None and self.link.connections != self._connections:
            self._connections = self.link.connections
            self._fields_trigger()  # a console that joined gets the fields as they are

    # -- badges --------------------------------------------------------------------------------

    def _check_badge_file(self) -> None:
        stamp = _stamp(self._badge_file)
        if stamp != self._badge_file_seen:
            self._badge_file_seen = stamp
            self.badges.use_policy(_policy(self._settings))

    def _deliver_staff(self, staff: Any) -> None:
        # On the badge desk's thread: the core takes it on the UI thread.
        call_soon(lambda: self._core.staff_changed(staff))

    # -- the console ---------------------------------------------------------------------------

    def _state_changed(self, state: AppState) -> None:
        if self.link is not None:
            self.link.publish(state)
        assisting = state.assist.assisted is not None
        if assisting and not self._assisting:
            self._fields_trigger()  # the fields as a facilitator who just signed in finds them
        self._assisting = assisting

    def receive(self, message: AgentMessage) -> None:
        """A message from the console (UI thread): to the core, and typing into the visitor's
        field when the core says the facilitator may."""
        self._core.from_agent(message)
        if isinstance(message, TypeInto) and self._core.agent_may_type():
            if message.screen != self._app.current_screen:
                return
            fields = text_fields(self._app.screen_view(message.screen))
            if 0 <= message.index < len(fields):
                fields[message.index].text = message.text

    def _watch_fields(self) -> None:
        """Follow the text fields of the screen on display (their text is the visitor's)."""
        for field in self._watched:
            field.unbind(text=self._on_field)
        self._watched = text_fields(self._app.screen_view(self._app.current_screen))
        for field in self._watched:
            field.bind(text=self._on_field)
        self._fields_trigger()

    def _on_field(self, *_args: Any) -> None:
        self._fields_trigger()

    def _send_fields(self) -> None:
        # What a visitor typed goes to a console only while a facilitator is signed in.
        if self.link is None or self._core.state.assist.assisted is None:
            return
        self.link.send(FieldTexts(self._app.current_screen,
                                  tuple(f.text for f in self._watched)))


def _stamp(path: Any) -> tuple[int, int] | None:
    """When the badge file last changed, and its size (None: no file)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _policy(settings: Settings) -> BadgePolicy:
    """The station's badges; a badge file that cannot be used lets no badge in, and the
    station serves the public all the same."""
    try:
        return load_policy(settings.badges)
    except BadgeFileError as err:
        record(EventType.BADGE_FILE_REFUSED, problems=len(err.problems))
        return BadgePolicy.of((), settings.badges.lockout_s, settings.badges.legacy_uid_only)
