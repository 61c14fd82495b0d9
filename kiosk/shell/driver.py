"""Driving the real app from a script: the headless demo and the UI tests use it.

The app runs its real window and event loop; the driver steps the loop itself instead of
handing it to `App.run()`, and feeds input through Kivy's own paths: touches through the event
loop's input dispatch (so buttons act on release, as for a finger), keys through the window's
key events. It also reads the widget tree and takes screenshots of the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.base import EventLoop, runTouchApp
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics.opengl import (
    GL_PACK_ALIGNMENT,
    GL_RGB,
    GL_UNSIGNED_BYTE,
    glPixelStorei,
    glReadPixels,
)
from kivy.input.motionevent import MotionEvent
from kivy.lang import Builder
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget
from PIL import Image

from kiosk.shell.app import KioskApp
from screens.widgets import ACTIVATE_KEYS, KEY_PRESS_S

# Kivy keycodes (kivy/core/window/__init__.py Keyboard.keycodes).
KEYCODES = {
    "tab": 9, "enter": 13, "escape": 27, "spacebar": 32, "backspace": 8,
    "f1": 282, "f4": 285, "f11": 292, "f12": 293,
}
# The keys that turn an on-screen keyboard's page (screens/keyboard.py): the numeric pad's
# letters, the letters' signs and digits, and back to the letters.
PAGE_KEYS = ("key.ABC", "key.123", "key.abc")
# How `enter` typed, for the demo's transcript.
ON_SCREEN_KEYS = "on the screen's keys"
# Where `tap` looks for a part of a control that no other covers: a grid of this many points
# a side.
COVER_GRID = 6
# The most pages `tap` turns looking for a role: more would mean a list that never ends.
MAX_PAGES = 30
KEYBOARD = "on the keyboard"


def _named(widget: Widget) -> str:
    """A widget as a person reading a message finds it: its role, else its class."""
    # __class__, not type(): a kv id is a proxy, which hands on what is asked of it.
    return f"role {widget.role!r}" if getattr(widget, "role", "") else widget.__class__.__name__


class SyntheticTouch(MotionEvent):
    """A single-finger touch at window coordinates, normalised as an input provider does."""

    def __init__(self, x: float, y: float) -> None:
        super().__init__("kiosk-driver", id(self), self._normalised(x, y), is_touch=True,
                         type_id="touch")
        self.profile = ["pos"]

    @staticmethod
    def _normalised(x: float, y: float) -> dict[str, float]:
        return {"x": x / (Window.width - 1.0), "y": y / (Window.height - 1.0)}

    def depack(self, args: dict[str, float]) -> None:
        """Normalised position, as a provider hands it over."""
        self.sx = args["x"]
        self.sy = args["y"]
        super().depack(args)


class KioskDriver:
    """Start, step, poke and photograph a `KioskApp`."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.started = False
        #: how the last `enter` typed: ON_SCREEN_KEYS or KEYBOARD
        self.typed_with = ""
        #: what `tap` had to turn a list's pages to before touching it, in order
        self.paged_to: list[str] = []
        #: whether `enter` types on the screen's keys when it shows them
        self.use_screen_keys = True
        #: how long `tap` holds a finger down: long enough to see the pressed state
        self.hold_s = 0.05
        #: whether touching a widget outside the window, or under another control at its
        #: middle, is an error (else it is noted here)
        self.strict = True
        self.out_of_window: list[str] = []
        #: whether the loop draws each frame; off (the audit), a frame runs the clock, the
        #: input and the layouts but draws only when the pixels are read, which spares the CPU
        self.draw = True

    # -- loop ------------------------------------------------------------------------------

    def start(self, timeout_s: float = 20) -> None:
        """Open the window and run until the first interactive frame is on screen."""
        self.app._run_prepare()
        runTouchApp(embedded=True)
        self.started = True
        self.wait_until(lambda: self.app.ready, timeout_s, "the first frame")

    def stop(self) -> None:
        """Stop the app as systemd would (SIGTERM path)."""
        if self.started:
            self.app.shutdown()
            self.started = False

    def _frame(self) -> None:
        """One turn of the loop: a whole frame, or without its drawing when `draw` is off."""
        if self.draw:
            EventLoop.idle()
            return
        Clock.tick()
        EventLoop.dispatch_input()
        Builder.sync()
        Clock.tick_draw()
        Builder.sync()

    def frames(self, count: int = 2) -> None:
        """Let `count` frames run (input is handled and the screen redrawn)."""
        for _ in range(count):
            self._frame()

    def settle(self, rounds: int = 3) -> None:
        """Run the clock's events, the layouts and the canvas rules `rounds` times, as a frame
        does, but draw nothing: the widget tree is then up to date (positions, sizes, texts),
        the pixels are not. Cheaper than `frames` where only the tree is read."""
        for _ in range(rounds):
            Clock.tick()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()

    def pump(self, seconds: float) -> None:
        """Run the loop for `seconds` of real time."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._frame()

    def wait_until(self, condition: Callable[[], bool], timeout_s: float = 5,
                   what: str = "the condition") -> None:
        """Run the loop until `condition()` holds; fail with `what` after `timeout_s`."""
        end = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError(f"timed out after {timeout_s} s waiting for {what}")
            self._frame()

    def wait_for_screen(self, name: str, timeout_s: float = 5) -> None:
        """Run until screen `name` is on display."""
        self.wait_until(lambda: self.app.current_screen == name, timeout_s, f"screen {name}")
        self.frames(2)

    # -- widget tree -----------------------------------------------------------------------

    def views(self) -> list[Widget]:
        """What is in the window now: the current screen and any overlay over it."""
        return list(reversed(Window.children))

    def walk(self) -> Iterator[Widget]:
        """Every widget in the window."""
        for view in self.views():
            yield from view.walk(restrict=True)

    def find(self, role: str) -> Widget:
        """The visible widget with this `role` (buttons carry one)."""
        found = [w for w in self.walk() if getattr(w, "role", None) == role]
        if len(found) != 1:
            raise LookupError(f"{len(found)} widgets with role {role!r} on screen")
        return found[0]

    def focused(self) -> Widget | None:
        """The widget that has keyboard focus, if any."""
        return next((w for w in self.walk() if getattr(w, "focus", False)), None)

    def texts(self) -> list[str]:
        """Every text a widget on screen holds (labels, buttons, fields, hints)."""
        out = []
        for widget in self.walk():
            for attr in ("text", "hint_text"):
                value = getattr(widget, attr, None)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    # -- input -----------------------------------------------------------------------------

    def touch_at(self, x: float, y: float, hold_s: float | None = None) -> None:
        """Press and release a finger at window coordinates, through the event loop's input
        queue and post-processing, like a touch from the panel; held `hold_s` (by default the
        driver's `hold_s`)."""
        touch = SyntheticTouch(x, y)
        EventLoop._dispatch_input("begin", touch)
        self.frames(1)
        hold = self.hold_s if hold_s is None else hold_s
        if hold:
            self.pump(hold)
        EventLoop._dispatch_input("end", touch)
        self.frames(2)

    def slide(self, start: tuple[float, float], end: tuple[float, float], steps: int = 5) -> None:
        """Put a finger down at `start`, slide it to `end` and lift it there."""
        touch = SyntheticTouch(*start)
        EventLoop._dispatch_input("begin", touch)
        self.frames(1)
        for i in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * i / steps
            y = start[1] + (end[1] - start[1]) * i / steps
            touch.move(SyntheticTouch._normalised(x, y))
            EventLoop._dispatch_input("update", touch)
            self.frames(1)
        EventLoop._dispatch_input("end", touch)
        self.frames(2)

    def tap(self, widget: Widget | str) -> None:
        """Touch the middle of a widget (or of the widget with that role). A role on another
        page of a paged list is first brought on screen by turning the list's pages, as a
        person would ("….previous" back to the first page, then "….more"), and noted in
        `paged_to`. One outside the window, or under another control at its middle, cannot be
        touched there: unless `strict` is off (the demo and the audit, which walk on to see
        every screen), that is an error; else it is noted in `out_of_window` and touched
        anyway (where it shows, when covered)."""
        target = self._turn_to(widget) if isinstance(widget, str) else widget
        x, y = target.to_window(*target.center)
        if not (0 <= x < Window.width and 0 <= y < Window.height):
            where = f"{_named(target)} lies outside the window, at ({x:.0f}, {y:.0f})"
            if self.strict:
                raise LookupError(where)
            self.out_of_window.append(where)
        elif (cover := self._covering(target, x, y)) is not None:
            # Another control lies over its middle: a finger touches what shows of it.
            where = f"{_named(target)} lies under {_named(cover)} at its middle"
            if self.strict:
                raise LookupError(where)
            self.out_of_window.append(where)
            x, y = self._uncovered_point(target, (x, y))
        self.touch_at(x, y)

    def _covering(self, target: Widget, x: float, y: float) -> Widget | None:
        """A control drawn over `target` at (x, y): one that comes after it in the window's
        walk (the order widgets are drawn in) and is not one of its own."""
        after, own = False, set(map(id, target.walk(restrict=True)))
        for other in self.walk():
            if other is target:
                after = True
                continue
            if (not after or id(other) in own or other.opacity == 0
                    or not isinstance(other, (ButtonBehavior, TextInput))):
                continue
            left, bottom = other.to_window(other.x, other.y)
            if left <= x < left + other.width and bottom <= y < bottom + other.height:
                return other
        return None

    def _uncovered_point(self, target: Widget, middle: tuple[float, float]
                         ) -> tuple[float, float]:
        """The point nearest its middle, on a grid over `target`, that no other control
        covers (its middle when there is none)."""
        left, bottom = target.to_window(target.x, target.y)
        steps = [(i + 0.5) / COVER_GRID for i in range(COVER_GRID)]
        points = sorted(((left + target.width * fx, bottom + target.height * fy)
                         for fx in steps for fy in steps),
                        key=lambda p: abs(p[0] - middle[0]) + abs(p[1] - middle[1]))
        inside = [p for p in points if 0 <= p[0] < Window.width and 0 <= p[1] < Window.height]
        return next((p for p in inside if self._covering(target, *p) is None), middle)

    def _turn_to(self, role: str) -> Widget:
        """The widget with `role`, turning the pages of the screen's paged lists until one
        shows it (lists page rather than scroll: screens/paging.py)."""
        if any(getattr(w, "role", None) == role for w in self.walk()):
            return self.find(role)
        for prefix in self._paged_lists():
            while (previous := self._turner(f"{prefix}.previous")) is not None:
                self.tap(previous)
            for _ in range(MAX_PAGES):
                if any(getattr(w, "role", None) == role for w in self.walk()):
                    self.paged_to.append(role)
                    return self.find(role)
                more = self._turner(f"{prefix}.more")
                if more is None:
                    break
                self.tap(more)
        return self.find(role)  # on no page: says so

    def _paged_lists(self) -> list[str]:
        """The prefixes of the paged lists on screen (each has a "<prefix>.more" turner)."""
        return [str(w.role)[:-len(".more")] for w in self.walk()
                if str(getattr(w, "role", "")).endswith(".more")]

    def _turner(self, role: str) -> Widget | None:
        """The page turner with `role`, when it can be touched (not on the last page)."""
        return next((w for w in self.walk()
                     if getattr(w, "role", None) == role and not w.disabled), None)

    def key(self, name: str, modifiers: tuple[str, ...] = ()) -> bool:
        """Press and release a key by name ("tab", "enter", "f1", "q"...); True if consumed."""
        code = KEYCODES.get(name, ord(name) if len(name) == 1 else None)
        if code is None:
            raise ValueError(f"unknown key {name!r}")
        text = name if len(name) == 1 else None
        consumed = bool(Window.dispatch("on_key_down", code, 0, text, list(modifiers)))
        if not consumed:
            Window.dispatch("on_keyboard", code, 0, text, list(modifiers))
        Window.dispatch("on_key_up", code, 0)
        if name in ACTIVATE_KEYS:
            # A focused button acts once its press has shown (KEY_PRESS_S), as after a touch.
            self.pump(KEY_PRESS_S * 1.5)
        self.frames(1)
        return consumed

    def keys_shown(self) -> bool:
        """Whether the screen shows an on-screen keyboard or keypad."""
        return any(str(getattr(w, "role", "")).startswith("key.") for w in self.walk())

    def enter(self, field: Widget, text: str) -> None:
        """Type `text` into `field` as a visitor would: on the screen's keys when it shows
        them (touching the field first when it shows none yet: a search's keys come when its
        box is touched), else on a keyboard (`typed_with` says which: the audit reports a
        field that shows no keys, since a totem has no keyboard and a desk visitor may not
        use one)."""
        if self.use_screen_keys and not self.keys_shown():
            self.tap(field)  # a search shows its keys once its box is touched
            self.frames(2)
        if self.use_screen_keys and self.keys_shown():
            for char in text:
                self._press_key(char)
            self.typed_with = ON_SCREEN_KEYS
            return
        self.tap(field)
        self.type_text(text)
        self.typed_with = KEYBOARD

    def _press_key(self, char: str) -> None:
        """Touch the key that types `char`, turning the keyboard's page first if needed."""
        role = f"key.{char.lower()}"
        for _ in range(len(PAGE_KEYS) + 1):
            found = [w for w in self.walk() if getattr(w, "role", None) == role]
            if found:
                if char != char.lower():
                    self.tap("key.⇧")
                self.tap(found[0])
                return
            page = next((w for w in self.walk() if getattr(w, "role", None) in PAGE_KEYS),
                        None)
            if page is None:
                break
            self.tap(page)
        raise LookupError(f"no key types {char!r} on screen")

    def type_text(self, text: str) -> None:
        """Type characters as a keyboard does: a key event, then the text it produces."""
        for char in text:
            consumed = Window.dispatch("on_key_down", ord(char.lower()), 0, char, [])
            if not consumed:
                Window.dispatch("on_textinput", char)
            Window.dispatch("on_key_up", ord(char.lower()), 0)
        self.frames(2)

    # -- screenshots -----------------------------------------------------------------------

    def pixels(self) -> Image.Image:
        """The window as drawn, read back right after a frame (RGB, top row first)."""
        taken: list[Image.Image] = []

        def grab(*_args: Any) -> None:
            Window.unbind(on_flip=grab)
            width, height = Window.size
            glPixelStorei(GL_PACK_ALIGNMENT, 1)  # rows packed tight, whatever the width
            data = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
            # OpenGL reads rows from the bottom up.
            taken.append(Image.frombytes("RGB", (width, height), data)
                         .transpose(Image.Transpose.FLIP_TOP_BOTTOM))

        Window.bind(on_flip=grab)
        Window.canvas.ask_update()
        end = time.monotonic() + 5
        while not taken:  # a drawn frame, whether or not the loop draws otherwise
            if time.monotonic() > end:
                raise TimeoutError("timed out after 5 s waiting for a drawn frame")
            EventLoop.idle()
        return taken[0]

    def screenshot(self, path: Path) -> Path:
        """The window as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pixels().save(path, compress_level=1)
        return path
