"""Two fixes to Kivy 2.3.1's SDL2 text provider, which renders every label's text
(docs/kivy.md §9; docs/performance.md, "What an idle station holds").

- It draws the text on an SDL surface, copies the pixels into the label's texture, and keeps
  the surface for as long as the label lives (its `_surface` is never read again: the next
  render makes a new one). Every label of every built screen held its pixels twice: 2.2 MiB
  on the three resident screens. A render now lets go of its surface.
- It keeps one SDL_ttf font object per face and size, opened at the whole size below the
  label's (`int(font_size)`), but looks it up by the size as written: sizes computed from
  millimetres (22.47298919567827 and 22.472989195678274) opened the same face at the same size
  twice, each with its own copy of the face's tables (about 190 KiB for Andika). The lookup
  now goes by the size the font is opened at.

Import only once Kivy is configured (kiosk/shell/boot.py).
"""

from __future__ import annotations

from typing import Any

#: set on the provider class once it is fixed
FIXED = "_kiosk_text_fixed"
#: the options SDL_ttf opens a font with, as Kivy's provider reads them (text_sdl2.py)
FONT_OPTIONS = ("font_name_r", "bold", "italic", "underline", "strikethrough")


def font_id(options: dict[str, Any]) -> str:
    """The key of the SDL_ttf font a label's options open: the whole font size SDL_ttf is
    given, then the face and its style."""
    return "|".join([str(int(options["font_size"])), *(str(options[k]) for k in FONT_OPTIONS)])


def fix_text_rendering() -> bool:
    """Fix the provider in this process (once). Returns False where Kivy renders text with
    another provider, which has neither fault."""
    from kivy.core.text import Label as CoreLabel

    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:  # a Kivy built without SDL2's text
        return False
    if not issubclass(CoreLabel, LabelSDL2):
        return False
    if getattr(LabelSDL2, FIXED, False):
        return True
    keeping = LabelSDL2._render_end

    def _render_end(self: Any) -> Any:
        data = keeping(self)  # the ImageData holds its own copy of the pixels
        self._surface = None  # frees the SDL surface (its container's __dealloc__)
        return data

    def _get_font_id(self: Any) -> str:
        return font_id(self.options)

    LabelSDL2._render_end = _render_end
    LabelSDL2._get_font_id = _get_font_id
    setattr(LabelSDL2, FIXED, True)
    return True
