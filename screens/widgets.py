"""Widgets every screen is built from: buttons of four kinds that act on release and take
keyboard focus, text that wraps, pictograms, the masthead, the reading zone, the persistent
bar, and the base class of screens. How they look is the visual system of
docs/visual-design.md: sizes from kiosk/core/tokens.py, colours from kiosk/core/theme.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from weakref import ref

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.graphics import Color, InstructionGroup, Rectangle
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.core import tokens
from kiosk.core.i18n import translate
from kiosk.core.intents import Intent
from kiosk.core.pictograms import glyph
from kiosk.core.typeface import ICON_FONT_NAME
from kiosk.core.view import View
from screens.app_followers import follow_app
from screens.button_face import WORDS_FROM, ButtonFace, ButtonWords
from screens.fitting import button_height
from screens.measure import longest_word_width, one_line_width, text_width
from screens.text_pages import text_pages

T = TypeVar("T")

ACTIVATE_KEYS = ("enter", "numpadenter", "spacebar")
# How long a key-activated button shows as pressed before it acts, as a touch would.
KEY_PRESS_S = 0.05
# How far up the tree a focused widget looks for the list that scrolls it: screens nest a
# dozen levels at most.
MAX_NESTING = 32
# The button kinds of docs/visual-design.md: the one primary action of a step, filled in the
# city's colour; secondary actions outlined; a destructive action in its own colour; a choice
# among several (a list item), outlined, with its pictogram and words at the left.
KINDS = ("primary", "secondary", "danger", "choice")
# The stepper's dots: 4.4 mm across, 7 mm apart.
DOT_MM = 4.4
DOT_PITCH_MM = 7.0
# Between the stepper's dots and its words.
STEPPER_GAP_MM = 3.0
# What a button's face and words are drawn from (screens/button_face.py), besides the theme.
FACE_FROM = tuple(dict.fromkeys(("pos", "size", "state", "focus", "disabled", "kind", "chosen",
                                 *WORDS_FROM)))


def send(intent: Intent) -> None:
    """Hand an intent to the app shell (the only way a screen changes anything)."""
    App.get_running_app().send(intent)


@lru_cache(maxsize=48)
def pictogram_texture(name: str, font_size: int) -> Texture | None:
    """The glyph of pictogram `name`, white on transparent (a Color tints it to the theme),
    rendered once per size."""
    if not name or font_size <= 0:
        return None
    label = CoreLabel(text=glyph(name), font_name=ICON_FONT_NAME, font_size=font_size)
    label.refresh()
    return label.texture


class ShellKeys(FocusBehavior):
    """A focused widget receives keys before the window's own handler does (Kivy binds the
    keyboard after the app), so it hands every key to the shell first: the lock-down and the
    inactivity timer see all keys, whichever widget has focus."""

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """The shell's verdict first, then the widget's own handling."""
        if App.get_running_app().handle_key(keycode[0], modifiers):
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def keyboard_on_key_up(self, window: Any, keycode: Any) -> bool:
        """Escape is Back (the shell acts on its press). Kivy's FocusBehavior also drops the
        focus on Escape's release, which lands on the widget the new screen has just focused:
        the keyboard user would be left with no focus."""
        if keycode[1] == "escape":
            return True
        return bool(super().keyboard_on_key_up(window, keycode))

    def keyboard_on_textinput(self, window: Any, text: str) -> Any:
        """A key the shell dropped (a bounce, a held key: docs/accessibility.md F7, F8) types
        nothing either."""
        if App.get_running_app().keys.swallowing:
            return True
        return super().keyboard_on_textinput(window, text)

    def on_focus(self, _instance: Any, focused: bool) -> None:
        """A widget that Tab reaches inside a scrolling list is scrolled into view: the
        keyboard user sees where the focus is (WCAG 2.4.11, focus not obscured)."""
        if not focused:
            return
        App.get_running_app().control_focused(self)
        holder = self.parent
        for _ in range(MAX_NESTING):  # the window is its own parent: the walk is bounded
            if holder is None:
                return
            if isinstance(holder, ScrollView):
                holder.scroll_to(self, animate=False)
                return
            holder = holder.parent


class KioskButton(ShellKeys, Button):
    """A button that acts on release inside it (WCAG 2.5.2) and on Enter or Space when focused
    (docs/kivy.md §6). `role` is what speech and tests call it; `kind` how it looks; `icon`
    the pictogram at its left; `chosen` marks the choice made (a tick and the filled look, so
    never by colour alone); `busy` shows `busy_text` while the work it started runs."""

    role = StringProperty("button")
    #: what speech says of it when its words are a shortening (WCAG 2.5.3: the spoken name
    #: begins with the visible words); its words when ""
    spoken = StringProperty("")
    kind = OptionProperty("secondary", options=KINDS)
    icon = StringProperty("")
    #: its words without the pictogram: a row at the largest size gives their room to the
    #: words where both would not hold (FittedRow)
    words_only = BooleanProperty(False)
    chosen = BooleanProperty(False)
    busy = BooleanProperty(False)
    busy_text = StringProperty("")
    #: the pictogram's texture, at the size the label's text size gives it
    icon_texture = ObjectProperty(None, allownone=True)
    #: `busy_text` rendered as the button's words are, drawn in their place while busy
    busy_texture = ObjectProperty(None, allownone=True)
    #: room at the left of the words: the padding, and the pictogram when there is one
    pad_left = NumericProperty(0)
    #: the button is at least this tall, and its words this far from its top and bottom
    min_height = NumericProperty(0)
    pad_y = NumericProperty(0)
    #: room above the words inside the button, for what a subclass draws there (an attract
    #: tile's pictogram); kept out of the words' texture, which is only as large as the words
    words_top = NumericProperty(0)
    #: laid out: a button not shown takes no room (its height is the class rule's alone,
    #: which a screen's rule on `height` would not stay above when its words change)
    shown = BooleanProperty(True)
    # Its face is drawn by ButtonFace, its words by the kv rule. Left as Kivy's defaults,
    # these would load Kivy's theme atlas, a 512 × 512 texture (1.6 MiB resident with the
    # fields').
    background_normal = StringProperty("")
    background_down = StringProperty("")
    background_disabled_normal = StringProperty("")
    background_disabled_down = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._face = ButtonFace()
        # Under the words and under what a subclass's own rule adds (the attract tiles' tint).
        self.canvas.before.insert(0, self._face.group)
        if "_words" not in self.__dict__:  # built by kv: its rules are applied after this
            self._words = ButtonWords(self.canvas)
        # One redraw of the face and the words, once per frame at most, whatever changed.
        self._face_trigger = Clock.create_trigger(lambda _dt: self._draw_face(), -1)
        for name in FACE_FROM:
            self.fbind(name, self._face_changed)
        app = App.get_running_app()
        if app is not None:
            follow_app(app, "theme_name", self, "_face_changed")
        self._draw_face()
        # The pictogram, above the face and under the words, drawn by a button that has one
        # only: an empty instruction still costs the software renderer a draw of its own, about
        # 64 KiB held while it is on screen (docs/performance.md, "What an idle station holds";
        # a keyboard's keys have none).
        self._picto = InstructionGroup()
        self._picto_color, self._picto_shape = Color(), Rectangle()
        self.canvas.insert(self.canvas.children.index(self.canvas.before) + 1, self._picto)
        self._picto_trigger = Clock.create_trigger(lambda _dt: self._draw_pictogram(), -1)
        for name in ("pos", "size", "icon_texture", "color"):
            self.fbind(name, self._picto_changed)
        self._draw_pictogram()

    def apply_class_lang_rules(self, *args: Any, **kwargs: Any) -> None:
        """The words' instructions first in the canvas, then the kv rules (ButtonWords);
        a button built by a kv rule has its rules applied after its `__init__`."""
        if "_words" not in self.__dict__:
            self._words = ButtonWords(self.canvas)
        super().apply_class_lang_rules(*args, **kwargs)

    def _face_changed(self, *_args: Any) -> None:
        self._face_trigger()

    def _picto_changed(self, *_args: Any) -> None:
        self._picto_trigger()

    def _draw_pictogram(self) -> None:
        """The pictogram at the left, centred on the words' line; nothing when there is none."""
        texture = self.icon_texture
        if texture is None:
            self._picto.clear()
            return
        app: Any = App.get_running_app()
        if not self._picto.children:
            self._picto.add(self._picto_color)
            self._picto.add(self._picto_shape)
        self._picto_color.rgba = self.color
        self._picto_shape.texture = texture
        self._picto_shape.size = texture.size
        self._picto_shape.pos = (int(self.x + app.mm(tokens.PAD_X_MM)),
                                 int(self.center_y - texture.height / 2))

    def _draw_face(self) -> None:
        app = App.get_running_app()
        if app is not None:
            self._face.draw(self, app)
            self._words.draw(self, app)

    def _filled(self) -> bool:
        return self.kind in ("primary", "danger") or self.chosen

    filled = AliasProperty(_filled, bind=("kind", "chosen"))

    def _outlined(self) -> bool:
        return not self._filled() or self.state == "down"

    #: whether its edge is drawn apart from its fill: an outlined button, or a filled one
    #: pressed (the line inside it, docs/accessibility.md G1)
    outlined = AliasProperty(_outlined, bind=("kind", "chosen", "state"))

    def _fill_token(self) -> str:
        if self.kind == "danger":
            return "error"
        if self._filled():
            return "primary_pressed" if self.state == "down" else "primary"
        return "tint" if self.state == "down" else "surface"

    #: the colour token the button is filled with, pressed or not
    fill_token = AliasProperty(_fill_token, bind=("kind", "chosen", "state"))

    def _ink_token(self) -> str:
        if self.kind == "danger":
            return "on_error"
        return "on_primary" if self._filled() else "text"

    #: the colour token of its words and pictogram
    ink_token = AliasProperty(_ink_token, bind=("kind", "chosen"))

    def _shown_icon(self) -> str:
        if self.words_only:
            return ""
        return "hourglass" if self.busy else self.icon

    #: the pictogram drawn: the hourglass while busy, none for words only
    shown_icon = AliasProperty(_shown_icon, bind=("icon", "busy", "words_only"))

    def on_shown_icon(self, *_args: Any) -> None:
        """Render the pictogram again when it changes."""
        self._icon_trigger()

    def on_font_size(self, *_args: Any) -> None:
        """The pictogram follows the text size."""
        self._icon_trigger()

    @property
    def _icon_trigger(self) -> Any:
        # Once the button's rules have settled on its size, not at every size it passes
        # through while it is built: each size rendered would stay in the cache.
        trigger = self.__dict__.get("_icon_event")
        if trigger is None:
            trigger = self.__dict__["_icon_event"] = Clock.create_trigger(
                lambda _dt: self.refresh_icon(), -1)
        return trigger

    def refresh_icon(self) -> None:
        """The pictogram's texture for the current size."""
        app: Any = App.get_running_app()
        size = int(app.icon_font(self.font_size)) if app is not None else 0
        self.icon_texture = pictogram_texture(self.shown_icon, size)

    def on_busy(self, *_args: Any) -> None:
        """While busy, the words say what is being done ("Sending…")."""
        if not self.busy or not self.busy_text:
            self.busy_texture = None
            return
        label = CoreLabel(text=self.busy_text, font_size=self.font_size, bold=self.bold,
                          text_size=self.text_size, halign=self.halign,
                          line_height=self.line_height)
        label.refresh()
        self.busy_texture = label.texture

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """Enter and Space press the focused button."""
        if keycode[1] in ACTIVATE_KEYS and not App.get_running_app().handle_key(
            keycode[0], modifiers
        ):
            self.trigger_action(duration=KEY_PRESS_S)
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)


