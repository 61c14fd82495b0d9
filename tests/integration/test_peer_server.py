"""The reference peer as a server, over real HTTP: Idempotency-Key on every POST, the injected
faults (each kind observable, deterministic with a seed), the records, the clock, concurrency,
HTTP/1.1 details, the fleet endpoints, what is logged, and a data file that outlives a restart."""

from __future__ import annotations

import base64
import http.client
import json
import logging
import socket
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from peer_support import advance, records, set_faults, signed, voirie_form

from kiosk.core.fleet import proof_message
from kiosk.peer.server import MAX_BODY, RunningPeer, start_peer


@pytest.fixture
def peer() -> Iterator[RunningPeer]:
    with start_peer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def post_request(client: httpx.Client, peer: RunningPeer, key: str | None = None,
                 **extra: str) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(peer.open311_url + "requests.json", data=voirie_form(peer, **extra),
                       headers=headers)


# -- idempotency -----------------------------------------------------------------------------


def test_same_key_twice_gives_the_same_answer_and_one_record(peer, client):
    key = "VSL-TOTEM-01-20261122-0001"
    first = post_request(client, peer, key)
    second = post_request(client, peer, key)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    (kept,) = records(client, peer)["requests"]
    assert kept["idempotency_key"] == key
    other = post_request(client, peer, "VSL-TOTEM-01-20261122-0002")
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert len(records(client, peer)["requests"]) == 2


def test_same_key_with_another_body_is_422(peer, client):
    key = "VSL-TOTEM-01-20261122-0003"
    assert post_request(client, peer, key).status_code == 201
    reused = post_request(client, peer, key, description="Autre chose")
    assert reused.status_code == 422
    assert reused.headers["content-type"].startswith("application/problem+json")
    assert reused.json()["status"] == 422
    assert len(records(client, peer)["requests"]) == 1


def test_a_refusal_is_not_stored_under_the_key(peer, client):
    key = "VSL-TOTEM-01-20261122-0004"
    bad = client.post(peer.open311_url + "requests.json",
                      data=voirie_form(peer, **{"attribute[EMPLACEMENT]": "ciel"}),
                      headers={"Idempotency-Key": key})
    assert bad.status_code == 400
    good = post_request(client, peer, key)
    assert good.status_code == 201
    assert len(records(client, peer)["requests"]) == 1


def test_a_stored_answer_is_not_given_without_the_credentials(peer, client):
    key = "VSL-TOTEM-01-20261122-0005"
    assert post_request(client, peer, key).status_code == 201
    stolen = client.post(peer.open311_url + "requests.json",
                         data=voirie_form(peer, api_key="guess"),
                         headers={"Idempotency-Key": key})
    assert stolen.status_code == 403


