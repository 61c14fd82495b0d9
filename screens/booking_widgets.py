"""Widgets of the appointment and manage-booking screens: a list of large choices that shows
what fits in the body band and pages through the rest with "See more" (docs/visual-design.md: no
scrolling except through an explicit "See more" button), and a summary line with its
"Change" button."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from screens.widgets import KioskButton


@dataclass(frozen=True)
class Choice:
    """One choice: `key` makes its role (`<prefix>.<key>`), `text` is what it says."""

    key: str
    text: str
    action: Callable[[], None]
    chosen: bool = False


@dataclass(frozen=True)
class Line:
    """One line of a summary: `text`, and a "Change" button (role `<prefix>.<key>`)."""

    key: str
    text: str
    action: Callable[[], None]


def button_height(button: KioskButton) -> float:
    """The height a button takes once its text is wrapped to its width (its kv rule: at least
    the target height, else the text and 5 mm above and below)."""
    app: Any = App.get_running_app()
    button.texture_update()
    return max(app.button_height, button.texture_size[1] + app.mm(10))


class PagedChoices(BoxLayout):
    """Large choices in `columns` columns, as many as the widget's height holds; "See more"
    and "Previous" page through the rest. It takes the height its parent leaves it."""

    prefix = StringProperty("choice")
    columns = NumericProperty(1)
    more_key = StringProperty("booking.more")
    previous_key = StringProperty("booking.previous")
    page = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        app: Any = App.get_running_app()
        self._choices: tuple[Choice | Line, ...] = ()
        self._signature: tuple[tuple[str, str, bool], ...] = ()
        self._lang = app.lang
        self._shown: tuple[object, ...] = ()
        self._grid = GridLayout(cols=1, size_hint_y=None, spacing=app.layout.gap)
        self._grid.bind(minimum_height=self._grid.setter("height"))
        self._nav = BoxLayout(orientation="horizontal", size_hint_y=None,
                              spacing=app.layout.gap)
        self._previous = KioskButton(role=f"{self.prefix}.previous")
        self._more = KioskButton(role=f"{self.prefix}.more")
        self._previous.bind(on_release=lambda _b: self._turn(-1))
        self._more.bind(on_release=lambda _b: self._turn(1))
        self._nav.add_widget(self._previous)
        self._nav.add_widget(self._more)
        self.add_widget(self._grid)
        self.add_widget(Widget())
        self._refill = Clock.create_trigger(self._fill, -1)
        self.bind(size=self._refill, columns=self._refill, page=self._refill,
                  prefix=self._rename)
        app.bind(text_size=self._refill, layout=self._refill)

    def _rename(self, *_args: Any) -> None:
        self._previous.role = f"{self.prefix}.previous"
        self._more.role = f"{self.prefix}.more"
        self._shown = ()
        self._refill()

    def set_choices(self, choices: Sequence[Choice | Line], lang: str) -> None:
        """Show these choices (or summary lines); a new list starts again at its first
        page."""
        signature = tuple((c.key, c.text, getattr(c, "chosen", False)) for c in choices)
        keys_changed = tuple(s[0] for s in signature) != tuple(s[0] for s in self._signature)
        self._choices = tuple(choices)
        self._lang = lang
        if signature == self._signature:
            return
        self._signature = signature
        if keys_changed:
            self.page = 0
        self._shown = ()
        self._fill()

    # -- layout --------------------------------------------------------------------------

    def _buttons(self, width: float) -> list[tuple[Widget, float]]:
        made: list[tuple[Widget, float]] = []
        for choice in self._choices:
            if isinstance(choice, Line):
                made.append(self._line(choice, width))
                continue
            text = ("✓ " if choice.chosen else "") + choice.text
            button = KioskButton(text=text, role=f"{self.prefix}.{choice.key}",
                                 primary=choice.chosen, size_hint_y=None)
            button.bind(on_release=lambda _b, c=choice: c.action())
            button.width = width
            made.append((button, button_height(button)))
        return made

    def _line(self, item: Line, width: float) -> tuple[Widget, float]:
        """A summary line, measured: its text wraps beside its "Change" button."""
        app: Any = App.get_running_app()
        line = SummaryLine(text=item.text, change_role=f"{self.prefix}.{item.key}",
                           action=item.action, width=width)
        change, label = line.ids.change, line.ids.label
        change.texture_update()
        label.width = width - max(app.mm(45), change.texture_size[0] + app.mm(10)) - (
            app.layout.gap)
        label.texture_update()
        return line, max(label.texture_size[1], button_height(change))

    def first(self) -> Widget | None:
        """The first choice (or "Change" button) on the page."""
        for widget in reversed(self._grid.children):
            for inner in widget.walk(restrict=True):
                if isinstance(inner, KioskButton):
                    return inner
        return None

    def _pages(self, heights: list[float], space: float, gap: float) -> list[range]:
        """Rows of `columns` items, as many rows per page as fit in `space`."""
        cols = max(1, int(self.columns))
        rows = [heights[i:i + cols] for i in range(0, len(heights), cols)]
        pages: list[range] = []
        start, used = 0, 0.0
        for index, row in enumerate(rows):
            needed = max(row) + (gap if index > start else 0.0)
            if index > start and used + needed > space:
                pages.append(range(start * cols, index * cols))
                start, used = index, max(row)
            else:
                used += needed
        pages.append(range(start * cols, len(heights)))
        return pages

    def _fill(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        gap = app.layout.gap
        cols = max(1, int(self.columns))
        shown = (self._signature, self.page, self.width, self.height, cols, app.text_size,
                 self._lang)
        if shown == self._shown or self.height <= 0 or self.width <= 0:
            return
        self._shown = shown
        had_focus = any(getattr(w, "focus", False) for w in self.walk(restrict=True))
        self._grid.cols = cols
        self._grid.spacing = gap
        width = (self.width - gap * (cols - 1)) / cols
        made = self._buttons(width)
        heights = [h for _b, h in made]
        total = self._pages(heights, self.height, gap)
        nav_height = 0.0
        if len(total) > 1:
            self._previous.text = translate(self.previous_key, self._lang)
            self._more.text = translate(self.more_key, self._lang)
            nav_height = max(button_height(self._previous), button_height(self._more))
            total = self._pages(heights, self.height - nav_height - gap, gap)
        page = min(int(self.page), len(total) - 1)
        self._grid.clear_widgets()
        for index in total[page] if made else ():
            button, height = made[index]
            button.height = height
            self._grid.add_widget(button)
        paged = len(total) > 1
        # "See more" is in the layout only when there is more: hidden, it would still be
        # walked (by Tab, by tests) at a place where it is not drawn.
        if paged and self._nav.parent is None:
            self.add_widget(self._nav, index=0)
        elif not paged and self._nav.parent is self:
            self.remove_widget(self._nav)
        self._nav.height = nav_height
        self._previous.disabled = page == 0
        self._more.disabled = page >= len(total) - 1
        if had_focus and (first := self.first()) is not None:
            first.focus = True  # keyboard users go on from the first choice of the new page

    def _turn(self, step: int) -> None:
        self.page = max(0, int(self.page) + step)


class OfferedButton(BoxLayout):
    """A button that is in the layout only while it is offered ("Try again" after a failed
    load): a hidden widget would still take room, and the button rule's opacity for a
    disabled button would show its ghost."""

    __events__ = ("on_release",)
    shown = BooleanProperty(False)
    text = StringProperty("")
    #: the button's role (the container has none of its own: tests find widgets by role)
    button_role = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.button = KioskButton()
        self.button.bind(on_release=lambda _b: self.dispatch("on_release"))
        self.bind(text=self.button.setter("text"), button_role=self.button.setter("role"),
                  shown=self._show)
        self._show()

    def _show(self, *_args: Any) -> None:
        if self.shown and self.button.parent is None:
            self.add_widget(self.button)
        elif not self.shown and self.button.parent is self:
            self.button.focus = False
            self.remove_widget(self.button)

    def on_release(self) -> None:
        """Default handler (kv binds the real one)."""


class SummaryLine(BoxLayout):
    """One item of a summary: what was chosen, and its "Change" button (`action`)."""

    text = StringProperty("")
    #: the role of its "Change" button
    change_role = StringProperty("")
    action = ObjectProperty(None, allownone=True)

    def change(self) -> None:
        """The person touched "Change"."""
        if self.action is not None:
            self.action()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

__all__ = ["Choice", "Line", "PagedChoices", "SummaryLine", "button_height"]
