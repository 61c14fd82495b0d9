"""Hostile answers through the request adapters, over real HTTP (a tiny loopback server,
tests/support/answer_server.py, serves them): every one must end in a CentralError, never in
another exception, a hang or memory blown up.

What test_adapter_http.py and test_adapter_open311.py already cover is not repeated (50 MB
on a bare GET, entity tricks on GET services.xml, wrong types in the services list and in a
tracked request). This file covers the rest:
- wrong types in the answer to a submission (Open311 JSON and XML, w.c.s.), including the
  body the reference peer sends for its `wrong_types` fault;
- a 50 MB answer, with a declared length, chunked and until the connection closes, through
  each adapter call (GET and POST, JSON and XML);
- invalid XML and XML attacks (billion laughs, quadratic blow-up, external entity, external
  DTD, parameter entity, XInclude, an unknown encoding) in the Open311 XML format, in every
  answer the adapter parses: the services list, the answer to a submission, a tracked request,
  and the body of an error answer (read for its Open311 error codes);
- identifiers that look like digits to str.isdigit() but not to int().

Each call runs in a thread with a generous limit: a guard that fails the test instead of
hanging the suite, not a measurement.
"""

from __future__ import annotations

import json
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from answer_server import AnswerServer, Received

from kiosk.adapters.http import MAX_BODY_BYTES, HttpClient
from kiosk.adapters.open311 import Open311Adapter
from kiosk.adapters.publik_wcs import WcsAdapter
from kiosk.core.central import CentralError, CentralFailure, Place, RequestSubmission

OPEN311 = "/open311/v2/"
WCS = "/wcs/api/"
#: A hung call fails the test after this long (the client's own limit is 2 s per call).
HANG_GUARD_S = 30.0
FIFTY_MB = 50 * 1024 * 1024
#: An XML attack that got through would need far more (billion laughs: gigabytes).
XML_MEMORY_LIMIT = 32 * 1024 * 1024
MARKER = "MARKER-hostile-7731"


@pytest.fixture
def server() -> Iterator[AnswerServer]:
    answers = AnswerServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(2.0) as client:
        yield client


def open311(server: AnswerServer, http: HttpClient, fmt: str = "json") -> Open311Adapter:
    return Open311Adapter(http, server.url + OPEN311.lstrip("/"), "KEY-SECRET",
                          fmt=fmt)  # type: ignore[arg-type]


def wcs(server: AnswerServer, http: HttpClient) -> WcsAdapter:
    return WcsAdapter(http, server.url + WCS.lstrip("/"), "borne-test", "publik-SECRET")


def submission(service_id: str = "open311:001") -> RequestSubmission:
    return RequestSubmission(service_id, {"quoi": "Chantier"}, Place(48.85, 2.35),
                             "ST-01", "ST-01-20250102-0042", description="Trou profond")


@dataclass
class Outcome:
    """How a call ended, and the largest memory it held meanwhile."""

    error: BaseException | None
    returned: object
    peak_bytes: int