class CentredTexture:
    """A label whose texture is drawn from Python, centred in its box as Label's own kv rule
    draws it: three bound expressions fewer for the commonest widgets of a screen
    (docs/performance.md, "A screen's build"). The class's rule is `<-Class>`, which drops
    Label's."""

    def apply_class_lang_rules(self, *args: Any, **kwargs: Any) -> None:
        """The texture's instructions first in the canvas, then the kv rules."""
        self._draw_texture_first()
        super().apply_class_lang_rules(*args, **kwargs)  # type: ignore[misc]

    def _draw_texture_first(self) -> None:
        if "_drawn" not in self.__dict__:
            self._drawn = Rectangle(size=(0, 0))
            canvas: Any = self.canvas  # type: ignore[attr-defined]
            canvas.add(Color(1, 1, 1, 1))
            canvas.add(self._drawn)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # A label built by a kv rule has its rules applied after its __init__.
        self._draw_texture_first()
        me: Any = self
        for name in ("texture", "texture_size", "pos", "size"):
            me.fbind(name, self._place_texture)
        self._place_texture()

    def _place_texture(self, *_args: Any) -> None:
        me: Any = self
        width, height = me.texture_size
        self._drawn.texture = me.texture
        self._drawn.size = (width, height)
        # Not `center_x`: told of a move before it, this would read its old value.
        middle_x, middle_y = me.x + me.width / 2.0, me.y + me.height / 2.0
        self._drawn.pos = (int(middle_x - width / 2.0), int(middle_y - height / 2.0))


