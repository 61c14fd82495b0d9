"""Open311Adapter against handwritten answers served over real HTTP: the spec's shapes, the
real-world quirks of docs/central-systems.md (numeric ids, wrapped lists, extra fields,
agency_responsible as an object, error arrays under 200), and hostile answers (wrong types,
invalid XML, entity bombs) that must all end as CentralError(MALFORMED)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from answer_server import AnswerServer, fails

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import MAX_DESCRIPTION, Open311Adapter, status_for
from kiosk.core.central import (
    CentralFailure,
    Contact,
    FieldType,
    Place,
    RequestStatus,
    RequestSubmission,
    ServiceKind,
    SubmissionOutcome,
    Tracking,
)

BASE = "/open311/v2/"


@pytest.fixture
def server() -> Iterator[AnswerServer]:
    answers = AnswerServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(2.0) as client:
        yield client


def adapter(server: AnswerServer, http: HttpClient, fmt: str = "json",
            jurisdiction: str | None = None) -> Open311Adapter:
    return Open311Adapter(http, server.url + BASE.lstrip("/"), "KEY-SECRET", fmt=fmt,  # type: ignore[arg-type]
                          jurisdiction_id=jurisdiction)


def submission(**overrides: object) -> RequestSubmission:
    values: dict[str, object] = {
        "service_id": "open311:001",
        "answers": {"WHISPAWN": "123456", "RISKS": ("a", "b")},
        "place": Place(37.76524078, -122.4212043, "1234 5th street"),
        "station_id": "ST-01",
        "station_ref": "ST-01-20250102-0042",
        "description": "A large sinkhole is destroying the street",
    }
    values.update(overrides)
    return RequestSubmission(**values)  # type: ignore[arg-type]


# -- services and definitions --------------------------------------------------------------

SERVICES_FMS = {"services": [
    {"service_code": 6, "service_name": "Sidewalk and Curb Issues", "description": None,
     "metadata": True, "type": "realtime", "keywords": "lorem, ipsum, dolor",
     "group": "street", "extra_field": {"ignored": True}},
    {"service_code": "B7", "service_name": "Bulky items", "metadata": "false",
     "type": "batch", "keywords": ["bulky", " furniture "], "group": None},
    {"service_code": "X", "service_name": "", "metadata": False, "type": "blackbox"},
]}


def test_services_accept_numeric_codes_and_wrapped_lists(server: AnswerServer,
                                                         http: HttpClient) -> None:
    server.answer_json("GET", BASE + "services.json", SERVICES_FMS)
    services = adapter(server, http, jurisdiction="city.gov").services()
    assert [s.id for s in services] == ["open311:6", "open311:B7", "open311:X"]
    first, second, third = services
    assert first.kind is ServiceKind.REQUEST and first.tracking is Tracking.NUMBER
    assert first.keywords == ("lorem", "ipsum", "dolor") and first.group == "street"
    assert first.has_form and first.description == ""
    assert second.tracking is Tracking.DEFERRED and second.keywords == ("bulky", "furniture")
    assert not second.has_form
    assert third.tracking is Tracking.NONE and third.name == "X"
    assert server.last("GET", BASE + "services.json").query == "jurisdiction_id=city.gov"


SERVICES_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<services>
  <service>
    <service_code>001</service_code>
    <service_name>Cans left out 24x7</service_name>
    <description>Garbage or recycling cans that have been left out for more than 24 hours.
    </description>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>sanitation</group>
  </service>
  <service>
    <service_code>002</service_code>
    <metadata>false</metadata>
    <type>blackbox</type>
    <keywords/>
    <group/>
  </service>
</services>"""


