"""Tracking a request on an Open311 server by the standard, against the reference peer over
real HTTP: mySociety's update feed asked by date window only (the filters it defines), paged,
with 10,000 other requests in the feed; and the request's own status and dates as the
timeline when the feed ignores its window, is too big, answers errors or garbage, or does not
exist. Also: XML and byte-order marks, and the log saying why the feed was left aside."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from station_link import pothole

from kiosk.adapters.http import MAX_BODY_BYTES, HttpClient
from kiosk.adapters.open311 import PAGE_LIMIT, Open311Adapter
from kiosk.core.central import RequestStatus
from kiosk.peer.personality import Personality
from kiosk.peer.server import RunningPeer, start_peer

#: A busy city: other people's requests in the feed (each has up to four updates).
OTHERS = 10_000
#: Hours after which the pothole lifecycle of config/peer-seed.json has moved on: in
#: progress at 4 h, fixed at 72 h, closed at 168 h.
FIXED_H = 80
CLOSED_H = 170


def peer_with(traits: str = "") -> Iterator[RunningPeer]:
    with start_peer(personality=Personality.parse(traits)) as peer:
        yield peer


@pytest.fixture
def faithful() -> Iterator[RunningPeer]:
    yield from peer_with()


@pytest.fixture
def ignoring() -> Iterator[RunningPeer]:
    yield from peer_with("ignored-filters")


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(10) as client:
        yield client


def control(peer: RunningPeer, path: str, body: dict) -> dict:
    answer = httpx.post(f"{peer.base_url}/_peer/{path}", json=body, timeout=120)
    answer.raise_for_status()
    return answer.json()


def busy(peer: RunningPeer, days: int = 30) -> None:
    """10,000 requests by others over the last `days` days, before ours."""
    assert control(peer, "requests", {"count": OTHERS, "days": days,
                                      "service_code": "VOI-001"}) == {"added": OTHERS}


def adapter(peer: RunningPeer, http: HttpClient, fmt: str = "json") -> Open311Adapter:
    return Open311Adapter(http, peer.open311_url, peer.credentials["open311_api_key"], fmt=fmt)


def submitted(peer: RunningPeer, http: HttpClient, fmt: str = "json") -> str:
    result = adapter(peer, http, fmt).submit(pothole(station_ref="demo-0001-20261102-0001"),
                                             "demo-0001-20261102-0001")
    assert result.number
    return result.number


def feed_size(peer: RunningPeer) -> int:
    answer = httpx.get(peer.open311_url + "servicerequestupdates.json", timeout=60)
    return len(answer.content)


def test_the_feed_is_paged_by_date_among_ten_thousand_requests(faithful, http, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    caplog.set_level(logging.INFO, logger="kiosk.peer")
    busy(faithful, days=10)  # a thousand a day: thousands of updates in the request's days
    number = submitted(faithful, http)
    control(faithful, "clock", {"advance_s": FIXED_H * 3600})
    report = adapter(faithful, http).report(number)
    assert report is not None and report.status is RequestStatus.DONE
    assert [(s.status, s.note) for s in report.history] == [
        (RequestStatus.RECEIVED, "Signalement enregistré."),
        (RequestStatus.IN_PROGRESS, "Une équipe de la voirie est programmée pour intervenir."),
        (RequestStatus.DONE, "Le nid-de-poule a été rebouché.")]
    assert "central.fallback" not in caplog.text  # the feed itself told the story
    pages = [r for r in caplog.records if "servicerequestupdates" in r.getMessage()]
    assert len(pages) > 2  # the first two seconds, then windows halved until none was cut
    # The feed's month holds far more than one answer gives (1000 updates): the request's
    # own were found by narrowing the window, not by reading everything.
    month = httpx.get(faithful.open311_url + "servicerequestupdates.json", timeout=60, params={
        "start_date": report.history[0].at.replace(day=1).isoformat(),
        "end_date": report.history[-1].at.isoformat()}).json()
    assert len(month) == PAGE_LIMIT


def test_a_feed_ignoring_its_window_gives_way_to_the_request_itself(ignoring, http, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    busy(ignoring)
    number = submitted(ignoring, http)
    control(ignoring, "clock", {"advance_s": CLOSED_H * 3600})
    report = adapter(ignoring, http).report(number)
    assert report is not None and report.status is RequestStatus.CLOSED
    assert [(s.status, s.note) for s in report.history] == [
        (RequestStatus.RECEIVED, ""),
        (RequestStatus.CLOSED, "Intervention terminée, signalement clos.")]
    assert report.history[1].at - report.history[0].at == timedelta(hours=168)
    line = next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("central.fallback"))
    assert "endpoint=servicerequestupdates" in line and "reason=too-big" in line
    assert number not in line
    assert feed_size(ignoring) > MAX_BODY_BYTES  # the whole feed, past what the kiosk reads


def test_a_small_feed_ignoring_its_window_still_gives_the_updates(ignoring, http):
    number = submitted(ignoring, http)
    control(ignoring, "clock", {"advance_s": FIXED_H * 3600})
    report = adapter(ignoring, http).report(number)
    assert report is not None and report.status is RequestStatus.DONE
    assert [s.status for s in report.history] == [
        RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.DONE]


@pytest.mark.parametrize("fault", [{"malformed_rate": 1.0}, {"error_rate": 1.0},
                                   {"drop_rate": 1.0}], ids=["garbage", "5xx", "dropped"])
def test_a_broken_feed_gives_way_to_the_request_itself(faithful, http, caplog, fault):
    caplog.set_level(logging.INFO, logger="kiosk.events")
    number = submitted(faithful, http)
    control(faithful, "clock", {"advance_s": FIXED_H * 3600})
    control(faithful, "faults", {**fault, "path_prefix": "/open311/v2/servicerequestupdates"})
    report = adapter(faithful, http).report(number)
    assert report is not None
    # The request's own status (Open311: open or closed) and its notes, at its own dates.
    assert report.status is RequestStatus.CLOSED
    assert [(s.status, s.note) for s in report.history] == [
        (RequestStatus.RECEIVED, ""), (RequestStatus.CLOSED, "Le nid-de-poule a été rebouché.")]
    assert report.history[1].at - report.history[0].at == timedelta(hours=72)
    assert "central.fallback" in caplog.text and "central=open311" in caplog.text


@pytest.mark.parametrize("traits", ["xml-only", "bom", "xml-only,bom"])
def test_xml_and_byte_order_marks_track_as_well(http, traits):
    for peer in peer_with(traits):
        fmt = "auto"
        number = submitted(peer, http, fmt)
        control(peer, "clock", {"advance_s": FIXED_H * 3600})
        report = adapter(peer, http, fmt).report(number)
        assert report is not None and report.status is RequestStatus.DONE
        assert len(report.history) == 3
