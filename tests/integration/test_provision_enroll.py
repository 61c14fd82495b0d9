"""`kiosk-provision enroll` against the reference peer, into a station installed in a folder
(`install --root`): the key, the credentials and the configuration written with their owners
and modes and validated by the settings loader; a wrong or used token, an unreachable fleet or
a bad site file get one clear line and leave /etc/kiosk as it was."""

from __future__ import annotations

import base64
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from peer_support import Peer

from kiosk.adapters.credentials import load_credentials
from kiosk.adapters.fleet import OtlpFleet
from kiosk.core.fleet import Heartbeat
from kiosk.settings.loader import ConfigSources, load_settings

SITE = """\
[site]
city = "Villeneuve-sur-Loire"
name = "Mairie annexe des Grands Champs"

[site.location]
lat = 47.59
long = 1.34
address = "12 rue des Écoles, 41150 Villeneuve-sur-Loire"

[session]
idle_s = 150
"""


def provision(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provisioning.cli", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    tree = tmp_path / "root"
    done = provision("install", "--root", str(tree), "--profile", "desk")
    assert done.returncode == 0, done.stderr
    return tree


@pytest.fixture
def site(tmp_path: Path) -> Path:
    path = tmp_path / "city-site.toml"
    path.write_text(SITE, encoding="utf-8")
    return path


def enroll(root: Path, peer: Peer, token: str, site: Path) -> subprocess.CompletedProcess[str]:
    return provision("enroll", "--root", str(root), "--fleet", peer.running.fleet_url,
                     "--token", token, "--profile", "desk", "--site", str(site))


def kiosk_ids(root: Path) -> tuple[int, int]:
    for line in (root / "etc/passwd").read_text(encoding="utf-8").splitlines():
        fields = line.split(":")
        if fields[0] == "kiosk":
            return int(fields[2]), int(fields[3])
    raise AssertionError("no kiosk account")


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_enrolment_writes_a_station_the_settings_loader_accepts(root, site, peer, http):
    token = peer.enrolment_token("BORNE-ANNEXE-02", "Borne accueil annexe")
    done = enroll(root, peer, token, site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("enrolled as BORNE-ANNEXE-02 (Borne accueil annexe)")
    etc = root / "etc/kiosk"
    assert sorted(p.name for p in etc.iterdir()) == [
        "credentials.toml", "machine.toml", "site.toml", "station.key"]
    uid, gid = kiosk_ids(root)
    for name in ("station.key", "credentials.toml"):  # the kiosk user's only
        info = (etc / name).stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (uid, gid, 0o600)
    for name in ("site.toml", "machine.toml"):
        info = (etc / name).stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, gid, 0o640)
    assert (etc / "site.toml").read_text(encoding="utf-8") == SITE

    settings = load_settings(ConfigSources(site=etc / "site.toml",
                                           machine=etc / "machine.toml"), environ={})
    assert settings.station.id == "BORNE-ANNEXE-02"
    assert settings.station.name == "Borne accueil annexe"
    assert settings.profile.value == "desk" and settings.session.idle_s == 150
    assert settings.central.fleet_url == peer.running.fleet_url
    assert str(settings.central.credentials_file) == "/etc/kiosk/credentials.toml"

    # The fleet recorded the key the station holds, and the station's token works.
    key = load_pem_private_key((etc / "station.key").read_bytes(), password=None)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    (enrolled,) = peer.records()["enrolments"]
    assert base64.b64decode(enrolled["public_key"]) == public
    assert enrolled["site"] == "Mairie annexe des Grands Champs"
    token = load_credentials(etc / "credentials.toml", required=("fleet",)).fleet_token
    assert token is not None
    now = datetime.now(UTC)
    OtlpFleet(http, peer.running.fleet_url, token).heartbeat(
        Heartbeat("BORNE-ANNEXE-02", "Mairie annexe", "desk", now, now))
    assert peer.records()["heartbeats"][0]["station_id"] == "BORNE-ANNEXE-02"


def test_a_used_token_is_refused_and_nothing_is_written(root, tmp_path, site, peer):
    token = peer.enrolment_token("BORNE-03")
    assert enroll(root, peer, token, site).returncode == 0
    second = tmp_path / "second"
    assert provision("install", "--root", str(second), "--profile", "desk").returncode == 0
    done = enroll(second, peer, token, site)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "kiosk-provision enroll: the fleet refused the enrolment token (this enrolment token "
        "was already used); ask the fleet for a new one"]
    assert listing(second / "etc/kiosk") == {}
    assert token not in done.stderr


def test_a_wrong_token_leaves_the_station_as_it_was(root, site, peer):
    (root / "etc/kiosk/site.toml").write_text("# the city's earlier file\n", encoding="utf-8")
    before = listing(root / "etc/kiosk")
    done = enroll(root, peer, "not-a-token", site)
    assert done.returncode == 1
    assert "refused the enrolment token (unknown enrolment token)" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert listing(root / "etc/kiosk") == before


def test_a_bad_site_file_is_refused_before_the_fleet_is_asked(root, tmp_path, peer):
    bad = tmp_path / "bad-site.toml"
    bad.write_text(SITE.replace("idle_s = 150", 'idle_s = "soon"'), encoding="utf-8")
    token = peer.enrolment_token("BORNE-04")
    done = enroll(root, peer, token, bad)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"kiosk-provision enroll: {bad}: session.idle_s: must be a "
                                   "valid integer (got 'soon')")
    assert listing(root / "etc/kiosk") == {}
    assert peer.records()["enrolments"] == []  # the token is still good


def test_an_unreachable_fleet_is_one_line(root, site):
    done = provision("enroll", "--root", str(root), "--fleet", "http://127.0.0.1:9/fleet/",
                     "--token", "t", "--profile", "desk", "--site", str(site))
    assert done.returncode == 1
    assert done.stderr.startswith("kiosk-provision enroll: the fleet did not enrol the "
                                  "station: unreachable")
    assert len(done.stderr.strip().splitlines()) == 1
    assert listing(root / "etc/kiosk") == {}


def test_enrolment_needs_an_installed_station(tmp_path, site, peer):
    done = enroll(tmp_path / "empty", peer, "t", site)
    assert done.returncode == 1
    assert "run kiosk-provision install first" in done.stderr
