"""`kiosk demo --headless --out DIR`, the README's first command, as a user runs it: one PNG
per step, every screen that exists seen, and transcript.json with steps, screens and timings.
The screenshots are looked at: each is a full, non-blank panel and the screens differ."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageChops, ImageStat

from kiosk.shell.screen_registry import all_screens


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # headless: no X at all
    done = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--headless", "--out",
                           str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return out


def test_transcript_lists_every_step_with_its_screen_and_timing(demo_out):
    transcript = json.loads((demo_out / "transcript.json").read_text(encoding="utf-8"))
    steps = transcript["steps"]
    assert len(steps) >= 10
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    assert {s["screen"] for s in steps} == set(all_screens())
    assert any(s["overlay"] == "idle_warning" for s in steps)
    for step in steps:
        assert (demo_out / step["screenshot"]).is_file()
        assert step["duration_ms"] >= 0 and step["at_ms"] >= 0
    assert transcript["window_px"] == [1080, 1920]
    assert transcript["callback_errors"] == 0


def test_screenshots_are_whole_non_blank_and_distinct(demo_out):
    transcript = json.loads((demo_out / "transcript.json").read_text(encoding="utf-8"))
    images = {}
    for step in transcript["steps"]:
        image = Image.open(demo_out / step["screenshot"]).convert("RGB")
        assert image.size == (1080, 1920)
        spread = ImageStat.Stat(image.convert("L")).stddev[0]
        assert spread > 5, f"{step['screenshot']} looks blank"
        images[step["name"]] = image
    assert ImageChops.difference(images["attract"], images["home-fr"]).getbbox()
    assert ImageChops.difference(images["home-fr"], images["home-en"]).getbbox()
    assert ImageChops.difference(images["home-en"], images["idle-warning"]).getbbox()
    assert ImageChops.difference(images["help"], images["out-of-order"]).getbbox()
    # The warning darkens the screen around its box.
    dark = ImageStat.Stat(images["idle-warning"].convert("L")).mean[0]
    light = ImageStat.Stat(images["home-en"].convert("L")).mean[0]
    assert dark < light - 40
