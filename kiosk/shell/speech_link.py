"""Speech mode in the window: from what is shown, focused and touched to the speech port, and
from the headphone jack to the core (docs/accessibility.md H1–H15, G3).

The core's speech policy (kiosk/core/speech.py) decides what is said; this link only tells it
what happened and hands what comes back to the port:

- the app shows a view (`shown`): a new screen is summed up, a change on it is said;
- a control gets the keyboard focus (`focused`, from the widgets' focus hook): its name, role
  and state are said;
- in speech mode a first touch on a control says it without acting, a second touch on it acts
  (`touch_down`, from the window before any widget sees the touch): explore by touch. A
  button said by touch takes the focus, so Enter acts on it too;
- the jack is read on the app's tick (`poll`): plugging a headset in turns speech on and lets
  private information be said, in the headset only.

What one frame brings (a screen and the control focused on it) is said as one utterance, the
screen first, at the next frame. Nothing here blocks: the port speaks on its own thread; a port
that raises is logged and ignored, never raised into Kivy.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.core.controller import KioskCore
from kiosk.core.devices import DeviceKind, Headset, Speech
from kiosk.core.events import EventType, Ident, record
from kiosk.core.intents import SpeechAction
from kiosk.core.speech import (
    Control,
    ControlKind,
    announcements,
    describe,
    new_screen,
    speaking,
    utterance,
)
from kiosk.core.speech_explore import NOTHING_SAID, TouchMeans
from kiosk.core.view import View
from screens.keyboard import KeyButton
from screens.widgets import KioskTextInput

CHOSEN_MARK = "✓ "
"""How a chosen choice is marked in its text as well as by colour (screens/home.py,
screens/booking_widgets.py, screens/places_list.py: WCAG 1.4.1)."""

# How far up the tree a control looks for what hides it: screens nest a dozen levels at most.
MAX_NESTING = 32


def control_of(widget: Widget) -> Control:
    """A widget as the speech policy knows controls: its kind, visible words and state."""
    enabled = not widget.disabled
    if isinstance(widget, TextInput):
        # A field is named by the words that label it on screen, as the audit names it (H2).
        name = widget.label_words() if isinstance(widget, KioskTextInput) else widget.hint_text
        return Control(ControlKind.FIELD, name, value=widget.text,
                       masked=bool(widget.password), enabled=enabled)
    if isinstance(widget, KeyButton):
        # A key typing into a masked field (a PIN) is itself masked: it is never said.
        target = widget.target()
        return Control(ControlKind.KEY, widget.text, value=widget.value,
                       masked=bool(getattr(target, "password", False)), enabled=enabled)
    text = str(getattr(widget, "spoken", "") or getattr(widget, "text", ""))
    chosen = getattr(widget, "chosen", None)
    if text.startswith(CHOSEN_MARK.strip()):  # its space may be a no-break one
        text, chosen = text[len(CHOSEN_MARK):], True
    return Control(ControlKind.BUTTON, text, selected=chosen, enabled=enabled)


def is_control(widget: Widget) -> bool:
    """Buttons (anything that acts on release) and text fields."""
    return isinstance(widget, ButtonBehavior | TextInput)


def shows_at(widget: Widget, pos: tuple[float, float]) -> bool:
    """Whether `widget` is drawn, and not scrolled away, at window position `pos`."""
    if widget.width <= 0 or widget.height <= 0:
        return False
    if not widget.collide_point(*widget.to_widget(*pos)):
        return False
    holder: Any = widget
    for _ in range(MAX_NESTING):  # the window is its own parent: the walk is bounded
        if holder is None or holder.parent is holder:
            return True
        if holder.opacity == 0:
            return False
        if isinstance(holder, ScrollView) and holder is not widget and not holder.collide_point(
                *holder.to_widget(*pos)):
            return False
        holder = holder.parent
    return True


def inside(widget: Widget, root: Widget) -> bool:
    """Whether `widget` is `root` or one of its descendants."""
    holder: Any = widget
    for _ in range(MAX_NESTING):
        if holder is root:
            return True
        if holder is None or holder.parent is holder:
            return False
        holder = holder.parent
    return False


def control_at(root: Widget, pos: tuple[float, float]) -> Widget | None:
    """The control drawn on top at window position `pos` in `root`, if any."""
    found = None
    for widget in root.walk(restrict=True):
        if is_control(widget) and shows_at(widget, pos):
            found = widget  # later in the walk is deeper, or drawn over the earlier ones
    return found


class SpeechLink:
    """Joins the window to the speech port and the jack to the core; one per app."""

    def __init__(self, speech: Speech, headset: Headset, core: KioskCore) -> None:
        self._speech = speech
        self._headset = headset
        self._core = core
        self._view: View | None = None
        self._screen_parts: list[str] = []
        #: controls said since the last utterance, each with what it says
        self._control_parts: list[tuple[Widget, list[str]]] = []
        self._exploration = NOTHING_SAID
        self._plugged = False
        self._flush = Clock.create_trigger(self._say)

    # -- what happens in the window ------------------------------------------------------------

    def shown(self, view: View, root: Widget) -> None:
        """The app shows `view`, drawn in `root` (the screen, or the warning over it)."""
        before, self._view = self._view, view
        if before is not None and new_screen(before, view):
            self._exploration = NOTHING_SAID
            # A control of the screen left behind (redrawn as it went) is not said.
            self._control_parts = [(w, p) for w, p in self._control_parts if inside(w, root)]
        if before is not None and before.in_session and not view.in_session:
            # The session is over: nothing it said may be heard again (repeat).
            self._call("stop")
            self._screen_parts, self._control_parts = [], []
        if not speaking(view):
            if before is not None and speaking(before):
                self._call("stop")
            self._screen_parts, self._control_parts = [], []
            return
        parts = announcements(before, view)
        if not parts:
            return
        if before is None or not speaking(before) or new_screen(before, view):
            self._screen_parts = parts  # what was waiting belonged to the screen before
        else:
            self._screen_parts += parts
        self._flush()

    def focused(self, widget: Widget, root: Widget) -> None:
        """A control got the keyboard focus; said only when it is on `root`, what is on
        display (a screen being left may still move its focus as it is redrawn)."""
        view = self._view
        if view is None or not speaking(view) or not inside(widget, root):
            return
        self._control_parts.append((widget, describe(control_of(widget), view)))
        self._flush()

    def touch_down(self, touch: Any, root: Widget) -> bool:
        """A touch, before any widget has it: True when speech mode takes it (a first touch on
        a control, which is said and does not act)."""
        view = self._view
        if view is None or not speaking(view):
            return False
        widget = control_at(root, touch.pos)
        if widget is None:
            return False
        self._exploration, means = self._exploration.touch(id(widget))
        if means is TouchMeans.ACT:
            return False
        # A field takes the focus when it is used; a key never takes it from the field it
        # types into (screens/keyboard.py).
        focusable = (isinstance(widget, FocusBehavior) and widget.is_focusable
                     and not widget.disabled and not isinstance(widget, TextInput | KeyButton))
        if focusable and not widget.focus:
            widget.focus = True  # the focus hook says it; Enter now acts on it
        else:
            self._control_parts = [(widget, describe(control_of(widget), view))]
            self._flush()
        # Kivy drops the focus of every widget at the end of a touch no widget kept for itself
        # (kivy/uix/behaviors/focus.py): this one is kept for the control just said.
        FocusBehavior.ignored_touch.append(touch)
        return True

    def command(self, action: SpeechAction) -> None:
        """Repeat, pause, resume or stop what is being said."""
        self._call(action.value)

    # -- the jack ------------------------------------------------------------------------------

    def poll(self) -> None:
        """Read the jack (the app's tick); a change goes to the core."""
        try:
            plugged = bool(self._headset.plugged())
        except Exception as err:  # a driver bug must not stop the tick
            record(EventType.DEVICE_STATUS, logging.ERROR, device=DeviceKind.HEADSET,
                   error=Ident(type(err).__name__))
            plugged = False
        if plugged != self._plugged:
            self._plugged = plugged
            self._core.set_headset(plugged)

    def close(self) -> None:
        """The app stops: silence."""
        self._call("stop")

    # -- to the port ---------------------------------------------------------------------------

    def _say(self, _dt: float = 0) -> None:
        view = self._view
        parts = self._screen_parts + [part for _, said in self._control_parts for part in said]
        self._screen_parts, self._control_parts = [], []
        said = utterance(parts, view) if view is not None else None
        if said is not None:
            self._call("speak", said.text, said.lang, said.delivery)

    def _call(self, name: str, *args: Any) -> None:
        try:
            getattr(self._speech, name)(*args)
        except Exception as err:  # nothing a driver does raises into Kivy (docs/devices.md)
            record(EventType.DEVICE_STATUS, logging.ERROR, device=DeviceKind.SPEECH,
                   call=Ident(name), error=Ident(type(err).__name__))
