"""`kiosk peer` as a user runs it: the URLs printed one per line, a peer that answers, a clean
stop on SIGTERM and SIGINT, and one clear line for an unusable seed or port; plus the seed
file's validation, which names the file, the place and the reason."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from kiosk.peer.seed import DEFAULT_SEED, SeedError, load_seed
from kiosk.peer.slots import day_slots

KIOSK = Path(sys.executable).with_name("kiosk")
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(KIOSK), "peer", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)


@pytest.fixture
def running() -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    process = start("--port", "0")
    assert process.stdout is not None
    urls = [process.stdout.readline().strip() for _ in range(5)]
    try:
        yield process, urls
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_prints_the_urls_and_serves(running):
    process, urls = running
    base = urls[0]
    assert base.startswith("http://127.0.0.1:")
    assert urls[1:] == [f"{base}/open311/v2/", f"{base}/wcs/api/", f"{base}/chrono/api/",
                        f"{base}/fleet/"]
    assert httpx.get(urls[1] + "services.json").status_code == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(urls[1] + "services.json")


def test_stops_on_sigint(running):
    process, _ = running
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()


def test_python_m_kiosk_peer_and_a_data_file(tmp_path: Path):
    data = tmp_path / "peer.sqlite3"
    process = subprocess.Popen([sys.executable, "-m", "kiosk.peer", "--port", "0", "--data",
                                str(data)], stdout=subprocess.PIPE, text=True, env=ENV)
    assert process.stdout is not None
    base = process.stdout.readline().strip()
    try:
        assert httpx.get(f"{base}/_peer/records").json()["requests"] == []
        assert data.exists()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_a_port_in_use_is_one_clear_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start("--port", str(port))
        _, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert f"127.0.0.1:{port}" in err and "--port" in err
    assert "Traceback" not in err


def test_a_bad_seed_names_the_file_and_the_place(tmp_path: Path):
    seed = json.loads(DEFAULT_SEED.read_text(encoding="utf-8"))
    seed["open311"]["services"][0]["type"] = "weekly"
    bad = tmp_path / "seed.json"
    bad.write_text(json.dumps(seed), encoding="utf-8")
    process = start("--port", "0", "--seed", str(bad))
    _, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert f"{bad}: open311.services.0.type:" in err
    assert "Traceback" not in err


# -- the seed --------------------------------------------------------------------------------


def broken(tmp_path: Path, change) -> Path:
    seed = json.loads(DEFAULT_SEED.read_text(encoding="utf-8"))
    change(seed)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


def test_the_shipped_seed_is_valid_and_complete():
    seed = load_seed()
    assert seed.city.name == "Villeneuve-sur-Loire"
    assert {s.type for s in seed.open311.services} == {"realtime", "batch", "blackbox"}
    assert seed.open311.service("ENC-001") is not None  # the patched Swagger's example code
    assert seed.wcs.formdef("avis-borne") is not None
    fields = {f.varname for f in seed.wcs.formdef("avis-borne").fields}
    assert fields == {"flow", "overall", "clarity", "help_received"}
    passport = seed.chrono.agenda("passeport-cni")
    assert passport.meeting_types[0].duration == 20
    assert passport.extra_fields[0].varname == "ants_number"


@pytest.mark.parametrize(("change", "where"), [
    (lambda s: s["open311"]["services"][0]["attributes"][1].update(values=[]),
     "open311.services.0.attributes.1"),
    (lambda s: s["open311"]["services"].append(s["open311"]["services"][0]), "open311"),
    (lambda s: s["open311"]["requests"][0].update(service_code="NOPE"), "open311"),
    (lambda s: s["open311"]["requests"][0].update(service_request_id="12"),
     "open311.requests.0.service_request_id"),
    (lambda s: s["wcs"]["formdefs"][0]["fields"][0].update(type="file"),
     "wcs.formdefs.0.fields.0.type"),
    (lambda s: s["chrono"]["agendas"][0]["opening_hours"].update(monday=[["12:00", "08:00"]]),
     "chrono.agendas.0"),
    (lambda s: s["city"].update(timezone="Europe/Nowhere"), "city.timezone"),
    (lambda s: s.pop("credentials"), "credentials"),
    (lambda s: s["credentials"].update(extra="x"), "credentials.extra"),
])
def test_seed_problems_are_named(tmp_path: Path, change, where):
    path = broken(tmp_path, change)
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert any(line.startswith(f"{path}: {where}") for line in caught.value.problems), \
        caught.value.problems


def test_unreadable_and_non_json_seeds(tmp_path: Path):
    with pytest.raises(SeedError, match="cannot read"):
        load_seed(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  oops\n}", encoding="utf-8")
    with pytest.raises(SeedError, match="line 2, column 3"):
        load_seed(bad)


def test_slots_skip_closed_dates_and_closed_days():
    agenda = load_seed().chrono.agenda("passeport-cni")
    meeting = agenda.meeting_types[0]
    christmas = date(2026, 12, 25)
    assert christmas in agenda.closed_dates and day_slots(agenda, meeting, christmas) == []
    sunday = date(2026, 11, 29)
    assert day_slots(agenda, meeting, sunday) == []
    monday = day_slots(agenda, meeting, date(2026, 11, 30))
    assert monday[0].id == "depot-demande:2026-11-30-0830"
    assert monday[-1].end.strftime("%H:%M") <= "17:00"
    assert len(monday) == 10 + 10  # 08:30–12:00 and 13:30–17:00 in 20-minute slots
