"""Submitting a request in the real window against the embedded reference peer (real HTTP on
loopback), with the central as Open311 and as w.c.s.: by touch, by keyboard alone; the central
down at submission (station reference, delivered later, once); a blackbox service; an answer
refused by a check keeps what was typed; a session that times out mid-form leaves nothing."""

from __future__ import annotations

import time

import httpx
import pytest
from ui_support import tab_to

pytestmark = pytest.mark.ui

POTHOLE = "open311:VOI-001"  # realtime, every Open311 datatype (config/peer-seed.json)
STREET_LIGHT = "open311:ECL-001"  # blackbox: no number


def records(kiosk) -> dict:
    peer = kiosk.station.central.link().peer
    return httpx.get(f"{peer.base_url}/_peer/records", timeout=5).json()


def set_faults(kiosk, **plan) -> None:
    peer = kiosk.station.central.link().peer
    if plan:
        httpx.post(f"{peer.base_url}/_peer/faults", json=plan, timeout=5).raise_for_status()
    else:
        httpx.delete(f"{peer.base_url}/_peer/faults", timeout=5).raise_for_status()


def flow(kiosk):
    return kiosk.app.core.state.session.flow


def wait_idle(kiosk) -> None:
    kiosk.driver.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)


def open_requests(kiosk) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.request")
    d.wait_for_screen("request_service", timeout_s=15)
    wait_idle(kiosk)


def field_code(kiosk) -> str:
    return flow(kiosk).current_field.code


def keypad(kiosk, text: str) -> None:
    for char in text:
        kiosk.driver.tap(f"key.{char}")


def answer_pothole_by_touch(kiosk) -> None:
    """Every question of the pothole form, the way a person at a totem answers them."""
    d = kiosk.driver
    d.tap(f"service.{POTHOLE}")
    d.wait_for_screen("request_field", timeout_s=15)
    wait_idle(kiosk)
    assert field_code(kiosk) == "EMPLACEMENT"
    d.tap("choice.trottoir")
    d.wait_until(lambda: field_code(kiosk) == "LARGEUR_CM")
    d.tap("request.next")  # required and empty: refused, the person is told which field
    d.wait_until(lambda: flow(kiosk).problem is not None)
    assert "largeur" in kiosk.app.screen_view("request_field").problem_text.lower()
    keypad(kiosk, "30")
    d.tap("request.next")
    d.wait_until(lambda: field_code(kiosk) == "RISQUES")
    d.tap("choice.chute-velo")
    d.tap("choice.flaque")
    d.tap("request.next")
    for code in ("CONSTATE_LE", "REPERE", "PRECISIONS"):
        d.wait_until(lambda c=code: field_code(kiosk) == c)
        d.tap("request.next")
    d.wait_for_screen("request_place")
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    d.tap("request.contact.skip")
    d.wait_for_screen("request_summary")


# Answers that pass each field type's check (kiosk/core/validation.py).
VALID_ANSWERS = {"date": "02/11/2026", "datetime": "02/11/2026 14:30",
                 "email": "nom@exemple.fr", "phone": "0612345678", "number": "2"}


def answer_any_form_and_send(kiosk, service_id: str) -> None:
    """Choose the service, answer its required questions plausibly (the first value of
    each choice), keep the station's place, leave no contact, confirm."""
    d = kiosk.driver
    d.tap(f"service.{service_id}")
    d.wait_until(lambda: kiosk.screen in ("request_field", "request_place"), timeout_s=15)
    wait_idle(kiosk)
    while kiosk.screen == "request_field":
        question = flow(kiosk).current_field
        if question.choices:
            d.tap(f"choice.{question.choices[0].key}")
            if question.type.value == "multi_choice":
                d.tap("request.next")
        else:
            if question.required:
                kiosk.app.screen_view("request_field").ids.answer.text = VALID_ANSWERS.get(
                    question.type.value, "Dupont")
            d.tap("request.next")
        d.frames(3)
    d.wait_for_screen("request_place")
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    d.tap("request.contact.skip")
    d.wait_for_screen("request_summary")
    d.tap("request.confirm")
    d.wait_for_screen("request_done", timeout_s=15)


def test_touch_pothole_report_reaches_the_central_with_its_answers(kiosk, tmp_path):
    d = kiosk.driver
    open_requests(kiosk)
    d.screenshot(tmp_path / "service.png")
    answer_pothole_by_touch(kiosk)
    d.screenshot(tmp_path / "summary.png")
    texts = " ".join(d.texts())
    assert "Sur le trottoir" in texts and "30" in texts and "Chute de cyclistes" in texts
    d.tap("request.confirm")
    d.wait_for_screen("request_done", timeout_s=15)
    d.screenshot(tmp_path / "done.png")
    receipt = flow(kiosk).receipt
    assert receipt.result is not None and receipt.result.number
    shown = kiosk.app.screen_view("request_done").number.replace(" ", "")
    assert shown == receipt.result.number
    sent = [r for r in records(kiosk)["requests"] if r["service_request_id"] == shown]
    assert len(sent) == 1
    fields = sent[0]["fields"]
    assert sent[0]["service_code"] == "VOI-001"
    assert fields["attribute"]["EMPLACEMENT"] == "trottoir"
    assert fields["attribute"]["LARGEUR_CM"] == "30"
    assert sorted(fields["attribute"]["RISQUES"]) == ["chute-velo", "flaque"]
    assert float(fields["lat"]) == kiosk.settings.site.location.lat
    assert receipt.station_ref in fields["description"]
    d.tap("request.finish")
    d.wait_for_screen("attract")


