"""`kiosk demo`: the product on simulated devices.

With a display it opens the window for a person to try. Headless (`--headless --out DIR`) it
drives the real app through every screen that exists, on a manual clock so that the
inactivity warning comes at once, and writes one PNG per step and `transcript.json`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.core.clock import ManualClock
from kiosk.settings.models import DeviceDriver, Settings
from kiosk.shell.agent_demo import staff_steps
from kiosk.shell.demo_booking import appointment_steps
from kiosk.shell.runner import RunOptions, build_station, install_signal_handlers


def demo_settings(settings: Settings, data_dir: Path) -> Settings:
    """Simulated devices, the printer declared required (so that the out-of-order screen can
    be shown by running it out of paper), data kept in `data_dir`."""
    configured = settings.devices

    def simulated(name: str, **changes: object) -> object:
        return replace(getattr(configured, name),
                       **{"driver": DeviceDriver.SIM, "required": False, **changes})

    devices = replace(
        configured,
        printer=simulated("printer", required=True),
        card_reader=simulated("card_reader"), scanner=simulated("scanner"),
        speech=simulated("speech"), poll_s=0.5,
    )
    central = replace(settings.central, embedded_peer=True)
    return replace(settings, devices=devices, data_dir=data_dir, central=central)


# A request of the reference peer's seed (config/peer-seed.json) with a history to show.
DEMO_REQUEST = "204518"
# A place of the packaged places file (config/places.csv): the media library.
DEMO_PLACE = "41999-08020101-001"


# The pothole report of the peer's seed: a realtime Open311 service with every datatype.
DEMO_SERVICE = "open311:VOI-001"


def request_steps(tour: Tour) -> None:
    """Report a pothole, one question per screen, and leave with its number."""
    driver, step, tap = tour.driver, tour.step, tour.tap
    step("request", "touch “Make a request or report a problem”", tap("home.entry.request"),
         "request_service")
    driver.wait_until(lambda: not driver.app.core.state.flow.busy, 15, "services")
    step("request-question", "touch “Pothole”", tap(f"service.{DEMO_SERVICE}"),
         "request_field")
    step("request-choice", "touch “On the pavement”", tap("choice.trottoir"), "request_field")
    step("request-number", "type 30 {keys} and touch “Next”", lambda: (
        driver.enter(driver.app.screen_view("request_field").ids.answer, "30"),
        driver.tap("request.next")), "request_field")
    step("request-several", "touch “Cyclists may fall”, then “Next”",
         lambda: [driver.tap(r) for r in ("choice.chute-velo", "request.next")],
         "request_field")
    step("request-optional", "touch “Next” on the three optional questions",
         lambda: [driver.tap("request.next") for _ in range(3)], "request_place")
    step("request-contact", "touch “Here, near this kiosk”", tap("request.place.here"),
         "request_contact")
    step("request-summary", "touch “Leave no contact”", tap("request.contact.skip"),
         "request_summary")
    step("request-done", "touch “Send my request”", tap("request.confirm"), "request_done")
    step("request-home", "touch “Do something else”", tap("request.home"), "home")


def run_interactive(settings: Settings, data_dir: Path) -> int:
    """The demo in a normal window, on the real clock."""
    data_dir.mkdir(parents=True, exist_ok=True)
    station = build_station(demo_settings(settings, data_dir), RunOptions(fullscreen=False))
    install_signal_handlers(station.app)
    station.app.run()
    return 0


@dataclass(frozen=True)
class Reached:
    """A step of the walk-through that has reached its screen."""

    name: str
    action: str
    screen: str
    overlay: bool
    began: float
    #: what was on another page of a list and reached by turning its pages
    paged: tuple[str, ...] = ()
    #: what was touched outside the window, or under another control, where no finger can
    #: reach
    out_of_window: tuple[str, ...] = ()


@dataclass
class Tour:
    """The walk-through as it runs: the driver, the station's manual clock and data, and what
    is done once each step has reached its screen (a screenshot for the demo, the checks for
    `kiosk audit`)."""

    driver: Any
    clock: ManualClock
    settings: Settings
    data_dir: Path
    reached: Callable[[Reached], None]

    def step(self, name: str, action: str, do: Callable[[], object], expect: str,
             overlay: bool = False) -> None:
        """Do one thing, wait for screen `expect` (with the inactivity warning over it when
        `overlay`), then hand the step on. `{keys}` in `action` says how text was typed."""
        driver, app = self.driver, self.driver.app
        began = time.monotonic()
        paged, outside = len(driver.paged_to), len(driver.out_of_window)
        do()
        driver.wait_for_screen(expect, 15)
        driver.wait_until(lambda: app.overlay_open == overlay, 5,
                          f"overlay {'shown' if overlay else 'hidden'}")
        self.reached(Reached(name, action.format(keys=driver.typed_with), app.current_screen,
                             overlay, began, tuple(driver.paged_to[paged:]),
                             tuple(driver.out_of_window[outside:])))

    def tap(self, role: str) -> Callable[[], None]:
        """Touch the control with this role, later."""
        return lambda: self.driver.tap(role)

    def idle_until_warning(self) -> None:
        """Let the inactivity time pass with nobody touching."""
        self.clock.advance(self.settings.session.idle_s)
        self.driver.pump(0.4)

    def printer(self, state: str) -> Callable[[], None]:
        """Put the simulated printer in `state` (paper-out, online) and read it at once."""
        from devices.sim_control import set_sim_state

        def flip() -> None:
            set_sim_state(self.data_dir, "printer", state=state)
            self.driver.app.poll_devices_now()

        return flip


def walk_through(tour: Tour, before_the_end: Callable[[], None] = lambda: None) -> None:
    """Every screen that exists, from the attract screen to a session that ends by itself."""
    driver, step, tap = tour.driver, tour.step, tour.tap
    app, settings = driver.app, tour.settings
    step("attract", "start the station", lambda: None, "attract")
    step("home-fr", "touch the screen", tap("attract.start"), "home")
    step("home-en", "touch “English”", tap("home.language.en"), "home")
    step("home-search", "type “help” in the search {keys}",
         lambda: driver.enter(app.screen_view("home").ids.search, "help"), "home")
    step("help", "touch “OK” on the keyboard: the entries found; open the help entry",
         lambda: (driver.tap("key.OK"), driver.frames(3), driver.tap("home.entry.help")),
         "help")
    step("home-back", "press Escape (back)", lambda: driver.key("escape"), "home")
    step("idle-warning", f"wait {settings.session.idle_s} s without touching",
         tour.idle_until_warning, "home", overlay=True)
    step("continue", "touch “Continue”", tap("idle.continue"), "home")
    step("out-of-order", "the printer runs out of paper", tour.printer("paper-out"),
         "out_of_order")
    step("back-in-service", "paper refilled: the session resumes", tour.printer("online"),
         "home")
    step("finished", "touch “I have finished”", tap("home.done"), "attract")
    step("new-session", "touch the screen again", tap("attract.start"), "home")
    step("tracking", "touch “Track a request”", tap("home.entry.tracking"), "tracking_entry")
    step("tracking-number", f"type {DEMO_REQUEST} {{keys}} and touch “Search”", lambda: (
        driver.enter(app.screen_view("tracking_entry").ids.number, DEMO_REQUEST),
        driver.tap("tracking.search")), "tracking_result")
    step("tracking-back", "touch “Back”: the number stays typed", tap("bar.back"),
         "tracking_entry")
    step("tracking-again", "touch “Search” again", tap("tracking.search"), "tracking_result")
    step("survey", "touch “Give your opinion (3 quick questions)”", tap("survey.offer"),
         "survey_overall")
    step("survey-overall", "touch the smiling face “Very good”", tap("survey.overall.10"),
         "survey_clarity")
    step("survey-clarity", "touch “4 Clear”", tap("survey.clarity.4"), "survey_help")
    step("survey-help", "touch “Yes, a town hall agent or facilitator”",
         tap("survey.help.agent"), "survey_thanks")
    step("survey-home", "touch “Back to the home screen”", tap("survey.home"), "home")
    step("services", "touch “Find a service or a procedure”", tap("home.entry.services"),
         "services")
    step("services-search", "type “passeport” in the search {keys}", lambda: (
        driver.wait_until(lambda: not app.core.state.flow.busy, 15, "catalogue"),
        driver.enter(app.screen_view("services").ids.search, "passeport")), "services")
    step("services-back", "touch “Back”", tap("bar.back"), "home")
    request_steps(tour)
    step("places", "touch “Practical information”", tap("home.entry.places"), "places_list")
    step("places-libraries", "touch “Libraries”", tap("places.kind.library"), "places_list")
    step("places-detail", "touch the media library", tap(f"places.place.{DEMO_PLACE}"),
         "places_detail")
    step("places-back", "touch “See the other places”, then “Back”", lambda: (
        driver.tap("places.back_to_list"), driver.wait_for_screen("places_list"),
        driver.tap("bar.back")), "home")
    appointment_steps(tour)  # book, find, move and cancel an appointment
    before_the_end()  # the demo's staff visits (agent_demo.py)
    step("expired", f"wait {settings.session.idle_s + settings.session.warning_s} s: "
         "the session ends by itself",
         lambda: (tour.idle_until_warning(), tour.clock.advance(settings.session.warning_s),
                  driver.pump(0.4)), "attract")


@dataclass
class Transcript:
    """What the walk-through did, step by step."""

    out: Path
    started: float = field(default_factory=time.monotonic)
    steps: list[dict[str, Any]] = field(default_factory=list)

    def add(self, step: Reached, shot: Path) -> None:
        """One step: what was done, what was then on screen, and how long it took."""
        self.steps.append({
            "step": len(self.steps) + 1,
            "name": step.name,
            "action": step.action,
            "screen": step.screen,
            "overlay": "idle_warning" if step.overlay else None,
            "paged_to": list(step.paged),
            "out_of_window": list(step.out_of_window),
            "screenshot": shot.name,
            "at_ms": round((step.began - self.started) * 1000, 1),
            "duration_ms": round((time.monotonic() - step.began) * 1000, 1),
        })

    def write(self, settings: Settings, callback_errors: int) -> Path:
        """transcript.json in the output directory."""
        path = self.out / "transcript.json"
        path.write_text(json.dumps({
            "profile": settings.profile.value,
            "panel": settings.panel.name,
            "window_px": [settings.panel.width_px, settings.panel.height_px],
            "seated_layout": settings.accessibility.seated_layout,
            "steps": self.steps,
            "screens_seen": sorted({s["screen"] for s in self.steps}),
            # exceptions in Kivy callbacks the crash guard kept the app alive through
            "callback_errors": callback_errors,
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def walk_headless(settings: Settings, data_dir: Path,
                  reached: Callable[[Tour], Callable[[Reached], None]],
                  finish: Callable[[Settings, int], None] = lambda _s, _errors: None,
                  audit: bool = False, staff_out: Path | None = None) -> int:
    """Start the station with no display on a manual clock, walk through it handing each step
    to `reached(tour)`, then `finish(settings, callback errors)` and stop. Returns 0 when
    every step reached its screen, every control it touched lay inside the window, and nothing
    failed behind the screens. A control outside the window is touched all the same (said
    when it happens, and the walk fails at its end), so that one misplaced control does not
    hide the screens after it. For the `audit`, touches are not held nor text typed on the
    screens' keys, and a frame is drawn only when its pixels are read, which is quicker: the
    screens are looked at, the pressed state and the keys are not used."""
    data_dir.mkdir(parents=True, exist_ok=True)
    clock = ManualClock(start=1000.0)
    settings = demo_settings(settings, data_dir)
    station = build_station(settings, RunOptions(fullscreen=True, headless=True), clock=clock)
    from kiosk.shell.driver import KioskDriver  # Kivy is configured only now

    driver = KioskDriver(station.app)
    driver.strict = False
    if audit:
        driver.use_screen_keys, driver.hold_s = False, 0.0
    tour = Tour(driver, clock, settings, data_dir, lambda _step: None)
    tour.reached = reached(tour)
    try:
        driver.start()
        driver.draw = not audit  # the audit draws a frame only to read its pixels
        walk_through(tour, (lambda: staff_steps(tour.step, driver, station, staff_out))
                     if staff_out is not None else (lambda: None))
    finally:
        finish(settings, station.crash_guard.caught)
        driver.stop()
    for where in driver.out_of_window:
        print(f"kiosk: a visitor could not touch it: {where}", file=sys.stderr)
    if station.crash_guard.caught:
        # The walk-through reached every screen, but something behind it failed (the log's
        # app.callback_error lines say where): a demo that hides it would prove nothing.
        print(f"kiosk: {station.crash_guard.caught} exception(s) in Kivy callbacks",
              file=sys.stderr)
    return 1 if station.crash_guard.caught or driver.out_of_window else 0


def run_headless(settings: Settings, out: Path) -> int:
    """The scripted walk-through; returns 0 when every step reached the expected screen."""
    out.mkdir(parents=True, exist_ok=True)
    transcript = Transcript(out)

    def photograph(tour: Tour) -> Callable[[Reached], None]:
        def shot(step: Reached) -> None:
            path = tour.driver.screenshot(out / f"{len(transcript.steps) + 1:02d}-{step.name}.png")
            transcript.add(step, path)

        return shot

    return walk_headless(settings, out / "data", photograph,
                         lambda settings, errors: transcript.write(settings, errors),
                         staff_out=out)
