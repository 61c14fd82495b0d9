"""Robots that go through the flows without touching the screen, in the real window: with the
keyboard alone (Tab to move, Enter to choose, typing on the keys), or with two switches (move
and select only: every character is chosen on the on-screen keyboard). docs/accessibility.md
F1 and F2 say what they prove."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Enough moves to go round the largest screen (the keyboard's keys and the bar) twice.
MAX_MOVES = 160


@dataclass
class Robot:
    """Moves and chooses with two keys; types with the keys too (`switches=False`) or only
    on the on-screen keyboard (`switches=True`)."""

    driver: Any
    move: str = "tab"
    select: str = "enter"
    switches: bool = False

    def _role(self, widget: Any) -> str:
        return str(getattr(widget, "role", ""))

    def focus(self, wanted: Any) -> Any:
        """Move until the focus is on the control `wanted` picks (a role, or a predicate)."""
        matches = wanted if callable(wanted) else (lambda w: self._role(w) == wanted)
        for _ in range(MAX_MOVES):
            focused = self.driver.focused()
            if focused is not None and matches(focused) and not focused.disabled:
                return focused
            self.driver.key(self.move)
        raise AssertionError(f"{wanted!r} never got the focus on {self.driver.app.current_screen}")

    def choose(self, wanted: Any) -> None:
        """Move to a control and choose it, as a touch would."""
        self.focus(wanted)
        self.driver.key(self.select)

    def choose_first(self, prefix: str) -> None:
        """The first control whose role starts with `prefix` and goes on with a digit (the
        first day of a list, the first time of a day)."""
        self.choose(lambda w: self._role(w).startswith(prefix)
                    and self._role(w)[len(prefix):][:1].isdigit())

    def type(self, text: str) -> None:
        """Type into the field that has the focus or that the keyboard serves: keys, or, with
        switches, one on-screen key after another (lower case and digits)."""
        if not self.switches:
            self.driver.type_text(text)
            return
        for char in text:
            self.choose(f"key.{char}")

    def field(self, screen: str, name: str) -> Any:
        """Bring the focus to a text field of the screen (never choosing it: that would send)."""
        target = self.driver.app.screen_view(screen).ids[name].__self__  # ids are proxies
        return self.focus(lambda w: w is target)


def is_text_field(widget: Any) -> bool:
    """Whether a widget takes typed text (Kivy is imported only once the station runs)."""
    from kivy.uix.textinput import TextInput

    return isinstance(widget, TextInput)


def start(robot: Robot) -> None:
    robot.driver.key(robot.move)  # the attract screen's only control
    robot.driver.key(robot.select)
    robot.driver.wait_for_screen("home")


def track_and_rate(robot: Robot, number: str) -> None:
    """Tracking a request by its number, then the three survey questions."""
    d = robot.driver
    robot.choose("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    if not robot.switches:
        robot.field("tracking_entry", "number")
    robot.type(number)
    robot.choose("tracking.search")
    d.wait_for_screen("tracking_result", 15)
    robot.choose("survey.offer")
    d.wait_for_screen("survey_overall")
    robot.choose("survey.overall.10")
    d.wait_for_screen("survey_clarity")
    robot.choose("survey.clarity.4")
    d.wait_for_screen("survey_help")
    robot.choose("survey.help.agent")
    d.wait_for_screen("survey_thanks", 15)
    robot.choose("survey.home")
    d.wait_for_screen("home")


def report_pothole(robot: Robot) -> None:
    """The pothole report of the reference peer's seed, every question answered or skipped."""
    d = robot.driver
    robot.choose("home.entry.request")
    d.wait_for_screen("request_service")
    d.wait_until(lambda: not d.app.core.state.flow.busy, 15, "services")
    robot.choose("service.open311:VOI-001")
    d.wait_for_screen("request_field", 15)
    robot.choose("choice.trottoir")
    if not robot.switches:
        robot.focus(is_text_field)
    robot.type("30")
    robot.choose("request.next")
    robot.choose("choice.chute-velo")
    robot.choose("request.next")
    for _ in range(3):
        robot.choose("request.next")
    d.wait_for_screen("request_place")
    robot.choose("request.place.here")
    d.wait_for_screen("request_contact")
    robot.choose("request.contact.skip")
    d.wait_for_screen("request_summary")
    robot.choose("request.confirm")
    d.wait_for_screen("request_done", 20)
    robot.choose("request.home")
    d.wait_for_screen("home")


def book_bulky_waste(robot: Robot, name: str) -> None:
    """A bulky-waste collection: first day, first time, a name, no contact, confirmed."""
    d = robot.driver
    robot.choose("home.entry.appointment")
    d.wait_for_screen("appointment_procedure")
    d.wait_until(lambda: not d.app.core.state.flow.busy, 15, "procedures")
    robot.choose("appointment.procedure.chrono:encombrants/collecte")
    d.wait_for_screen("appointment_day")
    d.wait_until(lambda: not d.app.core.state.flow.busy, 15, "days")
    robot.choose_first("appointment.day.")
    d.wait_for_screen("appointment_slot")
    robot.choose_first("appointment.slot.")
    d.wait_for_screen("appointment_name")
    if not robot.switches:
        robot.field("appointment_name", "name")
    robot.type(name)
    robot.choose("appointment.name.continue")
    d.wait_for_screen("appointment_contact")
    robot.choose("appointment.contact.continue")
    d.wait_for_screen("appointment_summary")
    robot.choose("appointment.confirm")
    d.wait_for_screen("appointment_done", 30)
    robot.choose("appointment.finish")
    d.wait_for_screen("home")
