"""Lists that never scroll: large choices laid out in the body band, as many as it holds at the
current text size and layout, and "previous / next" with "Page 2 of 3" for the rest
(docs/visual-design.md, "One question per screen": a screen never scrolls by a gesture)."""

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
from screens.app_followers import follow_app
from screens.fitting import button_height
from screens.measure import (
    change_button_width,
    longest_word_width,
    one_line_width,
    text_width,
    words_of,
)
from screens.widgets import KioskButton, KioskText


@dataclass(frozen=True)
class Choice:
    """One choice: `key` makes its role (`<prefix>.<key>`), `text` is what it says."""

    key: str
    text: str
    action: Callable[[], None]
    chosen: bool = False
    #: its pictogram (kiosk/core/pictograms.py), none when ""
    icon: str = ""
    #: how it looks: a choice among others, or an action ("primary", "secondary", "danger")
    kind: str = "choice"
    #: its role when it is not `<prefix>.<key>`
    role: str = ""
    #: what speech says of it, when `text` is a shortening of it
    spoken: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a summary: `text`, and a "Change" button (role `<prefix>.<key>`)."""

    key: str
    text: str
    action: Callable[[], None]


#: "Previous" and "Next" are each twice as wide as "2 of 3" between them: their words hold on
#: one line at the largest size (paging.kv)
NAV_BUTTON_SHARE = 2
#: the pager's row shared "Previous" : "2 of 3" : "Next", as long as their words hold whole
NAV_SHARES = (NAV_BUTTON_SHARE, 1, NAV_BUTTON_SHARE)


class PageNav(BoxLayout):
    """"Previous", "Page 2 of 3" and "Next" under a paged list, inside the body band."""

    page_text = StringProperty("")

    def fit(self, width: float) -> float:
        """Share `width` so that no word of the pager breaks (fit_pager); gives the row's
        height."""
        ids = self.ids
        return fit_pager((ids.previous, ids.page, ids.next), width, self.spacing)


def fit_pager(parts: tuple[Any, Any, Any], width: float, spacing: float) -> float:
    """Share `width` between a pager's "Previous", "2 of 3" and "Next" (`parts`, in a row
    `spacing` apart) so that none of their words breaks between two letters
    (docs/visual-design.md, "Text"): 2 : 1 : 2 with the chevrons, else without them (the
    words say it), as long as "2 of 3" holds on one line; else "2 of 3" on one line and the
    buttons as wide as their words, with their chevrons or without; else each part as wide as
    its longest word and the rest to "2 of 3".
    Gives the row's height at those widths."""
    previous, page, following = parts
    widths, pictograms = _pager_shares(parts, max(1.0, width - 2 * spacing))
    for button in (previous, following):
        button.words_only = not pictograms
        button.refresh_icon()  # measured below without the pictogram's room
    for part, part_width in zip(parts, widths, strict=True):
        part.size_hint_x = part_width  # in proportion: the row is `width` wide
    page.width = widths[1]
    page.texture_update()
    return max(button_height(previous, widths[0]), button_height(following, widths[2]),
               float(page.texture_size[1]))


def _pager_shares(parts: tuple[Any, Any, Any], room: float) -> tuple[list[float], bool]:
    """The pager's three widths in `room`, and whether its buttons keep their chevrons: "2 of
    3" on one line first (the row is as tall as its lines), then the chevrons."""
    whole = sum(NAV_SHARES)
    even = [room * share / whole for share in NAV_SHARES]
    page = parts[1]
    one_line = text_width(page.text, page.font_size, page.font_name, page.bold) + 2

    def shared(needs: list[float]) -> list[float]:
        spare = room - sum(needs)
        return [need + spare * share / whole
                for need, share in zip(needs, NAV_SHARES, strict=True)]

    for pictograms in (True, False):
        needs = _pager_needs(parts, pictograms)
        if one_line <= even[1] and all(
                need <= have for need, have in zip(needs, even, strict=True)):
            return even, pictograms
    for pictograms in (True, False):
        needs = _pager_needs(parts, pictograms)
        needs[1] = max(needs[1], one_line)
        if sum(needs) <= room:
            return shared(needs), pictograms
    needs = _pager_needs(parts, False)
    spare = room - sum(needs)
    if spare < 0:  # too narrow even so (PagedChoices.narrow says it)
        return even, False
    # "2 of 3" on as few lines as the rest allows.
    needs[1] += spare
    return needs, False


