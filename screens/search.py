"""A search over a screen's choices (the home screen's entries, the services), typed on the
on-screen keyboard (docs/accessibility.md B5: a totem has no keyboard, and a desk visitor may
not use one).

The choices are what a person sees first: the search is a box above them, with its example or
what was searched. Touching the box (or Enter, Space or a switch's select on it, or typing a
letter while it has the focus) opens the search: the field takes the focus and the keyboard
comes below or beside it (`TypingArea`); the choices that match stay in the room left, paged,
or, where the band has no room for them beside the keyboard (the desk, the seated totem),
"Show the results" says how many match. The keyboard's OK, Enter or "Show the results" close
the search, and the choices that match have the band again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from screens.fitting import button_height
from screens.keyboard import TypingArea
from screens.measure import one_line_width
from screens.paging import PagedChoices
from screens.widgets import ACTIVATE_KEYS, KEY_PRESS_S, KioskTextInput, ShellKeys

__all__ = ["SearchBox", "SearchColumn", "TypingArea"]  # used in the screens' .kv


class SearchBox(ButtonBehavior, ShellKeys, BoxLayout):
    """The search field's box. Closed, its field takes no typing (the screen shows no keys)
    and the box is the control: touched or chosen, it opens the search. Open, the field takes
    the focus and the typing. `role` is what tests and the audit call the closed box."""

    role = StringProperty("search.open")
    #: the search is open: the field types, the keyboard is shown
    searching = BooleanProperty(False)
    #: the field it holds (its only child)
    field = ObjectProperty(None, allownone=True, rebind=True)

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        """The field is the box's one child."""
        super().add_widget(widget, *args, **kwargs)
        if isinstance(widget, KioskTextInput):
            self.field = widget
            widget.bind(on_text_validate=lambda *_a: self.close(),
                        height=lambda _w, height: setattr(self, "height", height))
            self.height = widget.height
            self._follow()

    def on_searching(self, *_args: Any) -> None:
        """Open: the field types; closed: it is shown, and the box takes the touches."""
        self._follow()

    def _follow(self) -> None:
        if self.field is not None:
            self.field.disabled = not self.searching  # a disabled field loses its focus
        self.is_focusable = not self.searching

    def open(self, typed: str = "") -> None:
        """Open the search with the focus in the field, and what was typed in it."""
        self.searching = True
        field = self.field
        if field is None:
            return
        self.focus = False
        field.focus = True
        if typed:
            field.insert_text(typed)

    def close(self) -> None:
        """Close the search: the choices that match take the band again; a keyboard user
        goes on from the box."""
        if not self.searching:
            return
        had_focus = self.field is not None and self.field.focus
        self.searching = False
        if had_focus:
            Clock.schedule_once(lambda _dt: setattr(self, "focus", True), 0)

    def on_release(self) -> None:
        """Touched or chosen: open."""
        self.open()

    def on_touch_down(self, touch: Any) -> bool:
        """Closed, a touch on the field is a touch on the box; open, the field has it."""
        if self.searching:
            return bool(super(ButtonBehavior, self).on_touch_down(touch))
        return bool(super().on_touch_down(touch)) if self.collide_point(*touch.pos) else False

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """Enter and Space open the search, as a button's press."""
        if keycode[1] in ACTIVATE_KEYS and not App.get_running_app().handle_key(
                keycode[0], modifiers):
            self.trigger_action(duration=KEY_PRESS_S)
            return True
        return bool(super().keyboard_on_key_down(window, keycode, text, modifiers))

    def keyboard_on_textinput(self, window: Any, text: str) -> Any:
        """A letter typed on the box opens the search and goes into the field: a keyboard
        user types a keyword at once."""
        if App.get_running_app().keys.swallowing:
            return True
        if text.strip() and not self.searching:
            self.open(text)
            return True
        return None


class SearchColumn(BoxLayout):
    """The search box, what it found, and the choices: the choices take the height left; open
    beside or above a keyboard with no room for a row of them and its pager, or too narrow
    for the pager's words, they give way to "Show the results" where it fits (the keyboard's
    OK does the same)."""

    #: the search is open (the box's)
    searching = BooleanProperty(False)
    #: the height of what is always shown: the box, and the line under it when it says
    #: that nothing matches
    fixed_height = NumericProperty(0)
    #: the choices have no room: they are left out while the search is open
    crowded = BooleanProperty(False)
    #: crowded, and "Show the results" has room
    offers_results = BooleanProperty(False)
    #: "Show the results": in the column only when it offers them
    results_button = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        self._measure = Clock.create_trigger(self._crowd, -1)
        #: the button itself: out of the column, nothing else holds it (a kv id is weak)
        self._button: Any = None
        #: the choices' list
        self._list: PagedChoices | None = None
        #: the room under the box while neither the choices nor "Show the results" take it
        self._rest = Widget()
        super().__init__(**kwargs)
        self.bind(height=self._measure, searching=self._measure, fixed_height=self._measure)

    def on_results_button(self, *_args: Any) -> None:
        """Hold "Show the results" while it is out of the column."""
        button = self.results_button
        self._button = getattr(button, "__self__", button)  # a kv id is a weak proxy
        self._measure()

    @property
    def least_height(self) -> float:
        """What the column needs at least: the box (TypingArea places the keyboard by it), and
        the gap the choices' list keeps under it when it has no room."""
        return float(self.fixed_height + self.spacing)

    @property
    def ideal_height(self) -> float:
        """What it needs to show its choices too: a row of them and its pager."""
        return float(self.fixed_height + self.spacing + self.list_height())

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        """The choices' list says what it needs at the column's width."""
        super().add_widget(widget, *args, **kwargs)
        if isinstance(widget, PagedChoices) and widget is not self._list:
            self._list = widget
            widget.bind(least_height=self._measure, narrow=self._measure)

    def list_height(self) -> float:
        """The least a paged list needs: its tallest row and its pager at the column's width
        (words wrap in a narrow column), as laid out last; a row of buttons and the pager
        before it was."""
        app: Any = App.get_running_app()
        least = float(self._list.least_height) if self._list is not None else 0.0
        return least or float(2 * app.button_height + app.layout.gap)

    def _crowd(self, *_args: Any) -> None:
        room = self.height - self.fixed_height - self.spacing
        narrow = self._list is not None and self._list.narrow
        self.crowded = self.searching and (narrow or room < self.list_height() - 0.5)
        button = self._button
        # Only where its words hold on one line and the room has its height (at XL its
        # words make it taller than a button's least): it takes the crowded list's place.
        # Else the keyboard's OK does the same.
        self.offers_results = button is not None and (
            self.crowded
            and one_line_width(button.text, button.font_size, button.font_name,
                               button.icon) <= self.width
            and room >= button_height(button, self.width))
        if not self.offers_results and button is not None and button.parent is not None:
            button.parent.remove_widget(button)
        self._hold(self._list, not self.crowded)
        if self.offers_results and button.parent is None:
            self.add_widget(button)
        # Under the box what the column does not hold: the box stays at the top of the band.
        self._hold(self._rest, self.crowded and not self.offers_results)

    def _hold(self, widget: Widget | None, shown: bool) -> None:
        """Put `widget` at the column's foot, or out of it (the crowded list leaves it, and
        the gap it kept with it)."""
        if widget is None:
            return
        if not shown and widget.parent is self:
            self.remove_widget(widget)
        elif shown and widget.parent is None:
            self.add_widget(widget)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
