"""A step that types where its fields, its buttons and the on-screen keyboard do not fit the
body band together (the seated desk at L): the keyboard goes below the controls on four rows
of keys at least 20 mm, the fields show one at a time with their label, "Before", "1 of 2" and
"After" beside the field, and the step's buttons stay; nothing leaves the body band or the
reach band (docs/accessibility.md B5; docs/visual-design.md, "One question per screen")."""

from __future__ import annotations

import pytest
from layout_check import defects

pytestmark = pytest.mark.ui

DESK_SEATED_L = {"KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true",
                 "KIOSK__ACCESSIBILITY__TEXT_SIZE": '"L"'}
POTHOLE = "service.open311:VOI-001"


def in_window(widget) -> bool:
    return widget.get_root_window() is not None


def holds(kiosk) -> None:
    from kiosk.core.layout import SEATED_CONTROLS_MM

    app = kiosk.app
    kiosk.driver.frames(8)
    problems = defects(app, app._manager.current_screen, SEATED_CONTROLS_MM)
    assert not problems, problems


def to_request_place(kiosk, on_number=None) -> None:
    """From the attract screen to the pothole's place, by touch; `on_number` is called on its
    step that asks for a number (the numeric pad shown)."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.request")
    d.wait_for_screen("request_service", timeout_s=15)
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    d.tap(POTHOLE)
    d.wait_for_screen("request_field", timeout_s=15)
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    answers = {"EMPLACEMENT": "choice.trottoir", "RISQUES": "choice.flaque"}
    while kiosk.screen == "request_field":
        code = kiosk.app.core.state.session.flow.current_field.code
        if code in answers:
            d.tap(answers[code])
        else:
            if code == "LARGEUR_CM":
                if on_number is not None:
                    d.frames(5)
                    on_number()
                kiosk.app.screen_view("request_field").ids.answer.text = "30"
        if code != "EMPLACEMENT":
            d.tap("request.next")
        d.wait_until(lambda c=code: kiosk.screen != "request_field"
                     or kiosk.app.core.state.session.flow.current_field.code != c)
    d.wait_for_screen("request_place")


@pytest.mark.kiosk(profile="desk", env=DESK_SEATED_L)
def test_the_contact_step_shows_one_field_at_a_time_above_a_four_row_keyboard(kiosk):
    from kiosk.core.geometry import MIN_TARGET_MM
    from screens.keyboard import COMPACT_ROWS, shared_keyboard

    app, d = kiosk.app, kiosk.driver
    to_request_place(kiosk)
    # The station's place on one page, the address and its button side by side on the other.
    holds(kiosk)
    screen = app.screen_view("request_place")
    assert in_window(screen.ids.here) and not in_window(screen.ids.address)
    d.tap("typing.more")
    d.frames(3)
    assert in_window(screen.ids.address) and not in_window(screen.ids.here)
    holds(kiosk)
    d.tap("typing.previous")
    d.frames(3)
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    holds(kiosk)
    screen = app.screen_view("request_contact")
    email, phone = screen.ids.email, screen.ids.phone
    keyboard = shared_keyboard(False)
    assert keyboard.compact and len(keyboard.children) == len(COMPACT_ROWS)
    assert all(row.height >= app.mm(MIN_TARGET_MM) - 0.5 for row in keyboard.children)
    assert in_window(email) and not in_window(phone)
    assert not email.example_hidden, "the field holds its example beside the pager"
    assert "1 sur 2" in d.texts()
    d.tap("typing.more")
    d.frames(3)
    assert in_window(phone) and not in_window(email)
    assert phone.focus and keyboard.target is phone
    holds(kiosk)
    d.tap("key.123")  # the signs' page, its digits
    for char in "0612345678":
        d.tap(f"key.{char}")
    assert phone.text == "0612345678"
    d.tap("typing.previous")
    d.frames(3)
    assert in_window(email) and email.focus
    d.tap("request.contact.next")
    d.wait_for_screen("request_summary")


def test_the_keys_take_the_room_there_is_down_to_20_mm():
    from screens.keyboard import fitted_keys

    # 5 rows of 22 and 4 gaps of 3 fit 122: the keys keep their 22.
    assert fitted_keys(False, 130.0, 22.0, 20.0, 3.0) == (False, 22.0)
    # 5 rows at 21: still five rows, the keys lower.
    assert fitted_keys(False, 117.0, 22.0, 20.0, 3.0) == (False, 21.0)
    # Too low for five rows of 20: four rows.
    assert fitted_keys(False, 100.0, 22.0, 20.0, 3.0) == (True, 22.0)
    assert fitted_keys(False, 89.0, 22.0, 20.0, 3.0) == (True, 20.0)
    # Never under 20 mm; the pad keeps its five rows.
    assert fitted_keys(False, 60.0, 22.0, 20.0, 3.0) == (True, 20.0)
    assert fitted_keys(True, 60.0, 22.0, 20.0, 3.0) == (False, 20.0)
