"""The Kivy application: it shows what `select_screen` picks, hands intents to the core, locks
the window down, feeds the systemd watchdog and reads the devices.

Import only after `kiosk.shell.boot` has configured Kivy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

from kivy.app import App
from kivy.cache import Cache
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.screenmanager import NoTransition
from kivy.uix.widget import Widget

from kiosk.core.controller import KioskCore
from kiosk.core.day_line import day_line
from kiosk.core.devices import DeviceKind, Scanner
from kiosk.core.events import EventType, Ident, record
from kiosk.core.flows import registry
from kiosk.core.geometry import (
    BUTTON_HEIGHT_MM,
    CAP_TO_FONT_SIZE,
    MIN_TARGET_MM,
    Panel,
)
from kiosk.core.i18n import language_name
from kiosk.core.intents import Back, Intent, SpeechCommand
from kiosk.core.layout import (
    ScreenLayout,
    bar_height_mm,
    compute_layout,
    far_text_cap_mm,
    key_height_mm,
    masthead_height_mm,
)
from kiosk.core.state import AppState, Overlay, ScreenName, Screens
from kiosk.core.theme import FLAT_THEMES, Palette, palette
from kiosk.core.tokens import (
    DAY_LINE_EVERY_S,
    KEY_PAD_MM,
    LINE_SPACING,
    PICTOGRAM_EM,
    PICTOGRAM_TO_CAP,
    SHADOW_OPACITY,
    cap_mm,
)
from kiosk.core.typeface import ICON_FONT, ICON_FONT_NAME, KEY_FONT_NAME, key_family
from kiosk.core.view import View, view_of
from kiosk.settings.models import Settings, TextSize, Theme
from kiosk.shell import lockdown
from kiosk.shell.device_monitor import DeviceMonitor
from kiosk.shell.heap import pace_collections, release_free_memory
from kiosk.shell.key_input import KeyInput
from kiosk.shell.scanner_link import ScannerLink
from kiosk.shell.screen_registry import all_screens, screen_class
from kiosk.shell.session_modules import SessionModules
from kiosk.shell.speech_link import SpeechLink
from kiosk.shell.systemd_notify import SystemdLink
from kiosk.shell.text_render import fix_text_rendering
from screens.assist_banner import AssistBanner  # noqa: F401  (the visitor's screens place it)
from screens.keyboard import release_keyboards, take_keyboards
from screens.screen_stack import ScreenStack

# How often the inactivity timer is looked at: the countdown shows whole seconds.
TICK_S = 0.25

# Screens kept for the life of the app: the attract screen shown with no session, and the home
# screen every session opens on. Every other screen is built during a session and dropped when
# it ends: an idle kiosk holds none of their widgets and textures (tests/benchmarks/
# session_memory.py measures both the builds and the memory), and no widget a visitor typed
# into outlives the session. The out-of-order screen is built when a device first fails: the
# station learns of it by reading its devices every `devices.poll_s` (2 s), and the build
# takes about 30 ms of that; it was 1 MiB held for a screen most stations never show
# (docs/performance.md, "What an idle station holds").
RESIDENT_SCREENS = frozenset({Screens.ATTRACT, Screens.HOME})

# A dropped screen is freed only once nothing holds it: a ScrollView's scroll bar fades in an
# Animation started 0.5 s after its last move and lasting 0.5 s (kivy/uix/scrollview.py).
RELEASE_AFTER_S = 1.5
# The rest of a flow is built one screen at a time while the visitor reads a step, starting
# once the step is drawn: each build takes 5–20 ms (tests/benchmarks/session_memory.py).
BUILD_AHEAD_S = 0.15

# The resident screens lay out and render their text in the frames after their build, and a
# paged list builds its buttons then, dropping those it measured with first: what they leave
# behind is collected, and the rest frozen, this long after the build (docs/performance.md).
SETTLE_S = 0.5

# Caches that hold rendered text keyed by the text itself (kivy/uix/textinput.py), and the
# widths of words measured (screens/measure.py).
TEXT_CACHES = ("textinput.label", "textinput.width", "kiosk.text_width")


def register_fonts() -> None:
    """The icon font under the name kv rules give it (the text face is Kivy's default,
    set by kiosk/shell/boot.py); Kivy's own Roboto stands in where the package is missing."""
    from kivy.core.text import LabelBase

    if ICON_FONT.is_file():
        LabelBase.register(name=ICON_FONT_NAME, fn_regular=str(ICON_FONT))
    keys = key_family()
    if keys is not None:
        LabelBase.register(name=KEY_FONT_NAME, fn_regular=str(keys.regular),
                           fn_bold=str(keys.bold))
    else:
        LabelBase.register(name=KEY_FONT_NAME, fn_regular="Roboto-Regular.ttf",
                           fn_bold="Roboto-Bold.ttf")


