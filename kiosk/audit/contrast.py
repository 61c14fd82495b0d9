"""Contrast as rendered (docs/accessibility.md D2): each text and pictogram, read on the window's
pixels, against what is drawn behind it.

What is behind a text is the colour most of a 4-pixel ring around it has. Its ink is the
strongest of its colours that covers a fair share of its pixels: anti-aliased edges blend ink
and background, so the darkest (or lightest) few pixels of the glyphs' cores are the colour the
eye reads, while a lone stray pixel is not. The ratio is WCAG's, between those two colours.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from kiosk.audit.findings import Check, Finding
from kiosk.audit.scene import Box, Conditions, Scene
from kiosk.core.theme import DEFAULT_THEME_TEXT_CONTRAST, MIN_TEXT_CONTRAST

# docs/accessibility.md D2: the background is read in a 4 px ring around the text.
RING_PX = 4
# A pixel counts as ink when it stands out from the background at all (1.1:1): the glyphs'
# edges included. Its colour is the one reached by the strongest 5 % of ink pixels, and by at
# least 3 of them.
INK_RATIO = 1.1
INK_SHARE = 0.05
INK_LEAST_PX = 3
# Every theme of the kiosk is the default or a high-contrast one, held to 7:1 (D1); 4.5:1 is
# the floor of any text (§3), said when a reading falls under it too.
TARGET_RATIO = DEFAULT_THEME_TEXT_CONTRAST

RGB = tuple[int, int, int]


@lru_cache(maxsize=4096)
def luminance(colour: RGB) -> float:
    """WCAG 2.x relative luminance of an 8-bit sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: RGB, second: RGB) -> float:
    """WCAG 2.x contrast ratio between two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Reading:
    """A text's colours as rendered, and their ratio."""

    background: RGB
    ink: RGB
    ratio: float


def _pixel_box(box: Box, image: Image.Image) -> tuple[int, int, int, int] | None:
    """`box` (window pixels, origin bottom-left) as PIL's (left, upper, right, lower), clipped
    to the image; None when nothing of it is on the image."""
    width, height = image.size
    left, right = max(0, math.floor(box.x)), min(width, math.ceil(box.right))
    upper, lower = max(0, height - math.ceil(box.top)), min(height, height - math.floor(box.y))
    if right <= left or lower <= upper:
        return None
    return left, upper, right, lower


def _colours(image: Image.Image, area: tuple[int, int, int, int]) -> list[tuple[int, RGB]]:
    crop = image.crop(area)
    return crop.getcolors(crop.width * crop.height) or []


def read(image: Image.Image, text_box: Box) -> Reading | None:
    """The background and ink of the text drawn in `text_box`, or None when none of it is on
    the image."""
    area = _pixel_box(text_box, image)
    if area is None:
        return None
    left, upper, right, lower = area
    width, height = image.size
    ring: Counter[RGB] = Counter()
    strips = (
        (left - RING_PX, upper - RING_PX, right + RING_PX, upper),  # above
        (left - RING_PX, lower, right + RING_PX, lower + RING_PX),  # below
        (left - RING_PX, upper, left, lower),  # left
        (right, upper, right + RING_PX, lower),  # right
    )
    for x0, y0, x1, y1 in strips:
        strip = (max(0, x0), max(0, y0), min(width, x1), min(height, y1))
        if strip[2] > strip[0] and strip[3] > strip[1]:
            for count, colour in _colours(image, strip):
                ring[colour] += count
    inside = _colours(image, area)
    if not ring:  # a text that fills the whole window: its most common colour is behind it
        ring.update({colour: count for count, colour in inside})
    background = ring.most_common(1)[0][0]
    ink = sorted(((ratio(colour, background), count, colour) for count, colour in inside
                  if ratio(colour, background) >= INK_RATIO), reverse=True)
    if not ink:
        strongest = max((colour for _count, colour in inside),
                        key=lambda c: ratio(c, background))
        return Reading(background, strongest, ratio(strongest, background))
    enough = max(INK_LEAST_PX, INK_SHARE * sum(count for _r, count, _c in ink))
    seen = 0
    for value, count, colour in ink:
        seen += count
        if seen >= enough:
            return Reading(background, colour, value)
    value, _count, colour = ink[-1]
    return Reading(background, colour, value)


def _hex(colour: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*colour)


def text_contrast(scene: Scene, image: Image.Image, conditions: Conditions) -> list[Finding]:
    """Every text and pictogram on screen reaches the theme's ratio as rendered: 7:1 in the
    default and high-contrast themes, never under 4.5:1. A disabled control's text is left out,
    as WCAG 1.4.3 leaves out inactive components."""
    target = TARGET_RATIO
    found = []
    for node in scene.nodes:
        if node.text_box is None or node.disabled or not node.text.strip():
            continue
        shown = node.text_box
        if node.viewport is not None and not node.viewport.contains(shown):
            continue  # partly scrolled out of view: the scroll check says so
        reading = read(image, shown)
        if reading is None or reading.ratio >= target:
            continue
        floor = f", under the {MIN_TEXT_CONTRAST:g}:1 floor" if (
            reading.ratio < MIN_TEXT_CONTRAST) else ""
        found.append(Finding(
            Check.CONTRAST, "D2", node.name,
            f"{node.name} reads {reading.ratio:.1f}:1 ({_hex(reading.ink)} on "
            f"{_hex(reading.background)}); the {conditions.theme.value} theme asks "
            f"{target:g}:1{floor}", shown))
    return found
