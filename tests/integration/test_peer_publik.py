"""The reference peer's Publik side over real HTTP: signed URLs (tampered, expired, replayed,
unknown caller → 403) on every route, as the real w.c.s. and Chrono check them; w.c.s.
formdefs, schema, submit with tracking code, lookup by code, formdata with a status that moves
on with the peer clock, survey answers; Chrono agendas, slots, fillslot (no field required
that Chrono does not require, a slot taken), booking, cancellation and ICS."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import httpx
import pytest
from peer_support import advance, records, signed

from kiosk.peer.server import RunningPeer, start_peer


@pytest.fixture
def peer() -> Iterator[RunningPeer]:
    with start_peer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


CIVIL = {
    "type_acte": "Acte de naissance", "format_acte": "Extrait avec filiation",
    "nom": "Martin", "prenoms": "Camille", "date_evenement": "1990-05-14",
    "mode_reception": "Par courrier", "courriel": "camille@example.org",
    "telephone": "+33 6 12 34 56 78",
}


def submit(client: httpx.Client, peer: RunningPeer, slug: str, data: dict,
           **extra) -> httpx.Response:
    body = {"data": data, "meta": {}, "context": {
        "channel": "web", "comments": "Borne VSL-TOTEM-01, réf. VSL-TOTEM-01-20261122-0007"}}
    body.update(extra)
    return client.post(signed(peer, peer.wcs_url + f"formdefs/{slug}/submit"), json=body)


# -- signatures ------------------------------------------------------------------------------


def test_a_correct_signature_is_accepted(peer, client):
    response = client.get(signed(peer, peer.wcs_url + "formdefs/avis-borne/schema"))
    assert response.status_code == 200


@pytest.mark.parametrize("how", ["unsigned", "tampered", "wrong key", "unknown orig",
                                 "expired", "future", "replayed", "bad algo"])
def test_a_bad_signature_is_refused_with_403(peer, client, how):
    url = peer.wcs_url + "formdefs/avis-borne/schema"
    if how == "unsigned":
        target = url + "?orig=borne-demo"
    elif how == "tampered":
        target = signed(peer, url + "?q=a").replace("q=a", "q=b")
    elif how == "wrong key":
        target = signed(peer, url, key="not-the-key")
    elif how == "unknown orig":
        target = signed(peer, url, orig="intrus")
    elif how == "expired":
        target = signed(peer, url, now=datetime.now(UTC) - timedelta(seconds=61))
    elif how == "future":
        target = signed(peer, url, now=datetime.now(UTC) + timedelta(seconds=61))
    elif how == "replayed":
        target = signed(peer, url)
        assert client.get(target).status_code == 200
    else:
        target = signed(peer, url).replace("algo=sha256", "algo=md5")
    response = client.get(target)
    assert response.status_code == 403
    body = response.json()
    assert body["err"] == 1
    assert body["err_class"] == "Access denied"
    assert body["err_desc"].startswith("invalid signature")
    assert peer.credentials["publik_key"] not in response.text


#: A concrete path for every route of the peer's Publik side (method, route pattern): w.c.s.
#: and Chrono protect each of them with a signature.
PUBLIK_PROBES = {
    ("GET", r"/wcs/api/formdefs/?"): "wcs/api/formdefs/",
    ("GET", r"/wcs/api/formdefs/(?P<slug>[^/]+)/schema/?"): "wcs/api/formdefs/avis-borne/schema",
    ("POST", r"/wcs/api/formdefs/(?P<slug>[^/]+)/submit/?"):
        "wcs/api/formdefs/avis-borne/submit",
    ("GET", r"/wcs/api/code/(?P<code>[^/]+)/?"): "wcs/api/code/BCDFGHJK",
    ("GET", r"/wcs/api/forms/(?P<slug>[^/]+)/(?P<id>[^/]+)/?"): "wcs/api/forms/avis-borne/1/",
    ("GET", r"/chrono/api/agenda/?"): "chrono/api/agenda/",
    ("GET", r"/chrono/api/agenda/(?P<agenda>[^/]+)/meetings/?"):
        "chrono/api/agenda/passeport-cni/meetings/",
    ("GET", r"/chrono/api/agenda/(?P<agenda>[^/]+)/meetings/(?P<type>[^/]+)/datetimes/?"):
        "chrono/api/agenda/encombrants/meetings/collecte/datetimes/",
    ("POST", r"/chrono/api/agenda/(?P<agenda>[^/]+)/fillslot/(?P<slot>[^/]+)/?"):
        "chrono/api/agenda/encombrants/fillslot/collecte:2030-01-01-0800/",
    ("GET", r"/chrono/api/booking/(?P<id>[^/]+)/?"): "chrono/api/booking/1/",
    ("POST", r"/chrono/api/booking/(?P<id>[^/]+)/cancel/?"): "chrono/api/booking/1/cancel/",
    ("GET", r"/chrono/api/booking/(?P<id>[^/]+)/ics/?"): "chrono/api/booking/1/ics/",
}


def test_the_probes_cover_every_publik_route(peer):
    served = {(method, pattern) for method, pattern in peer.routes
              if pattern.startswith(("/wcs/", "/chrono/"))}
    assert served == set(PUBLIK_PROBES)


def _call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, json={})


@pytest.mark.parametrize("how", ["unsigned", "wrong key", "expired", "replayed nonce"])
def test_every_publik_route_refuses_a_bad_signature_with_403(peer, client, how):
    for (method, _), path in PUBLIK_PROBES.items():
        url = f"{peer.base_url}/{path}"
        if how == "unsigned":
            target = url + "?orig=" + peer.credentials["publik_orig"]
        elif how == "wrong key":
            target = signed(peer, url, key="not-the-key")
        elif how == "expired":  # w.c.s. takes ±30 s
            target = signed(peer, url, now=datetime.now(UTC) - timedelta(seconds=40))
        else:
            nonce = uuid.uuid4().hex
            first = _call(client, method, signed(peer, url, nonce=nonce))
            assert first.status_code != 403, (path, first.text)
            target = signed(peer, url, nonce=nonce)  # a fresh signature, the same nonce
        response = _call(client, method, target)
        assert response.status_code == 403, (how, path, response.status_code)
        assert response.json()["err_class"] == "Access denied", path


# -- w.c.s. ----------------------------------------------------------------------------------


def test_formdefs_are_enveloped(peer, client):
    body = client.get(signed(peer, peer.wcs_url + "formdefs/")).json()
    assert body["err"] == 0
    slugs = [f["slug"] for f in body["data"]]
    assert slugs == ["demande-acte-etat-civil", "signalement-bruit", "avis-borne"]
    first = body["data"][0]
    assert first["url"] == f"{peer.base_url}/wcs/demande-acte-etat-civil/"
    assert {"title", "description", "keywords", "category"} <= set(first)


def test_schema_has_the_field_types_and_statuses(peer, client):
    schema = client.get(signed(peer, peer.wcs_url + "formdefs/signalement-bruit/schema")).json()
    assert schema["name"] == "Signalement de nuisances sonores"
    assert schema["enable_tracking_codes"] is True
    types = {f["type"] for f in schema["fields"]}
    assert types == {"items", "string", "date", "item", "text", "email", "phone"}
    items = next(f for f in schema["fields"] if f["type"] == "items")
    assert "Chantier" in items["items"] and items["required"] is True
    assert [s["id"] for s in schema["workflow"]["statuses"]] == ["new", "accepted", "finished"]
    assert schema["workflow"]["statuses"][-1]["endpoint"] is True
    missing = client.get(signed(peer, peer.wcs_url + "formdefs/nope/schema"))
    assert missing.status_code == 404 and missing.json()["err"] == 1


def test_submit_gives_urls_and_an_eight_letter_tracking_code(peer, client):
    response = submit(client, peer, "demande-acte-etat-civil", CIVIL)
    assert response.status_code == 200
    body = response.json()
    assert body["err"] == 0
    assert re.fullmatch(r"[A-Z]{8}", body["tracking_code"])
    number = body["data"]["id"]
    assert body["data"]["url"] == f"{peer.base_url}/wcs/demande-acte-etat-civil/{number}/"
    assert body["data"]["api_url"] == (
        f"{peer.base_url}/wcs/api/forms/demande-acte-etat-civil/{number}/")
    assert "backoffice_url" in body["data"]
    (kept,) = records(client, peer)["forms"]
    assert kept["data"]["nom"] == "Martin"
    assert kept["context"]["comments"].startswith("Borne VSL-TOTEM-01")
    assert kept["tracking_code"] == body["tracking_code"]


def test_code_lookup_and_formdata_status_with_the_clock(peer, client):
    body = submit(client, peer, "demande-acte-etat-civil", CIVIL).json()
    code = client.get(signed(peer, peer.wcs_url + f"code/{body['tracking_code']}")).json()
    assert code["err"] == 0
    assert code["url"] == body["data"]["url"]
    assert code["load_url"].startswith(code["url"])
    lower = client.get(signed(peer, peer.wcs_url + f"code/{body['tracking_code'].lower()}"))
    assert lower.json()["url"] == code["url"]
    unknown = client.get(signed(peer, peer.wcs_url + "code/BBBBBBBB"))
    assert unknown.status_code == 404 and unknown.json()["err"] == 1

    def formdata() -> dict:
        return client.get(signed(peer, body["data"]["api_url"])).json()

    first = formdata()
    assert first["workflow"]["status"]["id"] == "new"
    assert first["fields"]["type_acte"] == "Acte de naissance"
    assert first["tracking_code"] == body["tracking_code"]
    assert first["submission"] == {"backoffice": False, "channel": "web"}
    datetime.strptime(first["receipt_time"], "%Y-%m-%dT%H:%M:%S")
    advance(client, peer, 3 * 3600)
    assert formdata()["workflow"]["status"]["name"] == "En cours de traitement"
    advance(client, peer, 48 * 3600)
    final = formdata()
    assert final["workflow"]["status"]["id"] == "finished"
    assert final["workflow"]["status"]["endpoint"] is True
    assert [e["status"] for e in final["evolution"]] == ["new", "accepted", "finished"]


@pytest.mark.parametrize(("data", "words"), [
    ({**CIVIL, "nom": ""}, "nom: required"),
    ({**CIVIL, "type_acte": "Acte de baptême"}, "type_acte: not one of the choices"),
    ({**CIVIL, "date_evenement": "14/05/1990"}, "date_evenement: a date"),
    ({**CIVIL, "courriel": "camille"}, "courriel: not an e-mail"),
    ({**CIVIL, "telephone": "appelez-moi"}, "telephone: not a phone"),
])
def test_submit_checks_the_fields(peer, client, data, words):
    response = submit(client, peer, "demande-acte-etat-civil", data)
    assert response.status_code == 400
    assert response.json()["err_class"] == "Invalid request"
    assert words in response.json()["err_desc"]
    assert "Martin" not in response.text  # values are never echoed
    assert records(client, peer)["forms"] == []


def test_submit_refuses_a_bad_envelope(peer, client):
    url = signed(peer, peer.wcs_url + "formdefs/avis-borne/submit")
    assert client.post(url, content=b"{not json",
                       headers={"content-type": "application/json"}).status_code == 400
    url = signed(peer, peer.wcs_url + "formdefs/avis-borne/submit")
    assert client.post(url, data={"data": "x"}).status_code == 400
    assert submit(client, peer, "avis-borne", {"flow": "x"},
                  context={"channel": "kiosk"}).status_code == 400
    url = signed(peer, peer.wcs_url + "formdefs/avis-borne/submit")
    assert client.post(url, json={"data": []}).status_code == 400
    assert submit(client, peer, "nope", {}).status_code == 404


def test_items_field_takes_a_list(peer, client):
    data = {"type_bruit": ["Chantier", "Véhicules"], "adresse": "2 rue des Tanneurs",
            "date_debut": "2026-11-01", "plage_horaire": "Nuit (22 h – 6 h)",
            "description": "Marteau-piqueur la nuit."}
    assert submit(client, peer, "signalement-bruit", data).status_code == 200
    bad = submit(client, peer, "signalement-bruit", {**data, "type_bruit": "Chantier"})
    assert bad.status_code == 400


def test_survey_answers_go_to_avis_borne_and_are_kept_as_surveys(peer, client):
    response = submit(client, peer, "avis-borne",
                      {"flow": "report", "overall": 10, "clarity": "4", "help_received": "no"})
    assert response.status_code == 200
    body = response.json()
    assert "tracking_code" not in body  # the survey formdef has no tracking codes
    kept = records(client, peer)
    assert kept["forms"] == []
    (survey,) = kept["surveys"]
    assert survey["data"]["overall"] == 10
    assert survey["formdef"] == "avis-borne"
    assert submit(client, peer, "avis-borne", {"flow": "x", "overall": 7}).status_code == 400
    assert submit(client, peer, "avis-borne", {"overall": 5}).status_code == 400


def test_unknown_formdata_is_404(peer, client):
    for path in ("forms/avis-borne/99/", "forms/avis-borne/abc/", "forms/nope/1/"):
        response = client.get(signed(peer, peer.wcs_url + path))
        assert response.status_code == 404, path


# -- Chrono ----------------------------------------------------------------------------------


def chrono(client: httpx.Client, peer: RunningPeer, path: str, **params) -> dict:
    url = peer.chrono_url + path
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(signed(peer, url))
    assert response.status_code == 200, response.text
    return response.json()


def free_slot(client: httpx.Client, peer: RunningPeer, agenda: str, meeting: str) -> dict:
    slots = chrono(client, peer, f"agenda/{agenda}/meetings/{meeting}/datetimes/")["data"]
    return next(s for s in slots if not s["disabled"])


def fill(client: httpx.Client, peer: RunningPeer, url: str, **body) -> httpx.Response:
    payload = {"label": "Borne", "user_first_name": "Camille", "user_last_name": "Martin",
               "user_email": "camille@example.org", "user_phone_number": "0612345678",
               "station_ref": "VSL-TOTEM-01-20261122-0009", **body}
    return client.post(signed(peer, url), json=payload)


def test_agendas_and_meeting_types(peer, client):
    agendas = chrono(client, peer, "agenda/")["data"]
    assert [a["slug"] for a in agendas] == ["passeport-cni", "encombrants", "etat-civil"]
    assert {a["kind"] for a in agendas} == {"meetings"}
    passport = agendas[0]
    assert passport["extra_fields"][0]["varname"] == "ants_number"
    meetings = chrono(client, peer, "agenda/passeport-cni/meetings/")["data"]
    assert meetings[0]["duration"] == 20
    assert meetings[0]["api"]["datetimes_url"].startswith(peer.chrono_url)
    assert len(chrono(client, peer, "agenda/etat-civil/meetings/")["data"]) == 2


def test_slots_cover_four_weeks_with_some_taken(peer, client):
    body = chrono(client, peer, "agenda/passeport-cni/meetings/depot-demande/datetimes/")
    slots = body["data"]
    assert slots
    starts = [datetime.strptime(s["datetime"], "%Y-%m-%d %H:%M:%S") for s in slots]
    assert starts == sorted(starts)
    now = datetime.fromisoformat(client.get(f"{peer.base_url}/_peer/clock").json()["now"])
    today = now.date()
    assert min(starts).date() >= today + timedelta(days=1)  # minimal_booking_delay
    assert max(starts).date() < today + timedelta(days=28)
    assert all((b - a) >= timedelta(minutes=20) for a, b in pairwise(starts))
    assert any(s["disabled"] for s in slots) and not all(s["disabled"] for s in slots)
    assert all(s["id"].startswith("depot-demande:") for s in slots)
    assert all(s["api"]["fillslot_url"].startswith(peer.chrono_url) for s in slots)
    assert {start.weekday() for start in starts} <= {0, 1, 2, 3, 4, 5}
    assert body["meta"]["bookable_datetimes_number_available"] == sum(
        not s["disabled"] for s in slots)
    hidden = chrono(client, peer, "agenda/passeport-cni/meetings/depot-demande/datetimes/",
                    hide_disabled="true")["data"]
    assert hidden and not any(s["disabled"] for s in hidden)
    day = starts[len(starts) // 2].date()
    one_day = chrono(client, peer, "agenda/passeport-cni/meetings/depot-demande/datetimes/",
                     date_start=day.isoformat(),
                     date_end=(day + timedelta(days=1)).isoformat())["data"]
    assert one_day and {s["date"] for s in one_day} == {day.isoformat()}


def test_bad_dates_and_unknown_agenda(peer, client):
    url = peer.chrono_url + "agenda/passeport-cni/meetings/depot-demande/datetimes/"
    response = client.get(signed(peer, url + "?date_start=demain"))
    assert response.status_code == 400 and response.json()["err"] == 1
    assert client.get(signed(peer, peer.chrono_url + "agenda/nope/meetings/")).status_code == 404
    assert client.get(signed(peer, peer.chrono_url + "agenda/passeport-cni/meetings/x/"
                                                     "datetimes/")).status_code == 404


def test_fillslot_booking_cancel_and_the_slot_is_free_again(peer, client):
    slot = free_slot(client, peer, "passeport-cni", "depot-demande")
    response = fill(client, peer, slot["api"]["fillslot_url"], ants_number="SOLOCAL001")
    assert response.status_code == 200
    booked = response.json()
    assert booked["err"] == 0
    assert isinstance(booked["booking_id"], int)
    assert booked["datetime"] == slot["datetime"]
    assert booked["end_datetime"] == slot["end_datetime"]
    assert set(booked["api"]) == {"booking_url", "cancel_url", "ics_url"}
    assert all(url.startswith(peer.chrono_url) for url in booked["api"].values())

    again = fill(client, peer, slot["api"]["fillslot_url"], ants_number="SOLOCAL002")
    assert again.status_code == 200
    assert again.json()["err"] == 1
    assert again.json()["err_class"] == "no more desk available"
    listed = chrono(client, peer, "agenda/passeport-cni/meetings/depot-demande/datetimes/")
    assert next(s for s in listed["data"] if s["id"] == slot["id"])["disabled"] is True

    data = client.get(signed(peer, booked["api"]["booking_url"])).json()
    assert data["err"] == 0 and data["data"]["booking_id"] == booked["booking_id"]
    assert data["data"]["extra_data"] == {"station_ref": "VSL-TOTEM-01-20261122-0009",
                                          "ants_number": "SOLOCAL001"}
    ics = client.get(signed(peer, booked["api"]["ics_url"]))
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text and "DTSTART;TZID=Europe/Paris:" in ics.text

    cancelled = client.post(signed(peer, booked["api"]["cancel_url"]), json={})
    assert cancelled.json() == {"err": 0, "booking_id": booked["booking_id"]}
    gone = client.get(signed(peer, booked["api"]["booking_url"])).json()
    assert gone["err"] == 1 and gone["err_class"] == "booking is cancelled"
    twice = client.post(signed(peer, booked["api"]["cancel_url"]), json={}).json()
    assert twice["err"] == 1 and twice["err_class"] == "already cancelled"
    rebooked = fill(client, peer, slot["api"]["fillslot_url"], ants_number="SOLOCAL003")
    assert rebooked.json()["err"] == 0
    kept = records(client, peer)["bookings"]
    assert len(kept) == 2 and kept[0]["cancelled_at"] is not None


def test_the_ants_number_is_advertised_not_required(peer, client):
    # Chrono requires no ANTS number and keeps extra keys as they come: the kiosk's flow
    # checks the number; a stricter peer would hide a client that forgets to.
    agendas = client.get(signed(peer, peer.chrono_url + "agenda/")).json()["data"]
    passport = next(a for a in agendas if a["slug"] == "passeport-cni")
    assert passport["extra_fields"][0]["varname"] == "ants_number"
    slot = free_slot(client, peer, "passeport-cni", "depot-demande")
    response = fill(client, peer, slot["api"]["fillslot_url"])
    assert response.status_code == 200 and response.json()["err"] == 0
    kept = records(client, peer)["bookings"]
    assert len(kept) == 1 and "ants_number" not in kept[0]["fields"]


def test_a_booking_blocks_overlapping_slots_of_other_meeting_types(peer, client):
    mariage = free_slot(client, peer, "etat-civil", "mariage")
    assert fill(client, peer, mariage["api"]["fillslot_url"]).json()["err"] == 0
    start = datetime.strptime(mariage["datetime"], "%Y-%m-%d %H:%M:%S")
    pacs = chrono(client, peer, "agenda/etat-civil/meetings/pacs/datetimes/")["data"]
    overlapping = [s for s in pacs
                   if start <= datetime.strptime(s["datetime"], "%Y-%m-%d %H:%M:%S")
                   < start + timedelta(minutes=45)]
    assert overlapping and all(s["disabled"] for s in overlapping)


def test_invalid_and_past_slots(peer, client):
    base = peer.chrono_url + "agenda/encombrants/fillslot/"
    for slot in ("nope", "collecte:2030-13-01-0800", "collecte:2026-11-24-0300",
                 "autre:2026-11-24-0800"):
        response = fill(client, peer, base + slot + "/")
        assert response.status_code == 400, slot
        assert response.json()["err_class"] == "invalid slot"
    tuesday = date(2020, 1, 7)  # a Tuesday morning slot, long past
    response = fill(client, peer, base + f"collecte:{tuesday:%Y-%m-%d}-0800/")
    assert response.status_code == 200
    assert response.json()["err_class"] == "no more desk available"


def test_slots_follow_the_peer_clock(peer, client):
    path = "agenda/encombrants/meetings/collecte/datetimes/"
    before = {s["id"] for s in chrono(client, peer, path)["data"]}
    advance(client, peer, 7 * 24 * 3600)
    after = {s["id"] for s in chrono(client, peer, path)["data"]}
    assert before != after and before & after
    assert min(after) > min(before)


def test_unknown_booking_is_404(peer, client):
    for path in ("booking/999/", "booking/abc/"):
        response = client.get(signed(peer, peer.chrono_url + path))
        assert response.status_code == 404
    response = client.post(signed(peer, peer.chrono_url + "booking/999/cancel/"), json={})
    assert response.status_code == 404
