"""The facilitator's console, `kiosk agent`: its own process and Kivy window on the second
screen (Kivy has one window per process), joined to the station over the link
(kiosk/shell/agent_wire.py). It draws what the station's core gives it (`ConsoleView`): its
own screens, and the visitor's current step drawn by the visitor's own screen classes from the
visitor's own `View`, scaled into the console. What the facilitator does there goes back to
the station as messages; the console decides nothing and keeps nothing.

Import only after `kiosk.shell.boot` has configured Kivy (kiosk/shell/agent_console.py).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.cache import Cache
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.scatter import Scatter
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.widget import Widget

from kiosk.core.assist import Consent
from kiosk.core.assist_console import ConsoleView
from kiosk.core.assist_messages import AgentAct, AgentActive, AgentMessage, FieldTexts, TypeInto
from kiosk.core.geometry import BUTTON_HEIGHT_MM, KEY_HEIGHT_MM, MIN_TARGET_MM, Panel
from kiosk.core.intents import Remember
from kiosk.core.layout import compute_layout
from kiosk.core.state import Screens
from kiosk.core.view import View
from kiosk.settings.models import Settings
from kiosk.shell import lockdown
from kiosk.shell.agent_focus import focus_follows_pointer
from kiosk.shell.agent_wire import encode
from kiosk.shell.agent_wiring import text_fields
from kiosk.shell.app import TEXT_CACHES, KioskApp, register_fonts
from kiosk.shell.screen_registry import screen_class
from screens.screen_stack import InstantTransition

ACTIVE_EVERY_S = 1.0
"""The facilitator's activity is told to the station at most this often."""
FOCUS_AFTER_S = 0.5
"""After the first frame, SDL has given the window the keyboard: the console takes it back."""
SETTLE_S = 0.15
"""The transcript (tests, demo) is written once a view's layout has settled: a few frames."""
DESK_BUTTON_MM = 12.0
"""The console's own buttons: a mouse's target on a desk monitor, not a finger's (WCAG 2.5.8
asks 24 CSS px, about 6 mm; twice that)."""


class _ConsoleKeys:
    """The console takes keys as the facilitator's keyboard gives them: none is dropped (the
    public screen's key and switch settings are the visitor's, kiosk/shell/key_input.py)."""

    swallowing = False


