"""WcsAdapter and ChronoAdapter against the embedded reference peer over real HTTP: the forms
catalogue, submissions on the web and counter channels, tracking by code as statuses move on
with the peer clock, survey answers, schedules, slots, booking, a taken slot, cancelling
twice; and Publik signatures the peer must refuse: tampered, signed with a wrong key, expired,
from the future, replayed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from answer_server import fails
from peer_support import Peer

from kiosk.adapters.http import HttpClient
from kiosk.adapters.publik_chrono import ChronoAdapter
from kiosk.adapters.publik_wcs import WcsAdapter
from kiosk.core.central import (
    AppointmentStatus,
    BookingRequest,
    CentralFailure,
    FieldType,
    Place,
    RequestStatus,
    RequestSubmission,
    SubmissionOutcome,
    SurveyAnswer,
)
from kiosk.protocols.publik_signing import sign_url

TRACKING_CODE = re.compile(r"[A-Z]{8}")


def wcs(peer: Peer, http: HttpClient, **kwargs: object) -> WcsAdapter:
    c = peer.credentials
    return WcsAdapter(http, peer.running.wcs_url, c["publik_orig"], c["publik_key"],
                      **kwargs)  # type: ignore[arg-type]


def chrono(peer: Peer, http: HttpClient, **kwargs: object) -> ChronoAdapter:
    c = peer.credentials
    return ChronoAdapter(http, peer.running.chrono_url, c["publik_orig"], c["publik_key"],
                         **kwargs)  # type: ignore[arg-type]


def civil_record(ref: str, **answers: object) -> RequestSubmission:
    values = {"type_acte": "Acte de naissance", "format_acte": "Copie intégrale",
              "nom": "Martin", "prenoms": "Jeanne", "date_evenement": "1990-05-17",
              "mode_reception": "Par courrier", "courriel": "jeanne@example.org"}
    values.update(answers)  # type: ignore[arg-type]
    return RequestSubmission("wcs:demande-acte-etat-civil", values, Place(), "BORNE-01", ref)


# -- w.c.s. ------------------------------------------------------------------------------------


def test_forms_catalogue(peer: Peer, http: HttpClient) -> None:
    services = wcs(peer, http).services()
    assert [s.id for s in services] == ["wcs:demande-acte-etat-civil", "wcs:signalement-bruit"]
    form = wcs(peer, http).form("wcs:demande-acte-etat-civil")
    types = {f.code: f.type for f in form.fields}
    assert types == {"type_acte": FieldType.CHOICE, "format_acte": FieldType.CHOICE,
                     "nom": FieldType.TEXT, "prenoms": FieldType.TEXT,
                     "date_evenement": FieldType.DATE, "motif": FieldType.LONG_TEXT,
                     "mode_reception": FieldType.CHOICE, "courriel": FieldType.EMAIL,
                     "telephone": FieldType.PHONE}
    assert [f.order for f in form.fields] == list(range(1, 10))


@pytest.mark.parametrize("channel", ["web", "counter"])
def test_submit_and_track(peer: Peer, http: HttpClient, channel: str) -> None:
    adapter = wcs(peer, http, channel=channel)
    ref = "BORNE-01-20260901-0010"
    result = adapter.submit(civil_record(ref), ref)
    assert result.outcome is SubmissionOutcome.NUMBERED
    assert result.number is not None and TRACKING_CODE.fullmatch(result.number)
    assert adapter.submit(civil_record(ref), ref) == result  # the same key: the same form
    (form,) = [f for f in peer.records()["forms"] if f["idempotency_key"] == ref]
    assert form["context"] == {"channel": channel, "comments": f"Borne BORNE-01, réf. {ref}"}
    report = adapter.report(result.number.lower())
    assert report is not None and report.status is RequestStatus.RECEIVED
    assert report.service_name == "Demande d'acte d'état civil"
    peer.advance(3 * 3600)
    report = adapter.report(result.number)
    assert report is not None and report.status is RequestStatus.IN_PROGRESS
    peer.advance(48 * 3600)
    report = adapter.report(result.number)
    assert report is not None and report.status is RequestStatus.DONE
    assert [s.status for s in report.history] == [
        RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.DONE]


def test_unknown_tracking_code(peer: Peer, http: HttpClient) -> None:
    assert wcs(peer, http).report("BCDFGHJK") is None


def test_a_value_the_form_refuses_is_rejected(peer: Peer, http: HttpClient) -> None:
    bad = civil_record("r-1", type_acte="Acte de baptême")
    error = fails(CentralFailure.REJECTED, lambda: wcs(peer, http).submit(bad, "r-1"))
    assert "err_class 'Invalid request'" in str(error) and "baptême" not in str(error)


def test_survey_answer(peer: Peer, http: HttpClient) -> None:
    ref = "BORNE-01-20260901-0011"
    reference = wcs(peer, http).send(SurveyAnswer("booking", "BORNE-01", ref, overall=10,
                                                  clarity=5, help_received="non"), ref)
    assert reference
    (survey,) = [s for s in peer.records()["surveys"] if s["idempotency_key"] == ref]
    assert survey["data"] == {"flow": "booking", "overall": "10", "clarity": "5",
                              "help_received": "non"}


# -- signatures the peer must refuse --------------------------------------------------------


def test_wrong_key_is_unauthorised(peer: Peer, http: HttpClient) -> None:
    c = peer.credentials
    forms = WcsAdapter(http, peer.running.wcs_url, c["publik_orig"], "wrong-key")
    agendas = ChronoAdapter(http, peer.running.chrono_url, c["publik_orig"], "wrong-key")
    for call in (lambda: forms.form("wcs:signalement-bruit"), agendas.schedules):
        error = fails(CentralFailure.UNAUTHORISED, call)
        assert "Access denied" in str(error) and "wrong-key" not in str(error)


def test_unknown_orig_is_unauthorised(peer: Peer, http: HttpClient) -> None:
    adapter = WcsAdapter(http, peer.running.wcs_url, "intruder", peer.credentials["publik_key"])
    fails(CentralFailure.UNAUTHORISED, lambda: adapter.report("BCDFGHJK"))


@pytest.mark.parametrize("skew", [timedelta(minutes=-5), timedelta(seconds=-31),
                                  timedelta(minutes=5)], ids=["5-min-old", "31-s-old", "future"])
def test_stale_signatures_are_refused(peer: Peer, http: HttpClient, skew: timedelta) -> None:
    adapter = wcs(peer, http, clock=lambda: datetime.now(UTC) + skew)
    fails(CentralFailure.UNAUTHORISED, lambda: adapter.form("wcs:signalement-bruit"))
    assert wcs(peer, http, clock=lambda: datetime.now(UTC) - timedelta(seconds=10)).form(
        "wcs:signalement-bruit").fields  # within ±30 s: accepted


def signed(peer: Peer, path: str, **kwargs: object) -> str:
    c = peer.credentials
    return sign_url(peer.running.wcs_url + path, c["publik_orig"], c["publik_key"],
                    **kwargs)  # type: ignore[arg-type]


def test_a_replayed_signature_is_refused(peer: Peer, http: HttpClient) -> None:
    url = signed(peer, "formdefs/signalement-bruit/schema")
    assert http.get(url).status == 200
    error = fails(CentralFailure.UNAUTHORISED, lambda: http.get(url))
    assert "signature" not in str(error)  # the query is never in a message
    again = signed(peer, "formdefs/signalement-bruit/schema", nonce="0" * 32)
    assert http.get(again).status == 200
    fails(CentralFailure.UNAUTHORISED, lambda: http.get(
        signed(peer, "formdefs/signalement-bruit/schema", nonce="0" * 32)))


@pytest.mark.parametrize("tamper", ["param", "orig", "signature"])
def test_tampered_signatures_are_refused(peer: Peer, http: HttpClient, tamper: str) -> None:
    url = signed(peer, "formdefs/signalement-bruit/schema")
    if tamper == "param":
        url = url.replace("orig=", "email=x%40y.fr&orig=")
    elif tamper == "orig":
        url = url.replace(f"orig={quote(peer.credentials['publik_orig'])}", "orig=someone")
    else:
        head, _, signature = url.rpartition("&signature=")
        url = f"{head}&signature={'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    fails(CentralFailure.UNAUTHORISED, lambda: http.get(url))


def test_unsigned_calls_are_refused_the_catalogue_too(peer: Peer, http: HttpClient) -> None:
    for url in (peer.running.wcs_url + "formdefs/",
                peer.running.wcs_url + "formdefs/signalement-bruit/schema",
                peer.running.chrono_url + "agenda/"):
        fails(CentralFailure.UNAUTHORISED, lambda u=url: http.get(u))
    assert wcs(peer, http).services()  # the adapter signs every call


# -- Chrono ------------------------------------------------------------------------------------


def test_schedules(peer: Peer, http: HttpClient) -> None:
    schedules = {s.id: s for s in chrono(peer, http).schedules()}
    assert set(schedules) == {"chrono:passeport-cni/depot-demande", "chrono:encombrants/collecte",
                              "chrono:etat-civil/mariage", "chrono:etat-civil/pacs"}
    assert [s.id for s in schedules.values() if s.needs_ants_number] == [
        "chrono:passeport-cni/depot-demande"]
    assert schedules["chrono:passeport-cni/depot-demande"].duration_min == 20
    assert schedules["chrono:etat-civil/pacs"].place.startswith("Mairie")


def test_free_slots_leave_out_taken_ones(peer: Peer, http: HttpClient) -> None:
    today = peer.today()
    adapter = chrono(peer, http)
    free = adapter.free_slots("chrono:passeport-cni/depot-demande", today,
                              today + timedelta(days=14))
    assert free and all(today <= s.start.date() < today + timedelta(days=14) for s in free)
    assert all(s.end - s.start == timedelta(minutes=20) for s in free)
    c = peer.credentials
    raw = http.get(sign_url(
        f"{peer.running.chrono_url}agenda/passeport-cni/meetings/depot-demande/datetimes/"
        f"?date_start={today}&date_end={today + timedelta(days=14)}",
        c["publik_orig"], c["publik_key"])).json()["data"]
    disabled = {item["id"] for item in raw if item["disabled"]}
    assert disabled, "the seed shows some slots as already booked"
    assert not disabled & {s.id for s in free}
    assert len(free) == len(raw) - len(disabled)


def test_book_conflict_cancel_twice(peer: Peer, http: HttpClient) -> None:
    today = peer.today()
    adapter = chrono(peer, http)
    schedule = "chrono:passeport-cni/depot-demande"
    slot = adapter.free_slots(schedule, today, today + timedelta(days=14))[0]
    request = BookingRequest(slot, "Jeanne Martin", "BORNE-01", "BORNE-01-20260901-0012",
                             phone="06 12 34 56 78", ants_number="AB12CD34EF", documents=2)
    booked = adapter.book(request, "4f7c2d9e-0b5a-4d1e-9a57-2c3e4f5a6b7c")
    assert booked.status is AppointmentStatus.BOOKED and booked.start == slot.start
    assert booked.links["cancel_url"].startswith(peer.running.chrono_url)
    again = adapter.book(request, "4f7c2d9e-0b5a-4d1e-9a57-2c3e4f5a6b7c")
    assert again.id == booked.id  # the same key: no second booking
    (record,) = [b for b in peer.records()["bookings"]
                 if b["idempotency_key"] == "4f7c2d9e-0b5a-4d1e-9a57-2c3e4f5a6b7c"]
    assert record["fields"] == {
        "label": "Borne BORNE-01", "user_display_label": "Jeanne Martin",
        "user_last_name": "Jeanne Martin", "user_phone_number": "06 12 34 56 78",
        "station_ref": "BORNE-01-20260901-0012", "documents": "2", "ants_number": "AB12CD34EF"}
    fails(CentralFailure.CONFLICT, lambda: adapter.book(request, "second-uuid"))
    assert slot.id not in {s.id for s in adapter.free_slots(schedule, today,
                                                            today + timedelta(days=14))}
    found = adapter.appointment(booked.id)
    assert found is not None and found.schedule_id == schedule and found.start == slot.start
    cancelled = adapter.cancel(found, "cancel-uuid-1")
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert adapter.cancel(found, "cancel-uuid-2").status is AppointmentStatus.CANCELLED
    fails(CentralFailure.CONFLICT, lambda: adapter.appointment(booked.id))
    assert slot.id in {s.id for s in adapter.free_slots(schedule, today,
                                                        today + timedelta(days=14))}


def test_the_ants_number_travels_as_chrono_keeps_it(peer: Peer, http: HttpClient) -> None:
    # Chrono requires no ANTS number (the kiosk's flow checks it): a booking without one is
    # taken, and one with it keeps it among the booking's extra data.
    today = peer.today()
    adapter = chrono(peer, http)
    first, second = adapter.free_slots("chrono:passeport-cni/depot-demande", today,
                                       today + timedelta(days=14))[:2]
    without = adapter.book(BookingRequest(first, "Jeanne Martin", "BORNE-01", "r-1"), "uuid-x")
    assert without.status is AppointmentStatus.BOOKED
    booked = adapter.book(BookingRequest(second, "Jeanne Martin", "BORNE-01", "r-2",
                                         ants_number="SOLOCAL001"), "uuid-y")
    found = adapter.appointment(booked.id)
    assert found is not None and found.holder is not None
    assert found.holder.ants_number == "SOLOCAL001"


def test_unknown_booking(peer: Peer, http: HttpClient) -> None:
    assert chrono(peer, http).appointment("424242") is None


# -- faults injected by the peer -----------------------------------------------------------


def test_malformed_publik_answers(peer: Peer, http: HttpClient) -> None:
    peer.faults(malformed_rate=1.0, seed=3)
    for _ in range(6):  # truncated, wrong types, HTML instead of JSON
        fails(CentralFailure.MALFORMED, wcs(peer, http).services)
        fails(CentralFailure.MALFORMED, chrono(peer, http).schedules)


def test_a_dropped_booking_is_retried_with_the_same_key(peer: Peer, http: HttpClient) -> None:
    today = peer.today()
    adapter = chrono(peer, http)
    slot = adapter.free_slots("chrono:etat-civil/pacs", today, today + timedelta(days=14))[0]
    request = BookingRequest(slot, "Jeanne Martin", "BORNE-01", "BORNE-01-20260901-0013")
    peer.faults(drop_rate=1.0, path_prefix="/chrono/api/agenda/etat-civil/fillslot/")
    error = fails(CentralFailure.UNREACHABLE, lambda: adapter.book(request, "uuid-drop"))
    assert error.retryable
    peer.no_faults()
    booked = adapter.book(request, "uuid-drop")  # not "no more desk available"
    assert [b["booking_id"] for b in peer.records()["bookings"]] == [int(booked.id)]
