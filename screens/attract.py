"""The attract screen: what a passer-by sees. It says what the station does, in tiles that
start each service at once; a touch anywhere else (or Enter) starts a session at the home
screen (docs/visual-design.md, "The attract screen")."""

from __future__ import annotations

import math
from itertools import cycle
from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import DEFAULT_FONT
from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.core.flows import registry
from kiosk.core.home_entries import short_name
from kiosk.core.i18n import translate
from kiosk.core.intents import Intent, StartFlow, StartSession
from kiosk.core.pictograms import flow_pictogram
from kiosk.core.tokens import (
    PAD_X_MM,
    PICTOGRAM_EM,
    PULSE_PERIOD_S,
    SHIFT_EVERY_S,
    SHIFT_MM,
    TILE_MIN_HEIGHT_MM,
    TILE_PICTOGRAM_MM,
)
from kiosk.core.view import View
from kiosk.settings.models import TextSize
from screens.measure import longest_word_width
from screens.widgets import KioskButton, KioskScreen, pictogram_texture, send

# docs/visual-design.md: four to six tiles.
MAX_TILES = 6
MIN_TILES = 4
# Where the composition sits, in turn, as fractions of SHIFT_MM (x, y): never lower than at
# rest, so that no control leaves the reach band, whose lower edge the start button is on.
SHIFTS = ((0.0, 0.0), (1.0, 0.5), (0.0, 1.0), (-1.0, 0.5))
# The hand's slow movement: 1.5 mm up and back, one breath every PULSE_PERIOD_S.
HAND_TRAVEL_MM = 1.5


class TouchAnywhere(ButtonBehavior, FloatLayout):
    """The whole screen is the start control; it acts on release, like every button."""


class AttractTile(KioskButton):
    """One thing the station does: a large pictogram above two to four words; a touch
    starts it at once."""

    flow = StringProperty("")
    picto_texture = ObjectProperty(None, allownone=True)
    picto_h = NumericProperty(0)
    #: its card (attract.kv) is its fill, tint or pressed: the face draws its focus ring and
    #: shadow only (screens/button_face.py)
    own_fill = True


