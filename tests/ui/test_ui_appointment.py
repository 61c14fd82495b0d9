"""Booking, moving and cancelling appointments in the real window against the embedded
reference peer (Publik Chrono over real HTTP on loopback): a passport booking by touch alone,
a bulky-waste booking by keyboard alone, each checked in the peer's stored records; a slot
taken by someone else between the choice and "Confirm"; the central down at "Confirm"
(nothing booked, then or later); a malformed ANTS number; a move and a cancellation.

Screenshots go to $KIOSK_TEST_SHOTS when it is set (to look at them), else to tmp_path."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from receipt_ui import panel, wait_mode
from ui_support import out_of_body, tab_to

from kiosk.core.central import BookingRequest

pytestmark = pytest.mark.ui

PASSPORT = "chrono:passeport-cni/depot-demande"
BULKY = "chrono:encombrants/collecte"
ANTS = "AB12CD34EF"
# Waiting for a booking: the handler may wait the HTTP time limit and a margin.
BOOKING_WAIT_S = 30


def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("KIOSK_TEST_SHOTS")
    return Path(folder) if folder else tmp_path


def peer_of(kiosk) -> Any:
    return kiosk.station.central.link().peer


def records(kiosk) -> dict[str, Any]:
    response = httpx.get(f"{peer_of(kiosk).base_url}/_peer/records", timeout=5)
    assert response.status_code == 200
    return response.json()


def faults(kiosk, **plan: Any) -> None:
    base = peer_of(kiosk).base_url
    if plan:
        response = httpx.post(f"{base}/_peer/faults", json=plan, timeout=5)
    else:
        response = httpx.delete(f"{base}/_peer/faults", timeout=5)
    assert response.status_code == 200, response.text


def flow(kiosk) -> Any:
    return kiosk.app.core.state.session.flow


def view(kiosk) -> Any:
    return kiosk.app.core.state.flow


def idle(kiosk, timeout_s: float = BOOKING_WAIT_S) -> None:
    """Until the flow waits for no answer."""
    kiosk.driver.wait_until(lambda: view(kiosk) is not None and not view(kiosk).busy,
                            timeout_s, "the central's answer")
    kiosk.driver.frames(3)


def roles(kiosk, prefix: str) -> list[str]:
    """Roles on screen that start with `prefix`, in the order they are laid out."""
    found = [w for w in kiosk.driver.walk() if str(getattr(w, "role", "")).startswith(prefix)
             and not w.disabled]
    found.sort(key=lambda w: (-w.to_window(w.x, w.y)[1], w.to_window(w.x, w.y)[0]))
    return [w.role for w in found]


def choices(kiosk, prefix: str) -> list[str]:
    """The choices of a list (not its "See more" and "Previous")."""
    return [r for r in roles(kiosk, prefix + ".")
            if not r.endswith((".more", ".previous"))]


def open_flow(kiosk, entry: str, screen: str) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap(entry)
    d.wait_for_screen(screen)
    idle(kiosk)


def tap_keys(kiosk, text: str) -> None:
    """Type on the on-screen AZERTY keyboard, switching to the signs page for digits."""
    d = kiosk.driver
    signs = False
    for char in text:
        wants_signs = char.isdigit()
        if wants_signs != signs:
            d.tap("key.123" if wants_signs else "key.abc")
            signs = wants_signs
        d.tap(f"key.{char}")
    if signs:
        d.tap("key.abc")


def book_at_peer(kiosk, slot) -> str:
    """Someone else books `slot` at the central (the kiosk's own adapter, another key)."""
    book = kiosk.station.central.link().book
    other = BookingRequest(slot, "Quelqu'un d'autre", "AUTRE-BORNE", "AUTRE-BORNE-1",
                           ants_number="ZZ99ZZ99ZZ" if slot.schedule_id == PASSPORT else "")
    return book.book(other, f"other-{time.monotonic_ns()}").id


def kiosk_bookings(kiosk) -> list[dict[str, Any]]:
    return [b for b in records(kiosk)["bookings"]
            if b["fields"].get("label", "").startswith(f"Borne {kiosk.settings.station.id}")]


def outbox_items(kiosk) -> list[Any]:
    outbox = kiosk.station.central.link().outbox
    rows = outbox._read("SELECT idempotency_key FROM items ORDER BY id")
    return [outbox.get(key) for (key,) in rows]


def to_passport_summary_by_touch(kiosk, tmp_path: Path, name: str = "jeanne martin",
                                 shoot: bool = False) -> None:
    d = kiosk.driver
    out = shots(tmp_path)
    open_flow(kiosk, "home.entry.appointment", "appointment_procedure")
    if shoot:
        d.screenshot(out / "appointment-1-procedure.png")
    d.tap(f"appointment.procedure.{PASSPORT}")
    d.wait_for_screen("appointment_ants")
    tap_keys(kiosk, ANTS.lower())
    if shoot:
        d.screenshot(out / "appointment-2-ants.png")
    d.tap("appointment.ants.continue")
    d.wait_for_screen("appointment_documents")
    if shoot:
        d.screenshot(out / "appointment-3-documents.png")
    d.tap("appointment.documents.2")
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    if shoot:
        d.screenshot(out / "appointment-4-day.png")
    d.tap(choices(kiosk, "appointment.day")[0])
    d.wait_for_screen("appointment_slot")
    if shoot:
        d.screenshot(out / "appointment-5-slot.png")
    d.tap(choices(kiosk, "appointment.slot")[0])
    d.wait_for_screen("appointment_name")
    d.tap(kiosk.app.screen_view("appointment_name").ids.name)
    tap_keys(kiosk, name)
    if shoot:
        d.screenshot(out / "appointment-6-name.png")
    d.tap("appointment.name.continue")
    d.wait_for_screen("appointment_contact")
    d.tap(kiosk.app.screen_view("appointment_contact").ids.phone)
    for digit in "0612345678":
        d.tap(f"key.{digit}")
    if shoot:
        d.screenshot(out / "appointment-7-contact.png")
    d.tap("appointment.contact.continue")
    d.wait_for_screen("appointment_summary")


def test_passport_booking_by_touch_is_stored_at_the_central(kiosk, tmp_path):
    d = kiosk.driver
    out = shots(tmp_path)
    to_passport_summary_by_touch(kiosk, tmp_path, shoot=True)
    slot = flow(kiosk).slot
    texts = " ".join(d.texts())
    assert ANTS in texts and "jeanne martin" in texts and "0612345678" in texts
    d.screenshot(out / "appointment-8-summary.png")
    d.tap("appointment.confirm")
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    reference = flow(kiosk).appointment.id
    d.screenshot(out / "appointment-9-done.png")
    assert reference in " ".join(d.texts()).replace(" ", "")
    (booking,) = kiosk_bookings(kiosk)
    assert str(booking["booking_id"]) == reference
    assert (booking["agenda"], booking["meeting_type"]) == ("passeport-cni", "depot-demande")
    assert booking["slot_id"] == slot.id
    assert booking["datetime"] == slot.start.strftime("%Y-%m-%d %H:%M:%S")
    fields = booking["fields"]
    assert fields["user_last_name"] == "jeanne martin"
    assert fields["ants_number"] == ANTS and fields["documents"] == "2"
    assert fields["user_phone_number"] == "0612345678"
    assert fields["station_ref"].startswith(kiosk.settings.station.id)
    (item,) = outbox_items(kiosk)
    assert item.state.value == "delivered" and item.central_ref == reference
    assert not item.holds_payload, "delivered: nothing personal stays in the outbox"
    d.tap("appointment.finish")
    d.wait_for_screen("home")


def test_bulky_waste_booking_by_keyboard_alone(kiosk, tmp_path):
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    d.type_text("rendez-vous")
    tab_to(d, "home.entry.appointment")
    d.key("enter")
    d.wait_for_screen("appointment_procedure")
    idle(kiosk)
    tab_to(d, f"appointment.procedure.{BULKY}")
    d.key("enter")
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    d.key("tab")
    assert str(getattr(d.focused(), "role", "")).startswith("appointment.day.")
    # The second day of the list, by keyboard: Tab moves along the list.
    d.key("tab")
    day_role = d.focused().role
    assert day_role.startswith("appointment.day.")
    d.key("enter")
    d.wait_for_screen("appointment_slot")
    assert str(getattr(d.focused(), "role", "")).startswith("appointment.slot."), (
        "keyboard users start on the first time")
    d.key("enter")
    d.wait_for_screen("appointment_name")
    assert d.focused() == kiosk.app.screen_view("appointment_name").ids.name
    d.type_text("Jean Dupont")
    d.key("enter")
    d.wait_for_screen("appointment_contact")
    screen = kiosk.app.screen_view("appointment_contact")
    assert d.focused() == screen.ids.phone
    d.key("enter")
    assert d.focused() == screen.ids.email
    d.type_text("jean.dupont@exemple.fr")
    d.key("enter")
    d.wait_for_screen("appointment_summary")
    assert d.focused() is d.find("appointment.confirm")
    slot = flow(kiosk).slot
    assert slot.start.date().isoformat() == day_role.rsplit(".", 1)[1]
    d.key("enter")
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    d.screenshot(shots(tmp_path) / "appointment-bulky-done.png")
    (booking,) = kiosk_bookings(kiosk)
    assert (booking["agenda"], booking["slot_id"]) == ("encombrants", slot.id)
    fields = booking["fields"]
    assert fields["user_last_name"] == "Jean Dupont"
    assert fields["user_email"] == "jean.dupont@exemple.fr"
    assert "ants_number" not in fields and "user_phone_number" not in fields
    assert d.focused() is d.find("appointment.finish")
    d.key("enter")
    d.wait_for_screen("home")


def test_a_malformed_ants_number_is_explained_and_kept(kiosk, tmp_path):
    d = kiosk.driver
    open_flow(kiosk, "home.entry.appointment", "appointment_procedure")
    d.tap(f"appointment.procedure.{PASSPORT}")
    d.wait_for_screen("appointment_ants")
    tap_keys(kiosk, "ab12")
    d.tap("appointment.ants.continue")
    assert kiosk.screen == "appointment_ants"
    assert view(kiosk).problem == "appointment.problem.ants"
    field = kiosk.app.screen_view("appointment_ants").ids.ants
    assert field.text == "ab12", "what was typed stays in the field"
    problem = " ".join(d.texts())
    assert "AB12CD34EF" in problem and "10" in problem
    d.screenshot(shots(tmp_path) / "appointment-ants-problem.png")
    tap_keys(kiosk, "cd34ef")
    d.tap("appointment.ants.continue")
    d.wait_for_screen("appointment_documents")
    assert records(kiosk)["bookings"] == [], "nothing was sent for the malformed number"


def test_a_slot_taken_before_confirm_goes_back_to_fresh_times(kiosk, tmp_path):
    d = kiosk.driver
    to_passport_summary_by_touch(kiosk, tmp_path)
    taken = flow(kiosk).slot
    book_at_peer(kiosk, taken)
    d.tap("appointment.confirm")
    d.wait_for_screen("appointment_day", BOOKING_WAIT_S)
    idle(kiosk)
    assert view(kiosk).problem == "appointment.problem.slot_taken"
    d.screenshot(shots(tmp_path) / "appointment-slot-taken.png")
    assert taken.id not in {s.id for s in flow(kiosk).slots}, "fresh slots, without it"
    d.tap(choices(kiosk, "appointment.day")[0])
    d.wait_for_screen("appointment_slot")
    d.tap(choices(kiosk, "appointment.slot")[0])
    d.wait_for_screen("appointment_summary")
    assert (flow(kiosk).name, flow(kiosk).ants_number) == ("jeanne martin", ANTS)
    d.tap("appointment.confirm")
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    (booking,) = kiosk_bookings(kiosk)
    assert booking["slot_id"] == flow(kiosk).slot.id != taken.id
    refused = [i for i in outbox_items(kiosk) if i.state.value == "failed"]
    assert len(refused) == 1 and refused[0].last_failure.value == "conflict"
    assert not refused[0].holds_payload, "a refused booking keeps nothing personal"


def test_central_down_at_confirm_books_nothing_now_or_later(kiosk, tmp_path):
    d = kiosk.driver
    to_passport_summary_by_touch(kiosk, tmp_path)
    faults(kiosk, error_rate=1.0, path_prefix="/chrono/")
    d.tap("appointment.confirm")
    idle(kiosk)
    assert kiosk.screen == "appointment_summary"
    assert view(kiosk).problem == "appointment.problem.not_booked"
    texts = " ".join(d.texts())
    assert "Rien n’a été réservé" in texts
    d.screenshot(shots(tmp_path) / "appointment-central-down.png")
    (item,) = outbox_items(kiosk)
    assert item.state.value == "failed" and not item.holds_payload, "withdrawn, not pending"
    faults(kiosk)
    link = kiosk.station.central.link()
    link.sender.wake()
    d.pump(1.5)
    assert records(kiosk)["bookings"] == [], "the withdrawn booking is never sent later"
    d.tap("appointment.confirm")
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    assert len(kiosk_bookings(kiosk)) == 1


def test_move_then_cancel_through_manage_booking(kiosk, tmp_path):
    d = kiosk.driver
    out = shots(tmp_path)
    d.tap("attract.start")
    d.wait_for_screen("home")
    link = kiosk.station.central.link()
    today = datetime.now(ZoneInfo(kiosk.settings.site.timezone)).date()
    slots = link.book.free_slots(PASSPORT, today, today + timedelta(days=28))
    first = link.book.book(BookingRequest(slots[0], "Jeanne Martin", "demo-0001",
                                          "demo-0001-x", phone="0612345678",
                                          ants_number=ANTS, documents=3), "first-booking")
    d.tap("home.entry.manage_booking")
    d.wait_for_screen("booking_find")
    for digit in first.id:
        d.tap(f"key.{digit}")
    d.screenshot(out / "booking-1-find.png")
    d.tap("booking.search")
    d.wait_for_screen("booking_detail", BOOKING_WAIT_S)
    texts = " ".join(d.texts())
    assert "Passeport" in texts and "Jeanne" not in texts, "the name is never shown"
    d.screenshot(out / "booking-2-detail.png")
    d.tap("booking.move")
    d.wait_for_screen("booking_verify")
    d.tap(kiosk.app.screen_view("booking_verify").ids.name)
    tap_keys(kiosk, "durand")
    d.tap("booking.verify.continue")
    assert any("ne correspond pas" in t for t in d.texts()), "a wrong name changes nothing"
    assert kiosk.screen == "booking_verify"
    for _ in "durand":
        d.tap("key.⌫")
    tap_keys(kiosk, "martin")
    d.screenshot(out / "booking-3-verify.png")
    d.tap("booking.verify.continue")
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    d.tap(choices(kiosk, "appointment.day")[-1])
    d.wait_for_screen("appointment_slot")
    d.tap(choices(kiosk, "appointment.slot")[-1])
    d.wait_for_screen("booking_move")
    new_slot = flow(kiosk).slot
    d.screenshot(out / "booking-4-move.png")
    d.tap("booking.move.confirm")
    d.wait_for_screen("booking_done", BOOKING_WAIT_S)
    assert flow(kiosk).outcome.value == "moved"
    moved = flow(kiosk).moved_to
    d.screenshot(out / "booking-5-moved.png")
    by_id = {str(b["booking_id"]): b for b in records(kiosk)["bookings"]}
    assert by_id[first.id]["cancelled_at"] is not None, "the old booking is cancelled"
    new = by_id[moved.id]
    assert new["slot_id"] == new_slot.id and new["cancelled_at"] is None
    assert new["fields"]["user_last_name"] == "Jeanne Martin"
    assert (new["fields"]["ants_number"], new["fields"]["documents"]) == (ANTS, "3")
    assert new["fields"]["user_phone_number"] == "0612345678"
    d.tap("booking.finish")
    d.wait_for_screen("home")

    d.tap("home.entry.manage_booking")
    d.wait_for_screen("booking_find")
    field = kiosk.app.screen_view("booking_find").ids.reference
    assert field.text == "", "a new look-up starts empty"
    for digit in moved.id:
        d.tap(f"key.{digit}")
    d.tap("booking.search")
    d.wait_for_screen("booking_detail", BOOKING_WAIT_S)
    d.tap("booking.cancel")
    d.wait_for_screen("booking_verify")
    assert kiosk.app.screen_view("booking_verify").ids.name.text == "", "asked afresh"
    d.tap(kiosk.app.screen_view("booking_verify").ids.name)
    tap_keys(kiosk, "jeanne")
    d.tap("booking.verify.continue")
    d.wait_for_screen("booking_cancel")
    d.screenshot(out / "booking-6-cancel.png")
    d.tap("booking.cancel.confirm")
    d.wait_for_screen("booking_done", BOOKING_WAIT_S)
    assert flow(kiosk).outcome.value == "cancelled"
    d.screenshot(out / "booking-7-cancelled.png")
    assert {str(b["booking_id"]): b for b in records(kiosk)["bookings"]}[moved.id][
        "cancelled_at"] is not None
    # The cancelled booking, looked up again, says so.
    d.tap("booking.finish")
    d.wait_for_screen("home")
    d.tap("home.entry.manage_booking")
    d.wait_for_screen("booking_find")
    for digit in moved.id:
        d.tap(f"key.{digit}")
    d.tap("booking.search")
    idle(kiosk)
    assert view(kiosk).problem == "booking.problem.cancelled"
    field = kiosk.app.screen_view("booking_find").ids.reference
    field.text = "999999"
    d.tap("booking.search")
    idle(kiosk)
    assert view(kiosk).problem == "booking.problem.unknown"
    assert field.text == "999999"


def test_move_then_cancel_by_keyboard_alone(kiosk, tmp_path):
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    link = kiosk.station.central.link()
    today = datetime.now(ZoneInfo(kiosk.settings.site.timezone)).date()
    slots = link.book.free_slots(BULKY, today, today + timedelta(days=28))
    first = link.book.book(BookingRequest(slots[0], "Jean Dupont", "demo-0001", "r"), "kb-1")
    d.type_text("annuler")
    tab_to(d, "home.entry.manage_booking")
    d.key("enter")
    d.wait_for_screen("booking_find")
    assert d.focused() == kiosk.app.screen_view("booking_find").ids.reference
    d.type_text(first.id)
    d.key("enter")
    d.wait_for_screen("booking_detail", BOOKING_WAIT_S)
    assert d.focused() is d.find("booking.move"), "keyboard users start on “Move it”"
    d.key("enter")
    d.wait_for_screen("booking_verify")
    assert d.focused() == kiosk.app.screen_view("booking_verify").ids.name
    d.type_text("Jean Dupont")
    d.key("enter")
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("appointment_slot")
    d.key("enter")
    d.wait_for_screen("booking_move")
    assert d.focused() is d.find("booking.move.confirm")
    d.key("enter")
    d.wait_for_screen("booking_done", BOOKING_WAIT_S)
    moved = flow(kiosk).moved_to
    assert d.focused() is d.find("booking.finish")
    wait_mode(kiosk, "printed")
    receipt = kiosk.app.core.state.session.receipt
    assert (receipt.number, receipt.when) == (moved.id, moved.start), "the new time on paper"
    assert out_of_body(kiosk) == []
    d.screenshot(shots(tmp_path) / "booking-moved.png")
    d.key("enter")
    d.wait_for_screen("home")
    tab_to(d, "home.entry.manage_booking")
    d.key("enter")
    d.wait_for_screen("booking_find")
    d.type_text(moved.id)
    d.key("enter")
    d.wait_for_screen("booking_detail", BOOKING_WAIT_S)
    tab_to(d, "booking.cancel")
    d.key("enter")
    d.wait_for_screen("booking_verify")
    d.type_text("dupont")
    d.key("enter")
    d.wait_for_screen("booking_cancel")
    assert d.focused() is d.find("booking.cancel.keep"), "the safe answer first"
    tab_to(d, "booking.cancel.confirm")
    d.key("enter")
    d.wait_for_screen("booking_done", BOOKING_WAIT_S)
    assert panel(kiosk).mode == "hidden", "a cancellation leaves no receipt"
    by_id = {str(b["booking_id"]): b for b in records(kiosk)["bookings"]}
    assert by_id[first.id]["cancelled_at"] is not None
    assert by_id[moved.id]["cancelled_at"] is not None
    assert by_id[moved.id]["fields"]["user_last_name"] == "Jean Dupont"


def test_a_scanned_receipt_opens_the_booking(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    link = kiosk.station.central.link()
    today = datetime.now(ZoneInfo(kiosk.settings.site.timezone)).date()
    slot = link.book.free_slots(BULKY, today, today + timedelta(days=28))[0]
    booked = link.book.book(BookingRequest(slot, "Jean Dupont", "demo-0001", "r"), "scan-1")
    d.tap("home.entry.manage_booking")
    d.wait_for_screen("booking_find")
    from kiosk.core.flows.base import CodeScanned

    kiosk.app.send(CodeScanned(booked.id))
    d.wait_for_screen("booking_detail", BOOKING_WAIT_S)
    assert flow(kiosk).appointment.id == booked.id


def shown(widget) -> bool:
    """Drawn: neither it nor a parent is fully transparent, and it has a height."""
    while widget is not None and widget is not widget.parent:
        if widget.opacity == 0 or widget.height <= 0:
            return False
        widget = widget.parent
    return True


def assert_fits(kiosk, where: str) -> None:
    """Every control of the step lies above the persistent bar, inside the window, and none
    overlaps another (lists page rather than overflow)."""
    app = kiosk.app
    bar_top, body_top = app.layout.bar.top, app.layout.body.top
    for w in kiosk.driver.walk():  # the texts of the body too: nothing above its band
        if type(w).__name__ == "BookingBody":
            for inner in w.walk(restrict=True):
                if shown(inner) and inner is not w:
                    top = inner.to_window(inner.x, inner.top)[1]
                    assert top <= body_top + 1, f"{where}: {type(inner).__name__} too high"
    boxes = []
    for w in kiosk.driver.walk():
        role = str(getattr(w, "role", ""))
        is_field = hasattr(w, "cursor") and hasattr(w, "hint_text")
        if not (role or is_field) or not shown(w) or role.startswith(("bar.", "key.")):
            continue
        x, y = w.to_window(w.x, w.y)
        if type(w.parent).__name__ == "ConfirmationColumn":
            # The confirmation stands in the reading band on the totem (screens/confirmation.py).
            reading = app.layout.reading
            assert reading.y - 1 <= y and y + w.height <= reading.top + 1, f"{where}: {role}"
            continue
        assert y >= bar_top - 1, f"{where}: {role or 'a field'} runs into the bar"
        assert y + w.height <= body_top + 1, f"{where}: {role or 'a field'} runs into the header"
        assert x >= 0 and x + w.width <= app.root_width + 1, f"{where}: {role} is cut off"
        assert y + w.height <= app.root_height + 1, f"{where}: {role} is cut off"
        boxes.append((role or "field", x, y, x + w.width, y + w.height))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = min(a[3], b[3]) - max(a[1], b[1]), min(a[4], b[4]) - max(a[2], b[2])
            assert overlap[0] <= 1 or overlap[1] <= 1, f"{where}: {a[0]} overlaps {b[0]}"


@pytest.mark.parametrize("label", [
    pytest.param("desk", marks=pytest.mark.kiosk(profile="desk")),
    pytest.param("totem-xl", marks=pytest.mark.kiosk(
        env={"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'})),
])
def test_every_booking_step_fits_its_panel(kiosk, tmp_path, label):
    d = kiosk.driver
    out = shots(tmp_path)
    open_flow(kiosk, "home.entry.appointment", "appointment_procedure")
    assert_fits(kiosk, "procedure")
    d.tap(f"appointment.procedure.{PASSPORT}")
    d.wait_for_screen("appointment_ants")
    assert_fits(kiosk, "ants")
    kiosk.app.screen_view("appointment_ants").ids.ants.text = "AB1"
    d.tap("appointment.ants.continue")
    d.frames(3)
    assert_fits(kiosk, "ants with its problem")
    d.screenshot(out / f"fit-{label}-ants.png")
    kiosk.app.screen_view("appointment_ants").ids.ants.text = ANTS
    d.tap("appointment.ants.continue")
    d.wait_for_screen("appointment_documents")
    assert_fits(kiosk, "documents")
    d.tap("appointment.documents.5")
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    assert_fits(kiosk, "days")
    d.screenshot(out / f"fit-{label}-day.png")
    d.tap(choices(kiosk, "appointment.day")[0])
    d.wait_for_screen("appointment_slot")
    assert_fits(kiosk, "times")
    d.tap(choices(kiosk, "appointment.slot")[0])
    d.wait_for_screen("appointment_name")
    kiosk.app.screen_view("appointment_name").ids.name.text = ""
    d.tap("appointment.name.continue")
    d.frames(3)
    assert_fits(kiosk, "name with its problem")
    d.screenshot(out / f"fit-{label}-name.png")
    kiosk.app.screen_view("appointment_name").ids.name.text = (
        "Marie-Thérèse de La Rochefoucauld-Montbazon")
    d.tap("appointment.name.continue")
    d.wait_for_screen("appointment_contact")
    screen = kiosk.app.screen_view("appointment_contact")
    screen.ids.phone.text = "06 12"
    d.tap("appointment.contact.continue")
    d.frames(3)
    assert_fits(kiosk, "contact with its problem")
    d.screenshot(out / f"fit-{label}-contact.png")
    screen.ids.phone.text = "06 12 34 56 78"
    screen.ids.email.text = "marie-therese.de-la-rochefoucauld@exemple.fr"
    d.tap("appointment.contact.continue")
    d.wait_for_screen("appointment_summary")
    d.screenshot(out / f"fit-{label}-summary.png")
    assert_fits(kiosk, "summary")
    d.tap("appointment.confirm")
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    assert_fits(kiosk, "done")
    d.screenshot(out / f"fit-{label}-done.png")
