"""Design tokens: every size the screens are drawn with, in millimetres on the glass, and the
type scale from the viewing distance (docs/visual-design.md, "Sizes in millimetres" and "A type
scale that reads from a step away"). Colours per theme are in kiosk/core/theme.py; the panel
turns millimetres into pixels (kiosk/core/geometry.py).
"""

from __future__ import annotations

import math
from types import MappingProxyType

from kiosk.core.geometry import BODY_CAP_MM
from kiosk.settings.models import Profile, TextSize

# -- type --------------------------------------------------------------------------------------

# docs/visual-design.md, "Who is looking, from where": eye to glass 500–700 mm at the totem,
# 450–600 mm at a desk. The middle of each range.
VIEWING_DISTANCE_MM = MappingProxyType({
    Profile.TOTEM: 600.0, Profile.DESK: 500.0, Profile.DESK_ASSISTED: 500.0,
})
# BODY_CAP_MM are the sizes of docs/accessibility.md §3 for reading at arm's length, 500 mm
# (0.7° there is 6.1 mm); text is scaled by the viewing distance over this one, never down.
REFERENCE_DISTANCE_MM = 500.0
# EN 301 549 5.1.4: a capital subtends 0.7° at the viewing distance (the largest size meets it).
MIN_ANGLE_DEG = 0.7
# Text roles as multiples of the body capital height. docs/visual-design.md's totem scale at
# the default size M (body 6.2 mm): the question 12.5 mm (11–14 mm), buttons 6.2 mm (≥ 6 mm),
# numbers to keep 21 mm (≥ 20 mm), the city's name on the attract screen 16 mm.
# "question" is the question of a step where its words at "title" would not leave the reading
# zone room for the rest (a narrow column at a large size): still the largest text of the zone.
ROLE_SCALE = MappingProxyType({
    "small": 0.8, "body": 1.0, "button": 1.0, "lead": 1.25, "question": 1.4, "title": 2.0,
    "huge": 2.6, "number": 3.4,
})
# docs/accessibility.md §3 (ADA 707.7.2): no text below 4.8 mm capitals, small print included.
MIN_CAP_MM = 4.8
# docs/visual-design.md: lines 1.3–1.5 times the font size apart.
LINE_SPACING = 1.4

# From the default size up, the large roles grow by at least this factor of the body: the
# question stays the largest text without taking the whole reading zone at XL.
LARGE_ROLE_FLOOR = 1.4


def cap_mm(role: str, size: TextSize, profile: Profile, far_mm: float = 0.0) -> float:
    """Capital height in mm of a text role at a text size, on a station of `profile`. Roles
    larger than the body keep their size at M and grow with the body above it, at least
    LARGE_ROLE_FLOOR times the body: every role grows with the text size. At the largest
    size no role is under `far_mm`, what the text farthest from the eye needs there
    (`far_text_cap_mm` in kiosk/core/layout.py; docs/accessibility.md C2)."""
    scale = max(1.0, VIEWING_DISTANCE_MM[profile] / REFERENCE_DISTANCE_MM)
    body = BODY_CAP_MM[size] * scale
    factor = ROLE_SCALE[role]
    least = max(MIN_CAP_MM, far_mm if size is TextSize.XL else 0.0)
    if factor > LARGE_ROLE_FLOOR and BODY_CAP_MM[size] > BODY_CAP_MM[TextSize.M]:
        at_m = BODY_CAP_MM[TextSize.M] * scale * factor
        return max(least, at_m + (body - BODY_CAP_MM[TextSize.M] * scale)
                   * LARGE_ROLE_FLOOR, body * LARGE_ROLE_FLOOR)
    return max(least, body * factor)


def angle_cap_mm(distance_mm: float) -> float:
    """The capital height that subtends 0.7° at `distance_mm` (EN 301 549 5.1.4)."""
    return distance_mm * math.tan(math.radians(MIN_ANGLE_DEG))


