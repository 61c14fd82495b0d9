"""Open311Adapter against handwritten answers over real HTTP, for what servers written by
others do: a byte-order mark before JSON or XML; JSON missing ("auto" falls back to XML once
and keeps it); datetime attributes that need the station's offset; looking a request up by
its station reference (filters ignored, services whose requests are not listed, no search at
all); an update feed cut at its limit, sorted or not; and what each failed call did
(`CallOutcome`) with the endpoint named as a template, never a number."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from answer_server import AnswerServer, Received, fails, send

from kiosk.adapters.http import HttpClient
from kiosk.adapters.open311 import PAGE_LIMIT, Open311Adapter
from kiosk.core.central import (
    CallOutcome,
    CentralError,
    CentralFailure,
    Place,
    RequestStatus,
    RequestSubmission,
    SubmissionOutcome,
)

BASE = "/open311/v2/"
BOM = b"\xef\xbb\xbf"
SERVICES = [{"service_code": "001", "service_name": "Pothole", "metadata": True,
             "type": "realtime"},
            {"service_code": "B7", "service_name": "Bulky items", "metadata": False,
             "type": "batch"}]
SERVICES_XML = (b"<?xml version='1.0' encoding='utf-8'?><services><service>"
                b"<service_code>001</service_code><service_name>Pothole</service_name>"
                b"<metadata>true</metadata><type>realtime</type></service></services>")
DEFINITION = {"service_code": "001", "attributes": [
    {"variable": True, "code": "SEEN", "datatype": "datetime", "required": False, "order": 1,
     "description": "Seen at"},
    {"variable": True, "code": "NOTE", "datatype": "string", "required": False, "order": 2,
     "description": "Note"}]}
REF = "ST-01-20261102-0007"


@pytest.fixture
def server() -> Iterator[AnswerServer]:
    answers = AnswerServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(2.0) as client:
        yield client


def adapter(server: AnswerServer, http: HttpClient, fmt: str = "json") -> Open311Adapter:
    return Open311Adapter(http, server.url + BASE.lstrip("/"), "KEY", fmt=fmt)


def submission(**overrides: object) -> RequestSubmission:
    values: dict[str, object] = {"service_id": "open311:001", "answers": {},
                                 "place": Place(47.59, 1.33), "station_id": "ST-01",
                                 "station_ref": REF, "description": "Trou"}
    values.update(overrides)
    return RequestSubmission(**values)  # type: ignore[arg-type]


def asked(server: AnswerServer, path: str) -> list[Received]:
    return [r for r in server.received if r.path == BASE + path]


# -- byte-order marks and formats ------------------------------------------------------------


def test_json_and_xml_with_a_byte_order_mark_are_read(server, http):
    server.answer("GET", BASE + "services.json", BOM + json.dumps(SERVICES).encode())
    server.answer("GET", BASE + "services.xml", BOM + SERVICES_XML, content_type="text/xml")
    assert [s.name for s in adapter(server, http).services()] == ["Pothole", "Bulky items"]
    assert [s.name for s in adapter(server, http, "xml").services()] == ["Pothole"]


@pytest.mark.parametrize("no_json", ["404", "xml body"])
def test_auto_falls_back_to_xml_once_and_keeps_it(server, http, caplog, no_json):
    if no_json == "404":
        server.answer("GET", BASE + "services.json", b"<html>Not Found</html>", 404,
                      content_type="text/html")
    else:  # a server that ignores the extension and answers XML anyway
        server.answer("GET", BASE + "services.json", SERVICES_XML, content_type="text/xml")
    server.answer("GET", BASE + "services.xml", SERVICES_XML, content_type="text/xml")
    open311 = adapter(server, http, "auto")
    assert open311.wire_format is None
    assert [s.name for s in open311.services()] == ["Pothole"]
    assert [s.name for s in open311.services()] == ["Pothole"]
    assert open311.wire_format == "xml"
    assert len(asked(server, "services.json")) == 1  # tried once
    assert "central.fallback central=open311 endpoint=services reason=xml-only" in caplog.text


def test_auto_keeps_json_when_the_server_speaks_it(server, http):
    server.answer_json("GET", BASE + "services.json", SERVICES)
    open311 = adapter(server, http, "auto")
    assert len(open311.services()) == 2 and open311.wire_format == "json"
    assert asked(server, "services.xml") == []


def test_auto_learns_nothing_from_a_silent_server(http):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    open311 = Open311Adapter(http, f"http://127.0.0.1:{port}/open311/v2/", "KEY", fmt="auto")
    error = fails(CentralFailure.UNREACHABLE, open311.services)
    assert error.outcome is CallOutcome.NOT_SENT
    assert open311.wire_format is None  # asked again next time


# -- datetimes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("seen", "sent"), [("2026-11-02T21:30", "2026-11-02T21:30:00+01:00"),
                                            ("2026-07-14T09:05", "2026-07-14T09:05:00+02:00")])
def test_datetime_attributes_carry_the_station_offset(server, http, seen, sent):
    server.answer_json("GET", BASE + "services.json", SERVICES)
    server.answer_json("GET", BASE + "services/001.json", DEFINITION)
    server.answer_json("POST", BASE + "requests.json", [{"service_request_id": "5"}])
    # A fresh adapter, as after a restart: the definition is read to know which is a date.
    adapter(server, http).submit(submission(answers={"SEEN": seen,
                                                     "NOTE": "2026-11-02T21:30"}), REF)
    form = dict(server.last("POST", BASE + "requests.json").form)
    assert form["attribute[SEEN]"] == sent
    assert form["attribute[NOTE]"] == "2026-11-02T21:30"  # text, sent as typed


def test_no_definition_is_read_without_a_datetime_shaped_answer(server, http):
    server.answer_json("POST", BASE + "requests.json", [{"service_request_id": "5"}])
    adapter(server, http).submit(submission(answers={"NOTE": "près du banc"}), REF)
    assert asked(server, "services.json") == [] and asked(server, "services/001.json") == []


def test_a_definition_that_cannot_be_read_means_nothing_was_sent(server, http):
    error = fails(CentralFailure.NOT_FOUND, lambda: adapter(server, http).submit(
        submission(answers={"SEEN": "2026-11-02T21:30"}), REF))
    assert error.outcome is CallOutcome.NOT_SENT
    assert asked(server, "requests.json") == []


# -- looking a request up by its station reference -----------------------------------------


def listed(*items: dict) -> list[dict]:
    return [{"service_code": "001", "status": "open", **item} for item in items]


def test_find_matches_the_station_reference_and_checks_the_filters(server, http):
    server.answer_json("GET", BASE + "services.json", SERVICES)
    server.answer_json("GET", BASE + "requests.json", listed(
        {"service_request_id": 1, "description": "Other\nRéf. borne : ST-01-20261102-0006"},
        {"service_request_id": 2, "service_code": "B7", "description": f"Réf. borne : {REF}"},
        {"service_request_id": 3, "description": f"Trou\nRéf. borne : {REF}"}))
    since = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)
    found = adapter(server, http).find(submission(), since)
    assert found is not None and found.outcome is SubmissionOutcome.NUMBERED
    assert found.number == "3"  # not 2: another service, from a server ignoring the filter
    query = parse_qs(server.last("GET", BASE + "requests.json").query)
    assert query["service_code"] == ["001"]
    assert query["start_date"] == ["2026-11-02T18:00:00+01:00"]  # with a 3 h margin
    assert datetime.fromisoformat(query["end_date"][0]) > datetime.now(UTC)


def test_find_says_none_when_the_server_has_no_such_request(server, http):
    server.answer_json("GET", BASE + "services.json", SERVICES)
    server.answer_json("GET", BASE + "requests.json", listed(
        {"service_request_id": 1, "description": "Réf. borne : ST-01-20261102-0006"}))
    assert adapter(server, http).find(submission(), datetime.now(UTC)) is None


@pytest.mark.parametrize("case", ["batch service", "no search", "list cut"])
def test_find_cannot_tell(server, http, case):
    server.answer_json("GET", BASE + "services.json", SERVICES)
    wanted = submission()
    if case == "batch service":  # its requests show only once numbered
        server.answer_json("GET", BASE + "requests.json", [])
        wanted = submission(service_id="open311:B7")
    elif case == "no search":
        server.answer_json("GET", BASE + "requests.json",
                           [{"code": 400, "description": "start_date not supported"}], 400)
    else:
        server.answer_json("GET", BASE + "requests.json", listed(
            *({"service_request_id": n, "description": "x"} for n in range(PAGE_LIMIT))))
    error = fails(CentralFailure.UNCERTAIN,
                  lambda: adapter(server, http).find(wanted, datetime.now(UTC)))
    assert error.central == "open311" and error.endpoint == "requests"


# -- the update feed, cut at its limit -------------------------------------------------------

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
REQUEST = [{"service_request_id": "42", "status": "open", "service_code": "001",
            "requested_datetime": T0.isoformat(),
            "updated_datetime": (T0 + timedelta(hours=50)).isoformat()}]


def busy_feed(sorted_oldest_first: bool):
    """A feed with 3000 updates of others between T0 and T0 + 50 h, and request 42's own
    three, answering at most PAGE_LIMIT of those inside the asked window."""
    updates = [{"service_request_id": str(1000 + n), "status": "open",
                "updated_datetime": (T0 + timedelta(seconds=60 * n)).isoformat()}
               for n in range(3000)]
    for hours, status in ((0, "open"), (4, "in_progress"), (50, "fixed")):
        updates.append({"service_request_id": "42", "status": status,
                        "updated_datetime": (T0 + timedelta(hours=hours)).isoformat()})
    updates.sort(key=lambda u: u["updated_datetime"], reverse=not sorted_oldest_first)

    def answer(handler, received: Received) -> None:
        query = parse_qs(received.query)
        low = datetime.fromisoformat(query["start_date"][0])
        high = datetime.fromisoformat(query["end_date"][0])
        page = [u for u in updates
                if low <= datetime.fromisoformat(u["updated_datetime"]) <= high][:PAGE_LIMIT]
        send(handler, 200, json.dumps(page).encode())

    return answer


@pytest.mark.parametrize("oldest_first", [True, False], ids=["sorted", "unsorted"])
def test_a_cut_feed_is_read_in_windows_until_nothing_is_cut(server, http, oldest_first):
    server.answer_json("GET", BASE + "requests/42.json", REQUEST)
    server.on("GET", BASE + "servicerequestupdates.json", busy_feed(oldest_first))
    report = adapter(server, http).report("42")
    assert report is not None and report.status is RequestStatus.DONE
    assert [s.status for s in report.history] == [
        RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.DONE]
    pages = len(asked(server, "servicerequestupdates.json"))
    # The first two seconds, then: sorted, 3003 updates in pages of 1000 going on from where
    # each stopped (4); unsorted, windows halved until none is cut (7).
    assert pages == (5 if oldest_first else 8)


# -- what a failed call did, and how the log names it ---------------------------------------


def test_what_a_failed_submission_did(server, http):
    open311 = adapter(server, http)
    server.answer_json("POST", BASE + "requests.json", [{"code": 400, "description": "x"}], 400)
    assert fails(CentralFailure.REJECTED, lambda: open311.submit(submission(), REF)
                 ).outcome is CallOutcome.ANSWERED
    server.answer_json("POST", BASE + "requests.json", {"error": "db"}, 500)
    error = fails(CentralFailure.SERVER_ERROR, lambda: open311.submit(submission(), REF))
    assert error.outcome is CallOutcome.UNKNOWN and error.reason == "http-500"
    server.answer("POST", BASE + "requests.json", b"<html>Bad Gateway</html>")
    error = fails(CentralFailure.MALFORMED, lambda: open311.submit(submission(), REF))
    assert error.outcome is CallOutcome.UNKNOWN and error.reason == "not-json"

    def drop(handler, _received: Received) -> None:
        handler.close_connection = True
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.on("POST", BASE + "requests.json", drop)
    error = fails(CentralFailure.UNREACHABLE, lambda: open311.submit(submission(), REF))
    assert error.outcome is CallOutcome.UNKNOWN and error.reason == "connection-dropped"


def test_the_log_names_the_endpoint_template_never_the_number(server, http):
    server.answer("GET", BASE + "requests/638344.json", b"{not json")
    error = fails(CentralFailure.MALFORMED, lambda: adapter(server, http).report("638344"))
    fields = {k: str(v) for k, v in error.log_fields().items()}
    assert fields == {"failure": "malformed", "outcome": "unknown", "central": "open311",
                      "endpoint": "requests/{id}", "reason": "not-json"}
    assert isinstance(error, CentralError)
