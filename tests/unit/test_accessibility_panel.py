"""Unit tests of the person's own settings (docs/accessibility.md, "The accessibility panel"):
`SetAccessibility` replaces `AppState.accessibility` with a new value, one field at a time,
also before a session (the attract screen's seated button); `ShowAccessibility` opens the
panel as an overlay over the screen, which the inactivity warning covers and Back (Escape)
closes without leaving the step; at the end of a session every choice, speech's included,
returns to the station's defaults and the panel is closed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.core import intents as i
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.display_settings import with_display
from kiosk.core.i18n import translate
from kiosk.core.screen_selection import Selection, select_screen
from kiosk.core.session import EndReason
from kiosk.core.speech import summary
from kiosk.core.state import Overlay, Screens
from kiosk.core.view import view_of
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import AccessibilitySettings, TextSize, Theme


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


@pytest.fixture
def settings():
    return load_settings(ConfigSources(), environ={})


@pytest.fixture
def core(settings, clock: ManualClock) -> KioskCore:
    return KioskCore(settings, clock)


def test_each_choice_changes_its_own_field_and_leaves_the_others():
    before = AccessibilitySettings(audio=True, speech_rate=150)
    assert with_display(before, i.SetAccessibility()) == before
    after = with_display(before, i.SetAccessibility(text_size=TextSize.XL))
    assert after == replace(before, text_size=TextSize.XL)
    assert before.text_size is TextSize.M  # a new value: the old one is untouched
    assert with_display(after, i.SetAccessibility(theme=Theme.HIGH_DARK, seated_layout=True,
                                                  reduced_motion=True)) == replace(
        after, theme=Theme.HIGH_DARK, seated_layout=True, reduced_motion=True)
    assert with_display(replace(before, seated_layout=True),
                        i.SetAccessibility(seated_layout=False)).seated_layout is False


def test_choices_apply_at_once_and_keep_the_step_and_what_was_typed(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.Remember("home.search", "passeport"))
    core.dispatch(i.ShowAccessibility())
    session, nav = core.state.session, core.state.nav
    core.dispatch(i.SetAccessibility(text_size=TextSize.XL))
    core.dispatch(i.SetAccessibility(theme=Theme.HIGH_DARK))
    core.dispatch(i.SetAccessibility(seated_layout=True))
    core.dispatch(i.SetSpeech(on=True))
    settings = core.state.accessibility
    assert (settings.text_size, settings.theme, settings.seated_layout, settings.audio) == (
        TextSize.XL, Theme.HIGH_DARK, True, True)
    assert core.state.session is session and core.state.nav == nav
    assert core.state.session.get("home.search") == "passeport"
    assert select_screen(core.state) == Selection(Screens.HELP, Overlay.ACCESSIBILITY)


def test_the_panel_opens_over_the_screen_and_back_closes_it_first(core):
    core.dispatch(i.ShowAccessibility())  # no session: nothing to open it over
    assert not core.state.accessibility_panel
    core.dispatch(i.StartSession())
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.ShowAccessibility())
    assert view_of(core.state).overlay is Overlay.ACCESSIBILITY
    core.dispatch(i.Back())  # Escape: the panel closes, the person stays on the step
    assert select_screen(core.state) == Selection(Screens.HELP, None)
    core.dispatch(i.Back())
    assert select_screen(core.state) == Selection(Screens.HOME, None)
    core.dispatch(i.ShowAccessibility())
    core.dispatch(i.ShowAccessibility(shown=False))
    assert select_screen(core.state).overlay is None


def test_the_inactivity_warning_comes_over_the_panel_which_waits_under_it(core, clock,
                                                                          settings):
    core.dispatch(i.StartSession())
    core.dispatch(i.ShowAccessibility())
    clock.advance(settings.session.idle_s + 1)
    core.tick()
    assert select_screen(core.state).overlay is Overlay.IDLE_WARNING
    core.dispatch(i.ContinueSession())
    assert select_screen(core.state).overlay is Overlay.ACCESSIBILITY


def test_the_attract_screen_starts_a_session_seated(core):
    core.dispatch(i.SetAccessibility(seated_layout=True))
    core.dispatch(i.StartSession())
    assert core.state.session is not None and core.state.accessibility.seated_layout


@pytest.mark.parametrize("reason", [EndReason.FINISHED, EndReason.TIMEOUT])
def test_every_choice_returns_to_the_station_defaults_when_the_session_ends(core, reason):
    defaults = core.state.accessibility
    core.dispatch(i.StartSession())
    core.dispatch(i.ShowAccessibility())
    core.dispatch(i.SetAccessibility(text_size=TextSize.S, theme=Theme.HIGH_LIGHT,
                                     seated_layout=True, reduced_motion=True))
    core.dispatch(i.SetSpeech(on=True, rate=200, volume=9))
    assert core.state.accessibility != defaults
    core.end_session(reason)
    assert core.state.accessibility == defaults
    assert not core.state.accessibility_panel
    core.dispatch(i.StartSession())
    assert core.state.accessibility == defaults
    assert select_screen(core.state).overlay is None


def test_start_again_keeps_the_choices_for_the_rest_of_the_session(core):
    core.dispatch(i.StartSession())
    core.dispatch(i.SetAccessibility(text_size=TextSize.L))
    core.dispatch(i.StartAgain())
    assert core.state.accessibility.text_size is TextSize.L


def test_the_panel_is_said_by_its_title_and_what_it_is_for():
    core = KioskCore(load_settings(ConfigSources(), environ={}), ManualClock(start=1.0))
    core.dispatch(i.StartSession())
    core.dispatch(i.ShowAccessibility())
    for lang in ("fr", "en", "fr_FALC"):
        said = summary(replace(view_of(core.state), language=lang))
        assert said == [translate("a11y.title", lang), translate("a11y.explanation", lang)]