def _pager_needs(parts: tuple[Any, Any, Any], pictograms: bool) -> list[float]:
    """How wide each part of a pager must be for its longest word ("2 of 3" as it reads
    while the row is fitted: the widest when it is measured for its height)."""
    previous, page, following = parts
    page_need = max((text_width(word, page.font_size, page.font_name, page.bold) + 2
                     for word in words_of(page.text)), default=0.0)
    previous_need, next_need = (
        longest_word_width(b.text, b.font_size, b.font_name, b.icon if pictograms else "")
        for b in (previous, following))
    return [previous_need, page_need, next_need]


class PagedChoices(BoxLayout):
    """Large choices in `columns` columns, as many as the widget's height holds; "Previous"
    and "Next" page through the rest, with "Page 2 of 3" between them. It takes the height its
    parent leaves it. `widgets`, when set, lays out ready-made widgets instead of `Choice`s:
    `(widget, height at a width)` pairs from `make(width)`."""

    prefix = StringProperty("choice")
    columns = NumericProperty(1)
    more_key = StringProperty("pager.next")
    previous_key = StringProperty("pager.previous")
    page = NumericProperty(0)
    #: called with the width, gives `(widget, height)` pairs to lay out instead of choices
    make = ObjectProperty(None, allownone=True)
    #: the least height that shows a page at the width last laid out: its tallest row and
    #: the pager (a search beside a keyboard leaves the list out below it)
    least_height = NumericProperty(0)
    #: the pager's words would break at the width last laid out: too narrow to page in
    narrow = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        app: Any = App.get_running_app()
        self._choices: tuple[Choice | Line, ...] = ()
        self._signature: tuple[object, ...] = ()
        self._lang = app.lang
        self._shown: tuple[object, ...] = ()
        self._grid = GridLayout(cols=1, size_hint_y=None, spacing=app.layout.gap)
        self._grid.bind(minimum_height=self._grid.setter("height"))
        self._nav = PageNav()
        self._previous, self._more = self._nav.ids.previous, self._nav.ids.next
        self._previous.bind(on_release=lambda _b: self._turn(-1))
        self._more.bind(on_release=lambda _b: self._turn(1))
        self._rename()
        self.add_widget(self._grid)
        self.add_widget(Widget())
        self._refill = Clock.create_trigger(self._fill, -1)
        self._verify = Clock.create_trigger(self._check_fit, 0)
        #: room given up after a page came out taller than measured (text wrapped once laid
        #: out): the next fill pages with that much less
        self._shrink = 0.0
        self.bind(size=self._refill, columns=self._refill, page=self._refill,
                  prefix=self._rename)
        follow_app(app, "text_size", self, "_refill")
        follow_app(app, "layout", self, "_refill")

    def _rename(self, *_args: Any) -> None:
        self._previous.role = f"{self.prefix}.previous"
        self._more.role = f"{self.prefix}.more"
        self._shown = ()
        if hasattr(self, "_refill"):
            self._refill()

    def set_choices(self, choices: Sequence[Choice | Line], lang: str) -> None:
        """Show these choices (or summary lines); a new list starts again at its first
        page."""
        signature = tuple((c.key, c.text, getattr(c, "chosen", False), getattr(c, "icon", ""))
                          for c in choices)
        self._set(tuple(choices), signature, lang)

    def set_widgets(self, signature: tuple[object, ...], lang: str) -> None:
        """Lay out what `make` gives; `signature` says when it changed (a new list starts
        again at its first page)."""
        self._set((), signature, lang)

    def _set(self, choices: tuple[Choice | Line, ...], signature: tuple[object, ...],
             lang: str) -> None:
        keys_changed = tuple(_key(s) for s in signature) != tuple(
            _key(s) for s in self._signature)
        self._choices = choices
        self._lang = lang
        if signature == self._signature and self._shown:
            return
        self._signature = signature
        if keys_changed:
            self.page = 0
        self._shrink = 0.0
        self._shown = ()
        self._fill()

    # -- layout --------------------------------------------------------------------------

    def _buttons(self, width: float) -> list[tuple[Widget, float]]:
        if self.make is not None:
            return list(self.make(width))
        made: list[tuple[Widget, float]] = []
        for choice in self._choices:
            if isinstance(choice, Line):
                made.append(self._line(choice, width))
                continue
            text = ("✓ " if choice.chosen else "") + choice.text
            button = KioskButton(text=text, role=choice.role or f"{self.prefix}.{choice.key}",
                                 kind=choice.kind, icon=choice.icon, chosen=choice.chosen,
                                 spoken=choice.spoken, size_hint_y=None)
            button.bind(on_release=lambda _b, c=choice: c.action())
            made.append((button, button_height(button, width)))
        return made

    def _line(self, item: Line, width: float) -> tuple[Widget, float]:
        """A summary line, measured: its text wraps beside its "Change" button."""
        app: Any = App.get_running_app()
        line = SummaryLine(text=item.text, change_role=f"{self.prefix}.{item.key}",
                           action=item.action, width=width)
        change, label = line.ids.change, line.ids.label
        change_width = change_button_width(change.text, change.font_size, change.font_name,
                                           change.icon)
        label.width = width - change_width - app.layout.gap
        label.texture_update()
        # A word wider than its line is cut: the list takes fewer, wider columns.
        line.whole = all(one_line_width(word, label.font_size, label.font_name, "")
                         <= label.width for word in item.text.split())
        return line, max(label.texture_size[1], button_height(change, change_width))

    def first(self) -> Widget | None:
        """The first choice (or "Change" button) on the page."""
        for widget in reversed(self._grid.children):
            for inner in widget.walk(restrict=True):
                if isinstance(inner, KioskButton):
                    return inner
        return None

    def _pages(self, heights: list[float], space: float, gap: float) -> list[range]:
        """Rows of as many items as the grid has columns, as many rows per page as fit in
        `space`."""
        cols = max(1, int(self._grid.cols))
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
        if shown == self._shown:
            return
        if self.height <= 0 or self.width <= 0 or not self._signature:
            # Nothing to show, or no room: nothing stays behind to be touched.
            self._grid.clear_widgets()
            if self._nav.parent is self:
                self.remove_widget(self._nav)
            self._shown = ()
            return
        self._shown = shown
        had_focus = any(getattr(w, "focus", False) for w in self.walk(restrict=True))
        self._grid.spacing = gap
        space = self.height - self._shrink
        width = (self.width - gap * (cols - 1)) / cols
        made = self._buttons(width)
        heights = [h for _b, h in made]
        while cols > 1 and (max(heights, default=0.0) > space / 2
                            or not all(getattr(b, "whole", True) for b, _h in made)):
            # Columns too narrow for their words (the largest size): fewer, wider ones.
            cols -= 1
            width = (self.width - gap * (cols - 1)) / cols
            made = self._buttons(width)
            heights = [h for _b, h in made]
        self._grid.cols = cols
        self._previous.text = translate(self.previous_key, self._lang)
        self._more.text = translate(self.more_key, self._lang)
        # "2 of 3" measured at its widest: there are never more pages than items.
        self._nav.page_text = translate("pager.page", self._lang, page=len(heights),
                                        pages=len(heights))
        paged_nav = self._nav_height()
        self.least_height = max(heights, default=0.0) + paged_nav + 2 * self.spacing
        self.narrow = self._pager_breaks()
        # The list's spacing lies between the grid and the filler under it, and between the
        # filler and the pager when there is one.
        total = self._pages(heights, space - self.spacing, gap)
        nav_height = 0.0
        if len(total) > 1:
            nav_height = paged_nav
            total = self._pages(heights, space - nav_height - 2 * self.spacing, gap)
        page = min(int(self.page), len(total) - 1)
        self._grid.clear_widgets()
        for index in total[page] if made else ():
            widget, height = made[index]
            widget.size_hint_y = None
            widget.height = height
            self._grid.add_widget(widget)
        paged = len(total) > 1
        # The pager is in the layout only when there is more: hidden, it would still be
        # walked (by Tab, by tests) at a place where it is not drawn.
        if paged and self._nav.parent is None:
            self.add_widget(self._nav, index=0)
        elif not paged and self._nav.parent is self:
            self.remove_widget(self._nav)
        self._nav.height = nav_height
        self._nav.page_text = (translate("pager.page", self._lang, page=page + 1,
                                         pages=len(total)) if paged else "")
        self._previous.disabled = page == 0
        self._more.disabled = page >= len(total) - 1
        if had_focus and (first := self.first()) is not None:
            first.focus = True  # keyboard users go on from the first choice of the new page
        self._verify()

    def _check_fit(self, *_args: Any) -> None:
        """Once laid out, a page must hold in the list's height; else page again with less."""
        used = (self._grid.height + self.spacing * (len(self.children) - 1)
                + (self._nav.height if self._nav.parent is self else 0.0))
        if used > self.height + 1 and self._shrink < self.height / 2:
            self._shrink += used - self.height
            self._shown = ()
            self._refill()

    def _nav_height(self) -> float:
        """The pager's row: as tall as its buttons' words and "2 of 3" need, at least a
        button, its width shared so that their words hold whole (PageNav.fit)."""
        return self._nav.fit(self.width)

    def _pager_breaks(self) -> bool:
        """Whether the pager's words would break at this width: "Previous", "Next" or the
        widest "2 of 3" longer than one line of the room each has."""
        share = (self.width - 2 * self._nav.spacing) / (2 * NAV_BUTTON_SHARE + 1)
        page = self._nav.ids.page
        if one_line_width(page.text, page.font_size, page.font_name, "") > share:
            return True
        return any(one_line_width(b.text, b.font_size, b.font_name, b.icon)
                   > share * NAV_BUTTON_SHARE for b in (self._previous, self._more))

    def _turn(self, step: int) -> None:
        self.page = max(0, int(self.page) + step)


