"""Helpers shared by the UI tests (they run in the forked child of each `ui` test)."""

from __future__ import annotations

from typing import Any

import pytest


def tab_to(driver: Any, role: str, presses: int = 30) -> None:
    """Press Tab until the widget with `role` has the focus."""
    for _ in range(presses):
        driver.key("tab")
        if getattr(driver.focused(), "role", None) == role:
            return
    pytest.fail(f"Tab never reached {role}")


def out_of_body(kiosk: Any) -> list[str]:
    """What on the current screen's body reaches outside the body band or the window (text
    overlapping the question, a button under the bar): docs/accessibility.md C4. Content of a
    scrolling list may, and is left out."""
    from kivy.uix.scrollview import ScrollView

    app = kiosk.app
    screen = app.screen_view(app.current_screen)
    bands = screen.children[0].children  # masthead, header, body, bar, and the banner below it
    bodies = [w for w in bands
              if type(w).__name__ not in ("Masthead", "FlowHeader", "Bar", "AssistBanner")]
    band = app.layout.body
    width = app.root_width
    found = []

    def visit(widget: Any) -> None:
        for child in widget.children:
            if child.opacity == 0 or child.height <= 0:
                continue
            x, y = child.to_window(*child.pos)
            if (y < band.y - 1 or y + child.height > band.y + band.height + 1
                    or x < -1 or x + child.width > width + 1):
                label = f"{type(child).__name__} {getattr(child, 'text', '')[:30]!r}"
                found.append(f"{label} at y={y:.0f}..{y + child.height:.0f} "
                             f"(body {band.y:.0f}..{band.y + band.height:.0f})")
            if not isinstance(child, ScrollView):
                visit(child)

    for body in bodies:
        visit(body)
    return found