def test_services_in_xml(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", BASE + "services.xml", SERVICES_XML, content_type="text/xml")
    services = adapter(server, http, "xml").services()
    assert [(s.id, s.name, s.has_form, s.tracking) for s in services] == [
        ("open311:001", "Cans left out 24x7", True, Tracking.NUMBER),
        ("open311:002", "002", False, Tracking.NONE)]
    assert services[0].group == "sanitation" and services[1].keywords == ()
    assert server.last("GET", BASE + "services.xml").headers["accept"] == "text/xml"


DEFINITION = {
    "service_code": "001",
    "attributes": [
        {"variable": True, "code": "RISKS", "datatype": "multivaluelist", "required": False,
         "datatype_description": None, "order": 3, "description": "Which risks?",
         "values": [{"key": 1, "name": "Cyclists"}, {"key": "b", "name": "Pedestrians"}]},
        {"variable": False, "code": "INFO", "datatype": "text", "required": False,
         "order": 0, "description": "Call 112 in an emergency."},
        {"variable": True, "code": "WHISPAWN", "datatype": "string", "required": True,
         "datatype_description": "Digits", "order": 1, "description": "Ticket number?"},
        {"variable": True, "code": 7, "datatype": "singlevaluelist", "required": "true",
         "order": "2", "description": "Where?", "values": [{"key": "s", "name": "Street"}]},
        {"variable": True, "code": "N", "datatype": "number", "order": 4, "description": ""},
        {"variable": True, "code": "W", "datatype": "datetime", "order": 5,
         "description": "When?"},
        {"variable": True, "code": "T", "datatype": "text", "order": 6, "description": "More"},
    ],
}


def test_service_definition_maps_datatypes(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", BASE + "services.json", [SERVICES_FMS["services"][0]
                                                       | {"service_code": "001"}])
    server.answer_json("GET", BASE + "services/001.json", DEFINITION)
    form = adapter(server, http).form("open311:001")
    assert form.service.id == "open311:001"
    assert [(f.code, f.type, f.required, f.order) for f in form.fields] == [
        ("WHISPAWN", FieldType.TEXT, True, 1),
        ("7", FieldType.CHOICE, True, 2),
        ("RISKS", FieldType.MULTI_CHOICE, False, 3),
        ("N", FieldType.NUMBER, False, 4),
        ("W", FieldType.DATETIME, False, 5),
        ("T", FieldType.LONG_TEXT, False, 6),
    ]
    assert form.fields[0].help == "Digits" and form.fields[0].label == "Ticket number?"
    assert [(c.key, c.label) for c in form.fields[2].choices] == [("1", "Cyclists"),
                                                                   ("b", "Pedestrians")]
    assert form.fields[3].label == "N"  # no description: the code rather than nothing


DEFINITION_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<service_definition>
  <service_code>DMV66</service_code>
  <attributes>
    <attribute>
      <variable>true</variable>
      <code>WHISHETN</code>
      <datatype>singlevaluelist</datatype>
      <required>true</required>
      <datatype_description></datatype_description>
      <order>1</order>
      <description>What is the ticket/tag/DL number?</description>
      <values>
        <value><key>123</key><name>Ford</name></value>
        <value><key>124</key><name>Chrysler</name></value>
      </values>
    </attribute>
  </attributes>
