"""A search over the choices, typed on the on-screen keys (docs/accessibility.md B5): the
choices come first, the search's box above them takes no typing until it is opened; touched,
it opens with the keyboard below or beside it and what matches in the room left, or "Show the
results" where there is none; the keyboard's OK gives the choices the band again. Everything
holds in the body band on the totem standing, seated at XL, and on the seated assisted desk."""

from __future__ import annotations

import pytest
from layout_check import defects

pytestmark = pytest.mark.ui

SEATED = {"KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}
XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}

CASES = [
    pytest.param(False, marks=pytest.mark.kiosk(profile="totem"), id="totem-standing"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="totem", env={**SEATED, **XL}),
                 id="totem-seated-XL"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="desk-assisted", env=SEATED),
                 id="desk-assisted-seated"),
]


def keys_shown(driver) -> bool:
    return any(str(getattr(w, "role", "")).startswith("key.") for w in driver.walk())


def holds(kiosk, seated: bool) -> list[str]:
    from kiosk.core.layout import SEATED_CONTROLS_MM, STANDING_CONTROLS_MM

    kiosk.driver.frames(8)
    band = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    return defects(kiosk.app, kiosk.app._manager.current_screen, band)


@pytest.mark.parametrize("seated", CASES)
def test_the_search_opens_with_its_keys_and_the_screen_holds(kiosk, seated):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    home = kiosk.app.screen_view("home")
    assert not keys_shown(d) and home.ids.search.disabled, "closed, the box takes no typing"
    assert "home.entry.help" in {getattr(w, "role", "") for w in d.walk()} or d.find(
        "home.entry.more"), "the entries come first"
    assert holds(kiosk, seated) == []
    d.tap(home.ids.search)
    d.frames(3)
    assert keys_shown(d) and d.focused() == home.ids.search, "touched, it opens with its keys"
    for char in "aide":
        d.tap(f"key.{char}")
    assert home.ids.search.text == "aide"
    assert holds(kiosk, seated) == []
    roles = {getattr(w, "role", "") for w in d.walk()}
    if not seated:  # the standing totem has the room for what matches, above the keys
        assert "home.entry.help" in roles, roles
    d.tap("key.OK")
    d.frames(3)
    assert not keys_shown(d), "OK closes the search"
    assert home.ids.search.text == "aide", "what was searched stays in its box"
    assert "home.entry.help" in {getattr(w, "role", "") for w in d.walk()}
    assert holds(kiosk, seated) == []


@pytest.mark.kiosk(profile="totem", env={**SEATED, **XL})
def test_the_services_search_holds_on_the_seated_totem(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.services")
    d.wait_for_screen("services")
    d.wait_until(lambda: not kiosk.app.core.state.flow.busy, timeout_s=15)
    d.tap(kiosk.app.screen_view("services").ids.search)
    for char in "passeport":
        d.tap(f"key.{char}")
    assert holds(kiosk, True) == []
    d.tap("key.OK")
    assert holds(kiosk, True) == []
    assert [w for w in d.walk() if str(getattr(w, "role", "")).startswith("services.entry.")]


@pytest.mark.kiosk(profile="desk", env=XL)
def test_standing_at_the_desk_at_xl_the_open_search_holds_its_box_at_the_top(kiosk):
    """"Show the results" takes the crowded list's place, at its own height; the box stays at
    the top of the band, in its column (screens/search.py)."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    home = kiosk.app.screen_view("home")
    d.tap(home.ids.search_box)
    d.frames(6)
    column, box = home.ids.column, home.ids.search_box
    assert keys_shown(d)
    assert column.y - 1 <= box.y and box.top <= column.top + 1, "the box in its column"
    assert box.top >= column.top - kiosk.app.layout.gap, "at its top"
    assert d.find("home.search.done") is not None
    assert holds(kiosk, False) == []
