"""The accessibility panel: over the screen on display, the person's own settings (posture,
text size, theme, speech, motion), each applied at once to the whole interface, the choice made
marked by a tick as well as by colour (docs/accessibility.md, "The accessibility panel").

Not a Kivy ModalView, for the reason of the inactivity warning (screens/idle_warning.py): the
panel's controls sit in the reach band, its words where the eyes are. The settings are laid out
in one or two columns, as many as the band holds at the chosen size and posture; the rest is on
a next page ("Previous", "Next"), never scrolled. The focus goes round the panel's controls
only, in reading order, and Escape closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from kiosk.core.intents import Intent, SetAccessibility, SetSpeech, ShowAccessibility
from kiosk.core.speech_settings import step_rate, step_volume
from kiosk.core.tokens import PAD_MM
from kiosk.core.view import View
from kiosk.settings.models import AccessibilitySettings, TextSize, Theme
from kiosk.settings.speech_steps import RATE_STEPS_PERCENT, VOLUME_LEVELS
from screens.measure import one_line_width
from screens.over_screen import OverScreen
from screens.widgets import KioskButton, KioskText, send

# Two columns of settings where the panel is at least this wide (the portrait totem), one on
# narrower ones (the controls column of the desk).
TWO_COLUMNS_MM = 400.0
CHOSEN_MARK = "✓ "


@dataclass(frozen=True)
class Option:
    """One button of a setting: its role, words, pictogram, what it sends, and whether it is
    the choice made (None: an action, not a choice)."""

    role: str
    text: str
    icon: str
    intent: Intent
    chosen: bool | None = None


@dataclass(frozen=True)
class Setting:
    """A setting: its heading and its buttons."""

    heading: str
    options: tuple[Option, ...]


def settings_of(current: AccessibilitySettings, lang: str) -> tuple[Setting, ...]:
    """What the panel offers, in reading order, with the choices of `current` marked."""

    def option(role: str, icon: str, intent: Intent, chosen: bool | None = None) -> Option:
        return Option(f"a11y.{role}", translate(f"a11y.{role}", lang), icon, intent, chosen)

    seated, rate, volume = current.seated_layout, current.speech_rate, current.speech_volume
    return (
        Setting(translate("a11y.posture", lang), (
            option("posture.standing", "walk", SetAccessibility(seated_layout=False),
                   not seated),
            option("posture.seated", "accessible", SetAccessibility(seated_layout=True),
                   seated))),
        Setting(translate("a11y.text_size", lang), tuple(
            option(f"text_size.{size.value}", "format_size", SetAccessibility(text_size=size),
                   current.text_size is size) for size in TextSize)),
        Setting(translate("a11y.theme", lang), tuple(
            option(f"theme.{theme.value}", "contrast", SetAccessibility(theme=theme),
                   current.theme is theme) for theme in Theme)),
        Setting(translate("a11y.speech", lang), (
            option("speech.off", "voice_over_off", SetSpeech(on=False), not current.audio),
            option("speech.on", "record_voice_over", SetSpeech(on=True), current.audio))),
        Setting(translate("speech.rate", lang, step=RATE_STEPS_PERCENT.index(rate) + 1,
                          steps=len(RATE_STEPS_PERCENT)), (
            option("slower", "remove", SetSpeech(rate=step_rate(rate, -1))),
            option("faster", "add", SetSpeech(rate=step_rate(rate, 1))))),
        Setting(translate("speech.volume", lang, level=volume, levels=VOLUME_LEVELS), (
            option("quieter", "volume_down", SetSpeech(volume=step_volume(volume, -1))),
            option("louder", "volume_up", SetSpeech(volume=step_volume(volume, 1))))),
        Setting(translate("a11y.motion", lang), (
            option("motion.normal", "animation", SetAccessibility(reduced_motion=False),
                   not current.reduced_motion),
            option("motion.reduced", "motion_photos_off", SetAccessibility(reduced_motion=True),
                   current.reduced_motion))),
    )


def balanced(columns: list[list[Widget]], room: float,
             height: Callable[[list[Widget]], float]) -> list[list[Widget]]:
    """The same settings in the same order over as many columns, moved so that the tallest
    column is as short as it can be, every column within `room` (two columns at most)."""
    if len(columns) != 2:
        return columns
    groups = [g for column in columns for g in column]
    splits = [(groups[:k], groups[k:]) for k in range(1, len(groups))]
    fitting = [s for s in splits if height(s[0]) <= room and height(s[1]) <= room]
    if not fitting:
        return columns
    left, right = min(fitting, key=lambda s: max(height(s[0]), height(s[1])))
    return [left, right]


class PanelButton(KioskButton):
    """A button of the panel; it sends its intent on release."""

    def __init__(self, option: Option, **kwargs: Any) -> None:
        chosen = bool(option.chosen)
        super().__init__(role=option.role, icon=option.icon, chosen=chosen,
                         kind="choice" if option.chosen is not None else "secondary",
                         text=(CHOSEN_MARK if chosen else "") + option.text, **kwargs)
        self._intent = option.intent

    def on_release(self) -> None:
        """The choice, applied at once."""
        send(self._intent)


class AccessibilityPanel(OverScreen):
    """The person's settings over the current screen; touches never reach the screen under it."""

    page = NumericProperty(0)
    pages = NumericProperty(1)
    page_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] = ()
        self._groups: list[Widget] = []
        self._paged: list[list[list[Widget]]] = []
        self._lang = "fr"
        self._columns = 1
        # Held here: the row lets Previous and Next go with a single page, and kv's ids hold
        # them weakly only.
        ids = self.ids
        self._previous, self._next = ids.previous.__self__, ids.next.__self__
        self._close = ids.close.__self__

    # -- drawn from the view -------------------------------------------------------------------

    def show(self, view: View) -> None:
        """Build the settings again when a choice, the language or the layout has changed,
        keeping the focus on the control that had it."""
        app: Any = App.get_running_app()
        shown = (view.language, view.accessibility, app.layout, app.text_size)
        if shown == self._shown:
            return
        self._shown = shown
        self._lang = view.language
        focused = next((w.role for w in self.controls() if w.focus), None)
        for widget in self.controls():
            widget.focus = False
        settings = settings_of(view.accessibility, view.language)
        self._columns = self._column_count()
        self._groups = [self._group(setting) for setting in settings]
        if self._columns > 1 and any(g.height > self._room() for g in self._groups):
            # A setting too tall for a column (four sizes one under the other, seated, in
            # XL) gets the whole width, and its buttons side by side.
            self._columns = 1
            self._groups = [self._group(setting) for setting in settings]
        self._paginate()
        if focused is not None:
            self._refocus(focused)

    def _group(self, setting: Setting) -> Widget:
        """A setting as a column: its heading, then its buttons in as many columns as keep
        each one's words on one line, every button of it at one height."""
        app: Any = App.get_running_app()
        width = self._column_width()
        gap = app.layout.gap
        heading = KioskText(text=setting.heading, bold=True, size_hint_x=None, width=width)
        heading.texture_update()
        heading.height = heading.texture_size[1]
        buttons = [PanelButton(option, size_hint_x=None) for option in setting.options]
        needed = max(one_line_width(b.text, b.font_size, b.font_name, b.icon) for b in buttons)
        cols = len(buttons)
        while cols > 1 and needed > (width - (cols - 1) * gap) / cols:
            cols -= 1
        # As few columns as give that many rows: four sizes in two rows of two, not 3 + 1.
        cols = -(-len(buttons) // -(-len(buttons) // cols))
        each = (width - (cols - 1) * gap) / cols
        tallest = 0.0
        for button in buttons:
            button.width = each
            button.texture_update()
            tallest = max(tallest, app.button_height, button.texture_size[1] + 2 * button.pad_y)
        rows = -(-len(buttons) // cols)
        grid = GridLayout(cols=cols, spacing=gap, size_hint=(None, None), width=width,
                          height=rows * tallest + (rows - 1) * gap)
        for button in buttons:
            button.min_height = tallest
            grid.add_widget(button)
        group = BoxLayout(orientation="vertical", spacing=app.mm(PAD_MM / 2),
                          size_hint=(None, None), width=width,
                          height=heading.height + app.mm(PAD_MM / 2) + grid.height)
        group.add_widget(heading)
        group.add_widget(grid)
        return group

    def _column_count(self) -> int:
        app: Any = App.get_running_app()
        return 2 if app.panel.mm(self._inner_width()) >= TWO_COLUMNS_MM else 1

    def _inner_width(self) -> float:
        app: Any = App.get_running_app()
        return float(app.layout.body.width - 2 * app.mm(PAD_MM))

    def _column_width(self) -> float:
        app: Any = App.get_running_app()
        cols = self._columns
        return (self._inner_width() - (cols - 1) * app.layout.gap) / cols

    def _room(self) -> float:
        """The height the settings have: the reach band less the panel's padding, the row of
        Previous, Next and Close, and the gap above it."""
        app: Any = App.get_running_app()
        band = app.layout.body.top - app.layout.bar.y
        return float(band - 2 * app.mm(PAD_MM) - app.button_height - app.layout.gap)

    def _paginate(self) -> None:
        """Settings into pages, in reading order, as many as the band holds in its columns;
        then each page's settings shared between its columns as evenly as they allow."""
        app: Any = App.get_running_app()
        room, cols, gap = self._room(), self._columns, app.layout.gap

        def height(groups: list[Widget]) -> float:
            return sum(g.height for g in groups) + gap * max(0, len(groups) - 1)

        pages: list[list[list[Widget]]] = []
        rest = list(self._groups)
        while rest:
            columns: list[list[Widget]] = []
            while rest and len(columns) < cols:
                column = [rest.pop(0)]  # one setting at least, even if it is taller
                while rest and height([*column, rest[0]]) <= room:
                    column.append(rest.pop(0))
                columns.append(column)
            pages.append(balanced(columns, room, height))
        self._paged = pages
        self.pages = len(pages)
        self._show_page(min(int(self.page), len(pages) - 1))

    def _show_page(self, page: int) -> None:
        app: Any = App.get_running_app()
        self.page = page
        nav, paged = self.ids.nav, self.pages > 1
        nav.clear_widgets()
        for widget in ((self._previous, self._next) if paged else ()):
            nav.add_widget(widget)
        nav.add_widget(self._close)
        holder = self.ids.columns
        for column in holder.children:
            column.clear_widgets()
        holder.clear_widgets()
        for groups in self._paged[page]:
            column = BoxLayout(orientation="vertical", spacing=app.layout.gap)
            for group in groups:
                column.add_widget(group)
            column.add_widget(Widget())  # the column's groups from its top
            holder.add_widget(column)
        for _ in range(self._columns - len(self._paged[page])):
            holder.add_widget(Widget())
        self.page_text = (translate("a11y.page", self._lang, page=page + 1, pages=self.pages)
                          if self.pages > 1 else "")
        self._chain_focus()

    def turn(self, by: int) -> None:
        """Previous or Next page; the focus starts again on its first control."""
        page = max(0, min(int(self.pages) - 1, int(self.page) + by))
        if page == self.page:
            return
        had_focus = any(w.focus for w in self.controls())
        for widget in self.controls():
            widget.focus = False
        self._show_page(page)
        if had_focus:
            first = self.first_focus()
            if first is not None:
                first.focus = True

    # -- focus ---------------------------------------------------------------------------------

    def controls(self) -> list[KioskButton]:
        """The controls on the panel, in reading order: the settings of the page, column by
        column, then Previous, Next and Close."""
        return [w for holder in (self.ids.columns, self.ids.nav)
                for w in holder.walk(restrict=True) if isinstance(w, KioskButton)]

    def _chain_focus(self) -> None:
        """Tab and a switch's Move go round the panel's controls only (no trap: Close and
        Escape leave it)."""
        usable = [w for w in self.controls() if not w.disabled]
        for index, widget in enumerate(usable):
            widget.focus_next = usable[(index + 1) % len(usable)]
            widget.focus_previous = usable[index - 1]

    def _refocus(self, role: str) -> None:
        for page, columns in enumerate(self._paged):
            for group in (g for column in columns for g in column):
                for widget in group.walk(restrict=True):
                    if getattr(widget, "role", "") == role:
                        if page != self.page:
                            self._show_page(page)
                        widget.focus = True
                        return
        for widget in (self._previous, self._next, self._close):
            if widget.role == role and not widget.disabled:
                widget.focus = True
                return

    def first_focus(self) -> Widget | None:
        """Where the keyboard starts: the first setting of the page."""
        usable = [w for w in self.controls() if not w.disabled]
        return usable[0] if usable else None

    # -- over the screen -----------------------------------------------------------------------


    def open(self) -> None:
        """Over everything, from its first page."""
        if not self.is_open:
            self._show_page(0)
        self.put_up()

    def dismiss(self) -> None:
        """Take the panel away."""
        for widget in self.controls():
            widget.focus = False
        self.take_down()

    def close(self) -> None:
        """The Close button."""
        send(ShowAccessibility(shown=False))



Builder.load_file(str(Path(__file__).with_suffix(".kv")))
