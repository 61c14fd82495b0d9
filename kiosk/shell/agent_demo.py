"""The headless demo's staff walk (docs/assisted-mode.md): on `desk-assisted`, a facilitator
badges in and helps the visitor through tracking, with the console's window beside the
visitor's in each screenshot; on every profile, a technician's maintenance visit.

The badges are demo badges (demo keys and PINs, enrolled in a file of the demo's data
directory) put on the simulated reader. What the facilitator does at the console is sent as
the console sends it (`StaffDesk.receive`): a headless console has no mouse to click with.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.badges.enrol import Enrolment, enrol
from kiosk.badges.store import load_policy
from kiosk.core.assist import Outcome, Result
from kiosk.core.assist_messages import AgentAct, AskToType, CloseAssisted, TypeInto, WriteNote
from kiosk.core.badges import Role
from kiosk.core.intents import StartFlow
from kiosk.settings.models import BadgeSettings, Profile
from kiosk.shell.agent_wire import socket_path

FACILITATOR = ("F-0012", "04A1B2C3D4E5F6", "4826",
               "6b0d3f5e8a1c4b7d9e2f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5")
TECHNICIAN = ("T-0003", "04C0FFEE123456", "1357",
              "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0")
"""Demo badges: number, UID, PIN, key. Demo keys are no secret (docs/badges.md)."""
DEMO_NUMBER = "204518"
"""A request of the reference peer's seed, which the facilitator types for the visitor."""
DEMO_NOTE = "Rappeler le service voirie pour le suivi."
CONSOLE_WAIT_S = 60.0

Step = Callable[..., None]


def staff_steps(step: Step, driver: Any, station: Any, out: Path) -> None:
    """An assisted session (desk-assisted only), then a maintenance visit."""
    from devices.sim_control import set_sim_state

    settings = station.settings
    badge_file = settings.data_dir / "demo-badges.json"
    for badge_id, uid, pin, key in (FACILITATOR, TECHNICIAN):
        role = Role.FACILITATOR if badge_id == FACILITATOR[0] else Role.TECHNICIAN
        enrol(badge_file, Enrolment(badge_id, role, pin, bytes.fromhex(key), uid=uid,
                                    replace=True))
    station.staff.badges.use_policy(load_policy(BadgeSettings(file=badge_file)))

    def badge(card: tuple[str, str, str, str] | None) -> Callable[[], None]:
        def put() -> None:
            if card is None:
                set_sim_state(settings.data_dir, "card_reader", card=None, key=None)
            else:
                set_sim_state(settings.data_dir, "card_reader", card=card[1], key=card[3])

        return put

    def pin(digits: str) -> Callable[[], None]:
        return lambda: [driver.tap(role) for role in (*(f"pin.key.{d}" for d in digits),
                                                      "pin.enter")]

    if driver.app.current_screen == "attract":
        step("staff-visitor", "a visitor touches the screen", lambda: driver.tap("attract.start"),
             "home")
    if settings.profile is Profile.DESK_ASSISTED:
        _assisted(step, driver, station, out, badge(FACILITATOR), badge(None),
                  pin(FACILITATOR[2]))
    screen = driver.app.current_screen
    step("maintenance-badge", "a technician puts their badge on the reader",
         badge(TECHNICIAN), "staff_pin")
    step("maintenance-open", "the technician types their PIN: maintenance opens",
         pin(TECHNICIAN[2]), "maintenance")
    visit = lambda: station.core.state.assist.maintenance  # noqa: E731

    def checks() -> None:
        for check in ("print", "card", "central"):
            driver.tap(f"maintenance.{check}")
        driver.wait_until(lambda: visit() is not None and len(visit().checks) == 3 and all(
            r.status.value != "running" for _, r in visit().checks), 30, "the three checks")

    step("maintenance-checks", "test print, card test, central test", checks, "maintenance")
    step("maintenance-close", "the technician closes maintenance and takes the badge: the "
         "visitor's screen is back", lambda: (driver.tap("maintenance.close"), badge(None)()),
         screen)


