"""The confirmation of a flow's last step: the number or reference to keep, large, with what it
is for, and what was booked. On a portrait panel (the totem) it stands in the reading band,
under the question, where the eyes are and where there is room: the body keeps the receipt's
status, "Print again" and the ways on, in the reach band. On a landscape panel (the desk) the
reading column beside the controls is too short for it: it stands in the body and pages when
the body does not hold it at the largest size (docs/visual-design.md, "Two zones")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from screens.paging import PagedChoices
from screens.widgets import KioskText

__all__ = ["ConfirmationColumn", "PagedChoices", "Part", "show_confirmation"]


@dataclass(frozen=True)
class Part:
    """One text of a confirmation: `style` is "body", "bold" or "number" (the number to keep,
    in the numbers' role); `role` names it for speech and tests."""

    text: str
    style: str = "body"
    role: str = ""
    #: it stays on the page of the part after it (a number's label with its number)
    with_next: bool = False
    #: on a portrait panel it stands in the reading band (else in the body, under the number)
    reading: bool = True


class ConfirmationText(KioskText):
    """A text of the confirmation."""

    role = StringProperty("")


class ConfirmationBold(ConfirmationText):
    """What was booked, in bold."""


class ConfirmationNumber(ConfirmationText):
    """The number or reference to keep, in large digits."""


class ConfirmationGroup(BoxLayout):
    """Parts that stay together on one page: a number's label and the number."""


class ConfirmationColumn(BoxLayout):
    """The confirmation in the reading band of a portrait panel, as tall as its texts."""


BESIDE_LABEL_SHARE = 0.4
"""A number stands beside its label where the label keeps this share of the width."""

STYLES: dict[str, type[ConfirmationText]] = {
    "body": ConfirmationText, "bold": ConfirmationBold, "number": ConfirmationNumber}


def _text(part: Part) -> ConfirmationText:
    return STYLES[part.style](text=part.text, role=part.role)


def _measured(part: Part, width: float) -> tuple[ConfirmationText, float]:
    label = _text(part)
    label.width = width
    label.texture_update()
    return label, float(label.texture_size[1])


def _pages(parts: Sequence[Part]) -> Callable[[float], list[tuple[Widget, float]]]:
    """What `PagedChoices.make` lays out: each part, a label with its number as one item."""

    def make(width: float) -> list[tuple[Widget, float]]:
        app: Any = App.get_running_app()
        made: list[tuple[Widget, float]] = []
        group: list[tuple[ConfirmationText, float]] = []
        for index, part in enumerate(parts):
            group.append(_measured(part, width))
            if part.with_next and index < len(parts) - 1:
                continue
            if len(group) == 1:
                made.append(group[0])
            else:
                made.append(_beside(group, width, app.layout.gap)
                            or _stacked(group, app.layout.gap))
            group = []
        return made

    return make


def _stacked(group: list[tuple[ConfirmationText, float]], gap: float) -> tuple[Widget, float]:
    """A label over its number."""
    box = ConfirmationGroup(spacing=gap)
    for label, _height in group:
        box.add_widget(label)
    return box, sum(h for _l, h in group) + gap * (len(group) - 1)


def _beside(group: list[tuple[ConfirmationText, float]], width: float,
            gap: float) -> tuple[Widget, float] | None:
    """A label and its number on one row, the number at the right, where the number leaves
    the label at least BESIDE_LABEL_SHARE of the width: a line less than one over the other,
    which the seated desk's short body needs at the largest size. None where it does not."""
    if len(group) != 2:
        return None
    (label, _label_h), (number, number_h) = group
    number.text_size = (None, None)
    number.texture_update()
    # A pixel each side: set in a box exactly its width, Kivy may break it at a space.
    number_w = float(number.texture_size[0]) + 2
    label_w = width - gap - number_w
    if label_w < width * BESIDE_LABEL_SHARE:
        number.text_size = (width, None)
        return None
    number.size_hint_x, number.width = None, number_w
    number.text_size = (number_w, None)
    label.size_hint_x, label.width = None, label_w
    label.texture_update()
    label_h = float(label.texture_size[1])
    label.pos_hint = number.pos_hint = {"top": 1}
    box = ConfirmationGroup(orientation="horizontal", spacing=gap)
    box.add_widget(label)
    box.add_widget(number)
    return box, max(label_h, number_h)


def show_confirmation(column: ConfirmationColumn, pages: PagedChoices, parts: Sequence[Part],
                      lang: str) -> None:
    """Show `parts` in the body's `pages` on a landscape panel; on a portrait one, those for
    the reading band in its `column` and the others in `pages`."""
    app: Any = App.get_running_app()
    shown = [part for part in parts if part.text]
    beside = bool(app.layout.side_by_side)
    column.clear_widgets()
    if not beside:
        for part in shown:
            if part.reading:
                column.add_widget(_text(part))
        shown = [part for part in shown if not part.reading]
    pages.make = _pages(shown)
    pages.set_widgets(tuple(shown), lang)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