</service_definition>"""


def test_service_definition_in_xml(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", BASE + "services.xml",
                  b"<services><service><service_code>DMV66</service_code><service_name>DMV"
                  b"</service_name><metadata>true</metadata><type>realtime</type></service>"
                  b"</services>", content_type="text/xml")
    server.answer("GET", BASE + "services/DMV66.xml", DEFINITION_XML, content_type="text/xml")
    form = adapter(server, http, "xml").form("open311:DMV66")
    (field,) = form.fields
    assert (field.code, field.type, field.required) == ("WHISHETN", FieldType.CHOICE, True)
    assert [c.key for c in field.choices] == ["123", "124"]


def test_a_service_without_metadata_has_no_fields(server: AnswerServer,
                                                  http: HttpClient) -> None:
    server.answer_json("GET", BASE + "services.json", SERVICES_FMS)
    form = adapter(server, http).form("open311:B7")
    assert form.fields == () and form.service.name == "Bulky items"
    assert not any(r.path.startswith(BASE + "services/") for r in server.received)


def test_unknown_or_foreign_service_ids(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", BASE + "services.json", SERVICES_FMS)
    fails(CentralFailure.NOT_FOUND, lambda: adapter(server, http).form("open311:NOPE"))
    fails(CentralFailure.NOT_FOUND, lambda: adapter(server, http).form("wcs:encombrants"))


# -- submitting ----------------------------------------------------------------------------


def test_submit_posts_the_spec_form_fields(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("POST", BASE + "requests.json",
                       [{"service_request_id": 293944, "service_notice": "The City will "
                         "inspect", "account_id": None}])
    contact = Contact(first_name="John", last_name="Smith", email="smit333@sfgov.edu")
    result = adapter(server, http, jurisdiction="city.gov").submit(
        submission(contact=contact), "ST-01-20250102-0042")
    assert result.outcome is SubmissionOutcome.NUMBERED and result.number == "293944"
    assert result.notice == "The City will inspect"
    sent = server.last("POST", BASE + "requests.json")
    assert sent.headers["idempotency-key"] == "ST-01-20250102-0042"
    assert sent.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert sent.form == [
        ("api_key", "KEY-SECRET"), ("jurisdiction_id", "city.gov"), ("service_code", "001"),
        ("lat", "37.76524078"), ("long", "-122.4212043"), ("address_string", "1234 5th street"),
        ("email", "smit333@sfgov.edu"), ("device_id", "ST-01"), ("first_name", "John"),
        ("last_name", "Smith"),
        ("description", "A large sinkhole is destroying the street\n"
                        "Réf. borne : ST-01-20250102-0042"),
        ("attribute[WHISPAWN]", "123456"), ("attribute[RISKS][]", "a"),
        ("attribute[RISKS][]", "b"),
    ]
    assert sent.query == ""  # the api_key never travels in the URL


def test_contact_and_location_fields_only_when_given(server: AnswerServer,
                                                     http: HttpClient) -> None:
    server.answer_json("POST", BASE + "requests.json", [{"token": 12345}])
    result = adapter(server, http).submit(
        submission(place=Place(address="Parvis de la mairie"), description="", answers={}),
        "k")
    assert result.outcome is SubmissionOutcome.PENDING and result.token == "12345"
    names = [name for name, _ in server.last("POST", BASE + "requests.json").form]
    assert names == ["api_key", "service_code", "address_string", "device_id", "description"]
    assert dict(server.last("POST", BASE + "requests.json").form)["description"] == (
        "Réf. borne : ST-01-20250102-0042")


def test_long_description_keeps_the_reference_within_4000(server: AnswerServer,
                                                          http: HttpClient) -> None:
    server.answer_json("POST", BASE + "requests.json", [{"service_request_id": "1"}])
    adapter(server, http).submit(submission(description="é" * 5000), "k")
    description = dict(server.last("POST", BASE + "requests.json").form)["description"]
    assert len(description) == MAX_DESCRIPTION
    assert description.endswith("\nRéf. borne : ST-01-20250102-0042")


@pytest.mark.parametrize("answer", [
    [{"service_notice": "No number for this one", "account_id": None}],
    {"service_requests": [{"service_request_id": None, "token": "",
                           "service_notice": "No number for this one"}]},
])
def test_blackbox_answer_is_unnumbered(server: AnswerServer, http: HttpClient,
                                       answer: object) -> None:
    server.answer_json("POST", BASE + "requests.json", answer)
    result = adapter(server, http).submit(submission(), "k")
    assert result.outcome is SubmissionOutcome.UNNUMBERED
    assert result.number is None and result.notice == "No number for this one"


def test_submit_in_xml(server: AnswerServer, http: HttpClient) -> None:
    server.answer("POST", BASE + "requests.xml",
                  b"<?xml version='1.0' encoding='utf-8'?><service_requests><request>"
                  b"<service_request_id>293944</service_request_id><service_notice>"
                  b"Inspection</service_notice><account_id/></request></service_requests>",
                  201, content_type="text/xml")
    result = adapter(server, http, "xml").submit(submission(), "k")
    assert (result.outcome, result.number, result.notice) == (
        SubmissionOutcome.NUMBERED, "293944", "Inspection")


@pytest.mark.parametrize(("status", "failure"), [
    (403, CentralFailure.UNAUTHORISED), (400, CentralFailure.REJECTED),
    (404, CentralFailure.NOT_FOUND), (200, CentralFailure.UNAUTHORISED),
])
def test_error_arrays(server: AnswerServer, http: HttpClient, status: int,
                      failure: CentralFailure) -> None:
    code = 403 if status == 200 else status
    server.answer_json("POST", BASE + "requests.json", [
        {"code": code, "description": "Invalid api_key received -- can't proceed with "
                                      "create_request. john@example.org"}], status)
    error = fails(failure, lambda: adapter(server, http).submit(submission(), "k"))
    assert f"Open311 error {code}" in str(error)
    assert "john@" not in str(error) and "KEY-SECRET" not in str(error)


def test_xml_error_array(server: AnswerServer, http: HttpClient) -> None:
    server.answer("POST", BASE + "requests.xml",
                  b"<errors><error><code>403</code><description>Invalid api_key</description>"
                  b"</error></errors>", 403, content_type="text/xml")
    error = fails(CentralFailure.UNAUTHORISED,
                  lambda: adapter(server, http, "xml").submit(submission(), "k"))
    assert "Open311 error 403" in str(error)


# -- tokens and tracking -------------------------------------------------------------------


def test_number_for_a_token(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", BASE + "tokens/12345.json", [])
    assert adapter(server, http).number_for("12345") is None
    server.answer_json("GET", BASE + "tokens/12345.json",
                       [{"service_request_id": 638344, "token": 12345}])
    assert adapter(server, http).number_for("12345") == "638344"
    server.answer_json("GET", BASE + "tokens/12345.json", [{"code": 404, "description": "x"}],
                       404)
    fails(CentralFailure.NOT_FOUND, lambda: adapter(server, http).number_for("12345"))


REQUEST_FMS = {"service_requests": [{
    "service_request_id": 638344, "status": "open", "status_notes": None,
    "service_name": "Sidewalk and Curb Issues", "service_code": 6,
    "agency_responsible": {"recipient": ["Road Department"]},
    "requested_datetime": "2010-04-14T06:37:38-08:00",
    "updated_datetime": "2010-04-16T06:37:38-08:00", "lat": 37.76, "long": -122.46,
    "title": "Pothole", "detail": "extra non-spec field", "comment_count": 2,
}]}
UPDATES = {"service_requests_updates": None, "service_request_updates": [
    {"update_id": "u2", "service_request_id": "638344", "status": "INVESTIGATING",
     "updated_datetime": "2010-04-15T10:00:00Z", "description": "Inspector sent"},
    {"update_id": "u9", "service_request_id": "999", "status": "fixed",
     "updated_datetime": "2010-04-15T11:00:00Z", "description": "other request"},
    {"update_id": "u3", "service_request_id": 638344, "status": "fixed - council",
     "updated_datetime": "2010-04-16T06:37:38-08:00", "description": "Filled"},
]}


def test_report_with_updates(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", BASE + "requests/638344.json", REQUEST_FMS)
    server.answer_json("GET", BASE + "servicerequestupdates.json", UPDATES)
    report = adapter(server, http).report(" 638344 ")
    assert report is not None
    assert report.number == "638344" and report.service_name == "Sidewalk and Curb Issues"
    assert [(s.status, s.note) for s in report.history] == [
        (RequestStatus.RECEIVED, ""), (RequestStatus.IN_PROGRESS, "Inspector sent"),
        (RequestStatus.DONE, "Filled")]
    assert report.status is RequestStatus.DONE
    assert report.submitted_at == datetime(2010, 4, 14, 14, 37, 38, tzinfo=UTC)
    # The feed is asked by date window, the only filter mySociety's extension defines, in the
    # station's zone (Europe/Paris, summer: +02:00): first the two seconds around the
    # submission. This server ignores the window (its answer holds other days): that answer
    # is its whole feed, and nothing more is asked.
    asked = [r for r in server.received if r.path == BASE + "servicerequestupdates.json"]
    assert [parse_qs(r.query) for r in asked] == [
        {"start_date": ["2010-04-14T16:37:37+02:00"], "end_date": ["2010-04-14T16:37:39+02:00"]}]


def test_report_closed_without_updates_extension(server: AnswerServer,
                                                 http: HttpClient) -> None:
    closed = {"service_request_id": "638344", "status": "closed",
              "status_notes": "Duplicate request.", "service_code": "6",
              "requested_datetime": "2010-04-14T06:37:38-08:00",
              "updated_datetime": "2010-04-15T06:37:38-08:00"}
    server.answer_json("GET", BASE + "requests/638344.json", closed)  # Swagger's lone object
    server.answer_json("GET", BASE + "servicerequestupdates.json", [], 404)
    report = adapter(server, http).report("638344")
    assert report is not None and report.status is RequestStatus.CLOSED
    assert report.service_name == "6"
    assert [(s.status, s.note) for s in report.history] == [
        (RequestStatus.RECEIVED, ""), (RequestStatus.CLOSED, "Duplicate request.")]


def test_a_closed_request_wins_over_a_stale_update(server: AnswerServer,
                                                   http: HttpClient) -> None:
    request = dict(REQUEST_FMS["service_requests"][0], status="closed")
    server.answer_json("GET", BASE + "requests/638344.json", [request])
    server.answer_json("GET", BASE + "servicerequestupdates.json",
                       [UPDATES["service_request_updates"][0]])
    report = adapter(server, http).report("638344")
    assert report is not None and report.status is RequestStatus.CLOSED


REQUEST_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>open</status>
    <status_notes/>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <agency_responsible><recipient>Road Department</recipient></agency_responsible>
    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
    <lat>37.762221815</lat>
  </request>
</service_requests>"""
UPDATES_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<service_request_updates>
  <request_update>
    <update_id>1</update_id><service_request_id>638344</service_request_id>
    <status>in_progress</status><updated_datetime>2010-04-15T10:00:00Z</updated_datetime>
    <description>Scheduled</description><media_url/>
  </request_update>