def run_guarded(call: Callable[[], object]) -> Outcome:
    """Run `call` in a thread, under tracemalloc, within HANG_GUARD_S."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["returned"] = call()
        except BaseException as err:  # anything at all: the test says what it should be
            box["error"] = err

    tracemalloc.start()
    try:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(HANG_GUARD_S)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not thread.is_alive(), "the call hung"
    return Outcome(box.get("error"), box.get("returned"), peak)


def central_error(call: Callable[[], object], failure: CentralFailure) -> Outcome:
    """Run `call`; it must raise CentralError(`failure`), and nothing else."""
    outcome = run_guarded(call)
    assert outcome.error is not None, f"no error; it returned {outcome.returned!r}"
    assert isinstance(outcome.error, CentralError), repr(outcome.error)
    assert outcome.error.failure is failure, str(outcome.error)
    return outcome


# -- wrong types in the answer to a submission ------------------------------------------------

#: JSON answers to POST requests.json that are not what GeoReport v2 says.
OPEN311_SUBMIT_WRONG = [
    # The peer's `wrong_types` fault on [{"service_request_id": "204676", "service_notice":
    # null}]: taken for a blackbox answer ("no number") before the adapter checked its fields.
    {"0": [6, None]},
    [{"unexpected": "field"}],
    {"service_requests": "204676"},
    [{"service_request_id": True}],
    [{"service_request_id": {"id": "204676"}}],
    [{"service_request_id": ["204676"]}],
    [{"service_request_id": 1.5}],
    [{"token": [1]}],
    [{"service_request_id": None, "service_notice": ["x"]}],
    [["204676"]],
    [None],
    [],
    "204676",
    42,
    True,
]


@pytest.mark.parametrize("body", OPEN311_SUBMIT_WRONG, ids=repr)
def test_open311_submission_answer_with_wrong_types(server: AnswerServer, http: HttpClient,
                                                   body: object) -> None:
    server.answer("POST", OPEN311 + "requests.json", json.dumps(body), 201)
    central_error(lambda: open311(server, http).submit(submission(), "k-1"),
                  CentralFailure.MALFORMED)


OPEN311_SUBMIT_WRONG_XML = [
    b"<service_requests><request><service_request_id><id>1</id></service_request_id>"
    b"</request></service_requests>",
    b"<service_requests><request><unexpected>1</unexpected></request></service_requests>",
    b"<service_requests><request><service_request_id>1</service_request_id>"
    b"<service_request_id>2</service_request_id></request></service_requests>",
    b"<service_requests/>",
    b"<services><service><service_code>1</service_code></service></services>",
]


@pytest.mark.parametrize("body", OPEN311_SUBMIT_WRONG_XML,
                         ids=["id-element", "no-field", "two-ids", "empty-list", "services"])
def test_open311_submission_answer_in_xml_with_wrong_shapes(server: AnswerServer,
                                                            http: HttpClient,
                                                            body: bytes) -> None:
    server.answer("POST", OPEN311 + "requests.xml", body, 201, content_type="text/xml")
    central_error(lambda: open311(server, http, "xml").submit(submission(), "k-1"),
                  CentralFailure.MALFORMED)


WCS_SUBMIT_WRONG = [
    # The peer's `wrong_types` fault on {"err": 0, "data": {...}}: objects become lists.
    ["0", ["12", "8", "41"]],
    {"err": 0, "data": "RPQDFVCD"},
    {"err": 0, "data": [{"tracking_code": "RPQDFVCD"}]},
    {"err": 0, "data": {"id": True}},
    {"err": 0, "data": {"id": 12, "tracking_code": ["RPQDFVCD"]}},
    {"err": 0, "tracking_code": {"code": "RPQDFVCD"}},
    {"err": 0},
    "RPQDFVCD",
    None,
]


@pytest.mark.parametrize("body", WCS_SUBMIT_WRONG, ids=repr)
def test_wcs_submission_answer_with_wrong_types(server: AnswerServer, http: HttpClient,
                                               body: object) -> None:
    server.answer("POST", WCS + "formdefs/bruit/submit", json.dumps(body))
    central_error(lambda: wcs(server, http).submit(submission("wcs:bruit"), "k-1"),
                  CentralFailure.MALFORMED)


def test_identifiers_that_only_look_like_digits(server: AnswerServer, http: HttpClient) -> None:
    # str.isdigit() is true for "²" and any 5000 digits; int() refuses both.
    adapter = open311(server, http)
    server.answer_json("GET", OPEN311 + "servicerequestupdates.json", [])
    for number in ("²", "1" * 5000):
        server.answer_json("GET", OPEN311 + "requests/2.json",
                           [{"service_request_id": number, "status": "open"}])
        central_error(lambda: adapter.report("2"), CentralFailure.MALFORMED)
    server.answer_json("POST", OPEN311 + "requests.json", [{"code": "²", "description": "no"}])
    central_error(lambda: adapter.submit(submission(), "k-1"), CentralFailure.REJECTED)


# -- 50 MB answers ----------------------------------------------------------------------------


def huge(framing: str, content_type: str, sent: list[int]) -> Callable[..., None]:
    """An answer of 50 MB, declared, chunked or until the connection closes."""
    filler = (b"<x>1</x>" if "xml" in content_type else b"1,") * 8192

    def behaviour(handler: BaseHTTPRequestHandler, _received: Received) -> None:
        if framing == "chunked":
            handler.protocol_version = "HTTP/1.1"
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        if framing == "declared":
            handler.send_header("Content-Length", str(FIFTY_MB))
        elif framing == "chunked":
            handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Connection", "close")
        handler.end_headers()
        count = 0

        def write(data: bytes) -> None:
            if framing == "chunked":
                data = b"%x\r\n%s\r\n" % (len(data), data)
            handler.wfile.write(data)

        try:
            write(b"<services>" if "xml" in content_type else b"[")
            while count < FIFTY_MB:
                write(filler)
                count += len(filler)
        except OSError:
            pass  # the client hung up: that is the point
        finally:
            sent.append(count)

    return behaviour


#: (method, path, content type, the adapter call)
CALLS: dict[str, tuple[str, str, str, Callable[[AnswerServer, HttpClient], object]]] = {
    "open311-services-json": ("GET", OPEN311 + "services.json", "application/json",
                              lambda s, h: open311(s, h).services()),
    "open311-services-xml": ("GET", OPEN311 + "services.xml", "text/xml",
                             lambda s, h: open311(s, h, "xml").services()),
    "open311-submit-json": ("POST", OPEN311 + "requests.json", "application/json",
                            lambda s, h: open311(s, h).submit(submission(), "k-1")),
    "open311-submit-xml": ("POST", OPEN311 + "requests.xml", "text/xml",
                           lambda s, h: open311(s, h, "xml").submit(submission(), "k-1")),
    "open311-report-xml": ("GET", OPEN311 + "requests/1.xml", "text/xml",
                           lambda s, h: open311(s, h, "xml").report("1")),
    "wcs-submit": ("POST", WCS + "formdefs/bruit/submit", "application/json",
                   lambda s, h: wcs(s, h).submit(submission("wcs:bruit"), "k-1")),
}


@pytest.mark.parametrize("framing", ["declared", "chunked", "close"])
@pytest.mark.parametrize("call", list(CALLS))
def test_fifty_megabytes_are_cut_off(server: AnswerServer, http: HttpClient, call: str,
                                     framing: str) -> None:
    method, path, content_type, make_call = CALLS[call]
    sent: list[int] = []
    server.on(method, path, huge(framing, content_type, sent))
    outcome = central_error(lambda: make_call(server, http), CentralFailure.MALFORMED)
    assert "larger than" in str(outcome.error)
    # Read up to the limit and dropped: never the 50 MB in memory.
    assert outcome.peak_bytes < 4 * MAX_BODY_BYTES, outcome.peak_bytes


# -- invalid XML and XML attacks (Open311 XML) --------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Where an identifier sits in an answer of one call."""

    root: str
    item: str
    id_field: str

    def document(self, value: str, prolog: str = "") -> bytes:
        return (f'<?xml version="1.0"?>\n{prolog}<{self.root}><{self.item}>'
                f"<{self.id_field}>{value}</{self.id_field}><status>open</status>"
                f"</{self.item}></{self.root}>").encode()


LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))


def hostile_bodies(shape: Shape, server_url: str, secret_file: Path) -> dict[str, bytes]:
    """Each attack, built for `shape`, pointing at this test's own server and file."""
    return {
        "billion-laughs": shape.document(
            "&lol9;", f'<!DOCTYPE {shape.root} [<!ENTITY lol0 "lol">{LAUGHS}]>'),
        "quadratic-blowup": shape.document(
            "&a;" * 20_000, f'<!DOCTYPE {shape.root} [<!ENTITY a "{"a" * 50_000}">]>'),
        "external-entity": shape.document(
            "&xxe;", f'<!DOCTYPE {shape.root} [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'),
        "external-dtd": shape.document(
            "1", f'<!DOCTYPE {shape.root} SYSTEM "{server_url}evil.dtd">'),
        "parameter-entity": shape.document(
            "1", f'<!DOCTYPE {shape.root} [<!ENTITY % p SYSTEM "{server_url}evil.dtd"> %p;]>'),
        "xinclude": shape.document(
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret_file}" '
            f'parse="text"/>'),
        "unknown-encoding": b'<?xml version="1.0" encoding="klingon"?><a/>',
        "invalid-utf8": shape.document("1").replace(b">1<", b">\xff\xfe<"),
        "truncated": shape.document("1")[:-9],
        "broken-entity": shape.document("&"),
        "not-xml": b"<html><body><h1>502 Bad Gateway</h1>",
        "json-instead": b'[{"service_request_id": "1"}]',
        "empty": b"",
    }


SUBMIT_SHAPE = Shape("service_requests", "request", "service_request_id")
#: (method, path, answer status, shape, the adapter call, the failure expected)
XML_CALLS: dict[str, tuple[str, str, int, Shape, Callable[[AnswerServer, HttpClient], object],
                           CentralFailure]] = {
    "services": ("GET", OPEN311 + "services.xml", 200, Shape("services", "service", "service_code"),
                 lambda s, h: open311(s, h, "xml").services(), CentralFailure.MALFORMED),
    "submit": ("POST", OPEN311 + "requests.xml", 201, SUBMIT_SHAPE,
               lambda s, h: open311(s, h, "xml").submit(submission(), "k-1"),
               CentralFailure.MALFORMED),
    "report": ("GET", OPEN311 + "requests/1.xml", 200, SUBMIT_SHAPE,
               lambda s, h: open311(s, h, "xml").report("1"), CentralFailure.MALFORMED),
    # An error answer's body is parsed for its Open311 error codes: the attack must not get
    # through there either, and the error stays the one the status says.
    "error-answer": ("POST", OPEN311 + "requests.xml", 400, SUBMIT_SHAPE,
                     lambda s, h: open311(s, h, "xml").submit(submission(), "k-1"),
                     CentralFailure.REJECTED),
}
ATTACKS = list(hostile_bodies(SUBMIT_SHAPE, "http://x/", Path("/x")))


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("call", list(XML_CALLS))
def test_xml_attacks_and_invalid_xml(server: AnswerServer, http: HttpClient, tmp_path: Path,
                                     call: str, attack: str) -> None:
    method, path, status, shape, make_call, failure = XML_CALLS[call]
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    server.answer("GET", "/evil.dtd", f'<!ENTITY leak "{MARKER}">',
                  content_type="application/xml-dtd")
    body = hostile_bodies(shape, server.url, secret)[attack]
    server.answer(method, path, body, status, content_type="text/xml")
    outcome = central_error(lambda: make_call(server, http), failure)
    assert MARKER not in str(outcome.error)
    assert outcome.peak_bytes < XML_MEMORY_LIMIT, outcome.peak_bytes
    # Nothing was fetched on the document's say-so.
    assert [r.path for r in server.received if r.path == "/evil.dtd"] == []