class KioskText(CentredTexture, Label):
    """Text that wraps to its width and grows to its height: nothing is ever cut off."""


class Pictogram(CentredTexture, Label):
    """A pictogram of the icon font (kiosk/core/pictograms.py), drawn as text in the theme's
    colours; decorative, always beside words that say the same (docs/accessibility.md H3)."""

    name = StringProperty("")
    decorative = BooleanProperty(True)

    def on_name(self, *_args: Any) -> None:
        """The glyph of the pictogram."""
        self.text = glyph(self.name)


class BoxedText(Label):
    """Text placed in a box of a given size by `halign` and `valign`, with a texture only as
    tall as the text (its kv rule). With Kivy's `text_size: self.size`, the texture fills
    the whole box: one line of the city's name on the attract screen took 1055 × 891 px, 3.6 MiB
    of texture memory, and a screen's title and masthead took 3.6 MiB between them."""


class KioskTitle(BoxedText):
    """A title in a box of its own (the help panel, the inactivity warning)."""


class KioskTextInput(ShellKeys, TextInput):
    """A one-line text field that takes part in Tab navigation, with no clipboard: Kivy's
    TextInput copies a selection to the X server's PRIMARY selection when xclip or xsel is
    installed and pastes it on a middle click, and keeps what Ctrl+X cut for Ctrl+V. Each would
    hand one person's text to the next (docs/architecture.md rule 4), so none of it is reached.
    `role`, as a button's, is what tests and the audit call it; speech says the words that
    label it on screen (`label_words`).
    """

    #: what tests and the audit call it (`request.contact.email`); every field has its own
    role = StringProperty("")
    #: its border's thickness, and the focus ring's inner and outer distance from its edge
    edge = NumericProperty(0)
    ring_in = NumericProperty(0)
    ring_out = NumericProperty(0)
    #: the words that name it on screen where no text stands before it and its example is not
    #: drawn (the step's question or its explanation, in the reading zone)
    label = StringProperty("")
    #: its example (the hint) not drawn: the field is too narrow to show it whole (a text is
    #: never cut, docs/visual-design.md)
    example_hidden = BooleanProperty(False)
    # The kv rule draws the field; as for KioskButton, Kivy's defaults would load its theme atlas.
    background_normal = StringProperty("")
    background_active = StringProperty("")
    background_disabled_normal = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name in ("width", "hint_text", "font_size", "font_name", "padding"):
            self.fbind(name, self._fit_example)

    def example_width(self) -> float:
        """How wide the field must be to show its example whole, inside its padding."""
        if not self.hint_text:
            return 0.0
        pad_left, _top, pad_right, _bottom = self.padding
        return float(text_width(self.hint_text, self.font_size, self.font_name, False)
                     + pad_left + pad_right + 2)

    def _fit_example(self, *_args: Any) -> None:
        """The example is drawn whole or not at all: "nom@exem" would read as an address of
        its own, and the label above says what to type."""
        self.example_hidden = self.width < self.example_width()

    def label_words(self, shown_only: bool = False) -> str:
        """The words that name the field on screen (docs/accessibility.md H2): the last text
        before it in its layout, or before the row that holds it (a field beside its button
        or its pager); else its example (with `shown_only`, while it is drawn: too narrow, it
        is not); else the words the screen names it with elsewhere (`label`: the step's
        question or its explanation)."""
        child = self
        for _ in range(2):
            holder = child.parent
            if holder is None:
                break
            before = ""
            for sibling in reversed(holder.children):  # in the order they were added
                if sibling is child:
                    break
                if (isinstance(sibling, Label) and not isinstance(sibling, ButtonBehavior)
                        and sibling.opacity > 0 and any(c.isalnum() for c in sibling.text)):
                    before = sibling.text
            if before:
                return before
            child = holder
        if self.hint_text and not (shown_only and self.example_hidden):
            return self.hint_text
        return self.label

    def _ensure_clipboard(self) -> None:
        """Where TextInput looks up the clipboard and the X cut buffer
        (kivy/uix/textinput.py): never, so the cut buffer stays off."""

    def copy(self, data: str = "") -> None:
        """Copying keeps nothing."""

    def _cut(self, data: str) -> None:
        """Ctrl+X does nothing: a cut would keep the text for the next person's Ctrl+V."""

    def paste(self) -> None:
        """There is nothing to paste."""

    def clear(self) -> None:
        """Empty the field, its undo history and its selection: nothing typed remains."""
        self.text = ""
        self.reset_undo()
        self.cancel_selection()
        self.focus = False

    def keep(self, kept: str | None) -> None:
        """Show what the person typed in this step: emptied when `kept` is None (the flow or
        the session has ended); given back, if the field was emptied, after a language change
        or a refused answer; left alone while the person types."""
        if kept is None:
            self.clear()
        elif not self.text and kept:
            self.text = kept

    def _adjust_viewport(self, cc: int, cr: int) -> None:
        # TextInput's own is one `@triggered` for the whole class: it keeps the arguments of
        # its last call, this field, for the life of the app (kivy/clock.py, `triggered`), which
        # kept a dropped screen alive; and of two fields moved in one frame, only the last was
        # scrolled to its cursor. Here each field has a trigger of its own.
        self._cursor_at = (cc, cr)
        trigger = getattr(self, "_viewport_trigger", None)
        if trigger is None:
            trigger = self._viewport_trigger = Clock.create_trigger(self._scroll_to_cursor, -1)
        trigger()

    def _scroll_to_cursor(self, _dt: float) -> None:
        TextInput._adjust_viewport.__wrapped__(self, *self._cursor_at)


