"""A button's face (its focus ring, shadow, edge and fill) and its words, drawn from Python.

The face has five layers and each follows the button's place, size, state, focus and kind
and the theme: as kv rules, that is some twenty bound expressions per button, most of a
screen's build time (docs/performance.md, "A screen's build"). Here it is one redraw, once
per frame at most, when any of them changes. A layer not shown has no size: a transparent
one would cost the software renderer its whole area (docs/performance.md, "A frame's cost").
How it looks: docs/visual-design.md, "Colour and surfaces"; the pressed line: docs/accessibility.md
G1."""

from __future__ import annotations

from typing import Any, Protocol

from kivy.graphics import Canvas, Color, InstructionGroup, Rectangle, RoundedRectangle

from kiosk.core import tokens


class FaceApp(Protocol):
    """What the face asks of the app: millimetres, colours and the theme."""

    theme_name: str

    def mm(self, millimetres: float) -> float: ...

    def rgba(self, token: str, theme: str) -> tuple[float, float, float, float]: ...

    def shadow(self, theme: str) -> tuple[float, float, float, float]: ...


class ButtonFace:
    """The layers under a button's words, as one instruction group."""

    def __init__(self) -> None:
        self.group = InstructionGroup()
        self._layers: list[tuple[Color, RoundedRectangle]] = []
        for _ in range(5):  # focus ring, the gap inside it, shadow, edge, fill
            color, shape = Color(0, 0, 0, 0), RoundedRectangle(size=(0, 0))
            self.group.add(color)
            self.group.add(shape)
            self._layers.append((color, shape))

    def draw(self, button: Any, app: FaceApp) -> None:
        """Lay the five layers out for `button` as it is now."""
        theme = app.theme_name
        x, y = button.pos
        width, height = button.size
        radius = app.mm(tokens.RADIUS_MM)
        down = button.state == "down"
        ring, gap, shadow, edge, fill = self._layers
        if button.focus:
            outer = app.mm(tokens.FOCUS_OFFSET_MM + tokens.FOCUS_RING_MM)
            inner = app.mm(tokens.FOCUS_OFFSET_MM)
            _place(ring, app.rgba("focus", theme), (x - outer, y - outer),
                   (width + 2 * outer, height + 2 * outer), radius + outer)
            _place(gap, app.rgba("background", theme), (x - inner, y - inner),
                   (width + 2 * inner, height + 2 * inner), radius + inner)
        else:
            _hide(ring)
            _hide(gap)
        cast = app.shadow(theme)
        if not down and not button.disabled and cast[3] > 0:
            # Below the button only: the rest of it would lie under the button anyway.
            elevation = app.mm(tokens.ELEVATION_MM)
            _place(shadow, cast, (x, y - elevation),
                   (width, min(height, app.mm(tokens.ELEVATION_MM + 2 * tokens.RADIUS_MM))),
                   radius)
        else:
            _hide(shadow)
        if getattr(button, "own_fill", False):
            # A card that draws its own fill over the whole button (the attract screen's
            # tiles): an edge and a fill under it would only show at its rounder corners,
            # and each costs the software renderer a draw of its own.
            _hide(edge)
            _hide(fill)
        elif button.outlined:
            line = app.mm(tokens.PRESSED_LINE_MM if down else tokens.BORDER_MM)
            # Pressed, the line is in the colour of the button's words, which the theme's
            # contrast checks hold against its fill (docs/accessibility.md G1).
            edge_token = (button.ink_token if down and button.filled
                          else "text" if down else "primary")
            _place(edge, app.rgba(edge_token, theme), (x, y), (width, height), radius)
            _place(fill, app.rgba(button.fill_token, theme), (x + line, y + line),
                   (width - 2 * line, height - 2 * line), max(0.0, radius - line))
        else:
            # A filled button not pressed: its edge would be its fill's colour.
            _hide(edge)
            _place(fill, app.rgba(button.fill_token, theme), (x, y), (width, height), radius)


def _place(layer: tuple[Color, RoundedRectangle], rgba: tuple[float, ...],
           pos: tuple[float, float], size: tuple[float, float], radius: float) -> None:
    color, shape = layer
    color.rgba = rgba
    shape.pos = pos
    shape.size = (max(0.0, size[0]), max(0.0, size[1]))
    shape.radius = [radius]


def _hide(layer: tuple[Color, RoundedRectangle]) -> None:
    # Kivy keeps the last shape of a rounded rectangle given no size: transparent, too.
    layer[0].rgba = (0, 0, 0, 0)
    layer[1].size = (0, 0)


#: the properties of a button its words are drawn from
WORDS_FROM = ("pos", "size", "color", "busy", "busy_texture", "texture", "texture_size",
              "pad_left", "halign", "words_top")


class ButtonWords:
    """A button's words (or, while busy, what is being done), in the button's canvas itself,
    where the audit finds the words' texture. In kv, these were five bound expressions per
    button, each a handler to build with every button (docs/performance.md, "A screen's
    build")."""

    def __init__(self, canvas: Canvas) -> None:
        self._ink = Color(1, 1, 1, 1)
        self._words = Rectangle(size=(0, 0))
        # Added before the button's kv rules are applied: first in its canvas, under what a
        # subclass's own rule draws (a Rectangle inserted later would come after the texture
        # binding Kivy adds for it, and be drawn with another texture).
        canvas.add(self._ink)
        canvas.add(self._words)

    def draw(self, button: Any, app: FaceApp) -> None:
        """Place the words for `button` as it is now: their texture carries their colour, a
        busy text is tinted. Centred words whose texture is narrower than their room (an
        attract tile's) are centred in it; below `words_top`, the words and the room above
        them are centred."""
        busy = button.busy_texture if button.busy and button.busy_texture else None
        self._ink.rgba = button.color if busy is not None else (1, 1, 1, 1)
        self._words.texture = busy if busy is not None else button.texture
        width, height = busy.size if busy is not None else button.texture_size
        self._words.size = (width, height)
        room = button.width - button.pad_left - app.mm(tokens.PAD_X_MM) - width
        centring = max(0, room) / 2 if button.halign == "center" else 0
        middle = button.y + button.height / 2
        self._words.pos = (int(button.x + button.pad_left + centring),
                           int(middle - (height + button.words_top) / 2))
