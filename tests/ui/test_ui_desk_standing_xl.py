"""Standing at a desk at XL every text is as large as 0.7° asks seen from the standing eye
(10.9 mm, docs/accessibility.md C2), and the screens give way rather than the size: here the
station's place, whose keys wait for the address's page; an appointment's summary, whose
procedure and place are two lines set in one column where two would cut a word; a field whose
example would be cut; a confirmation once its receipt is printed. Nothing overlaps, leaves its
band or the window (docs/visual-design.md, "One question per screen")."""

from __future__ import annotations

import pytest
from layout_check import defects
from test_ui_appointment import to_passport_summary_by_touch
from test_ui_typing_pages import to_request_place

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}


def holds(kiosk) -> None:
    from kiosk.core.layout import STANDING_CONTROLS_MM

    app = kiosk.app
    kiosk.driver.frames(8)
    problems = defects(app, app._manager.current_screen, STANDING_CONTROLS_MM)
    assert not problems, problems


def shown(kiosk, role: str) -> bool:
    return any(getattr(w, "role", None) == role and w.get_root_window() is not None
               for w in kiosk.driver.walk())


@pytest.mark.kiosk(profile="desk", env=XL)
def test_the_keys_wait_for_the_address_page_of_the_stations_place(kiosk):
    d = kiosk.driver
    to_request_place(kiosk)
    d.frames(8)
    # The place and the address do not fit above the keys: one page each, and nothing to
    # type on the place's page.
    assert shown(kiosk, "request.place.here") and shown(kiosk, "typing.more")
    assert not shown(kiosk, "key.a")
    holds(kiosk)
    d.tap("typing.more")
    d.frames(8)
    assert shown(kiosk, "request.place.address") and shown(kiosk, "key.a")
    assert not shown(kiosk, "request.place.here")
    holds(kiosk)


@pytest.mark.kiosk(profile="desk", env=XL)
def test_the_summary_sets_the_procedure_and_its_place_apart_in_one_column(kiosk, tmp_path):
    from screens.paging import PagedChoices, SummaryLine

    d = kiosk.driver
    to_passport_summary_by_touch(kiosk, tmp_path)
    d.frames(8)
    lines = next(w for w in d.walk() if isinstance(w, PagedChoices))
    # Two columns would cut "Villeneuve-sur-Loire," on the place's line.
    assert lines._grid.cols == 1
    seen: list[str] = []
    while True:
        holds(kiosk)
        seen += [w.change_role for w in d.walk() if isinstance(w, SummaryLine)]
        if not shown(kiosk, "appointment.change.more") or d.find(
                "appointment.change.more").disabled:
            break
        d.tap("appointment.change.more")
        d.frames(5)
    assert "appointment.change.procedure" in seen and "appointment.change.place" in seen


@pytest.mark.kiosk(profile="desk", env=XL)
def test_a_field_too_narrow_for_its_example_shows_none_of_it(kiosk):
    from test_ui_xl_distance import to_the_contact_step

    to_the_contact_step(kiosk)
    email = kiosk.app.screen_view("request_contact").ids.email
    assert email.width < email.example_width(), "the field is that narrow here"
    # "nom@exem" would read as an address of its own; the label above still names it.
    assert email.example_hidden and email.hint_text_color[3] == 0
    assert email.label_words(shown_only=True) == "Adresse e-mail"
    holds(kiosk)


@pytest.mark.kiosk(profile="desk", env=XL)
def test_the_confirmation_holds_its_number_once_the_receipt_is_printed(kiosk):
    from receipt_ui import confirm, request_to_summary, wait_mode

    from screens.paging import PagedChoices

    request_to_summary(kiosk)
    confirm(kiosk)
    # "Printed: take your receipt" takes two lines where "Printing…" took one: the number
    # above it, as large as the numbers' role asks, still holds in the body band.
    wait_mode(kiosk, "printed")
    holds(kiosk)
    number = kiosk.driver.find("request.number")
    pages = next(w for w in kiosk.driver.walk() if isinstance(w, PagedChoices)
                 and number in list(w.walk(restrict=True)))
    y, bottom = number.to_window(*number.pos)[1], pages.to_window(*pages.pos)[1]
    assert bottom - 1 <= y and y + number.height <= bottom + pages.height + 1, "in its page"
