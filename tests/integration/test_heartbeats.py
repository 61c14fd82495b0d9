"""Heartbeats from the station's parts without a window (kiosk/shell/heartbeat.py): the real
core and usage counter after real sessions, the real central link (the embedded reference
peer) with a submission its central refuses to take for now, sent to the fleet (another
reference peer) over real HTTP, and checked against the OTLP schema itself
(opentelemetry-proto parses what the fleet received)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from conftest import make_settings
from fleet_support import enrol, heartbeats, points
from peer_support import Peer

from kiosk.adapters.http import HttpClient
from kiosk.core import intents as i
from kiosk.core.central import RequestReport, RequestStatus, SurveyAnswer
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.state import Connectivity
from kiosk.core.submission import Delivery
from kiosk.core.usage import AssistedUse, UsageCounter
from kiosk.shell.central_wiring import CentralConnector
from kiosk.shell.heartbeat import HeartbeatSender
from kiosk.shell.reload_check import ReloadStatus

STATION = "BORNE-HB-01"
REPORT = RequestReport(number="104217", service_name="Nid-de-poule",
                       status=RequestStatus.IN_PROGRESS,
                       submitted_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))


def settings_for(tmp_path: Path, peer: Peer, credentials: Path, **env: str):
    return make_settings(tmp_path, KIOSK__STATION__ID=f'"{STATION}"',
                         KIOSK__CENTRAL__FLEET_URL=f'"{peer.running.fleet_url}"',
                         KIOSK__CENTRAL__CREDENTIALS_FILE=f'"{credentials}"', **env)


def used_core(settings) -> tuple[KioskCore, UsageCounter]:
    """Two sessions: a tracking completed in English, a places list abandoned."""
    core = KioskCore(settings, ManualClock(100.0))
    usage = UsageCounter()
    effects: list[object] = []
    core.subscribe(usage.observe)
    core.on_effect(usage.effect)
    core.on_effect(effects.append)
    core.dispatch(i.StartSession())
    core.dispatch(i.SetLanguage("en"))
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104217"))
    core.dispatch(EffectDone(effects[-1], REPORT))
    core.dispatch(i.EndSession())
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("places"))
    core.dispatch(i.EndSession())
    core.set_connectivity(Connectivity.DEGRADED)
    return core, usage


@pytest.fixture
def connector(tmp_path: Path, peer: Peer):
    credentials = enrol(peer, STATION, tmp_path)
    settings = settings_for(tmp_path, peer, credentials)
    connector = CentralConnector(settings, on_connectivity=lambda _c: None)
    connector.start()
    try:
        yield settings, connector
    finally:
        connector.close()


def test_health_and_usage_as_the_fleet_receives_them(connector, peer):
    settings, central = connector
    link = central.link()
    # The central's forms are down: a survey answer waits in the outbox.
    httpx.post(f"{link.peer.base_url}/_peer/faults", timeout=5,
               json={"error_rate": 1.0, "path_prefix": "/wcs/"}).raise_for_status()
    link.submitter.submit(SurveyAnswer("tracking", STATION, "", overall=10), Delivery.BACKGROUND)
    time.sleep(0.3)
    core, usage = used_core(settings)
    status = ReloadStatus("cfg-0123456789ab", last_error="site.toml: x: refused",
                          restart_pending=("panel",))
    sender = HeartbeatSender(lambda: settings, lambda: core.state, usage, central,
                             lambda: status, assisted=lambda: AssistedUse(2, 12.5))
    with HttpClient(5.0) as http:
        assert sender.beat(http)
    (beat,) = heartbeats(peer)
    resource = {a.key: a.value.string_value for a in beat.resource_metrics[0].resource.attributes}
    assert resource["host.id"] == STATION and resource["kiosk.profile"] == "totem"
    assert points(beat, "kiosk.up") == {("attract", "degraded"): 1}
    assert points(beat, "kiosk.device.ready") == {
        ("card_reader",): 1, ("printer",): 1, ("scanner",): 1, ("speech",): 1, ("headset",): 1}
    assert points(beat, "kiosk.outbox.depth") == {(): 1}
    assert 0 < points(beat, "kiosk.outbox.oldest_age")[()] < 60
    assert points(beat, "kiosk.disk.free")[()] > 0
    assert points(beat, "kiosk.config.version") == {("cfg-0123456789ab",): 1}
    assert points(beat, "kiosk.config.reload_error") == {("site.toml: x: refused",): 1}
    assert points(beat, "kiosk.config.restart_pending") == {("panel",): 1}
    assert points(beat, "kiosk.safe_mode") == {(): 0}
    assert points(beat, "kiosk.sessions") == {(): 2}
    assert points(beat, "kiosk.sessions.completed") == {("tracking",): 1}
    assert points(beat, "kiosk.sessions.abandoned") == {("places", "places_list"): 1}
    assert points(beat, "kiosk.sessions.language") == {("en",): 1, ("fr",): 2}
    assert points(beat, "kiosk.assisted.sessions") == {(): 2}
    assert points(beat, "kiosk.assisted.duration") == {(): 12.5}


def test_beats_on_its_own_thread_and_at_once_when_asked(connector, peer):
    settings, central = connector
    core, usage = used_core(settings)
    sender = HeartbeatSender(lambda: settings, lambda: core.state, usage, central,
                             lambda: ReloadStatus("cfg-1"), first_after_s=0.1)
    sender.start()
    try:
        deadline = time.monotonic() + 10
        while sender.sent < 1:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
        sender.soon()  # not waiting the 60 s of its period
        while sender.sent < 2:
            assert time.monotonic() < deadline, "no heartbeat when asked"
            time.sleep(0.05)
    finally:
        sender.stop()
    assert len(heartbeats(peer)) == 2


def test_a_fleet_that_refuses_is_logged_and_nothing_raises(tmp_path, peer, caplog):
    credentials = tmp_path / "credentials.toml"
    credentials.write_text('[fleet]\ntoken = "not-a-station-token"\n', encoding="utf-8")
    credentials.chmod(0o600)
    settings = settings_for(tmp_path, peer, credentials)
    core, usage = used_core(settings)
    sender = HeartbeatSender(lambda: settings, lambda: core.state, usage, None,
                             lambda: ReloadStatus("cfg-1"))
    with caplog.at_level(logging.INFO, "kiosk.events"), HttpClient(5.0) as http:
        assert not sender.beat(http)
    assert "fleet.heartbeat_failed reason=unauthorised" in caplog.text
    assert heartbeats(peer) == []


def test_no_fleet_configured_is_said_once(tmp_path, caplog):
    settings = make_settings(tmp_path)
    core, usage = used_core(settings)
    sender = HeartbeatSender(lambda: settings, lambda: core.state, usage, None,
                             lambda: ReloadStatus("cfg-1"))
    with caplog.at_level(logging.INFO, "kiosk.events"), HttpClient(5.0) as http:
        assert not sender.beat(http)
        assert not sender.beat(http)
    assert caplog.text.count("fleet.heartbeat_failed reason=no-fleet") == 1
