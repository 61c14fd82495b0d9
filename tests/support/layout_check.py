"""What a person would see wrong on the screen on display, from the widget tree: widgets
that overlap, text larger than its box, anything outside the window, a control outside the
reach band or smaller than a target (docs/accessibility.md A1, A4, B1, B3, C4). The UI tests
and the walk through every screen use it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# A pixel of slack for Kivy's rounding of positions and texture sizes.
SLACK_PX = 1.5


def _visible(widget: Any) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled_hidden", False):
            return False
        node = node.parent
    return widget.width > 0 and widget.height > 0


def _box(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(*widget.pos)
    return x, y, x + widget.width, y + widget.height


def _interactive(widget: Any) -> bool:
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.textinput import TextInput

    from screens.attract import TouchAnywhere

    return (isinstance(widget, (ButtonBehavior, TextInput))
            and not isinstance(widget, TouchAnywhere) and not widget.disabled)


def _text(widget: Any) -> bool:
    from kivy.uix.label import Label

    return isinstance(widget, Label) and bool(widget.text)


def _name(widget: Any) -> str:
    label = getattr(widget, "role", "") or repr(getattr(widget, "text", ""))[:32]
    return f"{type(widget).__name__} {label}"


def leaves(root: Any) -> Iterator[Any]:
    """The visible widgets that draw text or take a touch."""
    for widget in root.walk(restrict=True):
        if widget is root or not _visible(widget):
            continue
        if _interactive(widget) or _text(widget):
            yield widget


def _inside(inner: Any, outer: Any) -> bool:
    node = inner.parent
    while node is not None and node is not node.parent:
        if node is outer:
            return True
        node = node.parent
    return False


def defects(app: Any, root: Any, band_mm: tuple[float, float],
            min_target_mm: float = 20.0) -> list[str]:
    """Everything wrong on `root` (a screen or an overlay) in the running `app`."""
    panel, found = app.panel, []
    width, height = app.root_width, app.root_height
    widgets = list(leaves(root))
    for widget in widgets:
        x0, y0, x1, y1 = _box(widget)
        name = _name(widget)
        if x0 < -SLACK_PX or y0 < -SLACK_PX or x1 > width + SLACK_PX or y1 > height + SLACK_PX:
            found.append(f"{name} leaves the window: {x0:.0f},{y0:.0f}..{x1:.0f},{y1:.0f}")
        if _text(widget) and not widget.shorten:
            tw, th = widget.texture_size
            if th > widget.height + SLACK_PX or tw > widget.width + SLACK_PX:
                found.append(f"{name}: text {tw:.0f}×{th:.0f} px in a box of "
                             f"{widget.width:.0f}×{widget.height:.0f}")
        if _interactive(widget):
            low, high = (panel.height_above_floor(y0), panel.height_above_floor(y1))
            if low < band_mm[0] - 0.5 or high > band_mm[1] + 0.5:
                found.append(f"{name} at {low:.0f}–{high:.0f} mm, outside the reach band "
                             f"{band_mm[0]:.0f}–{band_mm[1]:.0f} mm")
            size = panel.mm(min(widget.width, widget.height))
            if size < min_target_mm - 0.05:
                found.append(f"{name} is {size:.1f} mm, a target needs {min_target_mm} mm")
    for i, first in enumerate(widgets):
        a = _box(first)
        for second in widgets[i + 1:]:
            if _inside(first, second) or _inside(second, first):
                continue
            b = _box(second)
            if (min(a[2], b[2]) - max(a[0], b[0]) > SLACK_PX
                    and min(a[3], b[3]) - max(a[1], b[1]) > SLACK_PX):
                found.append(f"{_name(first)} overlaps {_name(second)}")
    return found