def grouped_items(groups: dict[str, list[Choice]], prefix: str
                  ) -> Callable[[float], list[tuple[Widget, float]]]:
    """What `PagedChoices.make` lays out for choices under headings: each heading, bold,
    above its choices."""

    def make(width: float) -> list[tuple[Widget, float]]:
        made: list[tuple[Widget, float]] = []
        for heading, choices in groups.items():
            if heading:
                label = KioskText(text=heading, bold=True, width=width)
                label.texture_update()
                made.append((label, float(label.texture_size[1])))
            for choice in choices:
                button = KioskButton(text=choice.text, role=f"{prefix}.{choice.key}",
                                     kind=choice.kind, icon=choice.icon)
                button.bind(on_release=lambda _b, c=choice: c.action())
                made.append((button, button_height(button, width)))
        return made

    return make


def _key(signature: object) -> object:
    return signature[0] if isinstance(signature, tuple) and signature else signature


class SummaryLine(BoxLayout):
    """One item of a summary: what was chosen, and its "Change" button (`action`)."""

    text = StringProperty("")
    #: the role of its "Change" button
    change_role = StringProperty("")
    action = ObjectProperty(None, allownone=True)
    #: every word of `text` holds on a line of its width
    whole = BooleanProperty(True)

    def change(self) -> None:
        """The person touched "Change"."""
        if self.action is not None:
            self.action()



Builder.load_file(str(Path(__file__).with_suffix(".kv")))

__all__ = [
    "Choice", "Line", "PagedChoices", "SummaryLine", "button_height", "fit_pager", "grouped_items",
]
