"""The screens hold in the real window, on the totem standing and seated and on the desk, at the
default and the largest text size: on every screen a person walks through, no widget overlaps
another, no text leaves its box, nothing leaves the window, every control is in the reach band
of the posture and at least 20 mm (tests/support/layout_check.py; docs/accessibility.md A1, A4,
B1, B3, C4). The on-screen keypad and keyboard are there on the desk too. A tile of the attract
screen starts its flow at once; reduced motion keeps the attract screen still; the city's brand
colour fills the primary buttons."""

from __future__ import annotations

import pytest
from layout_check import defects
from ui_support import tap_paging

pytestmark = pytest.mark.ui

SEATED = {"KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}
XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}
# A request of the peer's seed (config/peer-seed.json), and its pothole service.
KNOWN = "204518"
POTHOLE = "service.open311:VOI-001"

CASES = [
    pytest.param(False, marks=pytest.mark.kiosk(profile="totem"), id="totem-standing"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="totem", env={**SEATED, **XL}),
                 id="totem-seated-XL"),
    pytest.param(False, marks=pytest.mark.kiosk(profile="desk"), id="desk"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="desk", env=SEATED), id="desk-seated"),
]


def check(kiosk, seated: bool, where: str, found: dict[str, list[str]]) -> None:
    from kiosk.core.layout import SEATED_CONTROLS_MM, STANDING_CONTROLS_MM

    app = kiosk.app
    kiosk.driver.frames(8)  # lists page again once the rows above them have their height
    band = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    problems = defects(app, app._manager.current_screen, band)
    if problems:
        found[where] = problems


@pytest.mark.parametrize("seated", CASES)
def test_every_screen_walked_holds_its_layout(kiosk, seated):
    app, d = kiosk.app, kiosk.driver
    found: dict[str, list[str]] = {}
    check(kiosk, seated, "attract", found)
    d.tap("attract.start")
    d.wait_for_screen("home")
    check(kiosk, seated, "home", found)
    tap_paging(d, "home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    check(kiosk, seated, "tracking_entry", found)
    for digit in KNOWN:  # the keypad is on screen in every profile
        d.tap(f"key.{digit}")
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)
    check(kiosk, seated, "tracking_result", found)
    d.tap("bar.start_again")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.request")
    d.wait_for_screen("request_service")
    d.wait_until(lambda: not app.core.state.flow.busy, 15, "the services")
    check(kiosk, seated, "request_service", found)
    tap_paging(d, POTHOLE)
    d.wait_for_screen("request_field")
    check(kiosk, seated, "request_field (choices)", found)
    d.tap("choice.trottoir")
    d.frames(3)
    check(kiosk, seated, "request_field (keypad)", found)
    d.tap("bar.help")
    d.wait_for_screen("help")
    check(kiosk, seated, "help", found)
    assert found == {}, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


