"""The adapters' HTTP wrapper against a tiny real HTTP server (stdlib, loopback) that answers
handwritten, sometimes hostile, answers: status mapping, size and time limits, dropped and
refused connections, TLS verification, and messages that never carry a query or a body.

The server is `tests/support/answer_server.py`, shared with the other adapter tests."""

from __future__ import annotations

import gzip
import inspect
import shutil
import socket
import ssl
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from answer_server import AnswerServer, Behaviour, Received, fails

from kiosk.adapters.http import MAX_BODY_BYTES, HttpClient, failure_for_status, system_trust
from kiosk.core.central import CentralFailure


@pytest.fixture
def server() -> Iterator[AnswerServer]:
    answers = AnswerServer().start()
    yield answers
    answers.stop()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(2.0) as client:
        yield client


# -- ordinary answers and status mapping --------------------------------------------------


def test_json_answer_is_read(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", "/x.json", {"a": [1, 2]})
    answer = http.get(server.url + "x.json")
    assert answer.status == 200 and answer.json() == {"a": [1, 2]}
    sent = server.last("GET", "/x.json")
    assert sent.headers["accept-encoding"] == "identity"


@pytest.mark.parametrize(("status", "failure"), [
    (500, CentralFailure.SERVER_ERROR), (502, CentralFailure.SERVER_ERROR),
    (503, CentralFailure.SERVER_ERROR), (401, CentralFailure.UNAUTHORISED),
    (403, CentralFailure.UNAUTHORISED), (404, CentralFailure.NOT_FOUND),
    (409, CentralFailure.CONFLICT), (400, CentralFailure.REJECTED),
    (422, CentralFailure.REJECTED), (429, CentralFailure.SERVER_ERROR),
    (408, CentralFailure.TIMEOUT),
])
def test_status_mapping_over_http(server: AnswerServer, http: HttpClient, status: int,
                                  failure: CentralFailure) -> None:
    server.answer("GET", "/s", b'[{"code":1,"description":"secret body text"}]', status)
    error = fails(failure, lambda: http.get(server.url + "s?api_key=SECRETKEY"))
    assert f"HTTP {status}" in str(error)
    assert "SECRETKEY" not in str(error) and "secret body" not in str(error)
    assert "GET /s" in str(error)


def test_failure_for_status_table() -> None:
    assert failure_for_status(418) is CentralFailure.REJECTED
    assert failure_for_status(599) is CentralFailure.SERVER_ERROR
    assert failure_for_status(302) is CentralFailure.MALFORMED
    assert failure_for_status(101) is CentralFailure.MALFORMED


def test_redirect_is_not_followed(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", "/moved", b"", 302, headers={"Location": server.url + "elsewhere"})
    server.answer_json("GET", "/elsewhere", {})
    fails(CentralFailure.MALFORMED, lambda: http.get(server.url + "moved"))
    assert [r.path for r in server.received] == ["/moved"]


def test_accepted_status_is_returned(server: AnswerServer, http: HttpClient) -> None:
    server.answer("GET", "/gone", b"[]", 404)
    assert http.get(server.url + "gone", accept=(404,)).status == 404


def test_describe_adds_a_safe_detail(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("GET", "/d", {"err": 1, "err_class": "access denied"}, 403)
    error = fails(CentralFailure.UNAUTHORISED,
                  lambda: http.get(server.url + "d", describe=lambda a: "class X"))
    assert str(error).endswith("(class X)")


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00garbage", b'{"a": "\xe9"}',
                                  b"[" * 100_000])
def test_undecodable_json_is_malformed(server: AnswerServer, http: HttpClient,
                                       body: bytes) -> None:
    server.answer("GET", "/bad", body)
    answer = http.get(server.url + "bad")
    error = fails(CentralFailure.MALFORMED, answer.json)
    assert "not valid JSON" in str(error)


def test_posts_carry_the_idempotency_key(server: AnswerServer, http: HttpClient) -> None:
    server.answer_json("POST", "/form", [{"ok": 1}])
    server.answer_json("POST", "/json", {"ok": 1})
    http.post_form(server.url + "form", [("a", "é"), ("attribute[X][]", "1")],
                   idempotency_key="ST1-20250101-0001")
    http.post_json(server.url + "json", {"v": "é"}, idempotency_key="k-2")
    form = server.last("POST", "/form")
    assert form.headers["idempotency-key"] == "ST1-20250101-0001"
    assert form.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert form.form == [("a", "é"), ("attribute[X][]", "1")]
    sent = server.last("POST", "/json")
    assert sent.headers["idempotency-key"] == "k-2" and sent.json() == {"v": "é"}


# -- size limits ------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def _stream_50mb(declare_length: bool) -> Behaviour:
    def behaviour(handler: BaseHTTPRequestHandler, _r: Received) -> None:
        server: AnswerServer = handler.server_owner  # type: ignore[attr-defined]
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declare_length:
            handler.send_header("Content-Length", str(FIFTY_MB))
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"[" + b"1," * 32767 + b"1"
        try:
            while server.sent_bytes < FIFTY_MB:
                handler.wfile.write(chunk)
                server.sent_bytes += len(chunk)
        except OSError:
            pass  # the client hung up: that is the point
    return behaviour


@pytest.mark.parametrize("declare_length", [True, False])
def test_fifty_megabytes_are_cut_off_early(server: AnswerServer, http: HttpClient,
                                           declare_length: bool) -> None:
    behaviour = _stream_50mb(declare_length)

    def with_owner(handler: BaseHTTPRequestHandler, received: Received) -> None:
        handler.server_owner = server  # type: ignore[attr-defined]
        behaviour(handler, received)

    server.on("GET", "/huge", with_owner)
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = fails(CentralFailure.MALFORMED, lambda: http.get(server.url + "huge"))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than" in str(error)
    assert elapsed < 1.5, elapsed
    # The client held at most the limit plus a chunk or two, never the 50 MB.
    assert peak < 4 * MAX_BODY_BYTES, peak
    time.sleep(0.2)  # let the server notice the hang-up
    assert server.sent_bytes < FIFTY_MB / 4, server.sent_bytes


def test_compressed_answer_is_refused(server: AnswerServer, http: HttpClient) -> None:
    bomb = gzip.compress(b"0" * (20 * 1024 * 1024))  # 20 kB that would expand to 20 MB
    server.answer("GET", "/gz", bomb, headers={"Content-Encoding": "gzip"})
    error = fails(CentralFailure.MALFORMED, lambda: http.get(server.url + "gz"))
    assert "compressed" in str(error)


# -- time limits and connections ---------------------------------------------------------


def test_server_that_never_answers_times_out(server: AnswerServer) -> None:
    server.on("GET", "/silent", lambda h, _r: server.stopping.wait(30))
    with HttpClient(0.5) as client:
        started = time.monotonic()
        error = fails(CentralFailure.TIMEOUT, lambda: client.get(server.url + "silent?k=SECRET"))
        elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 1.5, elapsed
    assert "SECRET" not in str(error)


def test_trickling_server_times_out_on_the_whole_body(server: AnswerServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler, _r: Received) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                if server.stopping.wait(0.1):
                    return
        except OSError:
            pass

    server.on("GET", "/trickle", trickle)
    with HttpClient(0.5) as client:
        started = time.monotonic()
        fails(CentralFailure.TIMEOUT, lambda: client.get(server.url + "trickle"))
        assert time.monotonic() - started < 1.5


def test_connection_refused_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HttpClient(2.0) as client:
        started = time.monotonic()
        error = fails(CentralFailure.UNREACHABLE,
                      lambda: client.get(f"http://127.0.0.1:{port}/x?api_key=SECRET"))
    assert time.monotonic() - started < 1.5
    assert "SECRET" not in str(error) and "GET /x" in str(error)


def test_dropped_connection_is_unreachable(server: AnswerServer, http: HttpClient) -> None:
    def drop(handler: BaseHTTPRequestHandler, _r: Received) -> None:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.on("POST", "/drop", drop)
    error = fails(CentralFailure.UNREACHABLE,
                  lambda: http.post_form(server.url + "drop", [("email", "a@b.fr")],
                                         idempotency_key="k"))
    assert "a@b.fr" not in str(error)


def test_garbage_instead_of_http_is_unreachable(server: AnswerServer, http: HttpClient) -> None:
    def garbage(handler: BaseHTTPRequestHandler, _r: Received) -> None:
        handler.wfile.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        handler.close_connection = True

    server.on("GET", "/garbage", garbage)
    fails(CentralFailure.UNREACHABLE, lambda: http.get(server.url + "garbage"))


# -- TLS ----------------------------------------------------------------------------------


def test_tls_verification_cannot_be_switched_off() -> None:
    parameters = inspect.signature(HttpClient).parameters
    assert set(parameters) == {"timeout_s", "max_body_bytes"}


def openssl(*args: str | Path) -> None:
    """Run the openssl command line (installed by provisioning/setup-dev.sh)."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make throwaway certificates: "
                    "bash provisioning/setup-dev.sh --test installs it")
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def self_signed(tmp_path: Path, name: str, host: str) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for `host` (an IP address), and its key."""
    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={name}", "-addext", f"subjectAltName=IP:{host}",
            "-keyout", key, "-out", cert)
    return key, cert


