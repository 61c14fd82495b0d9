"""Canary strings a person types during a session (a search, a request's free text, an e-mail
address and a phone number) reach the central, which needs them, and nothing else: not the
heartbeats the fleet receives (the reference peer, parsed as OTLP), not the station's log
(every line its Python loggers wrote, Kivy's included), not `kiosk doctor`'s support bundle
made from that log (docs/architecture.md rule 4)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fleet_support import enrol, points, wait_for_heartbeats
from peer_support import Peer

STATION = "BORNE-PRIV-01"
NAME = "Zoé Canari"
EMAIL = "zoe.canari@example.org"
PHONE = "0698765432"
CANARIES = ("Zoé", "Canari", "canari@example", PHONE, "98765432")
POTHOLE = "open311:VOI-001"  # realtime, every Open311 datatype (config/peer-seed.json)
# Answers that pass each field type's check (kiosk/core/validation.py); free text gets NAME.
TYPED = {"date": "02/11/2026", "datetime": "02/11/2026 14:30", "number": "30",
         "email": EMAIL, "phone": PHONE}
MACHINE = """\
[station]
id = "{station}"
name = "Borne parvis"

[central]
fleet_url = "{fleet}"
credentials_file = "{credentials}"
heartbeat_s = 1
"""
#: The journal's lines as `journalctl -o short-iso` shows them (what the bundle reads).
JOURNAL_FORMAT = "%(asctime)s borne kiosk[4242]: %(levelname)s %(name)s: %(message)s"

pytestmark = pytest.mark.ui


@pytest.fixture
def etc(tmp_path: Path, peer: Peer) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir()
    credentials = enrol(peer, STATION, folder)
    (folder / "machine.toml").write_text(MACHINE.format(
        station=STATION, fleet=peer.running.fleet_url, credentials=credentials),
        encoding="utf-8")
    return folder


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Path]:
    """Everything logged in this forked test's process, as the journal would keep it."""
    path = tmp_path / "journal.txt"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(JOURNAL_FORMAT, "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # as `kiosk run` logs (kiosk/cli.py)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()


def type_into(driver, field, text: str) -> None:
    field.focus = True
    driver.frames(1)
    driver.type_text(text)


def send_a_request_with_canaries(kiosk) -> None:
    d, app = kiosk.driver, kiosk.app
    d.tap("attract.start")
    d.wait_for_screen("home")
    search = app.screen_view("home").ids.search
    d.tap(search)  # touching the search opens it, with its keys
    type_into(d, search, NAME)
    assert app.core.state.session.get("home.search") == NAME
    search.text = ""
    d.frames(2)
    d.tap("home.entry.request")
    d.wait_for_screen("request_service", timeout_s=15)
    d.wait_until(lambda: not app.core.state.flow.busy, 15)
    d.tap(f"service.{POTHOLE}")
    d.wait_for_screen("request_field", timeout_s=15)
    d.wait_until(lambda: not app.core.state.flow.busy, 15)
    while kiosk.screen == "request_field":
        question = app.core.state.session.flow.current_field
        if question.choices:
            d.tap(f"choice.{question.choices[0].key}")
            if question.type.value == "multi_choice":
                d.tap("request.next")
        else:
            type_into(d, app.screen_view("request_field").ids.answer,
                      TYPED.get(question.type.value, NAME))
            d.tap("request.next")
        d.frames(3)
    d.wait_for_screen("request_place")
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    contact = app.screen_view("request_contact")
    type_into(d, contact.ids.email, EMAIL)
    type_into(d, contact.ids.phone, PHONE)
    d.tap("request.contact.next")
    d.wait_for_screen("request_summary")
    d.tap("request.confirm")
    d.wait_for_screen("request_done", timeout_s=15)
    d.tap("request.finish")
    d.wait_for_screen("attract")


def found(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary in text]


def test_what_a_person_types_reaches_the_central_and_nothing_else(etc, journal, kiosk, peer,
                                                            tmp_path):
    send_a_request_with_canaries(kiosk)
    # They were typed for real: the central has them.
    central = kiosk.station.central.link().peer
    requests = httpx.get(f"{central.base_url}/_peer/records", timeout=5).json()["requests"]
    assert set(found(json.dumps(requests, ensure_ascii=False))) == set(CANARIES)

    # Heartbeats after the session count it, and hold none of what was typed.
    seen = len(peer.records()["heartbeats"])
    beats = wait_for_heartbeats(peer, seen + 2, pump=kiosk.driver.pump)
    assert points(beats[-1], "kiosk.sessions") == {(): 1}
    assert points(beats[-1], "kiosk.sessions.completed") == {("request",): 1}
    assert found(json.dumps(peer.records()["heartbeats"], ensure_ascii=False)) == []

    # The log.
    lines = journal.read_text(encoding="utf-8")
    assert "kiosk.events: session.ended" in lines and "fleet.heartbeat_sent" in lines
    assert found(lines) == []

    # The support bundle made from that log.
    bundle = tmp_path / "support.tar.gz"
    env = {"PATH": os.environ["PATH"], "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"',
           "DISPLAY": os.environ.get("DISPLAY", "")}
    done = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--config",
                           str(etc / "machine.toml"), "--bundle", str(bundle), "--log",
                           str(journal)], capture_output=True, text=True, timeout=120, env=env)
    assert f"support bundle: {bundle}" in done.stdout, done.stdout + done.stderr
    with tarfile.open(bundle) as tar:
        members = {m.name: tar.extractfile(m).read().decode("utf-8")
                   for m in tar.getmembers() if m.isfile()}
    events = next(text for name, text in members.items() if name.endswith("events.log"))
    assert "session.ended" in events
    assert found("\n".join(members.values())) == []
