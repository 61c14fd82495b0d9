"""A QR code on screen, made of the same modules as the one printed on the receipt
(kiosk/receipts/qr.py: the qrcode library, error correction M, four-module quiet zone), so that
a phone or the kiosk's own scanner reads the screen exactly as it reads the paper.

It is drawn black on white in every theme: a light-on-dark ("inverted") code is not read by
every phone (ISO/IEC 18004 §6.2 reflectance reversal is an optional decoder feature).
Screens may import `kiosk.receipts` (pyproject.toml: the screens contract forbids devices,
network and the shell, not drawing). It is imported when a code is first drawn: an idle
station holds neither qrcode nor Pillow, which a session loads before it reaches a code
(kiosk/shell/session_modules.py; docs/performance.md, "What an idle station holds").
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

DARK = b"\x00\x00\x00\xff"
LIGHT = b"\xff\xff\xff\xff"


def qr_texture(content: str) -> Texture:
    """One texel per module, quiet zone included; drawn with nearest filtering so that
    modules stay sharp squares at any size."""
    from kiosk.receipts.qr import qr_modules

    matrix = qr_modules(content)
    side = len(matrix)
    # Textures start at the bottom row; the matrix starts at the top one.
    pixels = b"".join(DARK if dark else LIGHT for row in reversed(matrix) for dark in row)
    texture = Texture.create(size=(side, side), colorfmt="rgba")
    texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class QRCode(Widget):
    """A square QR code holding `content`, as large as the widget's smaller side."""

    content = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Texture | None = None
        with self.canvas:
            self._paper = Color(1, 1, 1, 0)
            self._square = Rectangle()
        self.bind(pos=self._redraw, size=self._redraw)

    def on_content(self, _widget: Widget, content: str) -> None:
        """A new code (nothing is drawn for an empty content)."""
        self._texture = qr_texture(content) if content else None
        self._redraw()

    def _redraw(self, *_args: Any) -> None:
        side = min(self.width, self.height)
        self._square.pos = (self.x + (self.width - side) / 2, self.y + (self.height - side) / 2)
        self._square.size = (side, side)
        self._square.texture = self._texture
        self._paper.a = 1 if self._texture is not None else 0