def _assisted(step: Step, driver: Any, station: Any, out: Path, badge_on: Callable[[], None],
              badge_off: Callable[[], None], pin: Callable[[], None]) -> None:
    """The facilitator's walk, each screenshot the two windows side by side."""
    staff = station.staff
    transcript = out / "console.json"
    command = [sys.executable, "-m", "kiosk.cli", "agent",
               "--socket", str(socket_path(station.settings)), "--transcript", str(transcript),
               "--screenshots", str(out / "console-shots")]
    with (out / "console.log").open("ab") as log:
        console = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        shown = _Console(transcript, driver)
        screen = driver.app.current_screen

        def beside(name: str, action: str, do: Callable[[], None], expect: str,
                   console_shows: Callable[[dict[str, Any]], bool]) -> None:
            step(name, action, lambda: (do(), shown.wait(console_shows)), expect)
            side_by_side(out, name, shown.screenshot(out))

        step("assisted-badge", "a facilitator puts their badge on the reader: the PIN is "
             "asked on the public screen", badge_on, "staff_pin")
        beside("assisted-console", "the facilitator types their PIN: the console opens with "
               "the visitor's screen, the visitor's shows that a facilitator is helping",
               pin, screen, lambda s: s.get("visitor_screen") == screen)
        beside("assisted-start", "the facilitator starts “Track a request” from the console",
               lambda: staff.receive(AgentAct(StartFlow("tracking"))), "tracking_entry",
               lambda s: s.get("visitor_screen") == "tracking_entry")
        beside("assisted-ask", "the facilitator asks to type: the visitor is asked on their "
               "screen", lambda: staff.receive(AskToType()), "tracking_entry",
               lambda s: s.get("consent") == "asked")
        beside("assisted-consent", "the visitor touches “Yes, they may type”",
               lambda: driver.tap("assist.consent.give"), "tracking_entry",
               lambda s: s.get("consent") == "given")
        beside("assisted-typing", f"the facilitator types {DEMO_NUMBER} and a private note: "
               "the note stays on the console",
               lambda: (staff.receive(TypeInto("tracking_entry", 0, DEMO_NUMBER)),
                        staff.receive(WriteNote(DEMO_NOTE))), "tracking_entry",
               lambda s: s.get("consent") == "given")
        beside("assisted-search", "the visitor touches “Search”",
               lambda: driver.tap("tracking.search"), "tracking_result",
               lambda s: s.get("visitor_screen") == "tracking_result")
        beside("assisted-close", "the facilitator closes the session: procedure tracking, "
               "done, 8 minutes; the desk is back to self-service",
               lambda: (staff.receive(CloseAssisted(Outcome("tracking", Result.DONE, 8))),
                        badge_off()), "tracking_result",
               lambda s: s.get("screen") == "agent_locked")
    finally:
        console.terminate()
        try:
            console.wait(timeout=15)
        except subprocess.TimeoutExpired:
            console.kill()


class _Console:
    """The demo's console, as its transcript says."""

    def __init__(self, transcript: Path, driver: Any) -> None:
        self._transcript = transcript
        self._driver = driver
        self._frame = 0

    def _read(self) -> dict[str, Any]:
        import json

        try:
            return dict(json.loads(self._transcript.read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError):
            return {}

    def wait(self, check: Callable[[dict[str, Any]], bool]) -> None:
        """Until the console has drawn a new frame that passes `check`."""
        def drawn() -> bool:
            shown = self._read()
            return bool(shown) and shown["frame"] > self._frame and check(shown)

        self._driver.wait_until(drawn, CONSOLE_WAIT_S, "the console")
        self._frame = self._read()["frame"]
        time.sleep(0.05)

    def screenshot(self, out: Path) -> Path:
        """The console's last screenshot."""
        return out / "console-shots" / str(self._read()["screenshot"])


def side_by_side(out: Path, name: str, console_shot: Path) -> None:
    """The step's screenshot of the public screen, with the console's to its right."""
    from PIL import Image

    public_path = next(out.glob(f"*-{name}.png"))
    with Image.open(public_path) as public, Image.open(console_shot) as console:
        height = max(public.height, console.height)
        both = Image.new("RGB", (public.width + console.width, height), "white")
        both.paste(public.convert("RGB"), (0, 0))
        both.paste(console.convert("RGB"), (public.width, 0))
    both.save(public_path)
