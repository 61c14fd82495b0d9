"""The safe out-of-order screen (`kiosk safe-mode`, kiosk/safe_mode.py) as systemd starts it
after the app's third failed start: a real window on the test's X server, grabbed from the X
screen itself (ImageMagick `import -window root`), the texts it shows from its own widget tree
(its transcript), and heartbeats to the reference peer saying safe mode and why."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from google.protobuf.json_format import Parse
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from peer_support import Peer
from PIL import Image

from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.fleet import EnrolmentRequest, proof_message

STATION = "BORNE-SAFE-07"
MACHINE = """\
profile = "totem"

[station]
id = "{station}"
name = "Borne parvis"

[site]
city = "Villeneuve-sur-Loire"
name = "Mairie annexe"

[site.location]
lat = 47.59
long = 1.34
address = "12 rue des Écoles, 41150 Villeneuve-sur-Loire"

[central]
fleet_url = "{fleet}"
credentials_file = "{credentials}"
"""
# What systemd hands a unit started by OnFailure= after the start limit (systemd.exec(5)).
MONITOR = {"MONITOR_SERVICE_RESULT": "start-limit-hit", "MONITOR_EXIT_CODE": "exited",
           "MONITOR_EXIT_STATUS": "2", "MONITOR_UNIT": "kiosk.service"}


def enrolled_token(peer: Peer) -> str:
    token = peer.enrolment_token(STATION)
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with HttpClient(5.0) as http:
        return OtlpFleet(http, peer.running.fleet_url, token).enrol(
            EnrolmentRequest(public, key.sign(proof_message(token, public)), "totem",
                             "Mairie annexe")).token


@pytest.fixture
def safe_mode(tmp_path: Path, peer: Peer) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    assert os.environ.get("DISPLAY"), "safe mode needs an X server (pytest-xvfb's)"
    credentials = tmp_path / "credentials.toml"
    credentials.write_text(f'[fleet]\ntoken = "{enrolled_token(peer)}"\n', encoding="utf-8")
    credentials.chmod(0o600)
    machine = tmp_path / "machine.toml"
    machine.write_text(MACHINE.format(station=STATION, fleet=peer.running.fleet_url,
                                      credentials=credentials), encoding="utf-8")
    transcript = tmp_path / "transcript.json"
    env = {**os.environ, **MONITOR, "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"'}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "safe-mode", "--config",
                             str(machine), "--heartbeat-s", "0.5", "--transcript",
                             str(transcript)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not transcript.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the safe screen was not drawn within 60 s"
        time.sleep(0.1)
    try:
        yield proc, transcript
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_the_safe_screen_shows_the_city_the_front_desk_and_the_station(safe_mode, tmp_path,
                                                                       peer):
    proc, transcript = safe_mode
    shown = json.loads(transcript.read_text(encoding="utf-8"))
    texts = "\n".join(shown["texts"])
    assert shown["texts"][0] == "Villeneuve-sur-Loire"
    assert "Cette borne ne fonctionne pas pour le moment." in texts
    assert "This kiosk is not working at the moment." in texts
    assert "Mairie annexe, 12 rue des Écoles, 41150 Villeneuve-sur-Loire" in texts
    assert f"Borne n° {STATION}" in texts
    assert shown["window"] == [1080, 1920]  # the totem panel, from the configuration
    # Nothing of the app's flows, screens, shell, devices or outbox was loaded.
    loaded = shown["modules"]
    assert not [m for m in loaded if m.startswith(("screens", "devices", "kiosk.shell",
                                                   "kiosk.core.flows", "kiosk.outbox"))]

    # The X screen itself: the window's area is drawn (background and text), not blank.
    shot = tmp_path / "screen.png"
    subprocess.run(["import", "-window", "root", str(shot)], check=True, timeout=30)
    window = Image.open(shot).convert("RGB").crop((0, 0, 1080, 1920))
    colours = window.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the safe screen is blank"
    background = max(colours)[1]
    assert background == (20, 33, 56)  # the screen's background, 0.08/0.13/0.22
    light = sum(count for count, rgb in colours if min(rgb) > 200)
    assert light > 2000, "no text drawn"

    # Heartbeats: safe mode, and why.
    deadline = time.monotonic() + 20
    while not peer.records()["heartbeats"]:
        assert time.monotonic() < deadline, "no heartbeat within 20 s"
        time.sleep(0.2)
    beat = peer.records()["heartbeats"][0]
    assert beat["station_id"] == STATION
    request = Parse(json.dumps(beat["body"]), ExportMetricsServiceRequest())
    metrics = {m.name: m for m in request.resource_metrics[0].scope_metrics[0].metrics}
    (point,) = metrics["kiosk.safe_mode"].gauge.data_points
    assert point.as_int == 1
    assert [(a.key, a.value.string_value) for a in point.attributes] == [
        ("kiosk.reason", "start-limit-hit:exited:2")]

    # systemctl stop: SIGTERM ends it cleanly.
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0