def city_authority(tmp_path: Path) -> Path:
    """A throwaway certificate authority, alone in an OpenSSL hashed directory (the layout of
    /etc/ssl/certs that update-ca-certificates keeps)."""
    store = tmp_path / "certs"
    store.mkdir()
    key, cert = tmp_path / "ca.key", store / "city-ca.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=City test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign", "-keyout", key, "-out", cert)
    openssl("rehash", store)
    return store


def signed_by_city(tmp_path: Path, store: Path, host: str) -> tuple[Path, Path]:
    """A server certificate for `host` (an IP address) signed by the authority in `store`."""
    key, request, cert = (tmp_path / f"{host}.{ext}" for ext in ("key", "csr", "pem"))
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={host}",
            "-keyout", key, "-out", request)
    extensions = tmp_path / f"{host}.ext"
    extensions.write_text(f"subjectAltName=IP:{host}\n", encoding="ascii")
    openssl("x509", "-req", "-in", request, "-CA", store / "city-ca.pem",
            "-CAkey", tmp_path / "ca.key", "-CAcreateserial", "-days", "1",
            "-extfile", extensions, "-out", cert)
    return key, cert


@contextmanager
def tls_server(key: Path, cert: Path) -> Iterator[AnswerServer]:
    """An answer server on https://127.0.0.1 with this certificate, answering GET /tls."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    answers = AnswerServer().start(tls=context)
    answers.answer_json("GET", "/tls", {"ok": True})
    try:
        yield answers
    finally:
        answers.stop()


def https_url(answers: AnswerServer) -> str:
    return answers.url.replace("http://", "https://") + "tls"


def assert_refused(answers: AnswerServer) -> None:
    """The client refuses the server's certificate: the call fails before anything is sent."""
    with HttpClient(2.0) as client:
        error = fails(CentralFailure.UNREACHABLE, lambda: client.get(https_url(answers)))
    assert "ConnectError" in str(error)
    assert not any(r.path == "/tls" for r in answers.received)


