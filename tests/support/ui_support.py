"""Helpers shared by the UI tests (they run in the forked child of each `ui` test)."""

from __future__ import annotations

from typing import Any

import pytest


def tab_to(driver: Any, role: str, presses: int = 80) -> None:
    """Press Tab until the widget with `role` has the focus (the on-screen keyboard's keys are
    in the focus order: a screen with the full keyboard takes some sixty presses round)."""
    for _ in range(presses):
        driver.key("tab")
        if getattr(driver.focused(), "role", None) == role:
            return
    pytest.fail(f"Tab never reached {role}")


def turner(driver: Any, suffix: str) -> Any:
    """The enabled page turner of a paged list on screen ("….previous", "….more")."""
    return next((w for w in driver.walk() if str(getattr(w, "role", "")).endswith(suffix)
                 and not w.disabled), None)


def tap_paging(driver: Any, role: str) -> None:
    """Tap `role`, turning the pages of its list from the first until it shows (lists page
    rather than scroll: docs/visual-design.md)."""
    while (previous := turner(driver, ".previous")) is not None:
        driver.tap(previous)
    for _ in range(20):
        if any(getattr(w, "role", None) == role for w in driver.walk()):
            driver.tap(role)
            return
        more = turner(driver, ".more")
        if more is None:
            break
        driver.tap(more)
    pytest.fail(f"{role} is on no page")


def out_of_body(kiosk: Any) -> list[str]:
    """What on the current screen's body reaches outside the body band or the window (text
    overlapping the question, a button under the bar): docs/accessibility.md C4. Content of a
    scrolling list may, and is left out."""
    from kivy.uix.scrollview import ScrollView

    app = kiosk.app
    screen = app.screen_view(app.current_screen)
    bands = screen.children[0].children  # masthead, reading zone, body, bar, the banner below
    # A confirmation stands in the reading band of a portrait panel (screens/confirmation.py).
    bodies = [w for w in bands
              if type(w).__name__ not in ("Masthead", "ReadingZone", "ConfirmationColumn", "Bar",
                                          "AssistBanner")]
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


def open_tracking(kiosk: Any) -> None:
    """From the attract screen to the tracking step, by touch."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
