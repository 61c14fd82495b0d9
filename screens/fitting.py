"""How tall a piece of text will be once wrapped, before it is laid out: screens that list
things use it to put on each page what fits in the body band at the current text size and
layout (docs/visual-design.md: no scrolling, an explicit "See more" instead)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kivy.app import App
from kivy.uix.label import Label

from kiosk.core.tokens import PAD_MM
from screens.measure import settle_pictogram

T = TypeVar("T")


def body_width() -> float:
    """Width of the body band in pixels."""
    app: Any = App.get_running_app()
    return float(app.layout.body.width)


def measured(widget: Label, width: float) -> float:
    """`widget`'s height at `width`: its text is wrapped and rendered now (its kv rule ties
    `text_size` to its width and its height to the texture), beside its pictogram if it has
    one."""
    settle_pictogram(widget)
    widget.width = width
    widget.texture_update()
    return float(widget.height)


def button_height(button: Label, width: float) -> float:
    """The height a KioskButton takes for its text at `width` (its kv rule: at least the
    button height, else the text and its padding above and below), whatever its own height
    rule; its words wrap beside its pictogram."""
    app: Any = App.get_running_app()
    settle_pictogram(button)
    button.width = width
    button.texture_update()
    return float(max(app.button_height, button.texture_size[1] + 2 * app.mm(PAD_MM)))


def paginate(items: Sequence[T], height: Callable[[T | None, T], float], space: float,
             gap: float) -> list[list[T]]:
    """Split `items` into pages of at most `space` pixels, `gap` between items.
    `height(previous, item)` is the item's height after `previous` on the same page (None
    when it comes first: a group heading may come with it). Every page holds at least one
    item, so a page can be too tall only when a single item is."""
    pages: list[list[T]] = []
    page: list[T] = []
    used = 0.0
    for item in items:
        needed = height(page[-1], item) + gap if page else height(None, item)
        if page and used + needed > space:
            pages.append(page)
            page, used = [], 0.0
            needed = height(None, item)
        page.append(item)
        used += needed
    if page:
        pages.append(page)
    return pages
