"""What the station says in speech mode, decided by the core from the view and the control
focused or touched (docs/accessibility.md H1–H9, H12–H15, G3), on the real core driven
through its flows, without a window:

- a screen that appears is summed up (title, purpose, step, what it shows), a change on it is
  said (a problem, "one moment", the printing, a receipt), and nothing is said while speech
  is off;
- a control is said by its visible words, its role and its state; what is masked is never
  said, what the person typed and the numbers that find their case only with a headset;
- speech on, rate and volume are session settings: a headset turns speech on, the end of
  the session brings the station's defaults back;
- a first touch on a control says it, a second acts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core import intents as i
from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    RequestReport,
    RequestStatus,
    Schedule,
    Slot,
)
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.effects import EffectDone
from kiosk.core.flows import registry
from kiosk.core.flows.appointment import (
    ChooseDocuments,
    ChooseProcedure,
    Confirm,
    EnterAnts,
    EnterContact,
    EnterName,
)
from kiosk.core.flows.booking import ChooseDay, ChooseSlot
from kiosk.core.flows.tracking import SubmitNumber
from kiosk.core.i18n import translate
from kiosk.core.speech import (
    KEY_NAMES,
    Control,
    ControlKind,
    announcements,
    describe,
    summary,
    utterance,
)
from kiosk.core.speech_explore import NOTHING_SAID, TouchMeans
from kiosk.core.speech_screens import SCREEN_TEXTS
from kiosk.core.speech_settings import nearest_rate, step_rate, step_volume
from kiosk.core.state import Screens
from kiosk.core.submission import Submitted
from kiosk.core.view import View, view_of
from kiosk.locales import shipped_languages
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.speech_steps import RATE_STEPS_PERCENT, VOLUME_LEVELS

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # a Monday
PASSPORT = Schedule("chrono:passeport-cni/depot-demande", "Passeport et carte d'identité",
                    place="Mairie, service État civil", duration_min=20, needs_ants_number=True)
BULKY = Schedule("chrono:encombrants/collecte", "Collecte des encombrants",
                 place="À votre domicile", duration_min=240)
PASSPORT_SLOTS = [Slot(f"{PASSPORT.id}@24-{hour}", PASSPORT.id, start, start + timedelta(
    minutes=20)) for hour in (9, 14) for start in [datetime(2026, 11, 24, hour, tzinfo=PARIS)]]
REPORT = RequestReport(number="104217", service_name="Nid-de-poule",
                       status=RequestStatus.IN_PROGRESS,
                       submitted_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
NAME = "Zoé Quintavalle"
PHONE = "0612345678"


class Ear:
    """What a person in speech mode hears, view after view, as the shell's link would hand it
    to the speech port."""

    def __init__(self, core: KioskCore) -> None:
        self.view: View | None = None
        self.heard: list[str] = []
        core.subscribe(self.shown)
        self.shown(core.state)

    def shown(self, state) -> None:
        view = view_of(state)
        said = utterance(announcements(self.view, view), view)
        self.view = view
        if said is not None:
            self.heard.append(said.text)

    @property
    def last(self) -> str:
        return self.heard[-1] if self.heard else ""

    def everything(self) -> str:
        return "\n".join(self.heard)


def make_core(**env: str) -> KioskCore:
    environ = {f"KIOSK__ACCESSIBILITY__{k.upper()}": v for k, v in env.items()}
    core = KioskCore(load_settings(ConfigSources(), environ=environ), ManualClock(100.0),
                     wall_clock=lambda: NOW)
    core.effects = []
    core.on_effect(core.effects.append)
    return core


@pytest.fixture
def core() -> KioskCore:
    """A station whose sessions start with speech on (accessibility.audio)."""
    return make_core(audio="true")


def book_passport(core: KioskCore) -> None:
    core.dispatch(i.StartFlow("appointment"))
    core.dispatch(EffectDone(core.effects[-1], [PASSPORT, BULKY]))
    core.dispatch(ChooseProcedure(PASSPORT.id))
    core.dispatch(EnterAnts("AB12CD34EF"))
    core.dispatch(ChooseDocuments(1))
    core.dispatch(EffectDone(core.effects[-1], PASSPORT_SLOTS))
    core.dispatch(ChooseDay(date(2026, 11, 24)))
    core.dispatch(ChooseSlot(PASSPORT_SLOTS[0].id))
    core.dispatch(EnterName(NAME))
    core.dispatch(EnterContact(PHONE, ""))


# -- screens ----------------------------------------------------------------------------------


def test_nothing_is_said_while_speech_is_off():
    core = make_core()
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("1"))
    assert ear.heard == []


def test_the_attract_and_home_screens_say_what_they_are_and_how_to_explore(core):
    ear = Ear(core)
    assert translate("attract.touch_to_start", "fr") in ear.last
    assert translate("speech.explore", "fr") in ear.last
    core.dispatch(i.StartSession())
    assert ear.last.startswith(translate("home.title", "fr"))
    assert translate("speech.explore", "fr") in ear.last


def test_tracking_is_said_step_by_step_with_its_problem_and_status(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    assert ear.last.startswith("Étape 1 sur 2. " + translate("tracking.title", "fr"))
    assert translate("tracking.instructions", "fr") in ear.last
    core.dispatch(SubmitNumber("1"))
    assert ear.last == translate("tracking.bad_number", "fr")  # H8: the problem, and only it
    core.dispatch(SubmitNumber("104 217"))
    assert ear.last == translate("flow.busy", "fr")  # H15: a status message
    core.dispatch(EffectDone(core.effects[-1], REPORT))
    assert ear.last.startswith("Étape 2 sur 2.")
    assert "Aujourd’hui : en cours de traitement" in ear.last
    assert "Nid-de-poule" in ear.last
    # The tracking number finds the person's case: without a headset it is not said (H7).
    assert "1 0 4" not in ear.everything() and "104" not in ear.last
    assert translate("speech.private", "fr") in ear.last


def test_with_a_headset_the_tracking_number_is_spelled_out(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core.set_headset(True)
    assert ear.last.startswith(translate("speech.headset.in", "fr"))
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104 217"))
    core.dispatch(EffectDone(core.effects[-1], REPORT))
    assert "Numéro : 1 0 4, 2 1 7." in ear.last


def test_the_appointment_summary_keeps_private_what_was_typed_without_a_headset(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    book_passport(core)
    assert core.state.flow.screen == "appointment_summary"
    heard = ear.everything()
    assert translate("appointment.summary.title", "fr") in ear.last
    assert "mardi 24 novembre 2026 à 09:00" in ear.last  # the time chosen is not private
    for private in (NAME, "Quintavalle", PHONE, "06 12", "AB12", "A B 1 2"):
        assert private not in heard
    assert ear.last.count(translate("speech.private", "fr")) == 3  # ANTS, name, phone


def test_with_a_headset_the_summary_reads_back_what_was_typed(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core.set_headset(True)
    book_passport(core)
    assert f"Nom : {NAME}" in ear.last
    assert PHONE in ear.last
    assert "A B 1 2, C D 3, 4 E F" in ear.last  # the ANTS number, in its printed groups


def test_a_booked_appointment_reads_its_receipt_and_the_printing(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    book_passport(core)
    core.dispatch(Confirm())
    assert ear.last == translate("flow.busy", "fr")
    booking = core.effects[-1]
    slot = booking.submission.slot
    booked = Appointment("1042", PASSPORT.id, slot.start, slot.end, AppointmentStatus.BOOKED)
    core.dispatch(EffectDone(booking, Submitted("ref", True, booked)))
    assert core.state.flow.screen == "appointment_done"
    said = ear.last
    assert translate("appointment.done.title", "fr") in said
    assert "Rendez-vous : mardi 24 novembre 2026 à 9\u00a0h\u00a000" in said  # H9: when
    assert "Lieu : Mairie, service État civil" in said
    assert translate("receipt.number.booking", "fr") in said
    assert "1 0 4 2" not in said  # the reference is private without a headset
    assert translate("print.printing", "fr") in said  # H15: the receipt is printing
    core.set_headset(True)
    assert "1 0 4 2" in ear.last  # plugged in: the instructions again, the number too


def test_a_language_change_says_the_screen_again_in_that_language(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core.dispatch(i.SetLanguage("en"))
    assert ear.last.startswith(translate("home.title", "en"))
    utter = utterance(summary(ear.view), ear.view)
    assert utter is not None and utter.lang == "en"


def test_the_inactivity_warning_is_said_with_its_countdown(core):
    ear = Ear(core)
    core.dispatch(i.StartSession())
    core._clock.advance(core._settings.session.idle_s)
    core.tick()
    assert ear.last.startswith(translate("idle.title", "fr"))
    assert "45 secondes" in ear.last
    heard = len(ear.heard)
    core._clock.advance(1)
    core.tick()
    assert len(ear.heard) == heard, "the countdown is not said every second"


@pytest.mark.parametrize("language", sorted(shipped_languages()))
def test_every_screen_has_a_summary_in_every_language(language):
    screens = {str(s) for s in (Screens.ATTRACT, Screens.HOME, Screens.HELP,
                                Screens.OUT_OF_ORDER)}
    screens |= {s for spec in registry.FLOWS.values() for s in spec.screens}
    assert screens - set(SCREEN_TEXTS) == set()
    for keys in SCREEN_TEXTS.values():
        for key in keys:
            assert translate(key, language) != key, key


@pytest.mark.parametrize("language", sorted(shipped_languages()))
def test_every_role_key_and_state_has_words(language):
    keys = [f"speech.role.{kind.value}" for kind in ControlKind] + list(KEY_NAMES.values())
    for key in keys:
        assert translate(key, language) != key, key


# -- controls ---------------------------------------------------------------------------------


@pytest.fixture
def view(core) -> View:
    core.dispatch(i.StartSession())
    return view_of(core.state)


def with_headset(core: KioskCore) -> View:
    core.set_headset(True)
    return view_of(core.state)


def test_a_button_is_its_words_and_its_role(view):
    assert describe(Control(ControlKind.BUTTON, "Rechercher"), view) == ["Rechercher, bouton"]
    assert describe(Control(ControlKind.BUTTON, "Français", selected=True), view) == [
        "Français, bouton, choisi"]
    assert describe(Control(ControlKind.BUTTON, "Retour", enabled=False), view) == [
        "Retour, bouton, indisponible"]


def test_a_button_without_words_is_the_screen_itself(view):
    assert describe(Control(ControlKind.BUTTON, ""), view) == summary(view)


def test_a_field_says_its_example_and_whether_it_is_empty(view):
    assert describe(Control(ControlKind.FIELD, "104 217"), view) == [
        "104 217, zone de saisie, vide"]


def test_a_field_without_words_of_its_own_is_named_by_the_question(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    assert describe(Control(ControlKind.FIELD, ""), view_of(core.state)) == [
        f"{translate('tracking.title', 'fr')}, zone de saisie, vide"]


def test_what_was_typed_is_said_only_with_a_headset(core, view):
    typed = Control(ControlKind.FIELD, "Jeanne Martin", value=NAME)
    said = describe(typed, view)
    assert NAME not in " ".join(said)
    assert said == [f"Jeanne Martin, zone de saisie, {translate('speech.private', 'fr')}"]
    assert describe(typed, with_headset(core)) == [f"Jeanne Martin, zone de saisie, {NAME}"]


def test_what_is_masked_is_never_said_even_with_a_headset(core, view):
    pin = Control(ControlKind.FIELD, "Code", value="4711", masked=True)
    for seen in (view, with_headset(core)):
        said = " ".join(describe(pin, seen))
        assert "4711" not in said and "4 7 1 1" not in said
        assert translate("speech.field.masked", "fr") in said
    empty = Control(ControlKind.FIELD, "Code", masked=True)
    assert describe(empty, view) == ["Code, zone de saisie, vide"]


def test_keys_that_type_are_private_and_the_others_are_named(core, view):
    letter = Control(ControlKind.KEY, "j", value="j")
    assert describe(letter, view) == [f"touche, {translate('speech.private', 'fr')}"]
    assert describe(letter, with_headset(core)) == ["touche, j"]
    assert describe(Control(ControlKind.KEY, "⌫", value="⌫"), view) == [
        "effacer le dernier caractère, touche"]
    assert describe(Control(ControlKind.KEY, "Valider", value="OK"), view) == [
        "Valider, touche"]


def test_keys_that_type_into_a_masked_field_are_never_said(core, view):
    digit = Control(ControlKind.KEY, "4", value="4", masked=True)
    for seen in (view, with_headset(core)):
        assert describe(digit, seen) == [f"touche, {translate('speech.key.masked', 'fr')}"]


# -- the utterance -----------------------------------------------------------------------------


def test_parts_become_sentences_at_the_persons_rate_and_volume(core, view):
    said = utterance(["Bonjour", "Ça va ?", " ", "Au revoir."], view)
    assert said is not None
    assert said.text == "Bonjour. Ça va ? Au revoir."
    assert (said.lang, said.delivery.rate_percent, said.delivery.volume_level) == ("fr", 100, 5)
    core.dispatch(i.SetSpeech(rate=150, volume=7))
    faster = utterance(["Bonjour"], view_of(core.state))
    assert (faster.delivery.rate_percent, faster.delivery.volume_level) == (150, 7)
    assert utterance([], view) is None


def test_nothing_is_uttered_when_speech_is_off():
    core = make_core()
    core.dispatch(i.StartSession())
    assert utterance(["Bonjour"], view_of(core.state)) is None


# -- speech settings ---------------------------------------------------------------------------


def test_rate_and_volume_move_by_steps_and_stop_at_the_ends():
    assert len(RATE_STEPS_PERCENT) == 8 and RATE_STEPS_PERCENT[0] == 50
    assert RATE_STEPS_PERCENT[-1] == 200
    assert step_rate(100, 1) == 125 and step_rate(100, -1) == 80
    assert step_rate(200, 1) == 200 and step_rate(50, -3) == 50
    assert nearest_rate(110) == 100 and nearest_rate(500) == 200
    assert step_volume(5, 1) == 6 and step_volume(VOLUME_LEVELS, 1) == VOLUME_LEVELS
    assert step_volume(1, -1) == 1


def test_speech_settings_are_said_when_changed_and_reset_when_the_session_ends():
    core = make_core()
    ear = Ear(core)
    default = core.state.accessibility
    core.dispatch(i.StartSession())
    core.dispatch(i.SetSpeech(on=True))
    assert ear.last.startswith(translate("home.title", "fr"))
    core.dispatch(i.SetSpeech(rate=step_rate(100, 1)))
    assert ear.last == "Vitesse de la voix : 5 sur 8."
    core.dispatch(i.SetSpeech(volume=9))
    assert ear.last == "Volume de la voix : 9 sur 9."
    core.dispatch(i.SetSpeech(rate=137, volume=42))  # off the steps: the nearest ones
    assert (core.state.accessibility.speech_rate, core.state.accessibility.speech_volume) == (
        125, 9)
    core.dispatch(i.EndSession())
    assert core.state.accessibility == default
    assert not core.state.accessibility.audio


def test_speech_can_be_set_before_a_session_for_the_one_about_to_start():
    core = make_core()
    core.dispatch(i.SetSpeech(on=True))
    assert core.state.accessibility.audio
    core.dispatch(i.StartSession())
    assert core.state.accessibility.audio


def test_a_headset_turns_speech_on_and_its_removal_lets_nothing_private_out():
    core = make_core()
    ear = Ear(core)
    core.set_headset(True)
    assert core.state.headset and core.state.accessibility.audio
    assert translate("speech.headset.in", "fr") in ear.last  # found without sight (H14)
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("tracking"))
    core.dispatch(SubmitNumber("104 217"))
    core.dispatch(EffectDone(core.effects[-1], REPORT))
    assert "1 0 4, 2 1 7" in ear.last
    core.set_headset(False)
    assert ear.last == translate("speech.headset.out", "fr")
    assert core.state.accessibility.audio, "speech stays on for the person in session"
    core.dispatch(i.Back())
    core.dispatch(SubmitNumber("104 217"))
    core.dispatch(EffectDone(core.effects[-1], REPORT))
    assert "1 0 4" not in ear.last


def test_the_headset_outlives_the_session_but_speech_goes_back_to_the_default():
    core = make_core()
    core.set_headset(True)
    core.dispatch(i.StartSession())
    core.dispatch(i.EndSession())
    assert core.state.headset
    assert not core.state.accessibility.audio


def test_a_headset_taken_out_with_nobody_in_session_returns_to_the_default():
    core = make_core()
    core.set_headset(True)
    core.set_headset(False)
    assert not core.state.accessibility.audio


# -- explore by touch ---------------------------------------------------------------------------


def test_a_first_touch_speaks_a_second_acts_and_another_control_speaks_again():
    exploring, means = NOTHING_SAID.touch("search")
    assert means is TouchMeans.SPEAK
    exploring, means = exploring.touch("search")
    assert means is TouchMeans.ACT
    exploring, means = exploring.touch("search")
    assert means is TouchMeans.ACT, "a key typed twice"
    exploring, means = exploring.touch("back")
    assert means is TouchMeans.SPEAK
    _, means = exploring.touch("search")
    assert means is TouchMeans.SPEAK