# docs/accessibility.md C2 and §2.11: the reference eyes, standing and seated, 500 mm from the
# glass, from which every text at the largest size is read.
STANDING_EYE_MM = 1600.0
SEATED_EYE_MM = 1015.0
EYE_TO_GLASS_MM = 500.0


def needed_cap_mm(size: TextSize, seated: bool, height_mm: float) -> float:
    """The least capital height of any text `height_mm` above the floor, small print
    included: 4.8 mm (docs/accessibility.md C1, the body size of S: the smaller roles of a
    larger size may be below its body, never below this), and at XL the body size of XL and
    0.7° seen from the posture's eye (C2: every text at the largest size)."""
    if size is not TextSize.XL:
        return MIN_CAP_MM
    eye = SEATED_EYE_MM if seated else STANDING_EYE_MM
    return max(BODY_CAP_MM[TextSize.XL],
               angle_cap_mm(math.hypot(EYE_TO_GLASS_MM, eye - height_mm)))


# -- space -------------------------------------------------------------------------------------

# docs/accessibility.md A4: targets at least 2 mm inside the active area; 6 mm at the edges.
MARGIN_MM = 6.0
# docs/accessibility.md B3: ≥ 2.54 mm between targets; 4 mm keeps rows visibly apart.
GAP_MM = 4.0
# Between keys of the on-screen keyboards: still above B3's 2.54 mm.
KEY_GAP_MM = 3.0
# Inside a key, around its words (screens/keyboard.kv): the audit reads what is behind a text
# in a ring of 4 px around it (docs/accessibility.md D2), which must lie on the key.
KEY_PAD_MM = 2.0
# Inside a button, above and below its label, and at its ends.
PAD_MM = 4.0
PAD_X_MM = 6.0
# Inside a card (the reading zone, an attract tile).
CARD_PAD_MM = 6.0

# -- shape -------------------------------------------------------------------------------------

RADIUS_MM = 3.0
CARD_RADIUS_MM = 5.0
# docs/visual-design.md, "Colour and surfaces": surfaces told apart by fill and a border.
BORDER_MM = 0.8
# docs/accessibility.md F5: a focus ring at least 1 mm thick, outside the control.
FOCUS_RING_MM = 1.2
FOCUS_OFFSET_MM = 1.6
# A pressed button: a line inside it, and it sinks onto its shadow (docs/accessibility.md G1).
PRESSED_LINE_MM = 1.0
# Elevation: raised controls cast a shadow this far below them, at this opacity; none in the
# high-contrast themes (kiosk/core/theme.py FLAT_THEMES).
ELEVATION_MM = 1.0
SHADOW_OPACITY = 0.22
# A disabled control is drawn faded (and says why in words nearby).
DISABLED_OPACITY = 0.45

# -- pictograms --------------------------------------------------------------------------------

# docs/visual-design.md, "Two zones": the step's pictogram 15–25 mm.
STEP_PICTOGRAM_MM = 22.0
# A pictogram beside a label is this many times the label's capital height.
PICTOGRAM_TO_CAP = 1.9
# Material Icons draw their glyphs in about 20/24 of the em square: the font size that makes
# a pictogram `h` high is h / 0.83.
PICTOGRAM_EM = 0.83
# The attract screen's tiles: a pictogram 30 mm high on a tile at least 60 mm high.
TILE_PICTOGRAM_MM = 30.0
TILE_MIN_HEIGHT_MM = 60.0

# -- motion (docs/visual-design.md, "Calm" and "The attract screen") ----------------------------

# The attract screen's slow pulse: one breath every 4 s, its brightness changing by at most
# 8 %; far from WCAG 2.3.1's three flashes a second, and it stops for reduced motion.
PULSE_PERIOD_S = 4.0
PULSE_DEPTH = 0.08
# Against burn-in, the whole attract screen moves by up to 2 mm, a step every 3 minutes.
SHIFT_MM = 2.0
SHIFT_EVERY_S = 180.0
# The line of the day is looked at again every minute ("open until 17:30" goes stale).
DAY_LINE_EVERY_S = 60.0