class Logo(Image):
    """The city's mark (`site.logo`), drawn only when the city has one: Kivy's image draws an
    empty rectangle otherwise, a draw of its own for the software renderer on every screen
    (docs/performance.md, "What an idle station holds"). Its rule has no canvas
    (widgets.kv); it fits its image inside its box, centred, as Kivy's does."""

    def __init__(self, **kwargs: Any) -> None:
        self._mark_color, self._mark_shape = Color(1, 1, 1, 1), Rectangle()
        super().__init__(**kwargs)
        # Once a frame at most, when its rules have settled on its source and size.
        self._mark_trigger = Clock.create_trigger(lambda _dt: self._redraw_mark(), -1)
        for name in ("texture", "pos", "size", "color"):
            self.fbind(name, self._mark_changed)
        self._redraw_mark()

    def _mark_changed(self, *_args: Any) -> None:
        self._mark_trigger()

    def _redraw_mark(self) -> None:
        # In the canvas itself, not in a group: kiosk audit finds a picture by its rectangle.
        drawn = self._mark_shape in self.canvas.children
        if self.texture is None or not self.source:
            if drawn:
                self.canvas.remove(self._mark_color)
                self.canvas.remove(self._mark_shape)
            return
        if not drawn:
            self.canvas.add(self._mark_color)
            self.canvas.add(self._mark_shape)
        width, height = self.norm_image_size
        self._mark_color.rgba = self.color
        self._mark_shape.texture = self.texture
        self._mark_shape.size = (width, height)
        self._mark_shape.pos = (self.center_x - width / 2, self.center_y - height / 2)


class Masthead(Widget):
    """Where the city's mark and name stand at the top of a screen. The band itself
    (`CityBand`, three widgets and some forty kv expressions) is the window's: the masthead
    of the screen on display holds it (`take`), so that building a screen does not build it
    again (docs/performance.md, "A screen's build"). The reading zone of the same screen
    sets this masthead's opacity when its words need the band's room; the band it holds
    shows through it."""

    def take(self) -> None:
        """Hold the window's city band, taken from the masthead that held it."""
        band = window_part("city_band", CityBand)
        if band.parent is not self:
            if band.parent is not None:
                band.parent.remove_widget(band)
            self.add_widget(band)

    def release(self) -> None:
        """Let go of the band (its screen leaves the display)."""
        self.clear_widgets()


class CityBand(Widget):
    """The city's mark and name on its colour band (widgets.kv)."""


class StepDots(Widget):
    """One dot per step: filled up to the current one, a ring for those to come."""

    step = NumericProperty(0)
    steps = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._redraw = Clock.create_trigger(self._draw, -1)
        self.bind(step=self._redraw, steps=self._redraw, pos=self._redraw, size=self._redraw)
        follow_app(App.get_running_app(), "theme_name", self, "_redraw")

    def _draw(self, *_args: Any) -> None:
        from kivy.graphics import Color, Ellipse, Line

        app: Any = App.get_running_app()
        self.canvas.clear()
        if self.steps <= 1:
            return
        radius, pitch = app.mm(DOT_MM) / 2, app.mm(DOT_PITCH_MM)
        y = self.center_y
        with self.canvas:
            Color(*app.rgba("primary", app.theme_name))
            for index in range(int(self.steps)):
                x = self.x + radius + index * pitch
                if index < self.step:
                    Ellipse(pos=(x - radius, y - radius), size=(2 * radius, 2 * radius))
                else:
                    Line(circle=(x, y, radius - app.mm(0.3)), width=app.mm(0.5))