@pytest.mark.kiosk(profile="desk")
def test_the_desk_has_the_on_screen_keyboard(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    for digit in "42":
        d.tap(f"key.{digit}")
    assert kiosk.app.screen_view("tracking_entry").ids.number.text == "42"


@pytest.mark.kiosk(profile="totem")
def test_a_tile_of_the_attract_screen_starts_its_flow_at_once(kiosk):
    d = kiosk.driver
    tiles = [w for w in d.walk() if str(getattr(w, "role", "")).startswith("attract.tile.")]
    assert 4 <= len(tiles) <= 6
    assert all(t.text and t.picto_texture is not None for t in tiles), "words and pictogram"
    # The pictogram sits above the words, never over them, also once the tiles have been
    # measured again (a text size or layout change, a new language).
    for _round in range(2):
        kiosk.app.screen_view("attract")._size_tiles()
        d.frames(3)
        for tile in tiles:  # the words start below the room the pictogram takes on top
            assert tile.words_top >= tile.picto_h > 0, (tile.role, tile.words_top, tile.picto_h)
            words = next(i for i in tile.canvas.children
                         if hasattr(i, "pos") and getattr(i, "texture", None) is tile.texture)
            picto = next(i for i in tile.canvas.children if hasattr(i, "pos")
                         and getattr(i, "texture", None) is tile.picto_texture)
            room_bottom = picto.pos[1] + picto.size[1] - tile.picto_h
            assert words.pos[1] + words.size[1] <= room_bottom + 1, (tile.role, "words overlap")
    d.tap("attract.tile.tracking")
    d.wait_for_screen("tracking_entry")
    d.tap("bar.back")
    d.wait_for_screen("home")  # Back leads to the home screen


@pytest.mark.kiosk(profile="totem", env={"KIOSK__ACCESSIBILITY__REDUCED_MOTION": "true"})
def test_reduced_motion_keeps_the_attract_screen_still(kiosk):
    screen = kiosk.app.screen_view("attract")
    kiosk.driver.pump(1.5)
    assert screen.lift == 0


@pytest.mark.kiosk(profile="totem")
def test_the_attract_screen_moves_slowly_otherwise(kiosk):
    screen = kiosk.app.screen_view("attract")
    kiosk.driver.pump(1.5)
    assert 0 < screen.lift <= kiosk.app.mm(1.5) + 0.01


@pytest.mark.kiosk(profile="totem", env={"KIOSK__SITE__BRAND_COLOUR": '"#0B5D3B"'})
def test_the_brand_colour_fills_the_primary_buttons(kiosk):
    from kiosk.settings.colour import hex_to_rgb

    start = kiosk.driver.find("attract.start")
    assert start.kind == "primary"
    assert kiosk.app.rgba(start.fill_token, kiosk.app.theme_name)[:3] == pytest.approx(
        hex_to_rgb("#0B5D3B"))


@pytest.mark.kiosk(profile="desk", env=XL)
def test_standing_at_the_desk_at_xl_the_attract_tiles_hold_their_words_and_pictograms(
        kiosk):
    """A word as wide as a third of the band ("rendez-vous") does not hold in three columns:
    fewer tiles, each with its words whole and its pictogram (screens/attract.py)."""
    from kiosk.core.flows import registry
    from screens.measure import longest_word_width

    d = kiosk.driver
    d.frames(4)
    tiles = [w for w in d.walk() if str(getattr(w, "role", "")).startswith("attract.tile.")]
    assert 4 <= len(tiles) <= 6
    first = [spec.name for spec in registry.home_flows()][:len(tiles)]
    assert {t.flow for t in tiles} == set(first), "the first flows are kept"
    for tile in tiles:
        assert tile.picto_texture is not None, tile.role
        assert longest_word_width(tile.text, tile.font_size, tile.font_name, "") <= tile.width
    grid = kiosk.app.screen_view("attract").ids.tiles
    assert all(grid.y - 1 <= t.y and t.top <= grid.top + 1 for t in tiles), "in their band"


@pytest.mark.kiosk(profile="desk")
def test_the_chosen_language_leaves_the_home_row_only_where_the_row_cannot_hold_it(
        kiosk):
    """Standing at the desk at XL the four buttons cannot each hold their longest word with
    the tick: the chosen language leaves the row; at L it is there, its tick on its word."""
    from kiosk.core.intents import SetAccessibility
    from kiosk.core.layout import STANDING_CONTROLS_MM
    from kiosk.settings.models import TextSize

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    roles = {str(getattr(w, "role", "")) for w in d.walk()}
    assert {"home.language.fr", "home.language.en", "home.done"} <= roles
    assert d.find("home.language.fr").text.startswith("✓\u00a0")
    kiosk.app.send(SetAccessibility(text_size=TextSize.XL))
    d.frames(6)
    roles = {str(getattr(w, "role", "")) for w in d.walk()}
    assert "home.language.fr" not in roles and {"home.language.en", "home.done"} <= roles
    assert defects(kiosk.app, kiosk.app._manager.current_screen, STANDING_CONTROLS_MM) == []
    kiosk.app.send(SetAccessibility(text_size=TextSize.L))
    d.frames(6)
    assert d.find("home.language.fr") is not None
