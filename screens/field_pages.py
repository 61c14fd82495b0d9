"""One field at a time: a step whose fields, buttons and on-screen keyboard do not fit the body
band together shows each field with its label on a page of its own (and what comes before the
first field, a one-touch answer, on a page of its own too), "Before", "1 of 2" and "After" under
it, or beside a lone field when the keyboard below leaves no row for them; the step's own
buttons after the fields stay on every page (docs/visual-design.md, "One question per screen":
a screen never scrolls by a gesture)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from screens.fitting import button_height
from screens.measure import one_line_width
from screens.paging import PageNav, fit_pager
from screens.widgets import KioskButton, KioskTextInput


def field_of(widget: Widget) -> TextInput | None:
    """The field `widget` is, or holds (a field and its button in a row)."""
    return next((w for w in widget.walk(restrict=True) if isinstance(w, TextInput)), None)


def field_groups(widgets: list[Widget]) -> list[list[Widget]]:
    """The pages' widgets: each field with the words just before it (its label), and what
    comes before the first of them; what comes after the last field is on every page."""
    groups: list[list[Widget]] = []
    start = 0
    for index, widget in enumerate(widgets):
        if field_of(widget) is None:
            continue
        before = widgets[index - 1] if index > start else None
        label = isinstance(before, Label) and not isinstance(before, KioskButton)
        first = index - 1 if label else index
        if not groups and first > 0:
            groups.append(widgets[:first])
        groups.append(widgets[first:index + 1])
        start = index + 1
    return groups


class FieldPages:
    """Pages the fields of `column` (a FlowList): `page(True)` shows the current page's
    widgets and the pager; `page(False)` gives the column back as it was written."""

    def __init__(self, column: Widget) -> None:
        self.column = column
        self.widgets: list[Widget] = list(reversed(column.children))
        self.groups = field_groups(self.widgets)
        self.fields = [field_of(group[-1]) for group in self.groups]
        self.paged = False
        #: the pager beside the page's field, not under it
        self.inline = False
        self.current = 0
        app: Any = App.get_running_app()
        self.row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=app.layout.gap)
        self.nav = PageNav()
        self._previous, self._next = self.nav.ids.previous, self.nav.ids.next
        self._previous.role, self._next.role = "typing.previous", "typing.more"
        self._previous.bind(on_release=lambda _b: self.turn(self.current - 1))
        self._next.bind(on_release=lambda _b: self.turn(self.current + 1))
        for field in self.fields:
            if field is not None:
                field.bind(focus=self._focused, height=self._fit_row)
        column.bind(width=self._resize)

    @property
    def can_page(self) -> bool:
        """Two pages or more: two fields, or a field and what comes before it."""
        return len(self.groups) > 1

    def can_inline(self) -> bool:
        """The pager can stand beside the field of every page: each page is a bare field."""
        return all(isinstance(group[-1], TextInput) for group in self.groups)

    def page(self, paged: bool, inline: bool = False) -> None:
        """Show one page at a time (the pager beside its field when `inline`), or all."""
        if paged and not self.can_page:
            return
        inline = inline and self.can_inline()
        if (paged, inline) == (self.paged, self.inline):
            return
        self.paged, self.inline = paged, inline
        self._refill()

    def turn(self, index: int) -> None:
        """Show page `index` and type into its field."""
        index = max(0, min(index, len(self.groups) - 1))
        if index != self.current:
            self.current = index
            if self.paged:
                self._refill()
        field = self.fields[index]
        if self.paged and field is not None and not field.focus:
            field.focus = True

    def _focused(self, field: Widget, focus: bool) -> None:
        # The field being typed into is the one shown (Enter in one goes on to the next).
        if focus and self.paged:
            index = self.fields.index(field)
            if index != self.current:
                self.current = index
                self._refill()

    def _resize(self, *_args: Any) -> None:
        if self.paged:
            self.relabel()

    def _fit_row(self, *_args: Any) -> None:
        field = self.fields[self.current]
        self.row.height = max(field.height if field is not None else 0.0, self.nav.height)

    def _refill(self) -> None:
        column, row, nav = self.column, self.row, self.nav
        column.clear_widgets()
        row.clear_widgets()
        shown = self.groups[self.current]
        hidden = {id(w) for group in self.groups if group is not shown for w in group}
        for widget in self.widgets:
            if self.paged and id(widget) in hidden:
                continue
            if self.paged and self.inline and widget is shown[-1]:
                row.add_widget(widget)
                row.add_widget(nav)
                column.add_widget(row)
                continue
            column.add_widget(widget)
            if self.paged and widget is shown[-1]:
                column.add_widget(nav)
        if self.paged:
            self.relabel()

    def _widths(self, parts: tuple[Widget, ...]) -> tuple[list[float], float]:
        widths = [one_line_width(part.text, part.font_size, part.font_name,
                                 getattr(part, "icon", "")) for part in parts]
        return widths, sum(widths) + 2 * self.nav.spacing

    def _field_need(self) -> float:
        """How wide the page's field must be, beside an inline pager, to show its example
        ("nom@exemple.fr") whole, inside its padding."""
        field = self.fields[self.current]
        return field.example_width() if isinstance(field, KioskTextInput) else 0.0

    def relabel(self) -> None:
        """The pager's words in the person's language, and its size for them: "Before" and
        "After" as wide as their words on one line when the row holds them so."""
        app: Any = App.get_running_app()
        lang = app.lang
        # Not "Next": the step's own button says it, and goes on to the next step.
        self._previous.text = translate("typing.previous", lang)
        self._next.text = translate("typing.next", lang)
        self.nav.page_text = translate("pager.page", lang, page=self.current + 1,
                                       pages=len(self.groups))
        self._previous.disabled = self.current == 0
        self._next.disabled = self.current >= len(self.groups) - 1
        nav, words = self.nav, self.nav.ids.page
        parts = (self._previous, words, self._next)
        # The chevrons go first when the row is too narrow for them and the words, or beside
        # its field would leave the field too narrow for its example.
        for button, icon in ((self._previous, "chevron_left"), (self._next, "chevron_right")):
            button.icon, button.words_only = icon, False
        widths, whole = self._widths(parts)
        room = self.column.width - (self._field_need() + self.row.spacing if self.inline else 0)
        if whole > room:
            self._previous.icon = self._next.icon = ""
            widths, whole = self._widths(parts)
        if self.inline or whole <= self.column.width:
            for part, width in zip(parts, widths, strict=True):
                part.size_hint_x = None if self.inline or part is not words else 1
                part.width = width
            nav.size_hint_x = None if self.inline else 1
            nav.width = whole
            nav.height = max(button_height(self._previous, widths[0]),
                             button_height(self._next, widths[2]))
        else:
            # Too narrow for the words on one line: shared so that none breaks (fit_pager).
            nav.size_hint_x = 1
            nav.height = fit_pager(parts, self.column.width, nav.spacing)
        if self.inline:
            self._fit_row()