@pytest.mark.kiosk(env={"KIOSK__CENTRAL__PEER_PERSONALITY":
                        '["xml-only", "bom", "no-idempotency", "5xx-after-storing"]'})
def test_an_xml_only_central_that_loses_its_answers_works_end_to_end(kiosk, tmp_path):
    # A server we did not write: XML only, a byte-order mark before every answer, the
    # Idempotency-Key ignored, and a 500 after it stored the request. The kiosk finds XML by
    # itself, then finds the stored request by its station reference: the person leaves with
    # its number, and the central holds it once.
    d = kiosk.driver
    open_requests(kiosk)
    answer_pothole_by_touch(kiosk)
    d.tap("request.confirm")
    d.wait_for_screen("request_done", timeout_s=15)
    d.screenshot(tmp_path / "done.png")
    receipt = flow(kiosk).receipt
    assert receipt.result is not None and receipt.result.number
    shown = kiosk.app.screen_view("request_done").number.replace(" ", "")
    assert shown == receipt.result.number
    sent = [r for r in records(kiosk)["requests"]
            if receipt.station_ref in r["fields"].get("description", "")]
    assert [r["service_request_id"] for r in sent] == [shown]
    assert sent[0]["fields"]["attribute"]["LARGEUR_CM"] == "30"
    d.tap("request.home")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    for digit in shown:
        d.tap(f"key.{digit}")
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
    assert shown in " ".join(d.texts()).replace(" ", "")
    assert len(kiosk.app.screen_view("tracking_result").ids.history.children) >= 1


def test_keyboard_alone_with_a_changed_answer_and_a_typed_address(kiosk):
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    d.type_text("trottoir")
    tab_to(d, "home.entry.request")
    d.key("enter")
    d.wait_for_screen("request_service", timeout_s=15)
    wait_idle(kiosk)
    d.type_text("trou")
    tab_to(d, f"service.{POTHOLE}")
    d.key("enter")
    d.wait_for_screen("request_field", timeout_s=15)
    wait_idle(kiosk)
    tab_to(d, "choice.chaussee")
    d.key("spacebar")
    d.wait_until(lambda: field_code(kiosk) == "LARGEUR_CM")
    d.type_text("douze")
    d.key("enter")
    d.wait_until(lambda: flow(kiosk).problem is not None)
    field = kiosk.app.screen_view("request_field").ids.answer
    assert field.text == "douze", "nothing typed is lost when an error appears"
    assert field.focus
    for _ in range(5):
        d.key("backspace")
    d.type_text("45")
    d.key("enter")
    d.wait_until(lambda: field_code(kiosk) == "RISQUES")
    d.key("tab")  # no risk chosen: optional
    tab_to(d, "request.next")
    d.key("enter")
    for code in ("CONSTATE_LE", "REPERE"):
        d.wait_until(lambda c=code: field_code(kiosk) == c)
        d.key("enter")
    d.wait_until(lambda: field_code(kiosk) == "PRECISIONS")
    d.type_text("Au coin")
    d.key("enter")  # several lines: Enter is a new line, Next is the way on
    tab_to(d, "request.next")
    d.key("enter")
    d.wait_for_screen("request_place")
    tab_to(d, "request.place.here")  # then on to the address field
    d.key("tab")
    d.type_text("12 rue des Lilas")
    d.key("enter")
    d.wait_for_screen("request_contact")
    d.type_text("nom@exemple")
    d.key("enter")
    d.wait_until(lambda: flow(kiosk).problem is not None)
    assert kiosk.app.screen_view("request_contact").ids.email.text == "nom@exemple"
    d.type_text(".fr")
    d.key("enter")
    d.wait_for_screen("request_summary")
    tab_to(d, "request.change.field.1")
    d.key("enter")
    d.wait_until(lambda: field_code(kiosk) == "LARGEUR_CM")
    d.key("backspace")
    d.key("backspace")
    d.type_text("50")
    d.key("enter")
    d.wait_for_screen("request_summary")
    tab_to(d, "request.confirm")
    d.key("enter")
    d.wait_for_screen("request_done", timeout_s=15)
    number = flow(kiosk).receipt.result.number
    sent = [r for r in records(kiosk)["requests"] if r["service_request_id"] == number]
    assert len(sent) == 1
    fields = sent[0]["fields"]
    assert fields["attribute"]["EMPLACEMENT"] == "chaussee"
    assert fields["attribute"]["LARGEUR_CM"] == "50"
    assert fields["address_string"] == "12 rue des Lilas"
    assert fields["email"] == "nom@exemple.fr"
    assert "lat" not in fields
    assert fields["attribute"]["PRECISIONS"] == "Au coin"


