"""`kiosk doctor`: one line per check, the exit code of the worst, and a support bundle in
which no canary planted in an outbox payload, a simulator's state or the log ever appears."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

from peer_support import Peer

from kiosk.core.central import SurveyAnswer
from kiosk.outbox.store import Outbox

CANARY = ("Zoé Canari", "0612345678", "zoe.canari@example.org")
MACHINE = """\
[station]
id = "B-DOC-1"
name = "Borne test"

[central]
fleet_url = "{fleet}"

[devices.printer]
driver = "sim"
required = true
"""


def doctor(tmp_path: Path, machine: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "KIOSK__DATA_DIR": f'"{tmp_path / "data"}"',
           "DISPLAY": ":9999"}
    return subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--config", str(machine),
                           *args], capture_output=True, text=True, timeout=120, env=env)


def station(tmp_path: Path, peer: Peer) -> Path:
    (tmp_path / "data").mkdir()
    machine = tmp_path / "machine.toml"
    machine.write_text(MACHINE.format(fleet=peer.running.fleet_url), encoding="utf-8")
    return machine


def lines(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {line[8:].partition(":")[0]: line for line in done.stdout.splitlines()
            if line[:8].strip() in ("OK", "WARNING", "ISSUE")}


def test_every_check_has_a_line_and_the_worst_is_the_exit_code(tmp_path, peer):
    machine = station(tmp_path, peer)
    done = doctor(tmp_path, machine)
    found = lines(done)
    assert found["configuration"].startswith("OK") and "station B-DOC-1" in found["configuration"]
    assert found["display"].startswith("ISSUE")  # no X server on :9999
    assert found["device printer"].startswith("OK")
    assert found["central fleet"].startswith("OK") and "answers (HTTP" in found["central fleet"]
    assert found["clock"].startswith("OK")  # the peer's Date header, this machine's clock
    assert found["disk"].startswith(("OK", "WARNING"))
    assert found["outbox"] == "OK      outbox: no outbox yet (nothing was ever sent)"
    assert found["badges"] == "OK      badges: UID-only badges are not allowed"
    assert done.returncode == 2, done.stdout

    # A required printer out of paper is an issue; an optional one would be a warning.
    subprocess.run([sys.executable, "-m", "kiosk", "sim", "printer", "state=paper-out",
                    "--data-dir", str(tmp_path / "data")], check=True, capture_output=True)
    assert lines(doctor(tmp_path, machine))["device printer"].startswith("ISSUE")


def test_an_invalid_configuration_is_an_issue_naming_file_and_field(tmp_path, peer):
    machine = station(tmp_path, peer)
    machine.write_text(machine.read_text() + "\n[session]\nidle_s = 5\n", encoding="utf-8")
    done = doctor(tmp_path, machine)
    assert done.returncode == 2
    assert f"ISSUE   configuration: {machine}: session.idle_s: must be greater than or equal " \
           "to 30" in done.stdout


def test_the_outbox_is_counted_and_the_bundle_holds_no_personal_data(tmp_path, peer):
    machine = station(tmp_path, peer)
    with Outbox(tmp_path / "data" / "outbox.sqlite3") as outbox:
        outbox.enqueue(SurveyAnswer("request", "B-DOC-1", "B-DOC-1-20250101-0001",
                                    overall=5, help_received=" ".join(CANARY)))
    (tmp_path / "data" / "sim").mkdir(exist_ok=True)
    (tmp_path / "data" / "notes.txt").write_text(" ".join(CANARY), encoding="utf-8")
    log = tmp_path / "journal.txt"
    log.write_text("\n".join([
        "2025-01-02T10:00:00+0100 borne kiosk[41]: INFO kiosk.events: session.started "
        "session=s-1",
        "2025-01-02T10:00:05+0100 borne kiosk[41]: INFO kiosk.events: screen.shown "
        "screen=request_place",
        f"2025-01-02T10:00:06+0100 borne kiosk[41]: ERROR kivy: ValueError: {CANARY[0]}",
        f"2025-01-02T10:00:07+0100 borne kiosk[41]: Traceback: name={CANARY[2]}",
        f"2025-01-02T10:00:08+0100 borne kiosk[41]: INFO kiosk.events: flow.started "
        f"flow={CANARY[1]}x@",
        "2025-01-02T10:00:09+0100 borne kiosk[41]: INFO kiosk.events: effect.failed "
        "why=<redacted str>",
    ]) + "\n", encoding="utf-8")
    bundle = tmp_path / "support.tar.gz"
    done = doctor(tmp_path, machine, "--bundle", str(bundle), "--log", str(log))
    assert "outbox: 1 waiting" in done.stdout
    assert f"support bundle: {bundle}" in done.stdout
    assert bundle.stat().st_mode & 0o777 == 0o600
    with tarfile.open(bundle) as tar:
        members = {m.name.split("/")[-1]: tar.extractfile(m).read().decode("utf-8")
                   for m in tar.getmembers()}
    assert set(members) == {"configuration.json", "versions.json", "devices.json",
                            "doctor.txt", "events.log"}
    everything = "\n".join(members.values())
    for canary in CANARY:
        for part in canary.split():
            assert part not in everything
    assert members["events.log"].splitlines() == [
        "2025-01-02T10:00:00+0100 session.started session=s-1",
        "2025-01-02T10:00:05+0100 screen.shown screen=request_place"]
    assert json.loads(members["configuration.json"])["station"]["id"] == "B-DOC-1"
    assert json.loads(members["devices.json"])["printer"] == {"ready": True, "reason": "ok"}
    assert json.loads(members["versions.json"])["kiosk"]
    assert "outbox: 1 waiting" in members["doctor.txt"]
