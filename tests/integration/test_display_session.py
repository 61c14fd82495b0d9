"""The display session's start script (systemd/kiosk-display-session) against a real X server
(Xvfb, started as the unit starts Xorg: with the cookie the script made, -noreset): it waits
for the server, lets the kiosk user in by name, and turns blanking off. The X server resolves
the name, so the tests let in an account this machine has ("nobody")."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from provisioning.layout import SOURCE

SCRIPT = SOURCE / "systemd" / "kiosk-display-session"
USER = "nobody"


def session(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60,
                          env=env)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An X server with access control on, started the way the display unit starts one."""
    auth = tmp_path / "xauth"
    read_end, write_end = os.pipe()
    # The cookie names the display and the server reads it at start: a first server finds a
    # free display number (-displayfd), the real one is started on it with the cookie.
    probe = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"],
                             pass_fds=(write_end,), stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = os.read(read_end, 16).decode().strip()
    os.close(read_end)
    probe.terminate()
    probe.wait(10)
    display = f":{number}"
    made = session("cookie", display, str(auth))
    assert made.returncode == 0 and made.stderr == "", made.stderr
    xvfb = subprocess.Popen(["Xvfb", display, "-auth", str(auth), "-noreset", "-nolisten",
                             "tcp", "-screen", "0", "1280x800x24"], stderr=subprocess.DEVNULL)
    try:
        yield display, auth
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def x(display: str, auth: Path | None, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISPLAY": display}
    env.pop("XAUTHORITY", None)
    if auth is not None:
        env["XAUTHORITY"] = str(auth)
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=30, env=env)


def test_the_cookie_is_readable_by_root_only(server):
    _display, auth = server
    assert stat.S_IMODE(auth.stat().st_mode) == 0o600
    assert auth.stat().st_size > 0


def test_ready_waits_lets_the_kiosk_user_in_and_turns_blanking_off(server):
    display, auth = server
    ready = session("ready", display, str(auth), USER)
    assert ready.returncode == 0, ready.stderr
    assert f"SI:localuser:{USER}" in x(display, auth, "xhost").stdout.splitlines()
    saver = x(display, auth, "xset", "q").stdout
    assert "timeout:  0" in saver and "prefer blanking:  no" in saver
    # Without the cookie, and not the user let in: refused.
    assert x(display, None, "xset", "q").returncode != 0


def test_ready_fails_for_a_user_the_server_cannot_resolve(server):
    display, auth = server
    ready = session("ready", display, str(auth), "no-such-user-here")
    assert ready.returncode == 1
    assert "does not know the user no-such-user-here" in ready.stderr


def test_ready_with_a_layout_and_one_screen_says_so(server):
    display, auth = server
    ready = session("ready", display, str(auth), USER, "auto")
    assert ready.returncode == 0, ready.stderr
    assert "one screen connected" in ready.stderr


def test_ready_gives_up_on_a_server_that_never_answers(tmp_path):
    auth = tmp_path / "xauth"
    assert session("cookie", ":250", str(auth)).returncode == 0
    done = session("ready", ":250", str(auth), USER,
                   env={**os.environ, "KIOSK_DISPLAY_WAIT_S": "2"})
    assert done.returncode == 1
    assert "does not answer after 2 s" in done.stderr


def test_a_wrong_call_prints_the_usage():
    done = session("start", ":0")
    assert done.returncode == 2 and done.stderr.startswith("usage:")
