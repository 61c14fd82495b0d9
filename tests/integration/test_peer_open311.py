"""The reference peer's Open311 GeoReport v2, over real HTTP: every resource in JSON (validated
against the open311/schema-validation JSON Schemas) and in XML, the three service types (the
batch token flow with the peer clock), the error arrays, the api_key check, and statuses that
move on with the peer clock."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from peer_support import advance, assert_valid, records, voirie_form

from kiosk.peer.server import RunningPeer, start_peer


@pytest.fixture
def peer() -> Iterator[RunningPeer]:
    with start_peer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def xml(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"].startswith("text/xml")
    return ET.fromstring(response.content)


# -- discovery and services ------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_its_formats(peer, client):
    data = client.get(peer.open311_url + "discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == peer.open311_url.rstrip("/")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(peer.open311_url + "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_list_the_three_types_in_json_and_xml(peer, client):
    response = client.get(peer.open311_url + "services.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    services = response.json()
    assert_valid("services", services)
    types = {s["service_code"]: s["type"] for s in services}
    assert types["VOI-001"] == "realtime"
    assert types["ENC-001"] == "batch"
    assert types["ECL-001"] == "blackbox"
    assert {s["group"] for s in services} >= {"Voirie", "Propreté", "Éclairage public"}
    root = xml(client.get(peer.open311_url + "services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == [s["service_code"] for s in services]
    assert root.find("service/metadata").text in ("true", "false")


def test_service_definition_has_every_datatype(peer, client):
    definition = client.get(peer.open311_url + "services/VOI-001.json").json()
    assert_valid("service-definition", definition)
    datatypes = {a["datatype"] for a in definition["attributes"]}
    assert datatypes == {"string", "number", "datetime", "text", "singlevaluelist",
                         "multivaluelist"}
    orders = [a["order"] for a in definition["attributes"]]
    assert orders == sorted(orders)
    assert any(a["required"] for a in definition["attributes"])
    assert any(not a["variable"] for a in definition["attributes"])
    listed = next(a for a in definition["attributes"] if a["code"] == "EMPLACEMENT")
    assert {"key": "chaussee", "name": "Sur la chaussée"} in listed["values"]
    root = xml(client.get(peer.open311_url + "services/VOI-001.xml"))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert values and values[0].findtext("key")


def test_every_service_definition_validates(peer, client):
    for service in client.get(peer.open311_url + "services.json").json():
        response = client.get(peer.open311_url + f"services/{service['service_code']}.json")
        assert response.status_code == 200
        assert_valid("service-definition", response.json())


def test_unknown_service_and_format_are_404_error_arrays(peer, client):
    response = client.get(peer.open311_url + "services/NOPE.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code provided was not found"}]
    root = xml(client.get(peer.open311_url + "services/NOPE.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert client.get(peer.open311_url + "services.yaml").status_code == 404


def test_another_jurisdiction_is_404(peer, client):
    response = client.get(peer.open311_url + "services.json",
                          params={"jurisdiction_id": "ailleurs.fr"})
    assert response.status_code == 404
    ours = client.get(peer.open311_url + "services.json",
                      params={"jurisdiction_id": "villeneuve-sur-loire.fr"})
    assert ours.status_code == 200


# -- creating requests -----------------------------------------------------------------------


def test_realtime_post_gives_a_six_digit_number_then_the_request(peer, client):
    response = client.post(peer.open311_url + "requests.json", data=voirie_form(
        peer, **{"attribute[RISQUES][]": ["chute-velo", "flaque"],
                 "attribute[CONSTATE_LE]": "2026-11-20T08:15"}))
    assert response.status_code == 201
    (answer,) = response.json()
    number = answer["service_request_id"]
    assert isinstance(number, str) and len(number) == 6 and number.isdigit()
    assert "token" not in answer
    found = client.get(peer.open311_url + f"requests/{number}.json")
    assert found.status_code == 200
    assert_valid("requests", found.json())
    (request,) = found.json()
    assert request["status"] == "open"
    assert request["service_code"] == "VOI-001"
    assert request["description"].endswith("Réf. borne : VSL-TOTEM-01-20261122-0001")
    assert request["lat"] == pytest.approx(47.5871)
    kept = records(client, peer)["requests"][0]["fields"]
    assert kept["attribute"]["RISQUES"] == ["chute-velo", "flaque"]
    assert kept["device_id"] == "VSL-TOTEM-01"
    assert "api_key" not in kept


def test_post_in_xml(peer, client):
    root = xml(client.post(peer.open311_url + "requests.xml", data=voirie_form(peer)))
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert number and number.isdigit()
    one = xml(client.get(peer.open311_url + f"requests/{number}.xml"))
    assert one.findtext("request/status") == "open"
    assert one.find("request/media_url") is not None  # empty elements for empty fields


def test_batch_post_gives_a_token_and_the_number_comes_later(peer, client):
    form = {"api_key": peer.credentials["open311_api_key"], "service_code": "ENC-001",
            "address_string": "3 allée des Tilleuls, 41150 Villeneuve-sur-Loire",
            "attribute[OBJETS][]": ["meuble", "literie"], "attribute[NOMBRE]": "2"}
    response = client.post(peer.open311_url + "requests.json", data=form)
    assert response.status_code == 201
    (answer,) = response.json()
    assert "service_request_id" not in answer
    token = answer["token"]
    pending = client.get(peer.open311_url + f"tokens/{token}.json")
    assert pending.status_code == 200 and pending.json() == []
    assert xml(client.get(peer.open311_url + f"tokens/{token}.xml")).findall("request") == []
    advance(client, peer, 10)
    (given,) = client.get(peer.open311_url + f"tokens/{token}.json").json()
    assert given["token"] == token
    number = given["service_request_id"]
    assert len(number) == 6
    assert client.get(peer.open311_url + f"requests/{number}.json").status_code == 200
    root = xml(client.get(peer.open311_url + f"tokens/{token}.xml"))
    assert root.findtext("request/service_request_id") == number


def test_batch_number_is_hidden_until_given(peer, client):
    form = {"api_key": peer.credentials["open311_api_key"], "service_code": "ENC-001",
            "address_id": "ADR-4411", "attribute[OBJETS][]": "meuble",
            "attribute[NOMBRE]": "1"}
    client.post(peer.open311_url + "requests.json", data=form)
    number = records(client, peer)["requests"][0]["service_request_id"]
    assert client.get(peer.open311_url + f"requests/{number}.json").status_code == 404
    advance(client, peer, 10)
    assert client.get(peer.open311_url + f"requests/{number}.json").status_code == 200


def test_blackbox_post_gives_a_notice_and_no_number(peer, client):
    form = {"api_key": peer.credentials["open311_api_key"], "service_code": "ECL-001",
            "lat": "47.58", "long": "1.33", "attribute[PANNE]": "eteint"}
    response = client.post(peer.open311_url + "requests.json", data=form)
    assert response.status_code == 201
    (answer,) = response.json()
    assert set(answer) == {"service_notice"}
    assert answer["service_notice"]
    assert records(client, peer)["requests"][0]["service_request_id"] is None


def test_unknown_token_is_404(peer, client):
    response = client.get(peer.open311_url + "tokens/0000.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


@pytest.mark.parametrize(("change", "status", "words"), [
    ({"api_key": "wrong"}, 403, "Invalid api_key"),
    ({"api_key": None}, 403, "Invalid api_key"),
    ({"service_code": None}, 400, "service_code is required"),
    ({"service_code": "NOPE"}, 404, "not found"),
    ({"lat": None, "long": None}, 400, "location is required"),
    ({"long": None}, 400, "lat and long"),
    ({"lat": "north"}, 400, "lat must be a number"),
    ({"lat": "91"}, 400, "out of range"),
    ({"attribute[EMPLACEMENT]": None}, 400, "attribute[EMPLACEMENT] is required"),
    ({"attribute[EMPLACEMENT]": "ciel"}, 400, "not one of its keys"),
    ({"attribute[LARGEUR_CM]": "large"}, 400, "must be a number"),
    ({"attribute[RISQUES][]": "tsunami"}, 400, "not one of its keys"),
    ({"attribute[CONSTATE_LE]": "hier"}, 400, "date and time"),
    ({"attribute[INCONNU]": "x"}, 400, "not an attribute"),
    ({"description": "x" * 4001}, 400, "longer than 4000"),
    ({"email": "pas-une-adresse"}, 400, "e-mail"),
    ({"jurisdiction_id": "ailleurs.fr"}, 404, "jurisdiction_id"),
])
def test_bad_posts_get_the_spec_error_array(peer, client, change, status, words):
    form = voirie_form(peer)
    for key, value in change.items():
        if value is None:
            form.pop(key, None)
        else:
            form[key] = value
    response = client.post(peer.open311_url + "requests.json", data=form)
    assert response.status_code == status
    (error,) = response.json()
    assert error["code"] == status
    assert words in error["description"]
    assert records(client, peer)["requests"] == []


def test_api_key_refusal_uses_the_spec_wording(peer, client):
    response = client.post(peer.open311_url + "requests.json",
                           data=voirie_form(peer, api_key="nope"))
    assert response.json() == [{"code": 403, "description": "Invalid api_key received -- "
                                                           "can't proceed with create_request."}]


def test_api_key_refusal_in_xml(peer, client):
    response = client.post(peer.open311_url + "requests.xml",
                           data=voirie_form(peer, api_key="nope"))
    assert response.status_code == 403
    root = xml(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "403"
    assert root.findtext("error/description").startswith("Invalid api_key")


def test_every_request_answer_validates_as_time_goes_by(peer, client):
    client.post(peer.open311_url + "requests.json", data=voirie_form(peer))
    by_address = voirie_form(peer, address_string="Place du Marché",
                             media_url="https://example.org/photo.jpg")
    del by_address["lat"], by_address["long"]
    assert client.post(peer.open311_url + "requests.json", data=by_address).status_code == 201
    since = {"start_date": "2000-01-01T00:00:00Z"}
    for hours in (0, 5, 100, 24 * 30):
        advance(client, peer, hours * 3600)
        listed = client.get(peer.open311_url + "requests.json", params=since).json()
        assert len(listed) == 8
        assert_valid("requests", listed)
        for request in listed:
            one = client.get(peer.open311_url +
                             f"requests/{request['service_request_id']}.json").json()
            assert_valid("requests", one)
            assert one == [request]


def test_post_must_be_form_encoded(peer, client):
    response = client.post(peer.open311_url + "requests.json", json=voirie_form(peer))
    assert response.status_code == 403  # the api_key is not found in a JSON body
    response = client.post(peer.open311_url + "requests.json",
                           params={"api_key": peer.credentials["open311_api_key"]},
                           json=voirie_form(peer))
    assert response.status_code == 400


def test_wrong_method_is_405_with_allow(peer, client):
    response = client.delete(peer.open311_url + "services.json")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json()[0]["code"] == 405


# -- looking requests up ---------------------------------------------------------------------


def test_seeded_requests_are_listed_and_valid(peer, client):
    listed = client.get(peer.open311_url + "requests.json").json()
    assert_valid("requests", listed)
    numbers = {r["service_request_id"] for r in listed}
    assert {"204518", "204602", "204655", "204671", "204590", "204633"} <= numbers
    closed = next(r for r in listed if r["service_request_id"] == "204518")
    assert closed["status"] == "closed"
    assert closed["status_notes"]
    root = xml(client.get(peer.open311_url + "requests.xml"))
    assert len(root.findall("request")) == len(listed)


def test_requests_filters(peer, client):
    url = peer.open311_url + "requests.json"
    two = client.get(url, params={"service_request_id": "204518,204671,999999"}).json()
    assert sorted(r["service_request_id"] for r in two) == ["204518", "204671"]
    voirie = client.get(url, params={"service_code": "VOI-001"}).json()
    assert voirie and {r["service_code"] for r in voirie} == {"VOI-001"}
    closed = client.get(url, params={"status": "closed"}).json()
    assert closed and {r["status"] for r in closed} == {"closed"}
    both = client.get(url, params={"status": "open,closed"}).json()
    assert len(both) == len(client.get(url).json())
    now = datetime.fromisoformat(client.get(f"{peer.base_url}/_peer/clock").json()["now"])
    recent = client.get(url, params={
        "start_date": (now.replace(microsecond=0) - timedelta(hours=12))
        .isoformat()}).json()
    assert {r["service_request_id"] for r in recent} == {"204655", "204671"}
    for bad in ({"status": "pending"}, {"start_date": "yesterday"},
                {"end_date": "2026-11-01"}):
        response = client.get(url, params=bad)
        assert response.status_code == 400, bad
        assert response.json()[0]["code"] == 400


def test_unknown_request_is_404(peer, client):
    response = client.get(peer.open311_url + "requests/999999.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404,
                                "description": "service_request_id provided was not found"}]


def test_statuses_move_on_with_the_peer_clock(peer, client):
    (answer,) = client.post(peer.open311_url + "requests.json", data=voirie_form(peer)).json()
    number = answer["service_request_id"]

    def now_status() -> tuple[str, str]:
        (request,) = client.get(peer.open311_url + f"requests/{number}.json").json()
        return request["status"], request["status_notes"]

    def updates() -> list[str]:
        found = client.get(peer.open311_url + "servicerequestupdates.json",
                           params={"service_request_id": number}).json()
        return [u["status"] for u in found]

    assert now_status() == ("open", "Signalement enregistré.")
    assert updates() == ["open"]
    advance(client, peer, 5 * 3600)
    assert now_status()[0] == "open"
    assert "programmée" in now_status()[1]
    assert updates() == ["open", "in_progress"]
    advance(client, peer, 3 * 24 * 3600)
    assert now_status() == ("closed", "Le nid-de-poule a été rebouché.")
    advance(client, peer, 7 * 24 * 3600)
    assert updates() == ["open", "in_progress", "fixed", "closed"]
    (request,) = client.get(peer.open311_url + f"requests/{number}.json").json()
    assert_valid("request", request)
    assert request["updated_datetime"] > request["requested_datetime"]


def test_servicerequestupdates_json_and_xml(peer, client):
    url = peer.open311_url + "servicerequestupdates"
    everything = client.get(url + ".json").json()
    seeded = [u for u in everything if u["service_request_id"] == "204518"]
    assert [u["status"] for u in seeded] == ["open", "in_progress", "fixed", "closed"]
    assert len({u["update_id"] for u in everything}) == len(everything)
    duplicate = [u["status"] for u in everything if u["service_request_id"] == "204590"]
    assert duplicate == ["open", "duplicate"]
    for update in everything:
        assert set(update) == {"update_id", "service_request_id", "status", "updated_datetime",
                               "description", "media_url"}
        datetime.fromisoformat(update["updated_datetime"])
    start = seeded[2]["updated_datetime"]
    later = client.get(url + ".json", params={"start_date": start}).json()
    assert all(u["updated_datetime"] >= start for u in later) and len(later) < len(everything)
    root = xml(client.get(url + ".xml", params={"service_request_id": "204518"}))
    assert root.tag == "service_request_updates"
    assert [u.findtext("status") for u in root.findall("request_update")] == [
        "open", "in_progress", "fixed", "closed"]