class Stepper(BoxLayout):
    """Where the person is in the flow: one dot per step, filled up to this one, and the same
    in words ("Step 2 of 4"), so that it is never told by the dots alone. Where the dots and
    the words do not hold on one line (a narrow reading zone at a large size), the dots give
    way and the words say it alone, on one line."""

    step = NumericProperty(0)
    steps = NumericProperty(0)
    text = StringProperty("")
    #: the dots are shown beside the words
    dotted = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        self._check = Clock.create_trigger(self._fit_dots, -1)
        super().__init__(**kwargs)
        self.bind(width=self._check, steps=self._check, text=self._check)

    def refit(self) -> None:
        """Look again once the words' font changes (another text size)."""
        self._check()

    def _fit_dots(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        words = self.ids.words
        probe = CoreLabel(text=self.text, font_size=words.font_size, font_name=words.font_name,
                          bold=words.bold)
        probe.refresh()
        dots = self.steps * app.mm(DOT_PITCH_MM) + app.mm(STEPPER_GAP_MM)
        self.dotted = probe.content_width + dots <= self.width


class ReadingZone(Layout):
    """The reading zone of a screen (kiosk/core/layout.py): the stepper, the step's
    pictogram, the question in large type, one short explanation and what went wrong, centred
    where the eyes are for the posture. Its parts stand one under the other, `spacing` apart;
    a part with nothing to show takes no room at all, not even its spacing. Where the words
    need the zone, the pictogram gives way first, then the stepper's dots (its words stay);
    where they still do not hold and the zone's foot is in the reach band (the desk's column),
    its explanation is paged, "Previous", "1 of 2" and "Next" at its foot."""

    icon = StringProperty("")
    question = StringProperty("")
    explanation = StringProperty("")
    problem = StringProperty("")
    step = NumericProperty(0)
    steps = NumericProperty(0)
    step_text = StringProperty("")
    #: the central is being asked: "One moment…", with an hourglass
    busy = BooleanProperty(False)
    #: "One moment…" in the person's language while busy (the kv rule), else ""
    busy_text = StringProperty("")
    #: there is room for the pictogram; it gives way first when the words need the zone
    roomy = BooleanProperty(True)
    #: the question is set at the "question" role, smaller than a title, since at "title"
    #: the words would not hold in the zone
    compact = BooleanProperty(False)
    #: the height the zone takes from the city's band above it, on a landscape panel where
    #: the words would not hold in the zone even so (the band gives way to them)
    borrowed = NumericProperty(0)
    spacing = NumericProperty(0)
    #: the page of the explanation shown, when it is paged ("" while it is not)
    explanation_shown = StringProperty("")
    page = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        self._room = Clock.create_trigger(self._make_room, -1)
        super().__init__(**kwargs)
        self.bind(pos=self._trigger_layout, size=self._trigger_layout,
                  spacing=self._trigger_layout)
        self.bind(size=self._room, question=self._room, explanation=self._room,
                  problem=self._room, busy=self._room)
        #: the notes under the question, built when a step first has one to say
        self._notes: dict[str, ZoneNote] = {}
        #: the explanation's pages, and their pager, built when a step first needs them
        self._pages: list[str] = []
        self._pager: ReadingPager | None = None

    def on_explanation(self, *_args: Any) -> None:
        """A new explanation starts at its first page, whole until it is measured."""
        self.page = 0
        self.explanation_shown = ""

    def on_busy_text(self, *_args: Any) -> None:
        """Say "One moment…" under the question, or no longer."""
        self.note("busy", self.busy_text)

    def on_problem(self, *_args: Any) -> None:
        """Say what went wrong under the question, or no longer."""
        self.note("problem", self.problem)

    def note(self, kind: str, text: str) -> None:
        """The note of `kind` ("busy" or "problem") says `text`; none is built while there is
        nothing to say: most steps never have one, and each is three widgets to build
        (docs/performance.md, "A screen's build")."""
        note = self._notes.get(kind)
        if note is None:
            if not text:
                return
            icon, tone = NOTE_KINDS[kind]
            note = self._notes[kind] = ZoneNote(icon=icon, tone=tone)
            # Below the explanation, "One moment…" above what went wrong.
            after = 1 if kind == "busy" and "problem" in self._notes else 0
            self.add_widget(note, index=after)
        note.text = text

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Make room again when a part's height changes (its words wrap anew)."""
        super().add_widget(widget, *args, **kwargs)
        widget.bind(height=self._room)

    def _parts(self) -> list[Widget]:
        """What shows, in reading order (top to bottom)."""
        return [c for c in reversed(self.children) if c.height > 0]

    def _needs(self, parts: list[Widget]) -> float:
        return sum(c.height for c in parts) + self.spacing * max(0, len(parts) - 1)

    def do_layout(self, *_args: Any) -> None:
        """The parts one under the other, centred in the zone; from its top when they are
        taller than it, or paged (its pager at the zone's foot)."""
        for child in self.children:
            if child.size_hint_x is not None:
                child.width = self.width * child.size_hint_x
            child.x = self.x
        parts = self._parts()
        pager = self._pager
        paged = pager is not None and pager.parent is not None
        free = 0.0 if paged else self.height - self._needs(parts)
        top = self.top - max(0.0, free / 2)
        if pager is not None and paged:
            pager.pos = self.pos
        for child in reversed(self.children):
            child.top = top
            if child in parts:
                top -= child.height + self.spacing

    def _make_room(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        question, explanation = self.ids.question, self.ids.explanation
        room = self.height - self.borrowed
        others = [c for c in self._parts()
                  if c not in (self.ids.pictogram, question, explanation)]
        # The explanation counts whole, whichever page of it shows.
        told = [c.height for c in others] + (
            [self._text_height(self.explanation, explanation)] if self.explanation else [])
        at_title = self._stack(told) + (
            self._question_height(app.font("title", app.text_size)) + self.spacing
            if self.question else 0.0)
        self.compact = at_title > room
        asked = (self._question_height(question.font_size) + self.spacing
                 if self.question else 0.0)
        words = self._stack(told) + asked
        picture = self.ids.pictogram.texture_size[1] + self.spacing
        self.roomy = words + picture <= room
        masthead = self._masthead()
        borrow = words > room and masthead is not None and app.layout.side_by_side
        self.borrowed = masthead.height + app.layout.gap if borrow and masthead else 0.0
        if masthead is not None:
            masthead.opacity = 0 if borrow else 1
        whole = room + self.borrowed
        self._page(words > whole and self._foot_in_reach(),
                   whole - self._stack([c.height for c in others]) - asked - self.spacing)

    def _stack(self, heights: list[float]) -> float:
        """How tall parts of these heights are, one under the other."""
        return sum(heights) + self.spacing * max(0, len(heights) - 1)

    def _foot_in_reach(self) -> bool:
        """The zone's foot is beside the controls (a landscape panel's column): a pager
        there is in the reach band (docs/accessibility.md)."""
        app: Any = App.get_running_app()
        return bool(app.layout.reading.y < app.layout.body.top)

    def _page(self, paged: bool, space: float) -> None:
        """The explanation in pages of what `space` holds above the pager, or whole."""
        pager = self._pager
        if not paged:
            self._pages = []
            if pager is not None:
                pager.leave()
            self.explanation_shown = ""
            return
        if pager is None:
            pager = self._pager = ReadingPager(zone=self)
            self._follow_screen()
        held = space - pager.fit(self.width) - self.spacing
        explanation = self.ids.explanation
        self._pages = text_pages(self.explanation, lambda text: self._text_height(
            text, explanation) <= held) or [""]
        self.page = min(int(self.page), len(self._pages) - 1)
        if pager.parent is None and self.parent is not None:
            pager.enter(self.parent)
        self._show_page()

    def _follow_screen(self) -> None:
        """A step shown anew starts its explanation at its first page."""
        holder = self.parent
        for _ in range(MAX_NESTING):  # the window is its own parent: the walk is bounded
            if holder is None or isinstance(holder, Screen):
                break
            holder = holder.parent
        if isinstance(holder, Screen):
            holder.fbind("on_pre_enter", self._first_page)
            if self._pager is not None:
                self._pager.follow(holder)

    def _first_page(self, *_args: Any) -> None:
        if self.page:
            self.page = 0
            self._room()

    def turn(self, step: int) -> None:
        """The explanation's previous (-1) or next (1) page."""
        self.page = max(0, min(len(self._pages) - 1, int(self.page) + step))
        self._show_page()

    def _show_page(self) -> None:
        if self._pager is None or not self._pages:
            return
        self.explanation_shown = self._pages[int(self.page)]
        self._pager.show(int(self.page), len(self._pages))
        self._trigger_layout()

    def _text_height(self, text: str, label: Label) -> float:
        """How tall `text` is set as `label` is, wrapped to the zone's width."""
        core = CoreLabel(text=text, font_size=label.font_size, font_name=label.font_name,
                         bold=label.bold, text_size=(self.width, None),
                         line_height=label.line_height, halign=label.halign)
        core.refresh()
        return float(core.texture.size[1]) if core.texture else 0.0

    def _masthead(self) -> Widget | None:
        """The city's band of the same screen, above the zone."""
        siblings = self.parent.children if self.parent is not None else []
        return next((w for w in siblings if isinstance(w, Masthead)), None)

    def _question_height(self, font_size: float) -> float:
        """How tall the question is at `font_size`, wrapped to the zone's width."""
        question = self.ids.question
        label = CoreLabel(text=self.question, font_size=font_size, font_name=question.font_name,
                          bold=True, text_size=(self.width, None),
                          line_height=question.line_height, halign="left")
        label.refresh()
        return float(label.texture.size[1]) if label.texture else 0.0


class ReadingPageButton(KioskButton):
    """"Previous" or "Next" of a reading zone's pager: Tab goes on from it to the control
    read after the pager, found when asked, since a keyboard's keys change with its layout."""

    pager = ObjectProperty(None, allownone=True)
    #: -1 for "Previous", 1 for "Next"
    step = NumericProperty(1)

    def get_focus_next(self) -> Widget | None:
        """"Next" after "Previous" where it leads somewhere; else what follows the pager."""
        if self.pager is None:
            return None
        after = self.pager.ids.next
        if self.step < 0 and not after.disabled:
            return after.__self__
        return self.pager.following()

    def get_focus_previous(self) -> Widget | None:
        """"Previous" before "Next" where it leads somewhere; else what precedes the
        pager."""
        if self.pager is None:
            return None
        before = self.pager.ids.previous
        if self.step > 0 and not before.disabled:
            return before.__self__
        return self.pager.preceding()


class TabGate(FocusBehavior, Widget):
    """Nothing to see or touch: where Tab, walking the screen's tree, meets it, it is sent on
    past what it guards (ReadingPager)."""

    is_focusable = BooleanProperty(False)


class ReadingPager(BoxLayout):
    """"Previous", "1 of 2" and "Next" at the foot of a reading zone whose explanation is
    paged; "1 of 2" stands above the buttons where the three do not hold on one row (the
    desk's column is narrower than the body band where lists page)."""

    zone = ObjectProperty(None, allownone=True)
    page_text = StringProperty("")
    #: "1 of 2" on a row of its own, above the buttons
    stacked = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._chain = Clock.create_trigger(self._chain_focus, 0)
        self.bind(pos=self._chain)
        #: the control read just before the pager, which Tab takes to it
        self._before: Widget | None = None
        #: the control read just after it, which Shift+Tab takes back to it
        self._after: Widget | None = None
        self.ids.previous.focus_next = self.ids.next.__self__
        self.ids.next.focus_previous = self.ids.previous.__self__
        # Met by Tab in the screen's tree, the pager is passed by: Tab has reached it
        # already, from the control read before it (`_chain_focus`).
        self.ids.way_in.focus_next = self.ids.way_out.__self__
        self.ids.way_out.focus_previous = self.ids.way_in.__self__
        #: the controls whose place decides which is read before the pager
        self._watched: list[Widget] = []

    def enter(self, screen_layout: Widget) -> None:
        """Stand among the screen's zones, after its controls and before its bar."""
        bar = next((w for w in screen_layout.children if isinstance(w, Bar)), None)
        index = screen_layout.children.index(bar) + 1 if bar is not None else 0
        screen_layout.add_widget(self, index=index)
        self._chain()

    def follow(self, screen: Widget) -> None:
        """Its screen shown, Tab's links are made again; left, the shared keys lose theirs."""
        screen.fbind("on_enter", self._chain)
        screen.fbind("on_pre_leave", self._unlink)

    def leave(self) -> None:
        """No pager: the controls' Tab order is the screen's own again."""
        self._unlink()
        self._watch([])
        if self.parent is not None:
            self.parent.remove_widget(self)

    def _unlink(self, *_args: Any) -> None:
        if self._before is not None and self._before.focus_next is self.ids.previous.__self__:
            self._before.focus_next = None
        # The keys are shared by the screens: no link to this pager stays on them.
        if self._after is not None and self._after.focus_previous is self.ids.next.__self__:
            self._after.focus_previous = None
        self._before = self._after = None

    def _chain_focus(self, *_args: Any) -> None:
        """Tab reaches "Previous" and "Next" in reading order (docs/accessibility.md F4):
        from the last control above the pager's row."""
        self._unlink()
        controls = self._controls()
        self._watch([w for w in controls if not _is_key(w)])
        ahead = [w for w in controls if _above(w, self._top())]
        if ahead:
            self._before = ahead[-1]
            self._before.focus_next = self.ids.previous.__self__
        # Back from what Tab reaches after the pager ("Next", else "Previous": Kivy follows
        # a disabled button's own link on).
        after = self.following()
        if after is not None and after.focus_previous is None:
            self._after = after
            after.focus_previous = self.ids.next.__self__

    def _watch(self, controls: list[Widget]) -> None:
        """Chain again when one of `controls` moves (the body is laid out after the zone)."""
        for widget in self._watched:
            widget.funbind("pos", self._chain)
        self._watched = controls
        for widget in controls:
            widget.fbind("pos", self._chain)

    def following(self) -> Widget | None:
        """Where Tab goes from the pager: the first control on its row or below it, or the
        keys (read as a block after the column beside them)."""
        top = self._top()
        return next((w for w in self._controls() if not _above(w, top)), None)

    def preceding(self) -> Widget | None:
        """Where Tab goes back to from the pager."""
        return self._before

    def _controls(self) -> list[Widget]:
        """The screen's controls Tab may reach, in its tree, without the pager's."""
        if self.parent is None:
            return []
        return [w for w in self.parent.walk(restrict=True)
                if isinstance(w, FocusBehavior) and w.is_focusable and not w.disabled
                and w.parent is not None and not isinstance(w, ReadingPageButton)]

    def _top(self) -> float:
        return float(self.to_window(self.x, self.top)[1])

    def show(self, page: int, pages: int) -> None:
        """Page `page` (from 0) of `pages`: a button that would lead nowhere is disabled."""
        app: Any = App.get_running_app()
        self.page_text = translate("pager.page", app.lang, page=page + 1, pages=pages)
        self.ids.previous.disabled = page == 0
        self.ids.next.disabled = page >= pages - 1

    def fit(self, width: float) -> float:
        """Lay the pager out for `width`; how tall it is."""
        app: Any = App.get_running_app()
        previous, after = self.ids.previous, self.ids.next
        count, above = self.ids.count, self.ids.above
        previous.text = translate("pager.previous", app.lang)
        after.text = translate("pager.next", app.lang)
        gap = app.layout.gap
        # "2 of 3" measured at its widest: a zone's explanation has fewer than ten pages.
        widest = translate("pager.page", app.lang, page=8, pages=8)
        button = max(one_line_width(b.text, b.font_size, b.font_name, b.icon)
                     for b in (previous, after))
        between = one_line_width(widest, count.font_size, count.font_name, "")
        self.stacked = 2 * (button + gap) + between > width
        self.width = width
        count.width = 0.0 if self.stacked else width - 2 * (button + gap)
        button = (width - count.width) / 2 - gap
        # Their words hold on one line, beside their pictograms where there is room for both.
        for each in (previous, after):
            each.words_only = one_line_width(each.text, each.font_size, each.font_name,
                                             each.icon) > button
        previous.width = after.width = button
        row = max(button_height(previous, button), button_height(after, button))
        previous.min_height = after.min_height = row
        self.ids.row.height = row
        line = CoreLabel(text=widest, font_size=above.font_size, font_name=above.font_name,
                         bold=True, line_height=above.line_height)
        line.refresh()
        self.height = row + (line.texture.size[1] + gap if self.stacked else 0.0)
        return float(self.height)


def _is_key(widget: Widget) -> bool:
    """A key of the on-screen keyboard (screens/keyboard.py names them `key.…`)."""
    return str(getattr(widget, "role", "")).startswith("key.")


def _above(widget: Widget, top: float) -> bool:
    """Whether `widget` is read on a row above `top` (window y): wholly above it, and not a
    key of the keyboard, which is read as one block."""
    if _is_key(widget):
        return False
    return bool(widget.to_window(widget.x, widget.y)[1] >= top - 1)


class ZoneNote(BoxLayout):
    """A note under the reading zone's question: a pictogram and words in `tone` (a colour
    token); it takes no room while it says nothing (widgets.kv)."""

    text = StringProperty("")
    icon = StringProperty("")
    tone = StringProperty("primary")


#: the reading zone's notes: their pictogram and colour
NOTE_KINDS = {"busy": ("hourglass", "primary"), "problem": ("error", "error")}


class FlowRow(BoxLayout):
    """Controls side by side (a field and its button, two answers), as tall as the tallest,
    which all take its height; `stacked`, one under the other (a column too narrow for them
    side by side, beside a keyboard)."""

    stacked = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._fit = Clock.create_trigger(self._fit_height, -1)
        super().__init__(**kwargs)
        self.bind(stacked=self._fit)

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Follow the new child's height."""
        super().add_widget(widget, *args, **kwargs)
        widget.bind(height=self._fit, texture_size=self._fit) if isinstance(
            widget, Label) else widget.bind(height=self._fit)
        self._fit()

    def remove_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Forget the child's height."""
        super().remove_widget(widget, *args, **kwargs)
        self._fit()

    def _fit_height(self, *_args: Any) -> None:
        self.orientation = "vertical" if self.stacked else "horizontal"
        heights = [_natural_height(c) for c in self.children]
        if self.stacked:
            app: Any = App.get_running_app()
            for child in self.children:
                if isinstance(child, KioskButton):
                    child.min_height = app.button_height
            self.height = sum(heights) + self.spacing * max(0, len(heights) - 1)
            return
        self.height = max(heights, default=0.0)
        for child in self.children:
            if isinstance(child, KioskButton):
                child.min_height = self.height  # buttons side by side share one height


def _natural_height(widget: Widget) -> float:
    """What a widget needs: a button its words and padding (at least a button's height),
    text its texture, anything else its own height."""
    if isinstance(widget, KioskButton):
        app: Any = App.get_running_app()
        return float(max(app.button_height,
                         widget.texture_size[1] + widget.words_top + 2 * widget.pad_y))
    if isinstance(widget, Label):
        return float(widget.texture_size[1])
    return float(widget.height)


# The sizes a row's words may take below the person's, where they would not hold on one
# line at it: at S, M and L only (docs/accessibility.md C1 holds at S). At XL every text
# keeps the size the viewing distance asks (C2): the pictograms give their room first.
SMALLER_SIZES = ("L", "M", "S")


def fitting_attempts(chosen: str) -> list[tuple[str, bool]]:
    """The sizes, with their pictograms or not, a row tries in turn for the text size the
    person chose: theirs first."""
    if chosen == "XL":
        return [("XL", True), ("XL", False)]
    start = SMALLER_SIZES.index(chosen) if chosen in SMALLER_SIZES else 0
    return [(size, True) for size in SMALLER_SIZES[start:]]


class FittedRow(BoxLayout):
    """A row of buttons each as wide as its words on one line, what room is left shared
    equally: the words never break, at the person's size, smaller only where they would not
    hold at it up to L, and at XL without their pictograms (the persistent bar, the attract
    screen's ways to start)."""

    #: the text size the person chose (the kv rule follows the app's)
    chosen_size = StringProperty("M")
    #: the posture's zones (the kv rule follows the app's): the sizes at XL follow the posture
    fitted_for = ObjectProperty(None, allownone=True)
    #: the font of the bar's words, once fitted
    font_size = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        self._refit = Clock.create_trigger(self._fit, -1)
        super().__init__(**kwargs)
        self.bind(size=self._refit, chosen_size=self._refit, fitted_for=self._refit)

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Fit again when a button's words change (another language)."""
        super().add_widget(widget, *args, **kwargs)
        widget.bind(text=self._refit)
        self._refit()

    def remove_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Forget the button's words, and share the room again."""
        super().remove_widget(widget, *args, **kwargs)
        widget.unbind(text=self._refit)
        self._refit()

    def _fit(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        buttons = [c for c in reversed(self.children) if isinstance(c, KioskButton)]
        if not buttons or self.width <= 0:
            return
        room = self.width - self.spacing * (len(buttons) - 1)
        for size, pictograms in fitting_attempts(self.chosen_size):
            font = app.font("button", size)
            widths = [one_line_width(b.text, font, b.font_name, b.icon if pictograms else "")
                      for b in buttons]
            if sum(widths) <= room:
                break
        else:  # not even the last holds them on one line: each as wide as its longest word
            widths = [longest_word_width(b.text, font, b.font_name,
                                         b.icon if pictograms else "") for b in buttons]
            if sum(widths) > room:  # nor that: equal shares
                widths = [room / len(buttons)] * len(buttons)
        share = max(0.0, room - sum(widths)) / len(buttons)
        self.font_size = font
        for button, width in zip(buttons, widths, strict=True):
            button.font_size = font
            button.words_only = not pictograms
            button.size_hint_x = None
            button.width = width + share


class Bar(FittedRow):
    """The persistent bar: Back, Start again, Language, Accessibility, Help; same place, same
    order (docs/visual-design.md). Its five buttons are the window's: the bar of the screen on
    display holds them (`take`, when its screen comes on display), so that building a screen
    does not build five more buttons, a quarter of its build (docs/performance.md, "A
    screen's build"). They follow the app (its language, theme, text size, whether there is
    a step back), not the screen, so that any bar may hold them."""

    def take(self) -> None:
        """Hold the window's bar buttons, taken from the bar that held them."""
        buttons = window_part("bar_buttons", _bar_buttons)
        if buttons[0].parent is self:
            return
        for button in buttons:
            if button.parent is not None:
                button.parent.remove_widget(button)
            self.add_widget(button)

    def release(self) -> None:
        """Let go of the buttons (its screen leaves the display): a screen dropped later is
        then held by nothing of the window's."""
        for button in list(self.children):
            self.remove_widget(button)


def _bar_buttons() -> tuple[KioskButton, ...]:
    holder = Factory.BarButtons()
    buttons = tuple(reversed(holder.children))
    holder.clear_widgets()
    return buttons


#: the window's parts shared by its screens (the bar's buttons, the city's band), each with
#: the app it was built for (tests run several apps in one process, one after the other);
#: held here, since kv ids only hold weak references
_WINDOW_PARTS: dict[str, tuple[Any, Any]] = {}


def window_part(name: str, build: Callable[[], T]) -> T:
    """The window's part `name`, built by `build` on first use for the running app."""
    app = App.get_running_app()
    made = _WINDOW_PARTS.get(name)
    if made is None or made[0]() is not app:
        made = _WINDOW_PARTS[name] = (ref(app), build())
    return made[1]  # type: ignore[no-any-return]


def take_window_parts(view: Widget) -> None:
    """The bar and the masthead of `view` (a screen coming on display) take the window's
    bar buttons and city band."""
    for widget in view.walk(restrict=True):
        if isinstance(widget, (Bar, Masthead)):
            widget.take()


def release_window_parts(view: Widget) -> None:
    """The bar and the masthead of `view` (a screen leaving the display) let go of them: a
    screen dropped later is then held by nothing of the window's."""
    for widget in view.walk(restrict=True):
        if isinstance(widget, (Bar, Masthead)):
            widget.release()


class KioskScreen(Screen):
    """A screen: a thin view over the core's `View` that sends intents."""

    #: whether it paints its background itself: not in the station's window, which is
    #: cleared to it (screens/screen_stack.py); yes where it is drawn among other things
    backdrop = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        # The background, drawn only while it paints its own: an empty rectangle would
        # still be a draw for the software renderer (docs/performance.md).
        self._backdrop = InstructionGroup()
        self._backdrop_color, self._backdrop_shape = Color(), Rectangle()
        super().__init__(**kwargs)
        self.canvas.before.insert(0, self._backdrop)
        for name in ("backdrop", "pos", "size"):
            self.fbind(name, self._redraw_backdrop)
        app = App.get_running_app()
        if app is not None:
            follow_app(app, "theme_name", self, "_redraw_backdrop")
        self._redraw_backdrop()
        # Bound, not overridden: screens have on_leave methods of their own.
        self.fbind("on_pre_enter", take_window_parts)
        self.fbind("on_leave", release_window_parts)

    def _redraw_backdrop(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        if not self.backdrop or app is None:
            self._backdrop.clear()
            return
        if not self._backdrop.children:
            self._backdrop.add(self._backdrop_color)
            self._backdrop.add(self._backdrop_shape)
        self._backdrop_color.rgba = app.rgba("background", app.theme_name)
        self._backdrop_shape.pos = self.pos
        self._backdrop_shape.size = self.size

    def show(self, view: View) -> None:
        """Redraw from `view`. A screen keeps nothing of its own between sessions."""

    def first_focus(self) -> Widget | None:
        """The widget Tab focuses first when nothing has focus."""
        return None

    def focus_key(self) -> str:
        """What the screen is asking now; when it changes on the same screen (the next
        question of a form), the focus starts again at `first_focus`."""
        return ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