</service_request_updates>"""


def test_report_in_xml(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", BASE + "requests/638344.xml", REQUEST_XML, content_type="text/xml")
    server.answer("GET", BASE + "servicerequestupdates.xml", UPDATES_XML,
                  content_type="text/xml")
    report = adapter(server, http, "xml").report("638344")
    assert report is not None and report.status is RequestStatus.IN_PROGRESS
    assert [s.note for s in report.history] == ["", "Scheduled"]


@pytest.mark.parametrize(("status", "body"), [(404, [{"code": 404, "description": "x"}]),
                                              (200, []), (200, {"service_requests": []})])
def test_unknown_number_is_none(server: AnswerServer, http: HttpClient, status: int,
                                body: object) -> None:
    server.answer_json("GET", BASE + "requests/000001.json", body, status)
    assert adapter(server, http).report("000001") is None
    assert adapter(server, http).report("   ") is None


def test_a_number_is_quoted_into_the_path(server: AnswerServer, http: HttpClient) -> None:
    assert adapter(server, http).report("../services") is None  # 404 from the server
    assert server.received[-1].path == BASE + "requests/..%2Fservices.json"


def test_status_words() -> None:
    assert status_for("Action Scheduled") is RequestStatus.IN_PROGRESS
    assert status_for("NOT_COUNCILS_RESPONSIBILITY") is RequestStatus.REJECTED
    assert status_for("fixed - user") is RequestStatus.DONE
    assert status_for("duplicate") is RequestStatus.CLOSED
    assert status_for("open") is RequestStatus.RECEIVED
    assert status_for("something new") is RequestStatus.IN_PROGRESS


# -- hostile answers -----------------------------------------------------------------------

WRONG_TYPES = [
    {"services": "not a list"},
    [{"service_code": True, "service_name": "x", "type": "realtime"}],
    [{"service_code": "1", "service_name": {"fr": "x"}, "type": "realtime"}],
    [{"service_code": "1", "service_name": "x", "metadata": "maybe"}],
    [["nested"]],
    "just a string",
    [{"service_code": "", "service_name": "x"}],
]


@pytest.mark.parametrize("body", WRONG_TYPES)
def test_wrong_types_are_malformed(server: AnswerServer, http: HttpClient,
                                   body: object) -> None:
    server.answer_json("GET", BASE + "services.json", body)
    fails(CentralFailure.MALFORMED, adapter(server, http).services)


@pytest.mark.parametrize("body", [
    [{"service_request_id": "638344", "status": "open",
      "requested_datetime": "last tuesday"}],
    [{"service_request_id": "638344", "status": ["open"]}],
    [{"service_request_id": "638344"}],
    [{"service_request_id": "1", "status": "open"}],  # another request than asked for
])
def test_wrong_request_answers_are_malformed(server: AnswerServer, http: HttpClient,
                                             body: object) -> None:
    server.answer_json("GET", BASE + "requests/638344.json", body)
    server.answer_json("GET", BASE + "servicerequestupdates.json", [])
    fails(CentralFailure.MALFORMED, lambda: adapter(server, http).report("638344"))


@pytest.mark.parametrize("body", [
    b"<services><service><service_code>1</service_code></services>",
    b"not xml at all",
    b"",
    b'[{"unexpected": "JSON where XML was announced"}]',
    b"<?xml version='1.0'?><service_requests><request><token>&</request>",
])
def test_invalid_xml_is_malformed(server: AnswerServer, http: HttpClient, body: bytes) -> None:
    server.answer("GET", BASE + "services.xml", body, content_type="text/xml")
    error = fails(CentralFailure.MALFORMED, adapter(server, http, "xml").services)
    assert "GET /open311/v2/services.xml" in str(error)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<services><service><service_code>&lol9;</service_code></service></services>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE services [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<services><service><service_code>&xxe;</service_code></service></services>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE services SYSTEM "http://127.0.0.1:9/evil.dtd">
<services/>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "external-dtd"])
def test_entity_tricks_are_refused(server: AnswerServer, http: HttpClient, body: bytes) -> None:
    server.answer("GET", BASE + "services.xml", body, content_type="text/xml")
    started = time.monotonic()
    error = fails(CentralFailure.MALFORMED, adapter(server, http, "xml").services)
    assert time.monotonic() - started < 1.0
    assert "XML refused" in str(error) and "root:" not in str(error)


def test_deep_nesting_is_malformed(server: AnswerServer, http: HttpClient) -> None:
    body = (b"<service_requests><request>" + b"<a>" * 5000 + b"x" + b"</a>" * 5000
            + b"</request></service_requests>")
    server.answer("GET", BASE + "requests/1.xml", body, content_type="text/xml")
    fails(CentralFailure.MALFORMED, lambda: adapter(server, http, "xml").report("1"))


def test_undecodable_json_is_malformed(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", BASE + "services.json", b"<html>502 Bad Gateway</html>")
    fails(CentralFailure.MALFORMED, adapter(server, http).services)
    server.answer("GET", BASE + "services.json", json.dumps(SERVICES_FMS)[:40])
    fails(CentralFailure.MALFORMED, adapter(server, http).services)


def test_wrong_format_argument() -> None:
    with pytest.raises(ValueError), HttpClient(1) as client:
        Open311Adapter(client, "http://127.0.0.1/", "k", fmt="yaml")  # type: ignore[arg-type]
