"""Durability of the outbox on a real SQLite file, across a real crash.

A child process adds submissions and is killed with SIGKILL (no cleanup, no atexit, no
flush): every submission whose `add` had returned — the moment the screen may say "sent" —
is found by the parent when it reopens the file, and no station reference is handed out
twice. A SIGKILL does not lose the kernel's page cache, so it cannot show what a power cut
would; for that the last test watches the system calls: the write-ahead log is fdatasync'd
before `add` returns (synchronous=FULL).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.outbox import codec
from kiosk.outbox.references import parse_reference
from kiosk.outbox.store import ItemState, Outbox

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import os, signal, sys
from kiosk.core.central import Place, RequestSubmission
from kiosk.outbox.store import Outbox

path, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
box = Outbox(path)
n = 0
while count == 0 or n < count:
    n += 1
    ref = box.new_reference("borne-1")
    if mode == "strace":
        os.write(2, b"ADD-BEGIN\\n")
    box.enqueue(RequestSubmission("open311:001", {"n": str(n)}, Place(address="rue"),
                                  "borne-1", ref, description=f"secret {n}"))
    if mode == "strace":
        os.write(2, b"ADD-END\\n")
    else:
        print(ref, flush=True)
if mode == "self-kill":
    os.kill(os.getpid(), signal.SIGKILL)  # right after the last add returned
box.close()
"""


def child(path: Path, count: int, mode: str, *prefix: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([*prefix, sys.executable, "-c", CHILD, str(path), str(count), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO)


def check_reopened(path: Path, acknowledged: list[str]) -> None:
    """Every acknowledged item is there, readable, and the file is sound."""
    with Outbox(path) as box:
        for n, ref in enumerate(acknowledged, start=1):
            item = box.get(ref)
            assert item is not None, f"acknowledged item {ref} lost"
            assert item.state is ItemState.PENDING
            submission = codec.decode(box.payload(ref) or "")
            assert submission.description == f"secret {n}"
        assert box._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The counter goes on after the last number shown, never back.
        following = parse_reference(box.new_reference("borne-1"))
        last = max((parse_reference(r) for r in acknowledged), default=None)
        if last is not None and last.day == following.day:
            assert following.counter > last.counter


def test_items_added_just_before_sigkill_are_there(tmp_path):
    path = tmp_path / "outbox.db"
    proc = child(path, 25, "self-kill")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    acknowledged = out.split()
    assert len(acknowledged) == 25
    assert Path(f"{path}-wal").exists()  # killed before any cleanup: the log is still there
    check_reopened(path, acknowledged)


def test_items_acknowledged_before_a_kill_at_any_moment_are_there(tmp_path):
    path = tmp_path / "outbox.db"
    proc = child(path, 0, "forever")
    assert proc.stdout is not None
    acknowledged: list[str] = []
    while len(acknowledged) < 200:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        acknowledged.append(line.strip())
    proc.send_signal(signal.SIGKILL)  # somewhere in the middle of an add
    # What readline has read ahead into its buffer, then the pipe to its end: printed before
    # the kill, so acknowledged as well. (communicate() would read the pipe's descriptor and
    # miss the lines already buffered here.)
    rest = proc.stdout.read()
    proc.wait(timeout=30)
    acknowledged += rest.split()
    assert proc.returncode == -signal.SIGKILL
    check_reopened(path, acknowledged)
    with Outbox(path) as box:
        assert box.counts().pending in (len(acknowledged), len(acknowledged) + 1)


def test_the_log_is_synced_before_add_returns(tmp_path):
    if shutil.which("strace") is None:
        pytest.fail("strace is not installed (provisioning/setup-dev.sh --test installs it)")
    path = tmp_path / "outbox.db"
    trace = tmp_path / "trace.txt"
    proc = child(path, 5, "strace", "strace", "-f", "-qq", "-o", str(trace),
                 "-e", "trace=openat,fsync,fdatasync,write")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, f"strace could not follow the writer (is ptrace allowed?): {err}"
    lines = trace.read_text().splitlines()
    wal_fds = {m.group(1) for line in lines
               if (m := re.search(r'openat\(.*outbox\.db-wal".*\) = (\d+)$', line))}
    assert wal_fds, "the write-ahead log was never opened"
    segments, current = [], None
    for line in lines:
        if 'write(2, "ADD-BEGIN' in line:
            current = []
        elif 'write(2, "ADD-END' in line:
            segments.append(current)
            current = None
        elif current is not None and (m := re.search(r"\b(?:fsync|fdatasync)\((\d+)\)", line)):
            current.append(m.group(1))
    assert len(segments) == 5
    for synced in segments:
        assert wal_fds & set(synced), "add returned before the log reached the disk"


def test_a_database_left_by_a_killed_child_is_not_corrupt_for_sqlite_itself(tmp_path):
    path = tmp_path / "outbox.db"
    proc = child(path, 10, "self-kill")
    proc.communicate(timeout=60)
    conn = sqlite3.connect(path)  # a plain reader (kiosk doctor, a technician's sqlite3)
    try:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 10
    finally:
        conn.close()
