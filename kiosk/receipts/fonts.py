"""The fonts receipts are set in: DejaVu Sans, which covers French (œ, « », €, narrow no-break
space) and is on every Debian station (package fonts-dejavu-core, docs/visual-design.md, "Fonts").
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageFont

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where Debian's fonts-dejavu-core installs the fonts."""
REGULAR = DEJAVU_DIR / "DejaVuSans.ttf"
BOLD = DEJAVU_DIR / "DejaVuSans-Bold.ttf"

CAP_PROBE = "H"
"""A flat-topped, flat-bottomed capital: its ink height is the font's capital height."""


@functools.cache
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """`path` at `size` dots per em, loaded once. The basic layout engine (FreeType with
    kerning) draws French and English the same on every machine, with or without libraqm, so
    the golden images stay comparable."""
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def cap_height(face: ImageFont.FreeTypeFont) -> int:
    """The capital height of `face`, in dots, as it is drawn."""
    _left, top, _right, bottom = face.getbbox(CAP_PROBE)
    return int(bottom - top)


def size_for_cap_height(path: Path, cap_dots: int) -> int:
    """The smallest size of `path` whose capitals are at least `cap_dots` tall."""
    size = max(1, int(cap_dots / 0.75))
    while cap_height(font(path, size)) < cap_dots:
        size += 1
    while size > 1 and cap_height(font(path, size - 1)) >= cap_dots:
        size -= 1
    return size
