"""The speech robot: a person who cannot see the screen, in the real window, touching only in
speech mode (docs/accessibility.md G3, H1–H15), against the embedded reference peer over real
HTTP, with the recording speech driver writing down everything the station says.

Every control is touched twice: the first touch must say it (and do nothing), the second acts.
The robot tracks a request, books an appointment and types a PIN on a step of a test's own
(no flow of the product asks for one yet). The recording then shows what was said: each
screen's summary, the status found, the booking confirmed; a PIN never, even in a headset;
the name typed and the tracking number only once a headset is in the jack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devices.sim_control import set_sim_state
from kiosk.core.i18n import translate
from kiosk.core.intents import SetSpeech, SpeechAction, SpeechCommand

pytestmark = pytest.mark.ui

SPEECH = {"KIOSK__DEVICES__SPEECH__DRIVER": '"recording"'}
# A request of the peer's seed (config/peer-seed.json), in progress, with a history.
KNOWN = "204518"
PASSPORT = "chrono:passeport-cni/depot-demande"
ANTS = "ab12cd34ef"
NAME = "zoe quintavalle"
PIN = "4711"
BOOKING_WAIT_S = 30

PIN_FLOW = '''
"""A step that asks for a PIN, masked: a speech test's own."""

from dataclasses import dataclass, replace

from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step

NAME = "pin_check"


@dataclass(frozen=True)
class EnterPin(FlowIntent):
    pin: str


@dataclass(frozen=True)
class PinContent:
    accepted: bool


@dataclass(frozen=True)
class PinFlow(Flow):
    accepted: bool = False

    def view(self) -> FlowView:
        return FlowView(NAME, "pin_step", 1, 1, content=PinContent(self.accepted))

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        if isinstance(event, EnterPin) and len(event.pin) == 4:
            return Step(replace(self, accepted=True))
        return Step(self)

    def back(self, ctx: FlowContext) -> Step:
        return Step(None)


def start(ctx: FlowContext, param: str) -> Step:
    return Step(PinFlow())


FLOW = FlowSpec(name=NAME, kind=PinFlow, start=start, screens=("pin_step",),
                home="home.entry.pin_check", home_order=80)
'''

PIN_SCREEN = '''
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty

from kiosk.core.flows.pin_check import EnterPin, PinContent
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["KeyboardDock", "PinStepScreen"]


class PinStepScreen(FlowScreen):
    accepted = BooleanProperty(False)

    def show(self, view):
        super().show(view)
        content = content_of(view, PinContent)
        self.accepted = bool(content and content.accepted)
        if content is None:
            self.ids.pin.keep(None)

    def submit(self):
        send(EnterPin(self.ids.pin.text))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
'''

PIN_RULES = '''
<PinStepScreen>:
    FloatLayout:
        FlowBody:
            KioskTitle:
                text: 'Code'
            KioskTextInput:
                id: pin
                password: True
                hint_text: 'Code'
                on_text_validate: root.submit()
            KioskButton:
                role: 'pin.ok'
                text: 'Accepted' if root.accepted else 'Check the code'
                on_release: root.submit()
            KeyboardDock:
                target: pin
                numeric: True
                shown: True
        Bar:
'''


def add_pin_step(folder: Path) -> None:
    """The PIN step joins the flows and the screens by its import path only, as a new flow
    does (tests/ui/test_ui_new_flow.py)."""
    import screens as screens_package
    from kiosk.core import flows as flows_package
    from kiosk.core.flows import registry

    flows, screens = folder / "flows", folder / "screens"
    flows.mkdir()
    screens.mkdir()
    (flows / "pin_check.py").write_text(PIN_FLOW, encoding="utf-8")
    (screens / "pin_step.py").write_text(PIN_SCREEN, encoding="utf-8")
    (screens / "pin_step.kv").write_text(PIN_RULES, encoding="utf-8")
    flows_package.__path__.append(str(flows))
    screens_package.__path__.append(str(screens))
    registry.FLOWS = registry.discover()


class Robot:
    """Touches as a person in speech mode does, and listens to what each touch says."""

    def __init__(self, kiosk: Any) -> None:
        self.kiosk = kiosk
        self.driver = kiosk.driver
        self.speech = kiosk.station.devices.speech
        self.heard_at = 0
        #: the key the last touch typed: touched again at once, it types at the first touch
        self.armed: str | None = None

    def new(self) -> list[str]:
        """What was said since the last call."""
        said = self.speech.said
        fresh, self.heard_at = said[self.heard_at:], len(said)
        return fresh

    def touch(self, target: Any, says: str = "") -> list[str]:
        """Touch a control twice: the first touch must say it and do nothing, the second
        acts. Returns what the first touch said."""
        d = self.driver
        self.new()
        before = self.where()
        d.tap(target)
        said = self.new()
        assert said, f"the first touch on {target!r} said nothing"
        assert says in said[-1], (says, said)
        assert self.where() == before, f"the first touch on {target!r} acted"
        d.tap(target)
        self.armed = target if isinstance(target, str) and target.startswith("key.") else None
        return said

    def where(self) -> tuple[Any, ...]:
        """The screen, the flow's value and what the fields hold: what an action changes."""
        state = self.kiosk.app.core.state
        fields = tuple(w.text for w in self.driver.walk() if hasattr(w, "password"))
        return self.kiosk.screen, state.session.flow if state.session else None, fields

    def type_keys(self, text: str) -> None:
        """Type on the on-screen keyboard, switching to the signs page for digits, each key
        touched twice (a key typed again at once acts at the first touch)."""
        azerty, signs = self.has("key.123"), False
        for char in text:
            wants_signs = azerty and char.isdigit()
            if wants_signs != signs:
                self.touch("key.123" if wants_signs else "key.abc")
                signs = wants_signs
            self.key(char)
        if signs:
            self.touch("key.abc")

    def key(self, char: str) -> None:
        role = f"key.{char}"
        if self.armed == role:
            self.driver.tap(role)
        else:
            self.touch(role, says="touche")

    def has(self, role: str) -> bool:
        return any(getattr(w, "role", None) == role for w in self.driver.walk())

    def wait_idle(self, timeout_s: float = BOOKING_WAIT_S) -> None:
        self.driver.wait_until(lambda: self.kiosk.app.core.state.flow is not None
                               and not self.kiosk.app.core.state.flow.busy, timeout_s,
                               "the central's answer")
        self.driver.frames(3)

    def choices(self, prefix: str) -> list[str]:
        found = [w for w in self.driver.walk()
                 if str(getattr(w, "role", "")).startswith(prefix + ".") and not w.disabled
                 and not str(w.role).endswith((".more", ".previous"))]
        found.sort(key=lambda w: (-w.to_window(w.x, w.y)[1], w.to_window(w.x, w.y)[0]))
        return [w.role for w in found]

    def everything(self) -> str:
        return "\n".join(self.speech.said)


def fr(key: str, **values: Any) -> str:
    return translate(key, "fr", **values)


def start(robot: Robot) -> None:
    robot.touch("attract.start", says=f"{fr('attract.start')}, bouton")
    robot.driver.wait_for_screen("home")
    assert robot.new()[-1].startswith(fr("home.title"))


def track(robot: Robot) -> str:
    """Track the known request; returns what the result screen said."""
    d = robot.driver
    robot.touch("home.entry.tracking", says=fr("home.entry.tracking"))
    d.wait_for_screen("tracking_entry")
    assert robot.new()[-1].startswith(f"{fr('flow.step', step=1, steps=2)}. "
                                      f"{fr('tracking.title')}")
    robot.type_keys(KNOWN)
    assert robot.kiosk.app.screen_view("tracking_entry").ids.number.text == KNOWN
    robot.touch("tracking.search", says=f"{fr('tracking.search')}, bouton")
    d.wait_for_screen("tracking_result", timeout_s=15)
    d.frames(3)
    said = robot.new()[-1]
    assert said.startswith(fr("flow.step", step=2, steps=2))
    assert fr("status.in_progress") in said  # the status found, read aloud
    return said


def book(robot: Robot) -> str:
    """Book a passport appointment; returns what the summary screen said."""
    d = robot.driver
    robot.touch("home.entry.appointment", says=fr("home.entry.appointment"))
    d.wait_for_screen("appointment_procedure")
    robot.wait_idle()
    robot.touch(f"appointment.procedure.{PASSPORT}")
    d.wait_for_screen("appointment_ants")
    robot.type_keys(ANTS)
    robot.touch("appointment.ants.continue")
    d.wait_for_screen("appointment_documents")
    robot.touch("appointment.documents.1")
    d.wait_for_screen("appointment_day")
    robot.wait_idle()
    robot.touch(robot.choices("appointment.day")[0])
    d.wait_for_screen("appointment_slot")
    assert fr("appointment.slot.instructions") in robot.new()[-1]
    robot.touch(robot.choices("appointment.slot")[0])
    d.wait_for_screen("appointment_name")
    name_field = robot.kiosk.app.screen_view("appointment_name").ids.name
    assert d.find("appointment.name.field") == name_field, "a field is found by its role"
    robot.touch(name_field, says=f"{fr('appointment.name.hint')}, zone de saisie, vide")
    robot.type_keys(NAME)
    assert name_field.text == NAME
    robot.touch("appointment.name.continue")
    d.wait_for_screen("appointment_contact")
    # A field is said by the words that label it on screen, not by its example.
    robot.touch("appointment.contact.email",
                says=f"{fr('appointment.contact.email')}, zone de saisie, vide")
    robot.touch("appointment.contact.continue")
    d.wait_for_screen("appointment_summary")
    d.frames(2)
    summary = robot.new()[-1]
    assert summary.startswith(fr("flow.step", step=8, steps=9))
    robot.touch("appointment.confirm", says=fr("appointment.summary.confirm"))
    d.wait_for_screen("appointment_done", BOOKING_WAIT_S)
    d.frames(3)
    done = robot.new()
    assert any(fr("appointment.done.title") in said for said in done), done
    assert any(fr("receipt.number.booking") in said for said in done), done
    return summary


def type_a_pin(robot: Robot) -> None:
    d = robot.driver
    robot.touch("home.entry.pin_check")
    d.wait_for_screen("pin_step")
    field = robot.kiosk.app.screen_view("pin_step").ids.pin
    robot.touch(field, says="Code, zone de saisie, vide")
    robot.new()
    robot.type_keys(PIN)
    assert field.text == PIN
    said = robot.speech.said[-3:]  # 4711: the second 1 is typed at its first touch
    assert said == [f"touche, {fr('speech.key.masked')}."] * 3
    robot.touch(field, says=f"Code, zone de saisie, {fr('speech.field.masked')}")
    robot.touch("pin.ok")
    d.pump(0.3)
    assert robot.kiosk.app.core.state.session.flow.accepted


def back_home(robot: Robot) -> None:
    robot.touch("bar.start_again")
    robot.driver.wait_for_screen("home")


@pytest.mark.kiosk(env={**SPEECH, "KIOSK__ACCESSIBILITY__AUDIO": "true"})
def test_speech_robot_tracks_books_and_types_a_pin_without_a_headset(kiosk, tmp_path):
    add_pin_step(tmp_path)
    robot = Robot(kiosk)
    assert fr("attract.touch_to_start") in robot.new()[-1]  # said when the station starts
    start(robot)
    result = track(robot)
    assert fr("speech.private") in result
    back_home(robot)
    summary = book(robot)
    assert fr("appointment.summary.title") in summary
    assert f"{fr('appointment.summary.name', name=fr('speech.private'))}." in summary
    back_home(robot)
    type_a_pin(robot)
    heard = robot.everything()
    assert translate("appointment.done.title", "fr") in heard
    for private in (KNOWN, "2 0 4, 5 1 8", NAME, "quintavalle", "Q U I", PIN, "4 7 1 1"):
        assert private not in heard.lower(), f"{private!r} was said without a headset"
    for key in "zoequintavl":  # no key of the name was said alone either
        assert f"touche, {key}." not in heard
    assert not any(entry.action == "speak" and entry.lang != "fr"
                   for entry in kiosk.station.devices.speech.entries)


@pytest.mark.kiosk(env=SPEECH)
def test_a_headset_turns_speech_on_and_hears_the_name_but_never_the_pin(kiosk, tmp_path):
    add_pin_step(tmp_path)
    robot = Robot(kiosk)
    assert kiosk.app.core.state.accessibility.audio is False
    assert robot.speech.said == []  # speech is off: nothing said yet
    set_sim_state(kiosk.settings.data_dir, "headset", plugged=True)
    kiosk.driver.wait_until(lambda: kiosk.app.core.state.headset, 5, "the headset")
    kiosk.driver.frames(3)
    plugged = robot.new()[-1]
    assert plugged.startswith(fr("speech.headset.in"))  # found without sight (H14)
    assert fr("attract.touch_to_start") in plugged
    start(robot)
    result = track(robot)
    assert "2 0 4, 5 1 8" in result  # in the headset, the number is read, digit by digit
    back_home(robot)
    summary = book(robot)
    assert f"{fr('appointment.summary.name', name=NAME)}." in summary
    back_home(robot)
    type_a_pin(robot)
    heard = robot.everything()
    assert PIN not in heard and "4 7 1 1" not in heard, "a PIN is never said, even in a headset"
    assert "touche, 2." in heard, "in the headset, the keys of the tracking number were said"


@pytest.mark.kiosk(env={**SPEECH, "KIOSK__ACCESSIBILITY__AUDIO": "true"})
def test_enter_acts_on_what_a_touch_said_and_tab_says_where_the_focus_goes(kiosk):
    robot = Robot(kiosk)
    d = kiosk.driver
    start(robot)
    d.tap("home.entry.tracking")
    assert robot.new() == [f"{fr('home.entry.tracking')}, bouton."]
    assert kiosk.screen == "home"
    d.key("enter")  # the control said has the focus: Enter acts on it
    d.wait_for_screen("tracking_entry")
    assert robot.new()[-1].startswith(fr("flow.step", step=1, steps=2))
    d.key("tab")
    d.frames(2)
    focused = d.focused()
    assert focused is not None
    assert robot.new()[-1].startswith(f"{focused.text}, bouton")
    kiosk.app.send(SpeechCommand(SpeechAction.REPEAT))
    assert robot.speech.entries[-1].action == "repeat"
    robot.touch("bar.language", says="English, bouton")
    d.frames(2)
    english = robot.speech.entries[-1]
    assert (english.lang, english.text.split(".")[0]) == ("en", "Step 1 of 2")
    kiosk.app.send(SetSpeech(rate=150, volume=7))
    d.frames(2)
    louder = robot.speech.entries[-1]
    assert (louder.delivery.rate_percent, louder.delivery.volume_level) == (150, 7)
    assert louder.text == "Speech rate: 6 of 8. Speech volume: 7 of 9."
    kiosk.app.send(SetSpeech(on=False))
    d.frames(2)
    assert robot.speech.entries[-1].action == "stop"
    d.tap("bar.start_again")  # speech off: a touch acts at once again
    d.wait_for_screen("home")