def test_self_signed_certificate_is_refused(tmp_path: Path) -> None:
    with tls_server(*self_signed(tmp_path, "intruder", "127.0.0.1")) as answers:
        assert_refused(answers)


def test_a_city_authority_in_the_system_store_is_trusted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = city_authority(tmp_path)
    with tls_server(*signed_by_city(tmp_path, store, "127.0.0.1")) as answers:
        assert_refused(answers)  # the system's store: the city's authority is not in it
        monkeypatch.setenv("SSL_CERT_DIR", str(store))  # OpenSSL's way to name the store
        with HttpClient(2.0) as client:
            assert client.get(https_url(answers)).json() == {"ok": True}
        assert [r.path for r in answers.received] == ["/tls"]


def test_a_trusted_certificate_for_another_host_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = city_authority(tmp_path)
    monkeypatch.setenv("SSL_CERT_DIR", str(store))
    with tls_server(*signed_by_city(tmp_path, store, "127.0.0.2")) as answers:
        assert_refused(answers)


def test_the_system_store_is_read_as_a_directory() -> None:
    """The bundle file is not loaded at start (about 1.5 MiB): certificates are read from the
    hashed directory when a verification needs one."""
    assert ssl.get_default_verify_paths().capath is not None
    context = system_trust()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0


def test_timeout_comes_from_the_settings(tmp_path: Path) -> None:
    from conftest import make_settings

    settings = make_settings(tmp_path, KIOSK__CENTRAL__TIMEOUT_S="3.5")
    with HttpClient.from_settings(settings.central) as client:
        assert client.timeout_s == 3.5
    with pytest.raises(ValueError):
        HttpClient(0)


def test_the_http_client_leaves_httpx_command_line_client_unloaded():
    """httpx imports its command-line client (rich, click, pygments) whenever they are
    installed, as they are beside the test tools: the kiosk never runs it and pays no memory
    for it."""
    import importlib.util

    # Installed beside the test tools (schemathesis), so this test can fail.
    assert importlib.util.find_spec("rich") is not None
    probe = ("import sys, kiosk.adapters.http; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'click'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
