"""Pictograms: glyphs of a maintained icon font, drawn as text so that they scale with the
person's text size and take the theme's colours (docs/visual-design.md, "Pictograms").

The font is Google's Material Icons (Apache-2.0), installed from Debian's
`fonts-material-design-icons-iconfont` (kiosk/core/typeface.py). Kivy's text renderer does not
apply the font's ligatures ("home" drawn as the house), so each pictogram is named here by its
code point, from the font's published code point list; `tests/unit/test_pictograms.py` checks
each one is in the installed font. A pictogram always stands beside words, never instead of
them (docs/accessibility.md H3).
"""

from __future__ import annotations

from types import MappingProxyType

# Material Icons code points (Private Use Area), by the icon's own name.
_CODEPOINTS = {
    "search": 0xE8B6, "home": 0xE88A, "event": 0xE878, "event_available": 0xE614,
    "event_busy": 0xE615, "edit_calendar": 0xE742, "calendar_month": 0xEBCC,
    "report_problem": 0xE8B2, "construction": 0xEA3C, "manage_search": 0xF02F,
    "receipt_long": 0xEF6E, "info": 0xE88E, "help": 0xE887, "place": 0xE55F,
    "location_on": 0xE0C8, "schedule": 0xE8B5, "touch_app": 0xE913, "arrow_back": 0xE5C4,
    "arrow_forward": 0xE5C8, "chevron_left": 0xE5CB, "chevron_right": 0xE5CC,
    "restart_alt": 0xF053, "language": 0xE894, "translate": 0xE8E2, "check": 0xE5CA,
    "check_circle": 0xE86C, "close": 0xE5CD, "cancel": 0xE5C9, "print": 0xE8AD,
    "qr_code": 0xE00A, "person": 0xE7FD, "badge": 0xEA67, "phone": 0xE0CD, "mail": 0xE158,
    "local_library": 0xE54B, "pool": 0xEB48, "delete": 0xE872, "recycling": 0xE760,
    "town_hall": 0xE84F, "very_satisfied": 0xE815, "satisfied": 0xE813, "neutral": 0xE812,
    "dissatisfied": 0xE811, "very_dissatisfied": 0xE814, "hourglass": 0xEA5B,
    "logout": 0xE9BA, "backspace": 0xE14A, "keyboard": 0xE312, "space_bar": 0xE256,
    "shift": 0xE318, "walk": 0xE536, "description": 0xE873, "accessible": 0xE914,
    "edit": 0xE3C9, "send": 0xE163, "error": 0xE000, "warning": 0xE002, "today": 0xE8DF,
    "support_agent": 0xF0E2, "rate_review": 0xE560, "fact_check": 0xF0C5,
    "swap": 0xE8D4, "list": 0xE896, "apps": 0xE5C3, "lightbulb": 0xE0F0,
}
CODEPOINTS = MappingProxyType(_CODEPOINTS)

# What each flow's entry shows on the home and attract screens, by the flow's name; a flow
# added later without one gets the generic "apps" pictogram.
FLOW_PICTOGRAMS = MappingProxyType({
    "services": "manage_search", "request": "report_problem", "tracking": "search",
    "appointment": "event", "manage_booking": "edit_calendar", "places": "town_hall",
    "survey": "rate_review",
})
DEFAULT_FLOW_PICTOGRAM = "apps"


def glyph(name: str) -> str:
    """The text that draws pictogram `name` in the icon font ("" for no pictogram)."""
    if not name:
        return ""
    return chr(CODEPOINTS[name])


def flow_pictogram(flow: str) -> str:
    """The pictogram of a flow's entry."""
    return FLOW_PICTOGRAMS.get(flow, DEFAULT_FLOW_PICTOGRAM)