class AttractScreen(KioskScreen):
    """Welcome in every offered language, what the station does, and how to start."""

    shift_x = NumericProperty(0)
    shift_y = NumericProperty(0)
    #: how far the hand has moved down in its slow breath
    lift = NumericProperty(0)
    #: how far the hand moves down at most
    hand_travel = NumericProperty(0)
    tile_columns = NumericProperty(2)
    #: on a landscape panel, the invitation's height at the largest text size: the tiles
    #: under it keep one height at every size (docs/accessibility.md C3), the invitation
    #: sitting on them with what it leaves above it
    invite_room = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hand_travel = App.get_running_app().mm(HAND_TRAVEL_MM)
        self._shifts = cycle(SHIFTS)
        self._shift_event: Any = None
        self._bob: Any = None
        self._tiles_shown: tuple[object, ...] = ()
        #: the flows a tile may offer, first first, with their words
        self._offered: list[tuple[str, str]] = []
        #: the columns the band's shape asks for first
        self._columns = 2
        #: the tiles shown and their columns
        self._arranged = (0, 0)
        #: whether an arrangement holds, by band and words
        self._held: dict[tuple[object, ...], bool] = {}
        self._language = ""
        # The tiles share the band's height, once it is known and whenever it or their width
        # changes.
        self._resize = Clock.create_trigger(self._size_tiles, -1)
        self.ids.tiles.bind(size=self._resize, children=self._resize)
        self.ids.invitations.bind(text=self._resize, width=self._resize)

    def show(self, view: View) -> None:
        """The invitation in each offered language, the default one first, and the tiles."""
        lines = [translate("attract.touch_to_start", lang) for lang in view.languages]
        # Easy-to-read French may say it as French does: each sentence once.
        self.ids.invitations.text = "\n".join(dict.fromkeys(lines))
        self._fill_tiles(view.language)

    def _fill_tiles(self, language: str) -> None:
        self._language = language
        flows = [spec.name for spec in registry.home_flows()][:MAX_TILES]
        app: Any = App.get_running_app()
        shown = (language, app.text_size, app.layout, *flows)
        if shown == self._tiles_shown:
            return
        self._tiles_shown = shown
        self._offered = [(name, short_name(registry.FLOWS[name].home or name, language))
                         for name in flows]
        # Three columns where the band is low (seated) or the panel wide, two on a tall one.
        low = app.panel.mm(app.layout.body.height) < 2 * TILE_MIN_HEIGHT_MM * 1.5
        self._columns = 3 if app.layout.side_by_side or low else 2
        self._arranged = (0, 0)
        self._size_tiles()

    def _arrange(self) -> None:
        """As many tiles, and as many a row, as hold their words whole with a pictogram above
        them: six where they do, down to four, the first flows kept; the other number of
        columns before fewer tiles (docs/visual-design.md, "The attract screen": four to six
        tiles, a pictogram above two to four words; at XL on the desk a word as wide as a
        third of the band does not hold in three columns)."""
        grid = self.ids.tiles
        offered = self._offered
        arrangement = (len(offered), self._columns)
        if grid.width > 1 and grid.height > 1:
            tried = [(count, columns) for count in range(len(offered), MIN_TILES - 1, -1)
                     for columns in (self._columns, 5 - self._columns)]
            arrangement = next((a for a in tried if self._holds(*a)), arrangement)
        if arrangement == self._arranged:
            return
        self._arranged = arrangement
        count, self.tile_columns = arrangement
        grid.clear_widgets()
        for name, words in offered[:count]:
            tile = AttractTile(text=words, flow=name, role=f"attract.tile.{name}")
            tile.bind(on_release=lambda _t, name=name: start_flow(name), width=self._resize)
            grid.add_widget(tile)

    def _holds(self, count: int, columns: int) -> bool:
        """Whether `count` tiles in `columns` each hold their words whole and a pictogram,
        measured once for a band and its words (the tiles are sized again at each change)."""
        app: Any = App.get_running_app()
        grid = self.ids.tiles
        font = app.font("button", app.text_size)
        key = (count, columns, round(grid.width), round(grid.height), tuple(grid.spacing),
               font, *self._offered[:count])
        if key not in self._held:
            self._held[key] = self._measure_holds(count, columns)
        return self._held[key]

    def _measure_holds(self, count: int, columns: int) -> bool:
        """The words wrapped at a tile's width as its own are, with no word broken, and the
        pictogram's least side above them."""
        app: Any = App.get_running_app()
        grid = self.ids.tiles
        rows = -(-count // columns)
        width = (grid.width - (columns - 1) * grid.spacing[0]) / columns
        cell = (grid.height - (rows - 1) * grid.spacing[1]) / rows
        font = app.font("button", app.text_size)
        line = width - 2 * app.mm(PAD_X_MM)
        for _name, words in self._offered[:count]:
            if longest_word_width(words, font, DEFAULT_FONT, "") > width:
                return False
            label = CoreLabel(text=words, font_size=font, font_name=DEFAULT_FONT, bold=True,
                              halign="center", line_height=app.line_height,
                              text_size=(line, None))
            label.refresh()
            if not pictogram_side(cell, float(label.texture.size[1])):
                return False
        return True

    def _largest_invite(self) -> float:
        """The invitation's height with its words at the largest size, as it would wrap."""
        app: Any = App.get_running_app()
        words = self.ids.invitations
        label = CoreLabel(text=words.text, font_size=app.font("lead", TextSize.XL.value),
                          font_name=words.font_name, bold=words.bold, halign=words.halign,
                          line_height=words.line_height, text_size=(words.width, None))
        label.refresh()
        return max(float(label.texture.size[1]), self.ids.invite.height)

    def _size_tiles(self, *_args: Any) -> None:
        app: Any = App.get_running_app()
        if app.layout.side_by_side and self.ids.invitations.width > 1:
            self.invite_room = self._largest_invite()
        self._arrange()
        grid = self.ids.tiles
        rows = -(-len(grid.children) // max(1, int(self.tile_columns)))
        cell = (grid.height - (rows - 1) * grid.spacing[1]) / max(rows, 1)
        for tile in grid.children:
            tile.min_height = cell
            # The words' texture only as wide as their longest line: at the tile's width it
            # was 0.2 MiB of mostly empty pixels a tile (docs/performance.md). Their lines
            # are broken at the tile's width first, then kept at that narrower width.
            tile.text_size = (max(0.0, tile.width - 2 * app.mm(PAD_X_MM)), None)
            tile.texture_update()
            lines = tile._label._internal_size[0] if tile._label is not None else 0
            if 0 < lines < tile.text_size[0]:
                tile.text_size = (math.ceil(lines), None)
                tile.texture_update()
            tile.picto_h = pictogram_side(cell, float(tile.texture_size[1]))
            # The words below the pictogram, out of their texture.
            tile.words_top = tile.picto_h + app.mm(3) if tile.picto_h else 0
            tile.picto_texture = (pictogram_texture(flow_pictogram(tile.flow),
                                                    int(tile.picto_h / PICTOGRAM_EM))
                                  if tile.picto_h else None)

    def on_enter(self, *_args: Any) -> None:
        """Start the slow motions while the screen is up."""
        app: Any = App.get_running_app()
        self._shift_event = Clock.schedule_interval(self._shift, SHIFT_EVERY_S)
        if not app.reduced_motion:
            half = PULSE_PERIOD_S / 2
            self._bob = (Animation(lift=self.hand_travel, duration=half, t="in_out_sine")
                         + Animation(lift=0, duration=half, t="in_out_sine"))
            self._bob.repeat = True
            self._bob.start(self)

    def on_leave(self, *_args: Any) -> None:
        """Nothing moves behind another screen."""
        if self._shift_event is not None:
            self._shift_event.cancel()
            self._shift_event = None
        if self._bob is not None:
            self._bob.cancel(self)
            self._bob = None
        self.lift = 0

    def _shift(self, _dt: float) -> None:
        app: Any = App.get_running_app()
        fx, fy = next(self._shifts)
        self.shift_x, self.shift_y = fx * app.mm(SHIFT_MM), fy * app.mm(SHIFT_MM)

    @staticmethod
    def start_with(choice: Intent) -> None:
        """A session that starts with the seated layout or speech already chosen."""
        send(choice)
        send(StartSession())

    def first_focus(self) -> Widget | None:
        """Enter on a keyboard starts, like a touch."""
        return self.ids.start


def pictogram_side(cell: float, words: float) -> float:
    """The pictogram takes what the words leave of a tile `cell` high, up to 30 mm; below 8 mm
    there is none (0), and the words say it alone."""
    app: Any = App.get_running_app()
    side = min(app.mm(TILE_PICTOGRAM_MM), cell * 0.45, cell - words - app.mm(3 + 2))
    return float(side) if side >= app.mm(8) else 0.0


def start_flow(name: str) -> None:
    """A tile: a session, straight into its flow (Back leads to the home screen)."""
    send(StartSession())
    send(StartFlow(name))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
