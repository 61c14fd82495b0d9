"""`kiosk run` refuses to start, with one readable line and no traceback, when its
configuration cannot work: an unusable data directory, a device that cannot be built as
configured, a wrong environment override."""

from __future__ import annotations

import os
import subprocess
import sys


def run_kiosk(**env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK__")}
    full_env.update(env)
    full_env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "run"], env=full_env,
                          capture_output=True, text=True, timeout=60)


def test_unusable_data_dir(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    done = run_kiosk(KIOSK__DATA_DIR=f'"{blocker / "data"}"')
    assert done.returncode == 2
    assert f"data_dir {blocker / 'data'}: cannot be created" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_device_that_cannot_be_built_stops_before_any_window(tmp_path):
    done = run_kiosk(KIOSK__DATA_DIR=f'"{tmp_path}"', KIOSK__DEVICES__CARD_READER__DRIVER="pcsc",
                     KIOSK__DEVICES__CARD_READER__READER='"  "')
    assert done.returncode == 2
    assert "devices.card_reader.reader: the reader's name is empty" in done.stderr
    assert "Window" not in done.stderr, "no window may open for a station that cannot run"
    assert "Traceback" not in done.stderr


def test_wrong_environment_override_names_the_variable(tmp_path):
    done = run_kiosk(KIOSK__DATA_DIR=f'"{tmp_path}"', KIOSK__SESSION__IDLE_S="soon")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if "KIOSK__SESSION__IDLE_S" in line]
    assert len(lines) == 1
    assert "session.idle_s" in lines[0] and "integer" in lines[0]
    assert "Traceback" not in done.stderr
