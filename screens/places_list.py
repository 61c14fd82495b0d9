"""Practical information, step 1: the city's places grouped by kind, nearest first, each a
large button saying its name, whether it is open now and how far it is on foot. A row of
buttons above filters by kind. Only what fits in the body band is shown; "See more" shows the
next page (no scrolling, docs/visual-design.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.core.flows.places import ChooseKind, Listed, OpenPlace, PlacesContent, ShowPage
from kiosk.core.i18n import translate
from kiosk.core.places import PlaceKind
from kiosk.core.places_text import kind_name, status_text, walk_short
from kiosk.core.view import View
from screens.fitting import body_width, button_height, measured, paginate
from screens.flow_screen import FlowScreen, content_of
from screens.measure import one_line_width
from screens.paging import fit_pager
from screens.widgets import KioskButton, KioskText, send


class PlaceRow(KioskButton):
    """One place in the list: its name in bold, then open/closed and the walk."""


class KindButton(KioskButton):
    """A filter: one kind of place, or all (`kind` None)."""

    kind = ObjectProperty(None, allownone=True)


class PagerButton(KioskButton):
    """Previous or next page; `page` is the page it shows."""

    page = NumericProperty(0)


class GroupHeading(KioskText):
    """The name of a kind, above its places."""


MAX_KIND_ROWS = 2
"""The kinds of place take two rows at most: a third would leave the places no room."""
TICK = "✓\u00a0"
"""The chosen filter's tick, held to its word: a line break between them would make the
chosen filter a line taller than the others."""


def longest_word_width(button: KioskButton, text: str) -> float:
    """How wide `button` must be for the longest word of `text` on one line, beside its
    pictogram. Words break at spaces only: the tick and its word are one."""
    words = text.replace("\n", " ").split(" ")
    return max(one_line_width(word, button.font_size, button.font_name, button.icon)
               for word in words)


class PlacesListScreen(FlowScreen):
    """Which place are you looking for?"""

    _shown: tuple[Any, ...] | None = None
    _kinds_shown: tuple[Any, ...] | None = None
    _last_uid = ""
    #: the filters' height, shown
    _kinds_height = 0.0
    #: the filters have the first page to themselves
    _alone = False

    def show(self, view: View) -> None:
        """Filters, the current page of places and the pager."""
        super().show(view)
        flow = content_of(view, PlacesContent)
        if flow is None:
            if self._shown is not None:
                self._shown = self._kinds_shown = None
                self.ids.kinds.clear_widgets()
                self.ids.rows.clear_widgets()
            return
        app: Any = App.get_running_app()
        key = (view.language, app.text_size, app.layout, flow.kind, flow.page, flow.uid,
               flow.as_of.replace(second=0, microsecond=0), flow.listing)
        if key == self._shown:
            return
        self._shown = key
        self._last_uid = flow.uid
        self._fill_kinds(view, flow)
        self._fill_rows(view, flow)

    # -- filters ---------------------------------------------------------------------------

    def _fill_kinds(self, view: View, flow: PlacesContent) -> None:
        row = self.ids.kinds
        choices: list[PlaceKind | None] = [None, *flow.kinds]
        key = (view.language, tuple(choices))
        if key != self._kinds_shown:
            # Rebuilt only when the choices or the language change, so that a focused filter
            # keeps the focus when it is pressed.
            self._kinds_shown = key
            row.clear_widgets()
            for kind in choices:
                button = KindButton(role=f"places.kind.{kind.value if kind else 'all'}",
                                    kind=kind)
                button.bind(on_release=lambda _b, kind=kind: self._choose(kind))
                row.add_widget(button)
        gap = self._gap()
        names = {b: kind_name(b.kind, view.language) for b in row.children}
        # As many in a row as hold their longest word whole (never broken at the largest
        # size), ticked: the columns then do not change with the filter chosen, nor the
        # chosen one's height. Where that would take a third row, the columns that hold the
        # words alone, and the chosen one's tick may take a line of its own.
        cols = self._columns(max(longest_word_width(b, TICK + names[b]) for b in row.children),
                             len(choices), gap)
        tick = TICK
        if -(-len(choices) // cols) > MAX_KIND_ROWS:
            cols = self._columns(max(longest_word_width(b, names[b]) for b in row.children),
                                 len(choices), gap)
            tick = TICK.replace("\u00a0", " ")
        for button in row.children:
            chosen = button.kind == flow.kind
            # The chosen filter is marked by a tick as well as by colour (WCAG 1.4.1).
            button.text = (tick if chosen else "") + names[button]
            button.chosen = chosen
        rows = -(-len(choices) // cols)
        row.rows, row.cols = None, cols
        width = (body_width() - gap * (cols - 1)) / cols
        height = max(button_height(b, width) for b in row.children)
        for button in row.children:
            button.size_hint_y = None
            button.height = height  # one row, one height
        self._kinds_height = row.height = rows * height + gap * (rows - 1)

    @staticmethod
    def _columns(widest: float, count: int, gap: float) -> int:
        """As many columns, up to `count`, as are each at least `widest` wide."""
        cols = count
        while cols > 1 and (body_width() - gap * (cols - 1)) / cols < widest:
            cols -= 1
        return cols

    # -- places ----------------------------------------------------------------------------

    def _row(self, item: Listed, flow: PlacesContent, language: str) -> PlaceRow:
        place = item.place
        status = status_text(place.hours, flow.as_of, language)
        text = (f"[b]{escape_markup(place.name)}[/b]\n"
                f"{escape_markup(status)} · {escape_markup(walk_short(item.walk, language))}")
        row = PlaceRow(text=text, role=f"places.place.{place.uid}")
        row.bind(on_release=lambda _b, uid=place.uid: send(OpenPlace(uid)))
        return row

    def _fill_rows(self, view: View, flow: PlacesContent) -> None:
        language = view.language
        listing = flow.listing
        width, gap = body_width(), self._gap()
        rows = {item.place.uid: self._row(item, flow, language) for item in listing}
        heights = {uid: measured(row, width) for uid, row in rows.items()}
        headings: dict[PlaceKind, GroupHeading] = {}
        grouped = flow.kind is None
        for kind in flow.kinds if grouped else ():
            headings[kind] = GroupHeading(text=kind_name(kind, language))
        heading_h = {kind: measured(h, width) for kind, h in headings.items()}

        def height(previous: Listed | None, item: Listed) -> float:
            kind = item.place.kind
            new_group = grouped and (previous is None or previous.place.kind is not kind)
            return heights[item.place.uid] + (heading_h[kind] + gap if new_group else 0.0)

        body = self.app_layout().body.height
        # The body holds: filters, rows, a filler and the pager, a gap between each.
        kinds_h = self._kinds_height
        pager_h = self._pager_height(len(listing), language)
        pages = paginate(listing, height, body - kinds_h - 3 * gap, gap)
        if len(pages) > 1:
            pages = paginate(listing, height, body - kinds_h - 3 * gap - pager_h,
                             gap)
        # Where the filters leave no room for a single place (the largest text on a short
        # body), they have the first page to themselves and the places the pages after it.
        tallest = max((height(None, item) for item in listing), default=0.0)
        alone = tallest > body - kinds_h - 3 * gap - pager_h
        if alone:
            pages = [[], *paginate(listing, height, body - 3 * gap - pager_h, gap)]
        index = min(flow.page, len(pages) - 1) if pages else 0
        self._alone = alone
        self._show_kinds(not alone or index == 0)
        box = self.ids.rows
        box.clear_widgets()
        previous: Listed | None = None
        for item in pages[index] if pages else []:
            if grouped and (previous is None or previous.place.kind is not item.place.kind):
                box.add_widget(headings[item.place.kind])
            box.add_widget(rows[item.place.uid])
            previous = item
        self._show_pager(index, len(pages), language, pager_h)

    def _choose(self, kind: PlaceKind | None) -> None:
        """A filter; where the filters have the first page to themselves, the page after
        them, where its places are."""
        send(ChooseKind(kind))
        if self._alone:
            send(ShowPage(1))

    def _show_kinds(self, shown: bool) -> None:
        kinds = self.ids.kinds
        kinds.height = self._kinds_height if shown else 0
        kinds.opacity = 1 if shown else 0
        kinds.disabled = not shown

    def _show_pager(self, index: int, count: int, language: str, height: float) -> None:
        pager, previous, more = self.ids.pager, self.ids.previous, self.ids.more
        paged = count > 1
        pager.height = height if paged else 0
        pager.opacity = 1 if paged else 0
        previous.disabled = not paged or index == 0
        more.disabled = not paged or index >= count - 1
        previous.page = index - 1
        more.page = index + 1
        self.ids.page.text = (translate("places.page", language, page=index + 1, pages=count)
                              if paged else "")
        for button in (previous, more):
            if button.focus and button.disabled:
                # The last page reached from the keyboard: carry on with its first place.
                button.focus = False
                first = self._place_rows()
                if first:
                    first[0].focus = True

    def _pager_height(self, places: int, language: str) -> float:
        """The pager's row at the body's width, its words whole (fit_pager), measured with
        "Page n of n" at its widest: there are never more pages than places."""
        ids = self.ids
        ids.page.text = translate("places.page", language, page=places, pages=places)
        return fit_pager((ids.previous, ids.page, ids.more), body_width(), self._gap())

    def show_page(self, button: PagerButton) -> None:
        """Previous or next page."""
        send(ShowPage(int(button.page)))

    # -- helpers ---------------------------------------------------------------------------

    def app_layout(self) -> Any:
        """The screen bands of the running app."""
        return App.get_running_app().layout

    def _gap(self) -> float:
        return float(self.app_layout().gap)

    def _place_rows(self) -> list[PlaceRow]:
        return [w for w in reversed(self.ids.rows.children) if isinstance(w, PlaceRow)]

    def first_focus(self) -> Widget | None:
        """The place the person last opened, else the first place, else the filters."""
        rows = self._place_rows()
        for row in rows:
            if row.role == f"places.place.{self._last_uid}":
                return row
        if rows:
            return rows[0]
        kinds = list(reversed(self.ids.kinds.children))
        return kinds[0] if kinds else None


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
