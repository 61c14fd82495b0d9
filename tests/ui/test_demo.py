"""`kiosk demo --headless --out DIR`, the README's first command, as a user runs it, in the
profiles (totem, desk, desk-assisted), standing and with the seated layout
(KIOSK__ACCESSIBILITY__SEATED_LAYOUT=true): one PNG per step, every screen that exists seen,
and transcript.json with steps, screens and timings. The screenshots are looked at: each is a
full, non-blank panel and the screens differ. The demos run two at a time, each a process of
its own with no display.

By default two demos run, the standing totem and the seated assisted desk, together at once:
the test command's `kiosk audit --quick` walks the same walk-through in all six profiles and
postures and fails on any step that does not reach its screen. KIOSK_TEST_ALL_DEMOS=1 runs all
six here (about three times as long)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.shell.screen_registry import all_screens

ALL_DEMOS = [(profile, seated) for profile in ("totem", "desk", "desk-assisted")
             for seated in (False, True)]
DEMOS = (ALL_DEMOS if os.environ.get("KIOSK_TEST_ALL_DEMOS") == "1"
         else [("totem", False), ("desk-assisted", True)])
# Two demos at a time: each draws with the CPU, and this machine has two cores.
AT_ONCE = 2
DEMO_TIMEOUT_S = 300


def demo_id(demo: tuple[str, bool]) -> str:
    return f"{demo[0]}-{'seated' if demo[1] else 'standing'}"


@dataclass
class DemoRuns:
    """The demos, started as they are needed and one ahead, so that two run at once."""

    root: Path
    running: dict[tuple[str, bool], tuple[subprocess.Popen, Path]] = field(default_factory=dict)

    def start(self, demo: tuple[str, bool]) -> None:
        if demo in self.running:
            return
        profile, seated = demo
        out = self.root / demo_id(demo)
        env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # headless: no X at all
        env["KIOSK__ACCESSIBILITY__SEATED_LAYOUT"] = "true" if seated else "false"
        log = (self.root / f"{demo_id(demo)}.log").open("w", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "demo", "--headless", "--profile", profile,
             "--out", str(out)], env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        self.running[demo] = (process, out)

    def finished(self, demo: tuple[str, bool]) -> tuple[int, str, Path]:
        self.start(demo)
        later = DEMOS[DEMOS.index(demo) + 1:]
        for ahead in later[:AT_ONCE - 1]:
            self.start(ahead)
        process, out = self.running[demo]
        deadline = time.monotonic() + DEMO_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        if process.poll() is None:
            process.kill()
            process.wait()
        log = (self.root / f"{demo_id(demo)}.log").read_text(encoding="utf-8")
        return process.returncode, log, out

    def stop(self) -> None:
        for process, _out in self.running.values():
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    runs = DemoRuns(tmp_path_factory.mktemp("demo"))
    yield runs
    runs.stop()


@pytest.fixture(scope="module", params=DEMOS, ids=demo_id)
def demo(request, demo_runs):
    code, log, out = demo_runs.finished(request.param)
    problems = [line for line in log.splitlines() if line.startswith("kiosk:")]
    assert code == 0, "\n".join(problems) or log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    profile, seated = request.param
    return profile, seated, out


def window_of(profile: str) -> list[int]:
    panel = load_settings(ConfigSources(profile=profile), environ={}).panel
    return [panel.width_px, panel.height_px]


def test_transcript_lists_every_step_with_its_screen_and_timing(demo):
    profile, seated, out = demo
    transcript = json.loads((out / "transcript.json").read_text(encoding="utf-8"))
    steps = transcript["steps"]
    assert len(steps) >= 10
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    assert {s["screen"] for s in steps} == set(all_screens())
    assert any(s["overlay"] == "idle_warning" for s in steps)
    for step in steps:
        assert (out / step["screenshot"]).is_file()
        assert step["duration_ms"] >= 0 and step["at_ms"] >= 0
        assert step["out_of_window"] == []
    assert (transcript["profile"], transcript["seated_layout"]) == (profile, seated)
    assert transcript["window_px"] == window_of(profile)
    assert transcript["callback_errors"] == 0


def test_screenshots_are_whole_non_blank_and_distinct(demo):
    profile, _seated, out = demo
    transcript = json.loads((out / "transcript.json").read_text(encoding="utf-8"))
    images = {}
    for step in transcript["steps"]:
        image = Image.open(out / step["screenshot"]).convert("RGB")
        width, height = window_of(profile)
        if image.size != (width, height):
            # A step of the assisted session: the visitor's screen, the console's to its right.
            assert profile == "desk-assisted" and image.height == height, step["name"]
            assert image.width > width, step["name"]
            image = image.crop((0, 0, width, height))
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
