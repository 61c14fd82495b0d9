"""Widgets every screen is built from: buttons that act on release and take keyboard focus,
text that wraps, the persistent bar, and the base class of screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.core.intents import Intent
from kiosk.core.view import View

ACTIVATE_KEYS = ("enter", "numpadenter", "spacebar")
# How long a key-activated button shows as pressed before it acts, as a touch would.
KEY_PRESS_S = 0.05
# How far up the tree a focused widget looks for the list that scrolls it: screens nest a
# dozen levels at most.
MAX_NESTING = 32


def send(intent: Intent) -> None:
    """Hand an intent to the app shell (the only way a screen changes anything)."""
    App.get_running_app().send(intent)


class ShellKeys(FocusBehavior):
    """A focused widget receives keys before the window's own handler does (Kivy binds the
    keyboard after the app), so it hands every key to the shell first: the lock-down and the
    inactivity timer see all keys, whichever widget has focus."""

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """The shell's verdict first, then the widget's own handling."""
        if App.get_running_app().handle_key(keycode[0], modifiers):
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def keyboard_on_key_up(self, window: Any, keycode: Any) -> bool:
        """Escape is Back (the shell acts on its press). Kivy's FocusBehavior also drops the
        focus on Escape's release, which lands on the widget the new screen has just focused:
        the keyboard user would be left with no focus."""
        if keycode[1] == "escape":
            return True
        return bool(super().keyboard_on_key_up(window, keycode))

    def keyboard_on_textinput(self, window: Any, text: str) -> Any:
        """A key the shell dropped (a bounce, a held key: docs/accessibility.md F7, F8) types
        nothing either."""
        if App.get_running_app().keys.swallowing:
            return True
        return super().keyboard_on_textinput(window, text)

    def on_focus(self, _instance: Any, focused: bool) -> None:
        """A widget that Tab reaches inside a scrolling list is scrolled into view: the
        keyboard user sees where the focus is (WCAG 2.4.11, focus not obscured)."""
        if not focused:
            return
        App.get_running_app().control_focused(self)
        holder = self.parent
        for _ in range(MAX_NESTING):  # the window is its own parent: the walk is bounded
            if holder is None:
                return
            if isinstance(holder, ScrollView):
                holder.scroll_to(self, animate=False)
                return
            holder = holder.parent


class KioskButton(ShellKeys, Button):
    """A button that acts on release inside it (WCAG 2.5.2) and on Enter or Space when focused
    (docs/kivy.md §6). `role` is what speech and tests call it."""

    role = StringProperty("button")
    primary = BooleanProperty(False)
    # The kv rule draws the button. Left as Kivy's defaults until the rule empties them, these
    # would load Kivy's theme atlas, a 512 × 512 texture (1.6 MiB resident with the fields').
    background_normal = StringProperty("")
    background_down = StringProperty("")
    background_disabled_normal = StringProperty("")
    background_disabled_down = StringProperty("")

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """Enter and Space press the focused button."""
        if keycode[1] in ACTIVATE_KEYS and not App.get_running_app().handle_key(
            keycode[0], modifiers
        ):
            self.trigger_action(duration=KEY_PRESS_S)
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)


class KioskText(Label):
    """Text that wraps to its width and grows to its height: nothing is ever cut off."""


class BoxedText(Label):
    """Text placed in a box of a given size by `halign` and `valign`, with a texture only as
    tall as the text (its kv rule). With Kivy's `text_size: self.size`, the texture fills
    the whole box: one line of the city's name on the attract screen took 1055 × 891 px, 3.6 MiB
    of texture memory, and a screen's title and masthead took 3.6 MiB between them."""


class KioskTitle(BoxedText):
    """The question a screen asks, at the bottom of the header band, next to the choices."""


class KioskTextInput(ShellKeys, TextInput):
    """A one-line text field that takes part in Tab navigation, with no clipboard: Kivy's
    TextInput copies a selection to the X server's PRIMARY selection when xclip or xsel is
    installed and pastes it on a middle click, and keeps what Ctrl+X cut for Ctrl+V. Each would
    hand one person's text to the next (docs/architecture.md rule 4), so none of it is reached.
    """

    # The kv rule draws the field; as for KioskButton, Kivy's defaults would load its theme atlas.
    background_normal = StringProperty("")
    background_active = StringProperty("")
    background_disabled_normal = StringProperty("")

    def _ensure_clipboard(self) -> None:
        """Where TextInput looks up the clipboard and the X cut buffer
        (kivy/uix/textinput.py): never, so the cut buffer stays off."""

    def copy(self, data: str = "") -> None:
        """Copying keeps nothing."""

    def _cut(self, data: str) -> None:
        """Ctrl+X does nothing: a cut would keep the text for the next person's Ctrl+V."""

    def paste(self) -> None:
        """There is nothing to paste."""

    def clear(self) -> None:
        """Empty the field, its undo history and its selection: nothing typed remains."""
        self.text = ""
        self.reset_undo()
        self.cancel_selection()
        self.focus = False

    def keep(self, kept: str | None) -> None:
        """Show what the person typed in this step: emptied when `kept` is None (the flow or
        the session has ended); given back, if the field was emptied, after a language change
        or a refused answer; left alone while the person types."""
        if kept is None:
            self.clear()
        elif not self.text and kept:
            self.text = kept

    def _adjust_viewport(self, cc: int, cr: int) -> None:
        # TextInput's own is one `@triggered` for the whole class: it keeps the arguments of
        # its last call, this field, for the life of the app (kivy/clock.py, `triggered`), which
        # kept a dropped screen alive; and of two fields moved in one frame, only the last was
        # scrolled to its cursor. Here each field has a trigger of its own.
        self._cursor_at = (cc, cr)
        trigger = getattr(self, "_viewport_trigger", None)
        if trigger is None:
            trigger = self._viewport_trigger = Clock.create_trigger(self._scroll_to_cursor, -1)
        trigger()

    def _scroll_to_cursor(self, _dt: float) -> None:
        TextInput._adjust_viewport.__wrapped__(self, *self._cursor_at)


class Masthead(BoxedText):
    """The city's name above the question, on panels tall enough to leave room for it."""


class Bar(BoxLayout):
    """The persistent bar: Back, Start again, Language, Help; same place, same order."""


class KioskScreen(Screen):
    """A screen: a thin view over the core's `View` that sends intents."""

    def show(self, view: View) -> None:
        """Redraw from `view`. A screen keeps nothing of its own between sessions."""

    def first_focus(self) -> Widget | None:
        """The widget Tab focuses first when nothing has focus."""
        return None

    def focus_key(self) -> str:
        """What the screen is asking now; when it changes on the same screen (the next
        question of a form), the focus starts again at `first_focus`."""
        return ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
