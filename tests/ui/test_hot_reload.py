"""Hot reload in the real app (kiosk/shell/reload.py): the station reads its site and machine
files from the test's folder and watches them. A valid edit applies at the attract screen
with nobody touching anything (texts, timings, languages; how soon is a figure of
tests/benchmarks/config_reload.py, whose target is 2 s), never during a session; a change of
central system changes the services shown; an invalid edit keeps the last good configuration
and is in the next heartbeat the fleet (the reference peer) receives; a field only a restart
can apply is said to wait for one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from fleet_support import enrol, points, wait_for_heartbeats
from peer_support import Peer

STATION = "BORNE-RELOAD-1"
SITE = """\
[site]
city = "{city}"
name = "Hôtel de Ville"

[site.location]
lat = 47.5859
long = 1.3329
address = "1 place de l'Hôtel-de-Ville, 41150 Villeneuve-sur-Loire"

[languages]
available = {languages}

[central]
requests = "{requests}"
"""
MACHINE = """\
[station]
id = "{station}"
name = "Borne parvis"

[session]
idle_s = {idle}
{extra}
"""
FLEET = """
[central]
fleet_url = "{fleet}"
credentials_file = "{credentials}"
heartbeat_s = 30
"""
pytestmark = pytest.mark.ui


def site(city: str = "Villeneuve-sur-Loire", languages: str = '["fr", "en", "fr_FALC"]',
         requests: str = "open311") -> str:
    return SITE.format(city=city, languages=languages, requests=requests)


def machine(idle: int = 120, extra: str = "") -> str:
    return MACHINE.format(station=STATION, idle=idle, extra=extra)


def replace_file(path: Path, text: str) -> None:
    """How configuration tools write: a temporary file renamed into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def etc(tmp_path: Path) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "site.toml").write_text(site(), encoding="utf-8")
    (folder / "machine.toml").write_text(machine(), encoding="utf-8")
    return folder


@pytest.fixture
def fleet_etc(tmp_path: Path, peer: Peer) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir()
    credentials = enrol(peer, STATION, folder)
    fleet = FLEET.format(fleet=peer.running.fleet_url, credentials=credentials)
    (folder / "site.toml").write_text(site(), encoding="utf-8")
    (folder / "machine.toml").write_text(machine(extra=fleet), encoding="utf-8")
    return folder


def test_a_valid_edit_applies_within_2_s_at_the_attract_screen(etc, kiosk):
    app, driver = kiosk.app, kiosk.driver
    assert kiosk.screen == "attract" and app.city_name == "Villeneuve-sur-Loire"
    before = kiosk.station.reload.status.version

    replace_file(etc / "site.toml", site(city="Blois", languages='["fr", "en"]'))
    replace_file(etc / "machine.toml", machine(idle=90))
    written = time.monotonic()
    driver.wait_until(lambda: app.idle_s == 90 and app.city_name == "Blois", 10,
                      "the change applied")
    print(f"a valid edit applied at the attract screen {time.monotonic() - written:.2f} s "
          "after it was written")

    driver.frames(2)
    assert "Blois" in driver.texts()  # the attract screen's title
    assert kiosk.app.core.state.languages == ("fr", "en")
    assert kiosk.station.settings.session.idle_s == 90
    assert kiosk.station.reload.status.version != before
    assert kiosk.station.reload.status.last_error is None
    # The next session keeps the new timing: its inactivity warning comes after 90 s.
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    kiosk.idle(89)
    assert not app.overlay_open
    kiosk.idle(2)
    assert app.overlay_open


def test_an_edit_during_a_session_waits_for_its_end(etc, kiosk):
    app, driver, station = kiosk.app, kiosk.driver, kiosk.station
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    replace_file(etc / "site.toml", site(city="Blois"))
    driver.wait_until(lambda: station.reload.pending is not None, 10, "the change checked")
    driver.pump(1.0)
    assert app.city_name == "Villeneuve-sur-Loire", "never in the middle of a session"
    assert station.settings.site.city == "Villeneuve-sur-Loire"
    assert kiosk.screen == "home"

    driver.tap("home.done")
    driver.wait_for_screen("attract")
    driver.wait_until(lambda: app.city_name == "Blois", 5, "the change applied at the end")
    assert station.reload.pending is None


def test_a_change_of_central_system_changes_the_services_shown(etc, kiosk):
    driver, station = kiosk.driver, kiosk.station
    driver.wait_until(lambda: station.central.current() is not None, 20, "the central link")
    assert type(station.central.current().catalogue).__name__ == "Open311Adapter"
    replace_file(etc / "site.toml", site(requests="wcs"))
    driver.wait_until(lambda: station.settings.central.requests.value == "wcs", 10,
                      "the change applied")
    driver.wait_until(lambda: station.central.current() is not None, 20, "the new link")
    assert type(station.central.current().catalogue).__name__ == "WcsAdapter"

    driver.tap("attract.start")
    driver.wait_for_screen("home")
    driver.tap("home.entry.services")
    driver.wait_for_screen("services")
    driver.wait_until(lambda: "Demande d'acte d'état civil" in driver.texts(), 20,
                      "the w.c.s. forms listed")
    assert "Nid-de-poule" not in driver.texts()  # the Open311 services are not offered now


def test_an_invalid_edit_keeps_the_last_good_one_and_is_in_the_next_heartbeat(
        fleet_etc, kiosk, peer):
    app, driver, station = kiosk.app, kiosk.driver, kiosk.station
    (first,) = wait_for_heartbeats(peer, 1, pump=driver.pump)[:1]
    good = station.reload.status.version
    assert points(first, "kiosk.config.version") == {(good,): 1}
    assert points(first, "kiosk.config.reload_error") == {(): 0}
    credentials = fleet_etc / "credentials.toml"
    fleet = FLEET.format(fleet=peer.running.fleet_url, credentials=credentials)

    seen = len(peer.records()["heartbeats"])
    (fleet_etc / "machine.toml").write_text(machine(idle=5, extra=fleet), encoding="utf-8")
    driver.wait_until(lambda: station.reload.status.last_error is not None, 10,
                      "the edit refused")
    beat = wait_for_heartbeats(peer, seen + 1, pump=driver.pump)[seen]
    reason = f"{fleet_etc / 'machine.toml'}: session.idle_s: must be greater than or equal to 30"
    assert points(beat, "kiosk.config.reload_error") == {(reason,): 1}
    assert points(beat, "kiosk.config.version") == {(good,): 1}, "the last good one in force"
    assert app.idle_s == 120 and station.settings.session.idle_s == 120
    assert kiosk.screen == "attract"

    # Put right with a new panel: valid, applied, and the panel waits for a restart.
    seen = len(peer.records()["heartbeats"])
    width = app.root_width
    replace_file(fleet_etc / "machine.toml", machine(
        idle=100, extra=fleet + '\n[panel]\npreset = "desk-24-landscape"\n'))
    driver.wait_until(lambda: app.idle_s == 100, 10, "the corrected edit applied")
    beat = wait_for_heartbeats(peer, seen + 1, pump=driver.pump)[-1]
    assert points(beat, "kiosk.config.reload_error") == {(): 0}
    assert points(beat, "kiosk.config.restart_pending") == {("panel",): 1}
    assert points(beat, "kiosk.config.version") != {(good,): 1}
    assert app.root_width == width and station.settings.panel.name == "43 in portrait totem"
