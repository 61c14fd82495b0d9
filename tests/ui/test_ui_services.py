"""Find a service in the real window, against the embedded reference peer: one list of what
the city offers (Open311 services and Chrono agendas), searched by keyword, each starting its
own flow at that service; by touch and by keyboard alone."""

from __future__ import annotations

import pytest
from ui_support import tab_to

pytestmark = pytest.mark.ui

POTHOLE = "open311:VOI-001"


def open_services(kiosk) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.services")
    d.wait_for_screen("services")
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)


def open_services_by_keyboard(kiosk) -> None:
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    tab_to(d, "home.entry.services")
    d.key("enter")
    d.wait_for_screen("services")
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)


def roles(kiosk) -> set[str]:
    return {getattr(w, "role", "") for w in kiosk.driver.walk()}


def test_touch_a_request_service_starts_its_form(kiosk, tmp_path):
    d = kiosk.driver
    open_services(kiosk)
    shown = {r for r in roles(kiosk) if r.startswith("services.entry.")}
    assert f"services.entry.{POTHOLE}" in shown
    assert any(r.startswith("services.entry.chrono:") or "passeport" in r for r in shown), shown
    d.screenshot(tmp_path / "services.png")
    d.tap(f"services.entry.{POTHOLE}")
    d.wait_for_screen("request_field", timeout_s=15)
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    assert kiosk.app.core.state.session.flow.form.service.id == POTHOLE


def test_keyboard_search_for_a_passport_starts_the_booking(kiosk):
    d = kiosk.driver
    open_services_by_keyboard(kiosk)
    d.type_text("passeport")
    shown = [r for r in roles(kiosk) if r.startswith("services.entry.")]
    assert shown and all(POTHOLE not in r for r in shown)
    tab_to(d, shown[0])
    d.key("enter")
    d.wait_until(lambda: kiosk.screen.startswith("appointment_"), timeout_s=15)
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    assert kiosk.screen == "appointment_ants", "a passport asks for the ANTS number first"


def test_a_search_that_finds_nothing_says_so(kiosk):
    d = kiosk.driver
    open_services(kiosk)
    d.tap(kiosk.app.screen_view("services").ids.search)
    d.type_text("zzzz")
    assert kiosk.app.screen_view("services").ids.no_match.opacity == 1
    assert not [r for r in roles(kiosk) if r.startswith("services.entry.")]


def test_tab_scrolls_the_focused_service_into_view(kiosk, tmp_path):
    from kivy.uix.scrollview import ScrollView

    d = kiosk.driver
    open_services_by_keyboard(kiosk)
    entries = kiosk.app.screen_view("services").ids.entries
    view = next(w for w in d.walk() if isinstance(w, ScrollView))

    def seen(widget) -> bool:
        bottom = widget.to_window(*widget.pos)[1]
        low = view.to_window(*view.pos)[1]
        return bottom >= low - 1 and bottom + widget.height <= low + view.height + 1

    buttons = [w for w in entries.walk(restrict=True)
               if getattr(w, "role", "").startswith("services.entry.")]
    first, last = buttons[0], buttons[-1]
    assert not seen(last), "the catalogue is longer than the panel: the last one starts unseen"
    tab_to(d, last.role, presses=60)
    d.wait_until(lambda: seen(last), timeout_s=2, what="the focused service in view")
    d.screenshot(tmp_path / "services-last-focused.png")
    tab_to(d, first.role, presses=60)
    d.wait_until(lambda: seen(first), timeout_s=2,
                 what="the first service back in view")