def bold_line_px(font_size: float) -> float:
    """How tall one line of bold text at `font_size` is drawn: the face's own line (a button's
    words on one line take that much of its height)."""
    from kivy.core.text import Label as CoreLabel

    probe = CoreLabel(text="Hg", font_size=font_size, bold=True)
    probe.refresh()
    return float(probe.texture.height)


def key_line_ratio() -> float:
    """How tall one line of the keys' bold face is drawn, for each pixel of its size."""
    from kivy.core.text import Label as CoreLabel

    probe = CoreLabel(text="Hg", font_size=100, font_name=KEY_FONT_NAME, bold=True)
    probe.refresh()
    return float(probe.texture.height) / 100


def line_spacing() -> float:
    """Kivy's `line_height` is a factor of the face's own line (ascent and descent, 1.63 em
    for Andika): the factor that puts lines LINE_SPACING times the font size apart."""
    from kivy.core.text import Label as CoreLabel

    probe = CoreLabel(text="H", font_size=100)
    probe.refresh()
    return LINE_SPACING * 100 / probe.texture.height


class KioskApp(App):
    """The full-screen kiosk."""

    lang = StringProperty("fr")
    #: the View on display, for widgets that draw from it wherever they are placed (the
    #: receipt panel); screens get it through `show`
    view = ObjectProperty(None, allownone=True)
    theme_name = StringProperty(Theme.DEFAULT.value)
    text_size = StringProperty(TextSize.M.value)
    #: rebind: kv rules read it through its parts (`app.layout.body.height`), and Kivy re-reads
    #: such a chain when its first link changes only for a property that rebinds (a change of
    #: posture moves every screen at once)
    layout = ObjectProperty(None, rebind=True)
    #: the zones of the posture shown at the largest text size: what keeps one size at every
    #: text size (the attract screen's tiles, docs/accessibility.md C3) is measured in them
    largest_layout = ObjectProperty(None, rebind=True)
    root_width = NumericProperty(0)
    root_height = NumericProperty(0)
    target = NumericProperty(0)
    button_height = NumericProperty(0)
    key_height = NumericProperty(0)
    can_go_back = BooleanProperty(False)
    next_lang = StringProperty("")
    #: True once the first screen is on the panel (work that can wait starts then)
    ready = BooleanProperty(False)
    next_language_name = StringProperty("")
    city_name = StringProperty("")
    site_name = StringProperty("")
    site_address = StringProperty("")
    station_id = StringProperty("")
    idle_s = NumericProperty(0)
    warning_s = NumericProperty(0)
    #: the screen on display, by name (tests and the demo read it)
    current_screen = StringProperty("")
    #: on-screen keyboards are shown where there is no physical keyboard (the totem)
    show_keyboard = BooleanProperty(True)
    #: the survey is offered only where the central has a form to take its answers (w.c.s.)
    survey_offered = BooleanProperty(True)
    #: the city's mark (`site.logo`), "" when it has none
    logo = StringProperty("")
    #: the font pictograms are drawn in (kiosk/core/typeface.py)
    icon_font_name = StringProperty(ICON_FONT_NAME)
    #: the font the on-screen keys' words are drawn in (kiosk/core/typeface.py)
    key_font_name = StringProperty(KEY_FONT_NAME)
    #: Kivy's line_height that sets lines 1.4 times the font size apart in the text face
    line_height = NumericProperty(1.0)
    #: the attract screen's line of the day (kiosk/core/day_line.py)
    day_line = StringProperty("")
    #: the person asked for no motion: the attract screen's pulse stays still
    reduced_motion = BooleanProperty(False)

    def __init__(self, settings: Settings, core: KioskCore,
                 health_sources: dict[DeviceKind, Any], link: SystemdLink,
                 scanner: Scanner | None = None, speech: SpeechLink | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.core = core
        self.link = link
        self._scanner = ScannerLink(scanner, core.dispatch) if scanner is not None else None
        self._speech = speech
        self.panel = Panel(settings.panel)
        self.quitting = False
        self._stopped = False
        self._screens: dict[ScreenName, Any] = {}
        self._overlay: Any = None
        self._panel: Any = None
        self._keyboard_mode = False
        self._had_session = False
        self._monitor = DeviceMonitor(health_sources, self._deliver_health,
                                      settings.devices.poll_s)
        self._watchdog_event: Any = None
        self._build_ahead = Clock.create_trigger(self._build_next_of_flow, BUILD_AHEAD_S)
        # Pillow, qrcode and Babel: loaded once a session has begun, not at start.
        self._session_modules = SessionModules(Clock.schedule_once)
        self.keys = KeyInput(settings.input, self._focused, self._first_of_view, self._focus)
        self.title = "kiosk"
        self.use_kivy_settings = False
        self.root_width = settings.panel.width_px
        self.root_height = settings.panel.height_px
        self.target = self.panel.px(MIN_TARGET_MM)
        self.button_height = self.panel.px(BUTTON_HEIGHT_MM)
        register_fonts()
        fix_text_rendering()
        self._measure_type()
        self._take_settings(settings)
        self._apply_settings(view_of(core.state))

    def _measure_type(self) -> None:
        """What the sizes of text follow on this panel, once the fonts are registered."""
        self.line_height = line_spacing()
        self._key_line = key_line_ratio()
        # What the text farthest from the eye needs at the largest size, standing and seated
        # (docs/accessibility.md C2): no text is smaller at XL.
        self._far_mm = {
            seated: far_text_cap_mm(compute_layout(self.panel, seated=seated), self.panel, seated)
            for seated in (False, True)}
        self._seated = False
        self._layouts: dict[tuple[bool, TextSize], ScreenLayout] = {}

    def _take_settings(self, settings: Settings) -> None:
        """What the screens show of the configuration."""
        self.settings = settings
        self.city_name = settings.site.city
        self.site_name = settings.site.name
        self.site_address = settings.site.location.address
        self.station_id = settings.station.id
        self.idle_s = settings.session.idle_s
        self.warning_s = settings.session.warning_s
        # Every profile has the on-screen keyboards: a visitor at a desk may not use its
        # physical keyboard.
        self.show_keyboard = True
        self.survey_offered = settings.central.takes_surveys
        self.logo = str(settings.site.logo) if settings.site.logo else ""
        self._palettes: dict[Theme, Palette] = {
            theme: palette(theme, settings.site.brand_colour) for theme in Theme}

    def reconfigured(self, settings: Settings) -> None:
        """The configuration changed between sessions (kiosk/shell/reload.py): the texts and
        timings the screens show are read again; the core has the new settings already."""
        self._take_settings(settings)
        self._show(self.core.state)

    # -- helpers for kv ------------------------------------------------------------------------

    def mm(self, millimetres: float) -> float:
        """Pixels for a length on the real panel."""
        return self.panel.px(millimetres)

    def font(self, role: str, size: str) -> float:
        """Font size in pixels of a text role at a text size in the posture shown
        (kiosk/core/tokens.py)."""
        return self._font(role, TextSize(size), self._seated)

    def _font(self, role: str, size: TextSize, seated: bool) -> float:
        return self.panel.font_px(cap_mm(role, size, self.settings.profile,
                                         self._far_mm[seated]))

    def key_font(self, size: str, letter: bool, key_height: float) -> float:
        """The font of an on-screen key's words: a letter large (the title's size) and a word
        ("espace", "123") as a button's, each kept to its key's height at S, M and L (half of
        it for a letter, two fifths for a word); at XL never under what the text farthest
        from the eye needs (docs/accessibility.md C2), and never a line taller than the key."""
        role = self.font("title" if letter else "button", size)
        fitted = min(role, key_height * (0.5 if letter else 0.4))
        least = self.font("small", size)
        # Inside the key's padding: what is around a text is read as what is behind it.
        room = key_height - 2 * self.panel.px(KEY_PAD_MM)
        return min(room / self._key_line, max(least, fitted))

    def _key_height_px(self, seated: bool, size: TextSize) -> float:
        """The keys' height for a posture and a text size: the same at S, M and L
        (`key_height_mm`), and at XL as tall as a letter at the size every text gets there
        needs, with its padding (docs/accessibility.md B5, C2, C3)."""
        largest = self.layout_for(seated, TextSize.XL)
        body = cap_mm("body", TextSize.XL, self.settings.profile, self._far_mm[seated])
        height = self.panel.px(key_height_mm(largest, self.panel, body))
        if size is TextSize.XL:
            letter = self._font("small", size, seated) * self._key_line
            height = max(height, letter + 2 * self.panel.px(KEY_PAD_MM))
        return height

    def icon_font(self, text_font_size: float) -> float:
        """Font size of a pictogram set beside text of `text_font_size`."""
        return text_font_size / CAP_TO_FONT_SIZE * PICTOGRAM_TO_CAP / PICTOGRAM_EM

    def icon_mm(self, millimetres: float) -> float:
        """Font size of a pictogram `millimetres` high on the panel."""
        return self.panel.px(millimetres) / PICTOGRAM_EM

    def rgba(self, token: str, theme: str) -> tuple[float, float, float, float]:
        """A colour token of a theme, in the city's colour where it has one."""
        return self._palettes[Theme(theme)].rgba(token)

    def shadow(self, theme: str) -> tuple[float, float, float, float]:
        """What raised controls cast: nothing in the high-contrast themes."""
        if Theme(theme) in FLAT_THEMES:
            return (0.0, 0.0, 0.0, 0.0)
        return (*self._palettes[Theme(theme)].rgba("shadow")[:3], SHADOW_OPACITY)

    def send(self, intent: Intent) -> None:
        """Screens call this; the core decides what changes (speech commands change nothing
        in the state: the speech link carries them out)."""
        if isinstance(intent, SpeechCommand) and self._speech is not None:
            self._speech.command(intent.action)
            return
        self.core.dispatch(intent)

    # -- Kivy lifecycle ------------------------------------------------------------------------

    def build(self) -> ScreenStack:
        """A screen manager with no animated transition (docs/visual-design.md, "Calm")."""
        Window.clearcolor = self.rgba("background", self.theme_name)
        manager = ScreenStack()
        # Kivy's transition keeps the screen it switched away from until its next switch: a
        # session's last screen, with what the visitor typed, would wait for the next visitor.
        manager.transition.bind(on_complete=self._let_go_of_left_screen)
        self._manager = manager
        return manager

    @staticmethod
    def _let_go_of_left_screen(transition: NoTransition) -> None:
        def let_go(_dt: float) -> None:
            if not transition.is_active:  # a switch begun since needs its screen_out
                # screen_out cannot be None; the screen on display is held anyway.
                transition.screen_out = transition.screen_in

        # on_complete comes before the screens' on_enter and on_leave, which still use it.
        Clock.schedule_once(let_go)

    def on_start(self) -> None:
        """Lock the window down, show the first screen, start the timers."""
        Window.bind(on_key_down=self._on_key_down, on_key_up=self._on_key_up,
                    on_request_close=self._on_request_close,
                    on_touch_down=self._on_touch_down, on_flip=self._on_first_flip)
        self.core.subscribe(self._show)
        if self._scanner is not None:
            self._scanner.attach(Window)
        self._show(self.core.state)
        Clock.schedule_interval(self._tick, TICK_S)
        self.bind(lang=self._refresh_day_line)
        self._refresh_day_line()
        Clock.schedule_interval(self._refresh_day_line, DAY_LINE_EVERY_S)
        record(EventType.APP_STARTED, station=Ident(self.settings.station.id),
               profile=self.settings.profile)

    def on_stop(self) -> None:
        """Stop the devices and tell systemd; safe to call twice (docs/kivy.md §1)."""
        if self._stopped:
            return
        self._stopped = True
        record(EventType.APP_STOPPING)
        self.link.stopping()
        self._monitor.stop()
        if self._speech is not None:
            self._speech.close()

    def open_settings(self, *_args: Any) -> bool:
        """F1 must not open Kivy's settings panel (docs/kivy.md §1)."""
        return False

    def close_settings(self, *_args: Any) -> bool:
        """There is never a settings panel to close."""
        return False

    def shutdown(self) -> None:
        """A deliberate stop (SIGTERM from systemd): let the window close."""
        self.quitting = True
        self.stop()

    # -- state → screen ------------------------------------------------------------------------

    def on_theme_name(self, *_args: Any) -> None:
        """The window's clear colour is the screens' background (ScreenStack): it follows the
        theme wherever the theme is changed from."""
        Window.clearcolor = self.rgba("background", self.theme_name)

    def _apply_settings(self, view: View) -> None:
        self.lang = view.language
        self.theme_name = view.accessibility.theme.value
        seated = view.accessibility.seated_layout
        size = view.accessibility.text_size
        far_moved = self._far_mm[seated] != self._far_mm[self._seated]
        self._seated = seated
        if self.text_size != size.value:
            self.text_size = size.value
        elif far_moved and size is TextSize.XL:
            # The posture changed the size of every text at XL: what follows the text size
            # (every font of the screens) follows this too.
            self.property("text_size").dispatch(self)
        layout = self.layout_for(seated, size)
        if layout != self.layout:
            self.largest_layout = self.layout_for(seated, TextSize.XL)
            self.layout = layout
            self.key_height = self._key_height_px(seated, size)
        self.can_go_back = view.can_go_back
        self.reduced_motion = view.accessibility.reduced_motion
        languages = view.languages
        following = languages[(languages.index(view.language) + 1) % len(languages)]
        self.next_lang = following
        self.next_language_name = language_name(following)

    def layout_for(self, seated: bool, size: TextSize) -> ScreenLayout:
        """The zones for a posture and a text size: the bar as tall as its words need, the
        masthead as the city's name does (kiosk/core/layout.py); measured once for each, as
        every change of the state asks for them."""
        layout = self._layouts.get((seated, size))
        if layout is None:
            words = self.panel.mm(bold_line_px(self._font("button", size, seated)))
            name = self.panel.mm(bold_line_px(self._masthead_font(size, seated)))
            layout = self._layouts[seated, size] = compute_layout(
                self.panel, seated=seated, bar_mm=bar_height_mm(words),
                masthead_mm=masthead_height_mm(name))
        return layout

    def masthead_font(self, size: str) -> float:
        """The city's name in its band, in the posture shown."""
        return self._masthead_font(TextSize(size), self._seated)

    def _masthead_font(self, size: TextSize, seated: bool) -> float:
        # The city's mark, not something to read in order to act: its band keeps one height
        # and its name the default size, but at XL it is as large as every text (C2).
        if size is TextSize.XL:
            return self._font("small", size, seated)
        return min(self._font("lead", size, seated), self._font("lead", TextSize.M, seated))

    def _show(self, state: AppState) -> None:
        view = view_of(state)
        self._apply_settings(view)
        self.view = view
        screen = self._screen(view.screen)
        # The screen on display and the resident ones; every screen built when the flow
        # ends or changes, so that each lets go of what the flow typed into it. Otherwise a
        # screen built ahead is shown the view when it comes on display: showing it at every
        # change would cost each tap a few milliseconds per screen built (docs/performance.md,
        # "A tap's way to the screen").
        flow = view.flow.name if view.flow is not None else None
        every = flow != self._flow_shown
        self._flow_shown = flow
        for name, built in self._screens.items():
            if every or built is screen or name in RESIDENT_SCREENS:
                built.show(view)
        if self.current_screen != view.screen:
            self._clear_focus()
            self._manager.current = view.screen
            self.current_screen = view.screen
            take_keyboards(screen)
            record(EventType.SCREEN_SHOWN, screen=Ident(view.screen))
            if view.in_session and view.flow is not None:
                self._build_ahead()
            if self._keyboard_mode and view.overlay is None:
                self._focus(screen.first_focus())
        elif (screen.focus_key() != self._focus_key and self._keyboard_mode
              and view.overlay is None):
            # The same screen with a new question (the next field of a form): keyboard users
            # start on it as on a new screen.
            self._clear_focus()
            self._focus(screen.first_focus())
        self._focus_key = screen.focus_key()
        self._show_overlay(view)
        if self._had_session and not view.in_session:
            self._forget_session()
        elif view.in_session and not self._had_session:
            self._session_modules.load_soon()
        self._had_session = view.in_session
        if self._speech is not None:
            self._speech.shown(view, self._active_view())

    def _screen(self, name: ScreenName) -> Any:
        if name not in self._screens:
            screen = screen_class(name)(name=name)
            screen.show(self.view or view_of(self.core.state))
            self._manager.add_widget(screen)
            self._screens[name] = screen
        return self._screens[name]

    def _build_next_of_flow(self, _dt: float) -> None:
        """Build the first screen of the current flow not yet built, then come back for the
        next: the steps then show as fast as screens built ahead of time."""
        state = self.core.state
        spec = registry.FLOWS.get(state.flow.name) if state.flow is not None else None
        if state.session is None or spec is None:
            return
        for name in spec.screens:
            if name not in self._screens:
                self._screen(name)
                self._build_ahead()
                return

    def _show_overlay(self, view: View) -> None:
        self._show_panel(view)
        if view.overlay is Overlay.IDLE_WARNING:
            if self._overlay is None:
                from screens.idle_warning import IdleWarning

                self._overlay = IdleWarning()
            self._overlay.show(view)
            if not self._overlay.is_open:
                self._clear_focus()
                self._overlay.open()
                record(EventType.OVERLAY_SHOWN, overlay=Overlay.IDLE_WARNING)
        elif self._overlay is not None and self._overlay.is_open:
            self._overlay.dismiss()
            record(EventType.OVERLAY_HIDDEN, overlay=Overlay.IDLE_WARNING)
            if self._keyboard_mode:
                self._focus(self._first_of_view())

    def _show_panel(self, view: View) -> None:
        """The accessibility panel over the screen (screens/accessibility_panel.py); once
        closed, the keyboard's focus goes back to the bar's button that opened it."""
        if view.overlay is Overlay.ACCESSIBILITY:
            if self._panel is None:
                from screens.accessibility_panel import AccessibilityPanel

                self._panel = AccessibilityPanel()
            self._panel.show(view)
            if not self._panel.is_open:
                self._clear_focus()
                self._panel.open()
                record(EventType.OVERLAY_SHOWN, overlay=Overlay.ACCESSIBILITY)
                if self._keyboard_mode:
                    self._focus(self._panel.first_focus())
        elif self._panel is not None and self._panel.is_open:
            self._panel.dismiss()
            record(EventType.OVERLAY_HIDDEN, overlay=Overlay.ACCESSIBILITY)
            if self._keyboard_mode and view.overlay is None:
                screen = self._screens[view.screen]
                opener = next((w for w in screen.walk(restrict=True)
                               if getattr(w, "role", "") == "bar.accessibility"), None)
                self._focus(opener or screen.first_focus())

    def _forget_session(self) -> None:
        """After a session: no focus left on a field, no text kept in Kivy's text caches, no
        screen of the session's flows kept."""
        self._clear_focus()
        for category in TEXT_CACHES:
            Cache.remove(category)
        self._drop_session_screens()

    def _drop_session_screens(self) -> None:
        for name in [n for n in self._screens if n not in RESIDENT_SCREENS]:
            if name == self._manager.current:
                continue  # with no session, attract or out-of-order is on display: a guard
            screen = self._screens.pop(name)
            release_keyboards(screen)
            self._manager.remove_widget(screen)
        Clock.schedule_once(lambda _dt: release_free_memory(), RELEASE_AFTER_S)

    _focus_key = ""
    #: the flow the screens were last all shown in (None: no flow)
    _flow_shown: str | None = None

    def screen_view(self, name: str) -> Any:
        """The screen widget called `name`, built if it was not yet."""
        return self._screen(name)

    @property
    def overlay_open(self) -> bool:
        """Whether the inactivity warning is on screen."""
        return self._overlay is not None and self._overlay.is_open

    @property
    def panel_open(self) -> bool:
        """Whether the accessibility panel is on screen."""
        return self._panel is not None and self._panel.is_open

    def poll_devices_now(self) -> None:
        """Read the devices at once rather than at the next period."""
        self._monitor.poll_now()

    def prepare_screens(self) -> None:
        """Off the path to the first frame: load every screen's module and kv rules (the slow
        part of a first build, up to 185 ms) and build the resident screens (docs/kivy.md §4)."""
        for name in all_screens():
            screen_class(name)
            if name in RESIDENT_SCREENS:
                self._screen(name)
        Clock.schedule_once(lambda _dt: self._freeze_what_stands(), SETTLE_S)

    def _freeze_what_stands(self) -> None:
        """Once the resident screens have settled, what stands lives as long as the app: the
        collector need not walk it again, and a full collection walks a session's objects only
        (the slowest screen build of tests/benchmarks/session_memory.py went from 130 to
        70 ms). Never with a session on: a frozen cycle is never collected, and a visitor's
        data must not outlive the visit."""
        if self.core.state.session is None:
            # What the settling left behind (a paged list's first buttons, 1.5 MiB in all)
            # goes first, and its pages back to the system (docs/performance.md).
            release_free_memory()
            gc.freeze()
        pace_collections()

    # -- focus ---------------------------------------------------------------------------------

    def _active_view(self) -> Widget:
        if self.overlay_open:
            return self._overlay
        if self.panel_open:
            return self._panel
        return self._manager.current_screen

    def _focused(self) -> Iterator[FocusBehavior]:
        # Only what is in the window can hold the focus; a screen leaves the window with its
        # focus cleared (_show).
        for view in (self._manager.current_screen, self._overlay, self._panel):
            if view is None:
                continue
            for widget in view.walk(restrict=True):
                if isinstance(widget, FocusBehavior) and widget.focus:
                    yield widget

    def _clear_focus(self) -> None:
        for widget in list(self._focused()):
            widget.focus = False

    def _focus(self, widget: Widget | None) -> None:
        if widget is not None and not widget.disabled:
            widget.focus = True

    # -- input ---------------------------------------------------------------------------------

    def handle_key(self, key: int, modifiers: list[str]) -> bool:
        """Every key press, whichever widget has focus: activity, lock-down, Escape as Back.
        Returns True when the key is used up here."""
        self.core.activity()
        self._keyboard_mode = True
        if key == lockdown.ESCAPE and self.core.state.session is not None:
            # Escape is "back one step" inside a session, never "leave the app".
            self.send(Back())
            return True
        if lockdown.is_blocked(key, modifiers):
            record(EventType.KEY_BLOCKED, key=key)
            return True
        return False

    def _on_key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None,
                     modifiers: list[str]) -> bool:
        if self._scanner is not None and self._scanner.key_down(key):
            return True
        if self.keys.down(key, codepoint, modifiers):  # a switch's move or select, a bounce
            self.core.activity()
            self._keyboard_mode = True
            return True
        if self.handle_key(key, modifiers):
            return True
        if key == lockdown.TAB and not any(self._focused()):
            self._focus(self._first_of_view())
            return True
        return False

    def _on_key_up(self, _window: Any, key: int, *_args: Any) -> bool:
        self.keys.up(key)
        return False

    def _first_of_view(self) -> Widget | None:
        """Where the focus starts on what is shown: the warning's "Continue" over a screen."""
        view = self._active_view()
        return view.ids.keep if view is self._overlay else view.first_focus()

    def _on_touch_down(self, _window: Any, touch: Any) -> bool:
        self.core.activity()
        self._keyboard_mode = False
        self.keys.stop_scanning()
        # In speech mode a first touch on a control says it and goes no further.
        return self._speech is not None and self._speech.touch_down(touch, self._active_view())

    def control_focused(self, widget: Widget) -> None:
        """A control got the keyboard focus (screens/widgets.py): speech says it."""
        if self._speech is not None:
            self._speech.focused(widget, self._active_view())

    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        if self.quitting:
            return False
        record(EventType.CLOSE_REFUSED)
        return True

    # -- time and devices ----------------------------------------------------------------------

    def _refresh_day_line(self, *_args: Any) -> None:
        location = self.settings.site.location
        self.day_line = day_line(self.core.places, location.lat, location.long,
                                 self.core.now(), self.lang)

    def _tick(self, _dt: float) -> None:
        self.core.tick()
        if self._scanner is not None:
            self._scanner.poll()
        if self._speech is not None:
            self._speech.poll()

    def deliver_outcome(self, outcome: Any) -> None:
        """An effect's outcome, from a worker thread: hand it to the core on the UI thread."""
        Clock.schedule_once(lambda _dt: self.core.dispatch(outcome))

    def _deliver_health(self, kind: DeviceKind, health: Any) -> None:
        # Called on the monitor thread: hand over to the UI thread.
        Clock.schedule_once(lambda _dt: self.core.device_health(kind, health))

    def _on_first_flip(self, *_args: Any) -> None:
        if not self._manager.current:
            return
        Window.unbind(on_flip=self._on_first_flip)
        self.ready = True
        record(EventType.APP_READY, screen=Ident(self._manager.current))
        self.link.status(f"showing {self._manager.current}")
        self.link.ready()
        # The watchdog is fed by the UI loop from then on: a frozen loop stops the pings.
        interval = self.link.watchdog_interval_s()
        if interval is not None:
            self._watchdog_event = Clock.schedule_interval(lambda _dt: self.link.watchdog(),
                                                           interval)
        # Devices are read and the screens prepared once the first screen is up: until the
        # first reading, devices count as usable (UNKNOWN_HEALTH).
        self._monitor.start()
        Clock.schedule_once(lambda _dt: self.prepare_screens(), 0.2)


