"""The accessibility panel in the real window (docs/accessibility.md, "The accessibility panel";
A1, A2, B3, C4, D5, E6, F1–F3, H2): opened from the bar in the middle of a form, it changes
the text size, the theme and the posture at once, the typed name and the step stay, nothing
overlaps and every control is in the reach band; the next session starts with the station's
defaults. The attract screen starts a session seated or with speech. The panel works with the
keyboard alone (the focus goes round it, Escape closes it) and says each choice with its
state in speech mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from layout_check import defects
from robots import Robot
from ui_support import tap_paging

pytestmark = pytest.mark.ui

BULKY = "appointment.procedure.chrono:encombrants/collecte"
SPEECH = {"KIOSK__DEVICES__SPEECH__DRIVER": '"recording"'}
WAIT_S = 30


def same_posture(layout, expected) -> bool:
    """The bar and the controls' band of the posture, whatever the text size (the bar grows
    with its words, and the body gives it the room)."""
    return (layout.bar.y, layout.body.top) == (expected.bar.y, expected.body.top)

def audit_failures(kiosk, profile: str) -> list[str]:
    """What `kiosk audit` finds on the screen shown now, seated, at XL, in the dark theme,
    that its list of the screens' known defects does not name (docs/accessibility.md §5.1)."""
    from kiosk.audit.capture import CapRuler, describe
    from kiosk.audit.checks import tree_findings
    from kiosk.audit.known import KNOWN
    from kiosk.audit.scene import Conditions
    from kiosk.core.geometry import Panel
    from kiosk.settings.models import TextSize, Theme

    app = kiosk.app
    scene = describe(app, CapRuler())
    found = tree_findings(scene, Panel(kiosk.station.settings.panel),
                          Conditions(profile, True, TextSize.XL, Theme.HIGH_DARK, app.lang))
    lines = [{**f.as_dict(), "screen": scene.screen, "cell": f"{profile}-seated-XL"}
             for f in found]
    return [line["message"] for line in lines if not any(d.covers(line) for d in KNOWN)]


def settle(kiosk, frames: int = 6) -> None:
    kiosk.driver.frames(frames)


def idle(kiosk) -> None:
    state = kiosk.app.core.state
    kiosk.driver.wait_until(lambda: state.flow is None or not kiosk.app.core.state.flow.busy,
                            WAIT_S, "the central's answer")
    settle(kiosk, 3)


def first_with(kiosk, prefix: str) -> str:
    """The first control on screen whose role is `prefix` followed by a digit."""
    return next(str(w.role) for w in kiosk.driver.walk()
                if str(getattr(w, "role", "")).startswith(prefix)
                and str(w.role)[len(prefix):][:1].isdigit())