def test_central_down_gives_the_station_reference_and_delivers_later_once(kiosk):
    d = kiosk.driver
    open_requests(kiosk)
    answer_pothole_by_touch(kiosk)
    set_faults(kiosk, error_rate=1.0, path_prefix="/open311/v2/requests")
    d.tap("request.confirm")
    d.wait_for_screen("request_done", timeout_s=20)
    receipt = flow(kiosk).receipt
    assert receipt.result is None
    shown = kiosk.app.screen_view("request_done").number
    assert shown == receipt.station_ref
    assert "partira" in kiosk.app.screen_view("request_done").explanation
    set_faults(kiosk)
    link = kiosk.station.central.link()
    link.sender.wake()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and link.outbox.counts().pending:
        time.sleep(0.5)
        link.sender.wake()
    sent = [r for r in records(kiosk)["requests"]
            if receipt.station_ref in r["fields"].get("description", "")]
    assert len(sent) == 1
    # The receipt's reference now finds the request at the central.
    d.tap("request.home")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    kiosk.app.screen_view("tracking_entry").ids.number.text = receipt.station_ref
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
    assert sent[0]["service_request_id"] in " ".join(d.texts())


def test_a_blackbox_service_says_it_gives_no_number(kiosk):
    open_requests(kiosk)
    answer_any_form_and_send(kiosk, STREET_LIGHT)
    done = kiosk.app.screen_view("request_done")
    assert "pas de numéro" in done.explanation
    assert done.number == flow(kiosk).receipt.station_ref


@pytest.mark.kiosk(env={"KIOSK__CENTRAL__REQUESTS": '"wcs"'})
def test_the_same_flow_with_the_central_as_wcs(kiosk):
    d = kiosk.driver
    open_requests(kiosk)
    services = flow(kiosk).services
    assert services and all(s.id.startswith("wcs:") for s in services)
    answer_any_form_and_send(kiosk, services[0].id)
    number = flow(kiosk).receipt.result.number
    forms = [f for f in records(kiosk)["forms"] if f["tracking_code"] == number]
    assert len(forms) == 1
    # Tracked through w.c.s. too (code/<tracking_code>, then the form's status).
    d.tap("request.home")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    kiosk.app.screen_view("tracking_entry").ids.number.text = number
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
    assert number in " ".join(d.texts()).replace(" ", "")


def test_a_session_that_times_out_mid_form_leaves_nothing(kiosk):
    d = kiosk.driver
    open_requests(kiosk)
    d.tap(f"service.{POTHOLE}")
    d.wait_for_screen("request_field", timeout_s=15)
    wait_idle(kiosk)
    d.tap("choice.parking")
    d.wait_until(lambda: field_code(kiosk) == "LARGEUR_CM")
    keypad(kiosk, "987")
    session = kiosk.app.core.state.session
    import weakref

    ref = weakref.ref(session)
    del session
    kiosk.idle(kiosk.settings.session.idle_s)
    kiosk.idle(kiosk.settings.session.warning_s + 1)
    d.wait_for_screen("attract")
    import gc

    gc.collect()
    d.frames(3)
    gc.collect()
    assert ref() is None
    assert not any("987" in t for t in d.texts())
    for name in ("request_field", "request_summary"):
        view = kiosk.app.screen_view(name)
        for widget in view.walk():
            assert "987" not in str(getattr(widget, "text", ""))


def test_the_language_changes_mid_form_without_losing_the_answers(kiosk):
    d = kiosk.driver
    open_requests(kiosk)
    d.tap(f"service.{POTHOLE}")
    d.wait_for_screen("request_field", timeout_s=15)
    wait_idle(kiosk)
    d.tap("choice.trottoir")
    d.wait_until(lambda: field_code(kiosk) == "LARGEUR_CM")
    keypad(kiosk, "42")
    view = kiosk.app.screen_view("request_field")
    assert "obligatoire" in view.hint
    d.tap("bar.language")
    d.wait_until(lambda: kiosk.app.core.state.language == "en")
    assert kiosk.screen == "request_field" and field_code(kiosk) == "LARGEUR_CM"
    assert view.ids.answer.text == "42"
    assert "An answer is needed" in view.hint
    assert "Next" in d.texts()
    d.tap("request.next")
    d.wait_until(lambda: field_code(kiosk) == "RISQUES")
    assert flow(kiosk).answers["EMPLACEMENT"] == "trottoir"
    assert flow(kiosk).answers["LARGEUR_CM"] == "42"