def test_publik_retry_with_a_fresh_signature_is_replayed(peer, client):
    key = "VSL-TOTEM-01-20261122-0006"
    body = {"data": {"flow": "report", "overall": "10"}, "context": {"channel": "web"}}
    url = peer.wcs_url + "formdefs/avis-borne/submit"
    first = client.post(signed(peer, url), json=body, headers={"Idempotency-Key": key})
    second = client.post(signed(peer, url), json=body, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    replayed_signature = client.post(first.request.url, json=body,
                                     headers={"Idempotency-Key": key})
    assert replayed_signature.status_code == 403
    (survey,) = records(client, peer)["surveys"]
    assert survey["idempotency_key"] == key


def test_bookings_and_cancellations_honour_keys(peer, client):
    slots = client.get(signed(peer, peer.chrono_url + "agenda/encombrants/meetings/collecte/"
                                                      "datetimes/?hide_disabled=true")).json()
    url = slots["data"][0]["api"]["fillslot_url"]
    book_key, cancel_key = str(uuid.uuid4()), str(uuid.uuid4())
    body = {"label": "Borne", "station_ref": "VSL-TOTEM-01-20261122-0010"}
    first = client.post(signed(peer, url), json=body, headers={"Idempotency-Key": book_key})
    second = client.post(signed(peer, url), json=body, headers={"Idempotency-Key": book_key})
    assert first.json()["err"] == 0 and first.json() == second.json()
    cancel_url = first.json()["api"]["cancel_url"]
    c1 = client.post(signed(peer, cancel_url), json={}, headers={"Idempotency-Key": cancel_key})
    c2 = client.post(signed(peer, cancel_url), json={}, headers={"Idempotency-Key": cancel_key})
    assert c1.json() == c2.json() == {"err": 0, "booking_id": first.json()["booking_id"]}
    (booking,) = records(client, peer)["bookings"]
    assert booking["idempotency_key"] == book_key
    assert booking["cancel_idempotency_key"] == cancel_key


def test_invalid_keys_are_refused(peer, client):
    for key in ("x" * 256, "clé"):
        response = client.post(peer.open311_url + "requests.json", data=voirie_form(peer),
                               headers={"Idempotency-Key": key.encode("utf-8")})
        assert response.status_code == 400
    assert records(client, peer)["requests"] == []


def test_concurrent_posts_all_land(peer):
    errors: list[str] = []

    def send(worker: int) -> None:
        with httpx.Client(timeout=30) as http:
            for n in range(25):
                key = f"VSL-DESK-{worker:02d}-20261122-{n:04d}"
                response = post_request(http, peer, key)
                if response.status_code != 201:
                    errors.append(response.text)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with httpx.Client() as http:
        kept = records(http, peer)["requests"]
    assert len(kept) == 200
    assert len({r["service_request_id"] for r in kept}) == 200
    assert len({r["idempotency_key"] for r in kept}) == 200


def test_concurrent_posts_with_one_key_make_one_record(peer):
    answers: list[bytes] = []

    def send() -> None:
        with httpx.Client(timeout=30) as http:
            answers.append(post_request(http, peer, "VSL-TOTEM-01-20261122-0099").content)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(answers)) == 1
    with httpx.Client() as http:
        assert len(records(http, peer)["requests"]) == 1


# -- faults ----------------------------------------------------------------------------------


def test_latency(peer, client):
    set_faults(client, peer, latency_ms=300)
    started = time.perf_counter()
    assert client.get(peer.open311_url + "services.json").status_code == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    client.get(f"{peer.base_url}/_peer/faults")  # never faulted
    assert time.perf_counter() - started < 0.3


def test_server_errors_create_nothing(peer, client):
    set_faults(client, peer, error_rate=1.0)
    response = post_request(client, peer, "VSL-TOTEM-01-20261122-0011")
    assert response.status_code in (500, 502, 503)
    client.delete(f"{peer.base_url}/_peer/faults")
    assert records(client, peer)["requests"] == []
    assert post_request(client, peer, "VSL-TOTEM-01-20261122-0011").status_code == 201


