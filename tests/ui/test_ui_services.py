"""Find a service in the real window, against the embedded reference peer: one list of what
the city offers (Open311 services and Chrono agendas), searched by keyword, each starting its
own flow at that service; by touch and by keyboard alone."""

from __future__ import annotations

import pytest
from ui_support import out_of_body, tab_to, tap_paging, turner

from kiosk.core.i18n import translate

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


def every_page(kiosk) -> list[set[str]]:
    """The services' roles page by page, from the first page (the list pages, never
    scrolls)."""
    d = kiosk.driver
    while (previous := turner(d, ".previous")) is not None:
        d.tap(previous)
    pages = []
    while True:
        pages.append({r for r in roles(kiosk) if r.startswith("services.entry.")} - {
            "services.entry.previous", "services.entry.more"})
        more = turner(d, "services.entry.more")
        if more is None:
            return pages
        d.tap(more)


def test_touch_a_request_service_starts_its_form(kiosk, tmp_path):
    d = kiosk.driver
    open_services(kiosk)
    shown = set().union(*every_page(kiosk))
    assert f"services.entry.{POTHOLE}" in shown
    assert any(r.startswith("services.entry.chrono:") or "passeport" in r for r in shown), shown
    d.screenshot(tmp_path / "services.png")
    tap_paging(d, f"services.entry.{POTHOLE}")
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
    services = kiosk.app.screen_view("services")
    assert services.nothing_found and services.ids.reading.explanation == translate(
        "request.service_no_match", "fr"), "said where the eyes are while the keys are up"
    d.tap("key.OK")
    assert services.ids.no_match.opacity == 1, "and under the search once it is closed"
    assert not [r for r in roles(kiosk) if r.startswith("services.entry.")]


def test_the_catalogue_pages_inside_the_body_and_the_keyboard_turns_the_pages(kiosk, tmp_path):
    d = kiosk.driver
    open_services_by_keyboard(kiosk)
    pages = every_page(kiosk)
    assert len(pages) > 1, "the catalogue is longer than the body band: it pages"
    every = [role for page in pages for role in page]
    assert len(every) == len(set(every)), "each service on exactly one page"
    while (previous := turner(d, ".previous")) is not None:
        d.tap(previous)
        assert out_of_body(kiosk) == []
    # From the keyboard: Tab reaches "Next", Enter turns the page, the focus goes on from the
    # first service of the new page (WCAG 2.4.3), and nothing is drawn outside the body.
    tab_to(d, "services.entry.more", presses=60)
    d.key("enter")
    d.frames(4)
    assert getattr(d.focused(), "role", "") in pages[1]
    assert out_of_body(kiosk) == []
    d.screenshot(tmp_path / "services-page-2.png")


def test_the_hidden_retry_takes_no_room_whatever_its_words(kiosk):
    """"Try again" shows only when the list failed; hidden, it has no height, also once its
    words have changed with the language (a screen's rule on its height would lose to the
    button's own rule then)."""
    open_services(kiosk)
    d = kiosk.driver
    retry = kiosk.app.screen_view("services").ids.retry
    assert retry.opacity == 0 and retry.height == 0
    d.tap("bar.language")
    d.frames(3)
    assert retry.text == translate("request.retry", kiosk.app.lang)
    assert retry.opacity == 0 and retry.height == 0, "a hidden button took room"