class AgentApp(KioskApp):
    """The console's window. It is the public screen's app as far as the visitor's screens
    are concerned (the same kv helpers, sizes, fonts and palettes, those of the public panel,
    so that the copy is exact), with no core, device or systemd link of its own: what it
    shows comes from the station, what the facilitator does goes to it."""

    #: the console's own
    console_lang = StringProperty("fr")
    desk_button_height = NumericProperty(0)
    console_screen = StringProperty("")
    visitor_screen = StringProperty("")
    #: read by the banner: its consent buttons are the visitor's, not the console's
    mirrors_visitor = True

    def __init__(self, settings: Settings, sock: socket.socket,
                 transcript: Path | None = None, screenshots: Path | None = None) -> None:
        App.__init__(self)  # not KioskApp's: no core, devices, keys or systemd link here
        self._sock = sock
        self._send_lock = threading.Lock()
        self._transcript = transcript
        self._screenshots = screenshots
        self.panel = Panel(settings.panel)
        self.title = "kiosk agent"
        self.use_kivy_settings = False
        self.quitting = False
        self.root_width = settings.panel.width_px
        self.root_height = settings.panel.height_px
        self.target = self.panel.px(MIN_TARGET_MM)
        self.button_height = self.panel.px(BUTTON_HEIGHT_MM)
        self.key_height = self.panel.px(KEY_HEIGHT_MM)
        self.desk_button_height = self.panel.px(DESK_BUTTON_MM)
        register_fonts()
        self._measure_type()
        self._take_settings(settings)
        self.layout = self.largest_layout = compute_layout(self.panel)
        self.console_lang = self.lang = settings.languages.default
        #: read by the text fields, as on the public screen
        self.keys = _ConsoleKeys()
        self._console: ConsoleView | None = None
        self._screens: dict[str, Any] = {}
        self._visitor: dict[str, Any] = {}
        self._applying = False
        self._last_active = 0.0
        self._frame = 0
        self._write_next_flip = False
        self._settle = Clock.create_trigger(self._settled, SETTLE_S)

    def console_font(self, role: str, size: str, _visitor_size: str) -> float:
        """The console's own text at `size`, whatever the visitor's: kv rules pass the app's
        `text_size` (the copy of the visitor's screen follows it) so that this is evaluated
        again after the base rules' font, which it must override, each time that changes."""
        return self.font(role, size)

    def control_focused(self, _widget: Widget) -> None:
        """A control got the keyboard focus: the console does not speak (speech is the public
        screen's)."""

    def screen_view(self, name: str) -> Any:
        """The copy of the visitor's screen `name` (built if it was not yet)."""
        return self._visitor_screen(name)

    # -- Kivy lifecycle ------------------------------------------------------------------------

    def build(self) -> Widget:
        """The console's screens; the copy of the visitor's goes into the desk's."""
        Window.clearcolor = self.rgba("background", self.theme_name)
        self._manager = ScreenManager(transition=InstantTransition())
        self._mirror = ScreenManager(transition=InstantTransition(),
                                     size=(self.root_width, self.root_height),
                                     size_hint=(None, None))
        self._scatter = Scatter(do_rotation=False, do_scale=False, do_translation=False,
                                size=(self.root_width, self.root_height),
                                size_hint=(None, None))
        self._scatter.add_widget(self._mirror)
        return self._manager

    def on_start(self) -> None:
        """Lock the window down and show the station's first view when it comes."""
        Window.bind(on_key_down=self._on_key_down, on_request_close=self._on_request_close,
                    on_touch_down=self._on_touch_down, on_flip=self._on_flip)
        self._show_console(ConsoleView(Screens.AGENT_LOCKED))
        # Once the window is shown (SDL gave it the keyboard): the keyboard goes where the
        # pointer is, the public screen's or this one (kiosk/shell/agent_focus.py).
        Clock.schedule_once(lambda _dt: focus_follows_pointer(), FOCUS_AFTER_S)

    def on_stop(self) -> None:
        """Nothing to stop but the link, which ends with the process."""

    # -- from the station ----------------------------------------------------------------------

    def receive(self, message: object) -> None:
        """A message from the station (UI thread)."""
        if isinstance(message, ConsoleView):
            self._show_console(message)
        elif isinstance(message, FieldTexts):
            self._fill_fields(message)
        if self._transcript is not None or self._screenshots is not None:
            self._settle()

    def _show_console(self, console: ConsoleView) -> None:
        self._console = console
        screen = self._console_screen(console.screen)
        screen.show(console)
        if self._manager.current != console.screen:
            self._manager.current = console.screen
        self.console_screen = console.screen  # the first screen added was made current
        if console.screen == Screens.AGENT_DESK:
            host = screen.ids.mirror
            if self._scatter.parent is None:
                screen.add_widget(self._scatter)
                host.bind(pos=self._place_mirror, size=self._place_mirror)
            self._place_mirror()
        citizen = console.citizen
        if citizen is None:
            self._forget_visitor()
            return
        self._show_visitor(citizen, console)

    def _console_screen(self, name: str) -> Any:
        if name not in self._screens:
            screen = screen_class(name)(name=name)
            self._manager.add_widget(screen)
            self._screens[name] = screen
        return self._screens[name]

    def _place_mirror(self, *_args: Any) -> None:
        host = self._screens[Screens.AGENT_DESK].ids.mirror
        scale = max(min(host.width / self.root_width, host.height / self.root_height), 0.01)
        self._scatter.scale = scale
        self._scatter.pos = (host.x, host.top - self.root_height * scale)  # at the box's top

    def _show_visitor(self, view: View, console: ConsoleView) -> None:
        self._apply_settings(view)  # the visitor's language, theme, text size, layout
        self.view = view
        screen = self._visitor_screen(view.screen)
        for built in self._visitor.values():
            built.show(view)
        if self._mirror.current != view.screen:
            self._mirror.current = view.screen
        self.visitor_screen = view.screen
        may_type = console.desk is not None and console.desk.consent is Consent.GIVEN
        for field in text_fields(screen):
            field.readonly = not may_type

    def _visitor_screen(self, name: str) -> Any:
        if name not in self._visitor:
            screen = screen_class(name)(name=name)
            screen.show(self.view)
            self._mirror.add_widget(screen)
            self._visitor[name] = screen
            for index, field in enumerate(text_fields(screen)):
                field.bind(text=lambda f, text, n=name, i=index: self._typed(n, i, f, text))
        return self._visitor[name]

    def _forget_visitor(self) -> None:
        """Nothing of the visitor stays in a console whose facilitator has gone: no screen of
        theirs, no note, no text in Kivy's text caches."""
        desk = self._screens.get(Screens.AGENT_DESK)
        if desk is not None:
            desk.forget()
        for category in TEXT_CACHES:
            Cache.remove(category)
        if not self._visitor:
            return
        self.view = None
        for screen in self._visitor.values():
            for field in text_fields(screen):
                field.readonly = True
                field.text = ""
            self._mirror.remove_widget(screen)
        self._visitor.clear()
        self.visitor_screen = ""

    def _fill_fields(self, texts: FieldTexts) -> None:
        screen = self._visitor.get(texts.screen)
        if screen is None:
            return
        self._applying = True
        try:
            for field, text in zip(text_fields(screen), texts.texts, strict=False):
                if field.text != text and not field.focus:  # never under the facilitator's typing
                    field.text = text
        finally:
            self._applying = False

    # -- to the station ------------------------------------------------------------------------

    def send(self, intent: object) -> None:
        """What a screen asks: the console's own messages as they are, the visitor's intents
        wrapped (`AgentAct`). Typing into the home search needs the visitor's consent."""
        if isinstance(intent, Remember) and not self._may_type():
            return
        self._post(intent if isinstance(intent, AgentMessage) else AgentAct(intent))

    def _may_type(self) -> bool:
        desk = self._console.desk if self._console is not None else None
        return desk is not None and desk.consent is Consent.GIVEN

    def _typed(self, screen: str, index: int, field: Any, text: str) -> None:
        if self._applying or not field.focus or not self._may_type():
            return
        self._post(TypeInto(screen, index, text))

    def _post(self, message: object) -> None:
        try:
            with self._send_lock:
                self._sock.sendall(encode(message))
        except OSError:
            self.shutdown()  # the station is gone; systemd or the station starts a console

    def handle_key(self, key: int, modifiers: list[str]) -> bool:
        """Every key: the facilitator is there; keys that would close or break the window are
        swallowed, as on the public screen."""
        self._active()
        return lockdown.is_blocked(key, modifiers)

    def _on_key_down(self, _window: Any, key: int, _scancode: int, _codepoint: str | None,
                     modifiers: list[str]) -> bool:
        return self.handle_key(key, modifiers)

    def _on_touch_down(self, _window: Any, _touch: Any) -> bool:
        self._active()
        # The station, restarted, took the keyboard when its window was shown: a click here
        # gives it back to whichever window the pointer is over.
        focus_follows_pointer()
        return False

    def _active(self) -> None:
        if self.console_screen != Screens.AGENT_DESK:
            return  # nobody signed in: no one's inactivity to count
        now = time.monotonic()
        if now - self._last_active >= ACTIVE_EVERY_S:
            self._last_active = now
            self._post(AgentActive())


    # -- what tests and the demo read ----------------------------------------------------------

    def _settled(self, _dt: float) -> None:
        self._write_next_flip = True
        Window.canvas.ask_update()

    def _on_flip(self, *_args: Any) -> None:
        if not self._write_next_flip:
            return
        self._write_next_flip = False
        self._frame += 1
        shot = None
        if self._screenshots is not None:
            self._screenshots.mkdir(parents=True, exist_ok=True)
            taken = Window.screenshot(name=str(self._screenshots / "console.png"))
            shot = self._screenshots / f"console-{self._frame:04d}.png"
            os.replace(taken, shot)
        if self._transcript is not None:
            self._write_transcript(self._transcript, shot)


    def _write_transcript(self, path: Path, shot: Path | None) -> None:
        """What the console shows, for tests and the demo: its screen, the visitor's screen and
        step, and where each widget with a role is on the X screen (top-left origin). Roles of the
        copy of the visitor's screen are prefixed with "visitor.", and its text fields are
        "visitor.field.<n>" in the order of the screen's tree; no text is written."""
        console = self._console
        citizen = console.citizen if console is not None else None
        flow = citizen.flow if citizen is not None else None
        roles: dict[str, list[int]] = {}
        places = [("", self._manager.current_screen)]
        if citizen is not None and self._mirror.current_screen is not None:
            places.append(("visitor.", self._mirror.current_screen))
        mirrored = set(self._scatter.walk(restrict=True))
        for prefix, root in places:
            for widget in root.walk(restrict=True):
                role = getattr(widget, "role", None)
                if (not role or not isinstance(role, str) or widget.opacity == 0
                        or widget.disabled
                        or (not prefix and widget in mirrored)):
                    continue
                box = _on_screen(widget)
                if _in_window(box):
                    roles[prefix + role] = box
        if citizen is not None and self._mirror.current_screen is not None:
            for index, field in enumerate(text_fields(self._mirror.current_screen)):
                roles[f"visitor.field.{index}"] = _on_screen(field)
        mirror = None
        if citizen is not None:  # where the copy of the visitor's screen is, and its scale
            scale = self._scatter.scale
            left, top, _w, _h = _on_screen(self._scatter)
            mirror = [left, top, round(scale, 6)]
        data = {"frame": self._frame, "screen": self.console_screen, "mirror": mirror,
                "visitor_screen": citizen.screen if citizen is not None else None,
                "step": [flow.step, flow.steps] if flow is not None else None,
                "consent": (console.desk.consent.value
                            if console is not None and console.desk is not None else None),
                "window": [Window.left, Window.top, Window.width, Window.height],
                "screenshot": shot.name if shot is not None else None, "roles": roles}
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, path)

def _in_window(box: list[int]) -> bool:
    """Whether the middle of a box is inside the window (a widget scrolled out of view is not
    there to be clicked)."""
    x, y = box[0] + box[2] / 2, box[1] + box[3] / 2
    return (Window.left <= x < Window.left + Window.width
            and Window.top <= y < Window.top + Window.height)


def _on_screen(widget: Widget) -> list[int]:
    """A widget's box on the X screen: left, top, width, height, in pixels."""
    x0, y0 = widget.to_window(widget.x, widget.y)
    x1, y1 = widget.to_window(widget.right, widget.top)
    left = Window.left + min(x0, x1)
    top = Window.top + (Window.height - max(y0, y1))
    return [round(left), round(top), round(abs(x1 - x0)), round(abs(y1 - y0))]