def test_dropped_connection_after_the_record_then_a_retry_is_replayed(peer, client):
    set_faults(client, peer, drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        post_request(client, peer, "VSL-TOTEM-01-20261122-0012")
    client.delete(f"{peer.base_url}/_peer/faults")
    assert len(records(client, peer)["requests"]) == 1  # it went in; the answer was lost
    retry = post_request(client, peer, "VSL-TOTEM-01-20261122-0012")
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(records(client, peer)["requests"]) == 1


def test_malformed_bodies_break_the_contract(peer, client):
    seen: set[str] = set()
    set_faults(client, peer, malformed_rate=1.0, seed=7)
    for _ in range(30):
        response = client.get(peer.open311_url + "services.json")
        assert response.status_code == 200
        try:
            data = json.loads(response.content)
        except ValueError:
            seen.add("not json")
            continue
        assert not (isinstance(data, list) and isinstance(data[0], dict)
                    and isinstance(data[0].get("service_code"), str))
        seen.add("wrong types")
    assert seen == {"not json", "wrong types"}
    for _ in range(10):
        body = client.get(peer.open311_url + "services.xml").content
        with pytest.raises(ET.ParseError):
            ET.fromstring(body)


def test_faults_only_on_the_prefix(peer, client):
    set_faults(client, peer, error_rate=1.0, path_prefix="/wcs/")
    assert client.get(peer.open311_url + "services.json").status_code == 200
    assert client.get(peer.wcs_url + "formdefs/").status_code >= 500


def test_a_seed_gives_the_same_faults(peer, client):
    def run() -> list[int]:
        set_faults(client, peer, error_rate=0.5, seed=42)
        return [client.get(peer.open311_url + "services.json").status_code for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert 200 in first and any(status >= 500 for status in first)


def test_fault_plans_are_validated_and_shown(peer, client):
    url = f"{peer.base_url}/_peer/faults"
    for bad in ({"error_rate": 2}, {"latency_ms": -1}, {"latency_ms": "slow"},
                {"unknown": 1}, {"path_prefix": "wcs"}, {"seed": "x"}, []):
        assert client.post(url, json=bad).status_code == 400, bad
    plan = set_faults(client, peer, latency_ms=5, drop_rate=0.25, path_prefix="/chrono/")
    assert client.get(url).json() == plan
    assert plan["drop_rate"] == 0.25
    cleared = client.delete(url).json()
    assert cleared["drop_rate"] == 0 and cleared["path_prefix"] is None


# -- clock, records, HTTP --------------------------------------------------------------------


def test_clock_moves_forward_only(peer, client):
    url = f"{peer.base_url}/_peer/clock"
    before = client.get(url).json()
    after = advance(client, peer, 3600)
    assert after["offset_s"] == before["offset_s"] + 3600
    assert client.post(url, json={"advance_s": -5}).status_code == 400
    assert client.post(url, json={"advance_s": "soon"}).status_code == 400


def test_records_have_every_kind(peer, client):
    kept = records(client, peer)
    assert set(kept) >= {"requests", "forms", "bookings", "surveys", "heartbeats"}
    assert all(value == [] for value in kept.values())


def test_keep_alive_head_chunked_and_limits(peer):
    host, port = "127.0.0.1", peer.port
    connection = http.client.HTTPConnection(host, port, timeout=5)
    for _ in range(3):  # one connection, several requests
        connection.request("GET", "/open311/v2/services.json")
        response = connection.getresponse()
        assert response.status == 200
        assert int(response.getheader("Content-Length")) == len(response.read())
    connection.request("HEAD", "/open311/v2/services.json")
    head = connection.getresponse()
    assert head.status == 200 and head.read() == b""
    assert int(head.getheader("Content-Length")) > 0
    body = urlencode(voirie_form(peer)).encode()
    half = len(body) // 2
    connection.request("POST", "/open311/v2/requests.json", body=iter([body[:half], body[half:]]),
                       headers={"Content-Type": "application/x-www-form-urlencoded"},
                       encode_chunked=True)
    chunked = connection.getresponse()
    assert chunked.status == 201, chunked.read()
    chunked.read()
    connection.close()
    # Too large a body is refused from its Content-Length, before it is read: only the head
    # is sent (sending the whole body races the server's early answer and close).
    with socket.create_connection((host, port), timeout=5) as big:
        big.sendall(b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: peer\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1))
        status_line = big.makefile("rb").readline()
    assert status_line.split()[1] == b"413", status_line


def test_serves_loopback_only(peer):
    assert peer.base_url.startswith("http://127.0.0.1:")
    with socket.create_connection(("127.0.0.1", peer.port), timeout=1) as sock:
        assert sock.getpeername()[0] == "127.0.0.1"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", peer.port), timeout=1):
        pass  # another loopback address: bound to 127.0.0.1 itself, not to every interface
    others = [a for a in socket.gethostbyname_ex(socket.gethostname())[2]
              if not a.startswith("127.")]
    for address in others:
        with pytest.raises(OSError), socket.create_connection((address, peer.port), timeout=1):
            pass


def test_logs_hold_no_secret_nor_body(peer, client, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk.peer")
    post_request(client, peer, "VSL-TOTEM-01-20261122-0013", email="camille@example.org")
    client.get(signed(peer, peer.wcs_url + "formdefs/avis-borne/schema"))
    client.post(f"{peer.base_url}/fleet/enrolment-tokens", json={"station_id": "VSL-1"},
                headers={"Authorization": f"Bearer {peer.credentials['fleet_token']}"})
    text = caplog.text
    assert "POST /open311/v2/requests.json 201" in text
    assert "GET /wcs/api/formdefs/avis-borne/schema 200" in text
    for secret in (*peer.credentials.values(), "signature", "nonce", "camille", "Trou profond",
                   "VSL-TOTEM-01-20261122-0013"):
        assert secret not in text
    assert "demo" not in repr(peer)


# -- fleet -----------------------------------------------------------------------------------


OTLP = {"resourceMetrics": [{
    "resource": {"attributes": [{"key": "host.id", "value": {"stringValue": "VSL-TOTEM-01"}},
                                {"key": "service.name", "value": {"stringValue": "kiosk"}}]},
    "scopeMetrics": [{"scope": {"name": "kiosk"}, "metrics": [{
        "name": "kiosk.up", "gauge": {"dataPoints": [{"asInt": "1",
                                                      "timeUnixNano": "1763780000000000000"}]},
    }]}],
}]}


def operator(peer) -> dict[str, str]:
    return {"Authorization": f"Bearer {peer.credentials['fleet_token']}"}


def enrolment(token: str, key: Ed25519PrivateKey | None = None) -> dict[str, str]:
    """An enrolment body: a station key, its proof over `token`, profile and site."""
    key = key or Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"public_key": base64.b64encode(public).decode(),
            "proof": base64.b64encode(key.sign(proof_message(token, public))).decode(),
            "profile": "totem", "site": "Place du Marché"}


def issue(client, peer, station_id: str = "VSL-TOTEM-01") -> str:
    answer = client.post(peer.fleet_url + "enrolment-tokens", json={"station_id": station_id},
                         headers=operator(peer))
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_fleet_enrol_and_metrics(peer, client):
    token = issue(client, peer)
    body = enrolment(token)
    key = {"Idempotency-Key": "enrol-1"}
    first = client.post(peer.fleet_url + "enrol", json=body,
                        headers={"Authorization": f"Bearer {token}", **key})
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["station_id"] == "VSL-TOTEM-01" and answer["fleet_id"].startswith("flt-")
    # A retry of the same enrolment gets the same answer; another one with the token, a 401.
    again = client.post(peer.fleet_url + "enrol", json=body,
                        headers={"Authorization": f"Bearer {token}", **key})
    assert again.json() == answer
    used = client.post(peer.fleet_url + "enrol", json=enrolment(token),
                       headers={"Authorization": f"Bearer {token}"})
    assert used.status_code == 401
    assert used.json()["error_description"] == "this enrolment token was already used"
    (enrolled,) = records(client, peer)["enrolments"]
    assert enrolled["public_key"] == body["public_key"]
    station = {"Authorization": f"Bearer {answer['token']}"}
    metrics = client.post(peer.fleet_url + "v1/metrics", json=OTLP,
                          headers={**station, "Idempotency-Key": str(uuid.uuid4())})
    assert metrics.status_code == 200 and metrics.json() == {}
    (beat,) = records(client, peer)["heartbeats"]
    assert beat["station_id"] == "VSL-TOTEM-01"
    assert beat["body"] == OTLP
    assert beat["idempotency_key"]


def test_fleet_refusals(peer, client):
    token = issue(client, peer)
    answer = client.post(peer.fleet_url + "enrol", json=enrolment(token),
                         headers={"Authorization": f"Bearer {token}"}).json()
    station = {"Authorization": f"Bearer {answer['token']}"}
    for headers in ({}, {"Authorization": "Bearer nope"}, operator(peer),
                    {"Authorization": f"Basic {answer['token']}"}):
        response = client.post(peer.fleet_url + "v1/metrics", json=OTLP, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.post(peer.fleet_url + "v1/metrics", json={"resourceMetrics": 1},
                       headers=station).status_code == 400
    assert client.post(peer.fleet_url + "v1/metrics", content=b"\x0a\x00",
                       headers={**station, "Content-Type": "application/x-protobuf"}
                       ).status_code == 415
    other = json.loads(json.dumps(OTLP).replace("VSL-TOTEM-01", "VSL-TOTEM-02"))
    assert client.post(peer.fleet_url + "v1/metrics", json=other,
                       headers=station).status_code == 403
    # Enrolment: an unknown token, a proof by another key, a missing field.
    fresh = issue(client, peer, "VSL-TOTEM-02")
    unknown = client.post(peer.fleet_url + "enrol", json=enrolment("nope"),
                          headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert unknown.json()["error_description"] == "unknown enrolment token"
    forged = enrolment(fresh)
    forged["public_key"] = enrolment(fresh)["public_key"]
    assert client.post(peer.fleet_url + "enrol", json=forged,
                       headers={"Authorization": f"Bearer {fresh}"}).status_code == 400
    assert client.post(peer.fleet_url + "enrol", json={"profile": "totem"},
                       headers={"Authorization": f"Bearer {fresh}"}).status_code == 400
    # Tokens are issued by the operator only, for a station id the kiosk accepts.
    assert client.post(peer.fleet_url + "enrolment-tokens", json={"station_id": "X"},
                       headers=station).status_code == 401
    assert client.post(peer.fleet_url + "enrolment-tokens", json={"station_id": "a b"},
                       headers=operator(peer)).status_code == 400
    assert records(client, peer)["heartbeats"] == []
    # The failed enrolments spent nothing: the fresh token still enrols.
    assert client.post(peer.fleet_url + "enrol", json=enrolment(fresh),
                       headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


# -- start, restart, credentials -------------------------------------------------------------


def test_a_data_file_outlives_a_restart(tmp_path: Path):
    data = tmp_path / "peer.sqlite3"
    with start_peer(data=data) as first, httpx.Client() as http:
        (answer,) = post_request(http, first, "VSL-TOTEM-01-20261122-0014").json()
        advance(http, first, 600)
    with start_peer(data=data) as second, httpx.Client() as http:
        kept = records(http, second)["requests"]
        assert [r["service_request_id"] for r in kept] == [answer["service_request_id"]]
        assert http.get(f"{second.base_url}/_peer/clock").json()["offset_s"] == 600
        seeded = http.get(second.open311_url + "requests.json",
                          params={"service_request_id": "204518"}).json()
        assert len(seeded) == 1  # seeded once, not twice
        replay = post_request(http, second, "VSL-TOTEM-01-20261122-0014")
        assert replay.headers["idempotent-replayed"] == "true"
    assert data.exists()


def test_a_temporary_data_file_is_removed_on_stop():
    running = start_peer()
    path = running.data_path
    assert path.exists()
    running.stop()
    running.stop()  # twice is harmless
    assert not path.exists()


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KIOSK_PEER_OPEN311_API_KEY", "env-key")
    monkeypatch.setenv("KIOSK_PEER_FLEET_TOKEN", "env-token")
    with start_peer() as running, httpx.Client() as http:
        assert running.credentials["open311_api_key"] == "env-key"
        assert running.credentials["publik_orig"] == "borne-demo"
        form = voirie_form(running)
        assert http.post(running.open311_url + "requests.json", data=form).status_code == 201
        form["api_key"] = "demo-open311-key"
        assert http.post(running.open311_url + "requests.json", data=form).status_code == 403


def test_the_same_json_serialised_anew_is_the_same_request(peer, client):
    key = "VSL-TOTEM-01-20261122-0015"
    url = peer.wcs_url + "formdefs/avis-borne/submit"
    one = b'{"data": {"flow": "report", "overall": "5"}, "context": {"channel": "web"}}'
    other = b'{"context":{"channel":"web"},"data":{"overall":"5","flow":"report"}}'
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    first = client.post(signed(peer, url), content=one, headers=headers)
    second = client.post(signed(peer, url), content=other, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert len(records(client, peer)["surveys"]) == 1