def to_the_name_step(kiosk, name: str) -> None:
    """A bulky-waste booking as far as its name step, the name typed on the keyboard."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.appointment")
    d.wait_for_screen("appointment_procedure")
    idle(kiosk)
    tap_paging(d, BULKY)
    d.wait_for_screen("appointment_day")
    idle(kiosk)
    d.tap(first_with(kiosk, "appointment.day."))
    d.wait_for_screen("appointment_slot")
    d.tap(first_with(kiosk, "appointment.slot."))
    d.wait_for_screen("appointment_name")
    field = kiosk.app.screen_view("appointment_name").ids.name
    d.tap(field)
    d.type_text(name)
    assert field.text == name


def has(kiosk, role: str) -> bool:
    return any(getattr(w, "role", None) == role for w in kiosk.driver.walk())


def can_turn(kiosk, role: str) -> bool:
    return has(kiosk, role) and not kiosk.driver.find(role).disabled


def to_first_page(kiosk) -> None:
    while can_turn(kiosk, "a11y.previous"):
        kiosk.driver.tap("a11y.previous")


def choose(kiosk, role: str) -> None:
    """Tap a setting of the panel, turning its pages until it shows."""
    d = kiosk.driver
    to_first_page(kiosk)
    while not has(kiosk, role):
        if not can_turn(kiosk, "a11y.next"):
            pytest.fail(f"{role} is on no page of the panel")
        d.tap("a11y.next")
    d.tap(role)
    settle(kiosk)


def panel_defects(kiosk, band: tuple[float, float]) -> list[str]:
    """What is wrong on every page of the panel, turned by touch."""
    app = kiosk.app
    to_first_page(kiosk)
    found, page = [], 1
    while True:
        settle(kiosk)
        found += [f"page {page}: {p}" for p in defects(app, app._panel, band)]
        if not can_turn(kiosk, "a11y.next"):
            return found
        kiosk.driver.tap("a11y.next")
        page += 1


@pytest.mark.parametrize("label", [
    pytest.param("totem", marks=pytest.mark.kiosk(profile="totem")),
    pytest.param("desk", marks=pytest.mark.kiosk(profile="desk")),
])
def test_size_theme_and_posture_change_mid_form_and_the_next_session_has_the_defaults(
        kiosk, tmp_path: Path, label):
    from kiosk.core.layout import SEATED_CONTROLS_MM, STANDING_CONTROLS_MM, compute_layout
    from kiosk.settings.models import TextSize, Theme

    app, d = kiosk.app, kiosk.driver
    defaults = app.core.state.accessibility
    to_the_name_step(kiosk, "Jeanne Martin")
    d.tap("bar.accessibility")
    d.wait_until(lambda: app.panel_open, 5, "the panel")
    settle(kiosk)
    assert panel_defects(kiosk, STANDING_CONTROLS_MM) == []
    d.screenshot(tmp_path / f"{label}-panel-default.png")
    choose(kiosk, "a11y.text_size.XL")
    choose(kiosk, "a11y.theme.high-dark")
    choose(kiosk, "a11y.posture.seated")
    state = app.core.state.accessibility
    assert (state.text_size, state.theme, state.seated_layout) == (
        TextSize.XL, Theme.HIGH_DARK, True)
    # Applied at once to the whole interface, the panel over the same step.
    assert (app.text_size, app.theme_name) == ("XL", "high-dark")
    assert same_posture(app.layout, compute_layout(app.panel, seated=True))
    assert app.current_screen == "appointment_name" and app.panel_open
    # The choice made is ticked as well as filled.
    for role in ("a11y.text_size.XL", "a11y.theme.high-dark", "a11y.posture.seated"):
        choose(kiosk, role)  # chosen again: nothing changes
        button = d.find(role)
        assert button.chosen and button.text.startswith("✓ "), role
    assert panel_defects(kiosk, SEATED_CONTROLS_MM) == []
    d.screenshot(tmp_path / f"{label}-panel-xl-dark-seated.png")
    d.tap("a11y.close")
    d.wait_until(lambda: not app.panel_open, 5, "the panel closed")
    settle(kiosk, 8)
    # The step and what was typed are still there; the step fits its seated band at XL.
    assert app.current_screen == "appointment_name"
    assert app.screen_view("appointment_name").ids.name.text == "Jeanne Martin"
    assert defects(app, app._manager.current_screen, SEATED_CONTROLS_MM) == []
    assert audit_failures(kiosk, label) == []
    d.screenshot(tmp_path / f"{label}-name-xl-dark-seated.png")
    # The session ends: the next one starts with the station's defaults.
    d.tap("bar.start_again")
    d.wait_for_screen("home")
    assert app.core.state.accessibility.text_size is TextSize.XL  # kept within a session
    d.tap("home.done")
    d.wait_for_screen("attract")
    assert app.core.state.accessibility == defaults
    d.tap("attract.start")
    d.wait_for_screen("home")
    assert app.core.state.accessibility == defaults
    assert (app.text_size, app.theme_name) == (defaults.text_size.value, defaults.theme.value)
    assert same_posture(app.layout, compute_layout(app.panel, seated=defaults.seated_layout))
    assert not app.panel_open
    d.tap("bar.accessibility")
    settle(kiosk)
    assert d.find("a11y.text_size.M").chosen and d.find("a11y.posture.standing").chosen


@pytest.mark.parametrize("label", [
    pytest.param("totem", marks=pytest.mark.kiosk(profile="totem", env=SPEECH)),
    pytest.param("desk", marks=pytest.mark.kiosk(profile="desk", env=SPEECH)),
])
def test_the_attract_screen_starts_a_session_seated_or_with_speech(kiosk, tmp_path, label):
    from kiosk.core.layout import SEATED_CONTROLS_MM, STANDING_CONTROLS_MM, compute_layout

    app, d = kiosk.app, kiosk.driver
    assert defects(app, app._manager.current_screen, STANDING_CONTROLS_MM) == []
    d.screenshot(tmp_path / f"{label}-attract.png")
    d.tap("attract.seated")
    d.wait_for_screen("home")
    assert app.core.state.accessibility.seated_layout
    assert same_posture(app.layout, compute_layout(app.panel, seated=True))
    settle(kiosk, 8)
    assert defects(app, app._manager.current_screen, SEATED_CONTROLS_MM) == []
    d.tap("home.done")
    d.wait_for_screen("attract")
    assert not app.core.state.accessibility.seated_layout
    d.tap("attract.speech")  # speech is off: the touch acts at once
    d.wait_for_screen("home")
    assert app.core.state.accessibility.audio
    said = kiosk.station.devices.speech.said
    d.wait_until(lambda: bool(kiosk.station.devices.speech.said), 5, "speech")
    from kiosk.core.i18n import translate

    assert any(translate("home.title", "fr") in s for s in said)


@pytest.mark.kiosk(profile="desk")
def test_the_panel_by_keyboard_alone(kiosk):
    from kiosk.settings.models import TextSize

    app, d = kiosk.app, kiosk.driver
    robot = Robot(d)
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    robot.choose("bar.accessibility")
    d.wait_until(lambda: app.panel_open, 5, "the panel")
    settle(kiosk)
    panel = app._panel
    first = d.focused()
    assert first is not None and first is panel.first_focus(), "the focus starts on the panel"
    # Tab goes round the panel's controls only, in reading order, and comes back.
    usable = [w.role for w in panel.controls() if not w.disabled]
    seen = []
    for _ in range(len(usable) + 1):
        focused = d.focused()
        assert focused in panel.controls(), f"Tab left the panel for {focused!r}"
        seen.append(focused.role)
        d.key("tab")
    assert seen[:-1] == usable and seen[-1] == seen[0]
    assert "a11y.close" in seen
    # A choice by Enter applies and keeps the focus on it, the panel on the same page.
    robot.choose("a11y.text_size.L")
    assert app.core.state.accessibility.text_size is TextSize.L
    settle(kiosk)
    assert d.focused() is not None and d.focused().role == "a11y.text_size.L"
    assert d.focused().chosen
    # The other settings, on the next page, by Tab and Enter.
    robot.choose("a11y.next")
    robot.choose("a11y.motion.reduced")
    assert app.core.state.accessibility.reduced_motion
    # Escape closes the panel, and the focus is back on the button that opened it.
    d.key("escape")
    d.wait_until(lambda: not app.panel_open, 5, "the panel closed")
    assert app.current_screen == "home"
    assert d.focused() is not None and d.focused().role == "bar.accessibility"


@pytest.mark.kiosk(profile="totem", env={**SPEECH, "KIOSK__ACCESSIBILITY__AUDIO": "true"})
def test_the_panel_says_itself_and_each_choice_with_its_state(kiosk):
    from kiosk.core.i18n import translate

    app, d = kiosk.app, kiosk.driver
    speech = kiosk.station.devices.speech
    d.tap("attract.start")  # speech mode: a first touch says, a second acts
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("bar.accessibility")
    d.tap("bar.accessibility")
    d.wait_until(lambda: app.panel_open, 5, "the panel")
    settle(kiosk)
    assert translate("a11y.title", "fr") in speech.said[-1]
    d.tap("a11y.text_size.M")
    heard = speech.said[-1]
    assert heard.startswith(translate("a11y.text_size.M", "fr")) and "bouton" in heard
    assert translate("speech.state.selected", "fr") in heard, heard
    d.tap("a11y.speech.off")
    assert app.core.state.accessibility.audio, "a first touch only says"
    d.tap("a11y.speech.off")
    assert not app.core.state.accessibility.audio
