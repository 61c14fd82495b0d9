"""WcsAdapter and ChronoAdapter against handwritten answers served over real HTTP by a server
that checks the Publik signature of every call (kiosk.protocols.publik_signing.check_query):
shapes, envelopes, error classes, status mapping, links followed only under the base URL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from answer_server import AnswerServer, Received, fails, send

from kiosk.adapters.http import HttpClient
from kiosk.adapters.publik_chrono import ChronoAdapter
from kiosk.adapters.publik_wcs import WcsAdapter, status_for
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    CentralFailure,
    FieldType,
    Place,
    RequestStatus,
    RequestSubmission,
    Slot,
    SubmissionOutcome,
    SurveyAnswer,
)
from kiosk.protocols.publik_signing import SignatureError, check_query

ORIG, KEY = "borne-test", "publik-SECRET"
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class SignedServer(AnswerServer):
    """An AnswerServer whose `signed` answers check the Publik signature first."""

    nonces: set[str] = field(default_factory=set)

    def signed(self, method: str, path: str, value: Any, status: int = 200) -> None:
        def behaviour(handler: BaseHTTPRequestHandler, received: Received) -> None:
            def seen(nonce: str) -> bool:
                if nonce in self.nonces:
                    return True
                self.nonces.add(nonce)
                return False

            try:
                check_query(received.query, lambda o: KEY if o == ORIG else None, seen)
            except SignatureError as err:
                body = {"err": 1, "err_class": "Access denied", "err_desc": str(err)}
                send(handler, 403, json.dumps(body).encode())
                return
            payload = value(received) if callable(value) else value
            send(handler, status, json.dumps(payload).encode())

        self.on(method, path, behaviour)


@pytest.fixture
def server() -> Iterator[SignedServer]:
    answers = SignedServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(2.0) as client:
        yield client


def wcs(server: AnswerServer, http: HttpClient, **kwargs: Any) -> WcsAdapter:
    return WcsAdapter(http, server.url + "wcs/api/", ORIG, KEY, **kwargs)


def chrono(server: AnswerServer, http: HttpClient, **kwargs: Any) -> ChronoAdapter:
    return ChronoAdapter(http, server.url + "chrono/api", ORIG, KEY, **kwargs)


W = "/wcs/api/"
C = "/chrono/api/"

# -- w.c.s. ----------------------------------------------------------------------------------

FORMDEFS = {"err": 0, "data": [
    {"title": "Encombrants", "slug": "encombrants", "description": "<p>Des <b>meubles</b></p>",
     "keywords": ["meubles", "déchets"], "category": "Propreté", "redirection": False,
     "authentication_required": False, "functions": {}},
    {"title": "Avis", "slug": "avis-borne", "keywords": []},
    {"title": "Ailleurs", "slug": "ailleurs", "redirection": True},
    {"title": "Bruit", "slug": "bruit", "keywords": "bruit, tapage", "category": None},
]}
SCHEMA = {
    "name": "Encombrants", "category": "Propreté", "keywords": "meubles, déchets",
    "fields": [
        {"id": "1", "type": "page", "label": "Page 1"},
        {"id": "2", "type": "item", "label": "Quoi ?", "varname": "quoi", "required": True,
         "items": ["Meuble", "Matelas"], "hint": "<i>un seul</i>"},
        {"id": "3", "type": "items", "label": "Où ?", "varname": "ou",
         "items": [{"id": "rue", "text": "Dans la rue"}]},
        {"id": "4", "type": "string", "label": "Téléphone", "varname": "tel",
         "validation": {"type": "phone-fr"}},
        {"id": "5", "type": "text", "label": "Précisions", "varname": "precisions"},
        {"id": "6", "type": "email", "label": "Courriel", "varname": "courriel"},
        {"id": "7", "type": "date", "label": "Date", "varname": "date"},
        {"id": "8", "type": "file", "label": "Photo", "varname": "photo"},
        {"id": "9", "type": "string", "label": "Sans varname"},
        {"id": "10", "type": "phone", "label": "Mobile", "varname": "mobile"},
    ],
    "workflow": {"statuses": [
        {"id": "new", "name": "Nouveau", "endpoint": False},
        {"id": "s2", "name": "Pris en charge par les services", "endpoint": False},
        {"id": "s3", "name": "Refusée", "endpoint": True},
        {"id": "s4", "name": "Dossier archivé", "endpoint": True},
    ]},
}


def test_services_skip_the_survey_and_redirections(server: SignedServer,
                                                   http: HttpClient) -> None:
    server.signed("GET", W + "formdefs/", FORMDEFS)
    services = wcs(server, http).services()
    assert [s.id for s in services] == ["wcs:encombrants", "wcs:bruit"]
    first, second = services
    assert first.description == "Des meubles" and first.group == "Propreté"
    assert first.keywords == ("meubles", "déchets") and first.has_form
    assert second.keywords == ("bruit", "tapage") and second.group == ""


def test_form_maps_field_types_and_skips_what_a_kiosk_cannot_ask(server: SignedServer,
                                                                 http: HttpClient) -> None:
    server.signed("GET", W + "formdefs/encombrants/schema", SCHEMA)
    form = wcs(server, http).form("wcs:encombrants")
    assert form.service.name == "Encombrants" and form.service.group == "Propreté"
    assert [(f.code, f.type, f.required) for f in form.fields] == [
        ("quoi", FieldType.CHOICE, True), ("ou", FieldType.MULTI_CHOICE, False),
        ("tel", FieldType.PHONE, False), ("precisions", FieldType.LONG_TEXT, False),
        ("courriel", FieldType.EMAIL, False), ("date", FieldType.DATE, False),
        ("mobile", FieldType.PHONE, False)]
    assert [(c.key, c.label) for c in form.fields[1].choices] == [("rue", "Dans la rue")]
    assert form.fields[0].help == "un seul"
    assert [f.order for f in form.fields] == sorted(f.order for f in form.fields)


def submission(**overrides: Any) -> RequestSubmission:
    values: dict[str, Any] = {
        "service_id": "wcs:encombrants", "answers": {"quoi": "Meuble", "ou": ("rue",)},
        "place": Place(47.1, 1.2, "rue X"), "station_id": "ST-01",
        "station_ref": "ST-01-20250102-0007", "description": "Près du portail",
    }
    values.update(overrides)
    return RequestSubmission(**values)


@pytest.mark.parametrize("channel", ["web", "counter"])
def test_submit_sends_data_context_and_key(server: SignedServer, http: HttpClient,
                                           channel: str) -> None:
    server.signed("POST", W + "formdefs/encombrants/submit", {
        "err": 0, "data": {"id": "12", "url": "u", "backoffice_url": "b", "api_url": "a"},
        "tracking_code": "RPQDFVCD"})
    result = wcs(server, http, channel=channel).submit(submission(), "ST-01-20250102-0007")
    assert (result.outcome, result.number) == (SubmissionOutcome.NUMBERED, "RPQDFVCD")
    sent = server.last("POST", W + "formdefs/encombrants/submit")
    assert sent.headers["idempotency-key"] == "ST-01-20250102-0007"
    assert sent.json() == {
        "data": {"quoi": "Meuble", "ou": ["rue"], "description": "Près du portail"},
        "meta": {"draft": False},
        "context": {"channel": channel, "comments": "Borne ST-01, réf. ST-01-20250102-0007"},
    }


def test_channel_is_web_or_counter(http: HttpClient) -> None:
    with pytest.raises(ValueError):
        WcsAdapter(http, "http://127.0.0.1/wcs/api/", ORIG, KEY,
                   channel="kiosk")  # type: ignore[arg-type]


def test_a_form_without_tracking_codes_gives_no_number(server: SignedServer,
                                                       http: HttpClient) -> None:
    server.signed("POST", W + "formdefs/encombrants/submit",
                  {"err": 0, "data": {"id": 12, "url": "u"}})
    result = wcs(server, http).submit(submission(), "k")
    assert result.outcome is SubmissionOutcome.UNNUMBERED and result.number is None


@pytest.mark.parametrize(("status", "failure"), [
    (403, CentralFailure.UNAUTHORISED), (400, CentralFailure.REJECTED),
    (404, CentralFailure.NOT_FOUND), (200, CentralFailure.REJECTED),
])
def test_error_envelopes_give_the_err_class_never_the_desc(
        server: SignedServer, http: HttpClient, status: int, failure: CentralFailure) -> None:
    server.signed("POST", W + "formdefs/encombrants/submit", {
        "err": 1, "err_class": "Invalid request", "err_desc": "courriel jean@ex.fr invalide"},
        status)
    error = fails(failure, lambda: wcs(server, http).submit(submission(), "k"))
    assert "err_class 'Invalid request'" in str(error)
    assert "jean@" not in str(error) and "signature" not in str(error)


def test_a_strange_err_class_is_not_quoted(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", W + "formdefs/", {"err": 1, "err_class": "<script>" + "x" * 200})
    error = fails(CentralFailure.REJECTED, wcs(server, http).services)
    assert "unrecognised err_class" in str(error) and "script" not in str(error)


def test_wrong_key_is_unauthorised(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", W + "formdefs/", FORMDEFS)
    bad = WcsAdapter(http, server.url + "wcs/api/", ORIG, "wrong-key")
    error = fails(CentralFailure.UNAUTHORISED, bad.services)
    assert "err_class 'Access denied'" in str(error) and "wrong-key" not in str(error)


def test_every_call_is_signed_with_a_fresh_nonce(server: SignedServer,
                                                 http: HttpClient) -> None:
    server.signed("GET", W + "formdefs/", FORMDEFS)
    adapter = wcs(server, http)
    adapter.services()
    adapter.services()
    queries = [r.query for r in server.received]
    assert len(queries) == 2 and all("orig=borne-test" in q and "&signature=" in q
                                     for q in queries)
    assert len(server.nonces) == 2


FORMDATA = {
    "id": 12, "display_id": "3-12", "display_name": "Encombrants - n°3-12",
    "receipt_time": "2025-01-02T10:00:00", "fields": {"quoi": "Meuble"},
    "workflow": {"status": {"id": "s2", "name": "Pris en charge par les services",
                            "endpoint": False}},
    "evolution": [
        {"status": "s2", "time": "2025-01-03T09:00:00", "comment": "<p>Planifié</p>"},
        {"status": "new", "time": "2025-01-02T10:00:00", "comment": None},
        {"time": "2025-01-03T09:30:00", "comment": "a comment without a status"},
    ],
}


def test_report_follows_the_tracking_code(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", W + "code/RPQDFVCD", {
        "err": 0, "url": server.url + "encombrants/12/", "load_url": "x"})
    server.signed("GET", W + "forms/encombrants/12/", FORMDATA)
    server.signed("GET", W + "formdefs/encombrants/schema", SCHEMA)
    adapter = wcs(server, http)
    report = adapter.report(" rpqdfvcd ")
    assert report is not None
    assert (report.number, report.service_name, report.status) == (
        "RPQDFVCD", "Encombrants", RequestStatus.IN_PROGRESS)
    assert [(s.at, s.status, s.note) for s in report.history] == [
        (datetime(2025, 1, 2, 10, tzinfo=PARIS), RequestStatus.RECEIVED, ""),
        (datetime(2025, 1, 3, 9, tzinfo=PARIS), RequestStatus.IN_PROGRESS, "Planifié")]
    assert report.submitted_at == datetime(2025, 1, 2, 10, tzinfo=PARIS)
    adapter.report("RPQDFVCD")
    schema_calls = [r for r in server.received if r.path.endswith("/schema")]
    assert len(schema_calls) == 1  # the workflow is remembered


def test_unknown_tracking_code_is_none(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", W + "code/AAAAAAAA",
                  {"err": 1, "err_class": "Page not found", "err_desc": "x"}, 404)
    assert wcs(server, http).report("AAAAAAAA") is None
    assert wcs(server, http).report("../../x") is None
    assert [r.path for r in server.received] == [W + "code/AAAAAAAA"]


def test_a_code_pointing_nowhere_is_malformed(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", W + "code/RPQDFVCD", {"err": 0, "url": "https://x/../etc/"})
    fails(CentralFailure.MALFORMED, lambda: wcs(server, http).report("RPQDFVCD"))


@pytest.mark.parametrize(("status_id", "name", "endpoint", "expected"), [
    ("just_submitted", "", None, RequestStatus.RECEIVED),
    ("wf-accepted", "", None, RequestStatus.IN_PROGRESS),
    ("s9", "Terminé", True, RequestStatus.DONE),
    ("s9", "Rejetée", True, RequestStatus.REJECTED),
    ("s9", "Clôturée", True, RequestStatus.CLOSED),
    ("s9", "Archivé", True, RequestStatus.CLOSED),
    ("s9", "Chez le prestataire", False, RequestStatus.IN_PROGRESS),
])
def test_workflow_status_mapping(status_id: str, name: str, endpoint: bool | None,
                                 expected: RequestStatus) -> None:
    assert status_for(status_id, name, endpoint) is expected


def test_survey_goes_to_avis_borne(server: SignedServer, http: HttpClient) -> None:
    server.signed("POST", W + "formdefs/avis-borne/submit", {"err": 0, "data": {"id": 41}})
    reference = wcs(server, http).send(
        SurveyAnswer("tracking", "ST-01", "ST-01-20250102-0008", overall=10, clarity=4),
        "ST-01-20250102-0008")
    assert reference == "41"
    sent = server.last("POST", W + "formdefs/avis-borne/submit")
    assert sent.json()["data"] == {"flow": "tracking", "overall": "10", "clarity": "4"}
    assert sent.json()["context"]["comments"] == "Borne ST-01, réf. ST-01-20250102-0008"
    assert sent.headers["idempotency-key"] == "ST-01-20250102-0008"


def test_number_for_has_no_tokens_in_wcs(http: HttpClient) -> None:
    assert WcsAdapter(http, "http://127.0.0.1:9/", ORIG, KEY).number_for("x") is None


# -- Chrono ----------------------------------------------------------------------------------

AGENDAS = {"err": 0, "data": [
    {"id": "passeport-cni", "slug": "passeport-cni", "text": "Passeport et CNI",
     "kind": "meetings", "category": "titres-identite", "place": "Mairie, État civil"},
    {"id": "conseil", "slug": "conseil", "text": "Conseil", "kind": "events"},
    {"slug": "etat-civil", "text": "État civil", "kind": "meetings", "category": "etat-civil",
     "extra_fields": [{"varname": "ants_number", "required": True}]},
]}


def meetings(types: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {"err": 0, "data": [{"id": t, "text": text, "duration": d} for t, text, d in types]}


def test_schedules_one_per_meeting_type(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", C + "agenda/", AGENDAS)
    server.signed("GET", C + "agenda/passeport-cni/meetings/",
                  meetings([("depot", "Dépôt", 20)]))
    server.signed("GET", C + "agenda/etat-civil/meetings/",
                  meetings([("mariage", "Mariage", 45), ("pacs", "PACS", 30)]))
    schedules = chrono(server, http).schedules()
    assert [(s.id, s.name, s.duration_min, s.needs_ants_number) for s in schedules] == [
        ("chrono:passeport-cni/depot", "Passeport et CNI", 20, True),
        ("chrono:etat-civil/mariage", "État civil – Mariage", 45, True),
        ("chrono:etat-civil/pacs", "État civil – PACS", 30, True),
    ]
    assert schedules[0].place == "Mairie, État civil"
    plain = chrono(server, http, ants_categories=()).schedules()
    assert [s.needs_ants_number for s in plain] == [False, True, True]  # extra_fields say so


def datetimes(server: AnswerServer) -> dict[str, Any]:
    def item(slot: str, when: str, disabled: bool = False, end: str | None = None,
             link: str | None = None) -> dict[str, Any]:
        return {"id": slot, "datetime": when, "text": "x", "disabled": disabled,
                **({"end_datetime": end} if end else {}),
                "api": {"fillslot_url": link or f"{server.url}chrono/api/agenda/passeport-cni/"
                                                 f"fillslot/{slot}/"}}
    return {"err": 0, "data": [
        item("depot:2025-03-03-0900", "2025-03-03 09:00:00"),
        item("depot:2025-03-03-0920", "2025-03-03 09:20:00", disabled=True),
        item("depot:2025-03-04-1000", "2025-03-04 10:00:00", end="2025-03-04 10:40:00"),
        item("depot:2025-03-09-1000", "2025-03-09 10:00:00"),  # outside: ignored
        item("depot:2025-03-04-1100", "2025-03-04 11:00:00",
             link="https://elsewhere.example/fillslot/x/"),
    ]}


def test_free_slots_skip_disabled_and_get_the_city_zone(server: SignedServer,
                                                        http: HttpClient) -> None:
    server.signed("GET", C + "agenda/passeport-cni/meetings/",
                  meetings([("depot", "Dépôt", 20)]))
    server.signed("GET", C + "agenda/passeport-cni/meetings/depot/datetimes/",
                  datetimes(server))
    slots = chrono(server, http).free_slots("chrono:passeport-cni/depot", date(2025, 3, 3),
                                            date(2025, 3, 5))
    assert [(s.id, s.start, s.end) for s in slots] == [
        ("depot:2025-03-03-0900", datetime(2025, 3, 3, 9, tzinfo=PARIS),
         datetime(2025, 3, 3, 9, 20, tzinfo=PARIS)),
        ("depot:2025-03-04-1000", datetime(2025, 3, 4, 10, tzinfo=PARIS),
         datetime(2025, 3, 4, 10, 40, tzinfo=PARIS)),
        ("depot:2025-03-04-1100", datetime(2025, 3, 4, 11, tzinfo=PARIS),
         datetime(2025, 3, 4, 11, 20, tzinfo=PARIS)),
    ]
    assert server.last("GET", C + "agenda/passeport-cni/meetings/depot/datetimes/").query \
        .startswith("date_start=2025-03-03&date_end=2025-03-05&orig=borne-test&")


def booking_answer(server: AnswerServer, booking: int = 17) -> Callable[[Received], Any]:
    def answer(_r: Received) -> Any:
        base = f"{server.url}chrono/api/booking/{booking}/"
        return {"err": 0, "booking_id": booking, "datetime": "2025-03-03 09:00:00",
                "end_datetime": "2025-03-03 09:20:00",
                "api": {"booking_url": base, "cancel_url": base + "cancel/",
                        "ics_url": base + "ics/", "anonymize_url": None}}
    return answer


def slot(slot_id: str = "depot:2025-03-03-0900") -> Slot:
    start = datetime(2025, 3, 3, 9, tzinfo=PARIS)
    return Slot(slot_id, "chrono:passeport-cni/depot", start, start)


def test_book_posts_to_the_fillslot_url(server: SignedServer, http: HttpClient) -> None:
    server.signed("POST", C + "agenda/passeport-cni/fillslot/depot:2025-03-03-0900/",
                  booking_answer(server))
    request = BookingRequest(slot(), "Jeanne Martin", "ST-01", "ST-01-20250102-0009",
                             phone="0600000000", ants_number="ABCDE12345", documents=2)
    appointment = chrono(server, http).book(request, "7b0c2f5e-uuid")
    assert appointment.id == "17" and appointment.status is AppointmentStatus.BOOKED
    assert appointment.end == datetime(2025, 3, 3, 9, 20, tzinfo=PARIS)
    assert set(appointment.links) == {"booking_url", "cancel_url", "ics_url"}
    sent = server.last("POST", C + "agenda/passeport-cni/fillslot/depot:2025-03-03-0900/")
    assert sent.headers["idempotency-key"] == "7b0c2f5e-uuid"
    assert sent.json() == {
        "label": "Borne ST-01", "user_display_label": "Jeanne Martin",
        "user_last_name": "Jeanne Martin", "user_phone_number": "0600000000",
        "station_ref": "ST-01-20250102-0009", "documents": "2", "ants_number": "ABCDE12345"}


def test_a_fillslot_link_elsewhere_is_not_followed(server: SignedServer,
                                                   http: HttpClient) -> None:
    server.signed("GET", C + "agenda/passeport-cni/meetings/",
                  meetings([("depot", "Dépôt", 20)]))
    server.signed("GET", C + "agenda/passeport-cni/meetings/depot/datetimes/",
                  datetimes(server))
    server.signed("POST", C + "agenda/passeport-cni/fillslot/depot:2025-03-04-1100/",
                  booking_answer(server))
    adapter = chrono(server, http)
    free = adapter.free_slots("chrono:passeport-cni/depot", date(2025, 3, 3), date(2025, 3, 5))
    adapter.book(BookingRequest(free[-1], "J", "ST-01", "r"), "k")
    assert server.received[-1].path == C + "agenda/passeport-cni/fillslot/depot:2025-03-04-1100/"


@pytest.mark.parametrize("status", [200, 409])
def test_a_taken_slot_is_a_conflict(server: SignedServer, http: HttpClient,
                                    status: int) -> None:
    server.signed("POST", C + "agenda/passeport-cni/fillslot/depot:2025-03-03-0900/",
                  {"err": 1, "err_class": "no more desk available", "err_desc": "x"}, status)
    error = fails(CentralFailure.CONFLICT, lambda: chrono(server, http).book(
        BookingRequest(slot(), "J", "ST-01", "r"), "k"))
    assert "no more desk available" in str(error)


def test_appointment_and_cancel(server: SignedServer, http: HttpClient) -> None:
    base = f"{server.url}chrono/api/booking/17/"
    server.signed("GET", C + "booking/17/", {"err": 0, "data": {
        "booking_id": 17, "agenda": "passeport-cni", "meeting_type": "depot",
        "datetime": "2025-03-03 09:00:00", "end_datetime": "2025-03-03 09:20:00",
        "user_last_name": "Jeanne Martin", "cancellation_datetime": None,
        "api": {"cancel_url": base + "cancel/"}}})
    server.signed("POST", C + "booking/17/cancel/", {"err": 0, "booking_id": 17})
    adapter = chrono(server, http)
    found = adapter.appointment("17")
    assert found is not None
    assert (found.id, found.schedule_id, found.status) == (
        "17", "chrono:passeport-cni/depot", AppointmentStatus.BOOKED)
    cancelled = adapter.cancel(found, "uuid-1")
    assert cancelled.status is AppointmentStatus.CANCELLED and cancelled.id == "17"
    assert server.last("POST", C + "booking/17/cancel/").headers["idempotency-key"] == "uuid-1"


def test_cancelling_twice_is_not_an_error(server: SignedServer, http: HttpClient) -> None:
    server.signed("POST", C + "booking/17/cancel/",
                  {"err": 1, "err_class": "already cancelled", "err_desc": "x"})
    appointment = Appointment("17", "chrono:a/b", datetime(2025, 3, 3, 9, tzinfo=PARIS),
                              datetime(2025, 3, 3, 9, 20, tzinfo=PARIS),
                              AppointmentStatus.BOOKED)
    assert chrono(server, http).cancel(appointment, "k").status is AppointmentStatus.CANCELLED


def test_a_cancel_link_elsewhere_falls_back_to_the_documented_path(
        server: SignedServer, http: HttpClient) -> None:
    server.signed("POST", C + "booking/17/cancel/", {"err": 0, "booking_id": 17})
    appointment = Appointment("17", "chrono:a/b", datetime(2025, 3, 3, 9, tzinfo=PARIS),
                              datetime(2025, 3, 3, 9, 20, tzinfo=PARIS),
                              AppointmentStatus.BOOKED,
                              {"cancel_url": "https://attacker.example/chrono/api/x/"})
    chrono(server, http).cancel(appointment, "k")
    assert [r.path for r in server.received] == [C + "booking/17/cancel/"]


def test_cancelled_or_unknown_bookings(server: SignedServer, http: HttpClient) -> None:
    server.signed("GET", C + "booking/17/",
                  {"err": 1, "err_class": "booking is cancelled", "err_desc": "x"})
    server.signed("GET", C + "booking/18/", {"err": 1, "err_class": "Not found"}, 404)
    adapter = chrono(server, http)
    fails(CentralFailure.CONFLICT, lambda: adapter.appointment("17"))
    assert adapter.appointment("18") is None
    assert adapter.appointment("../agenda") is None


@pytest.mark.parametrize("body", [
    {"err": 0, "data": "nope"},
    {"err": 0, "data": [{"slug": "a b", "kind": "meetings"}]},
    [1, 2],
    {"err": 0, "data": [{"slug": "x", "kind": ["meetings"]}]},
])
def test_wrong_shapes_are_malformed(server: SignedServer, http: HttpClient, body: Any) -> None:
    server.signed("GET", C + "agenda/", body)
    fails(CentralFailure.MALFORMED, chrono(server, http).schedules)


def test_foreign_schedule_ids(http: HttpClient) -> None:
    adapter = ChronoAdapter(http, "http://127.0.0.1:9/chrono/api/", ORIG, KEY)
    fails(CentralFailure.NOT_FOUND,
          lambda: adapter.free_slots("open311:x", date(2025, 1, 1), date(2025, 1, 2)))
    fails(CentralFailure.NOT_FOUND,
          lambda: adapter.free_slots("chrono:a/../b", date(2025, 1, 1), date(2025, 1, 2)))
