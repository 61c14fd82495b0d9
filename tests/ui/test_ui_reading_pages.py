"""On the desk at XL, standing, the tracking step's explanation does not hold in the reading
column beside its question: it is paged at the column's foot, in the reach band, and no word
is lost (docs/visual-design.md, "Two zones")."""

from __future__ import annotations

import pytest
from ui_support import open_tracking

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}


def inside(inner, outer) -> bool:
    """Whether widget `inner` lies within `outer`, in window coordinates (1 px of rounding)."""
    ix, iy = inner.to_window(inner.x, inner.y)
    ox, oy = outer.to_window(outer.x, outer.y)
    return (ix >= ox - 1 and iy >= oy - 1 and ix + inner.width <= ox + outer.width + 1
            and iy + inner.height <= oy + outer.height + 1)


def tracking_zone(kiosk):
    """The tracking step's reading zone, once laid out."""
    open_tracking(kiosk)
    kiosk.driver.frames(8)
    return kiosk.app._manager.current_screen.ids.reading


@pytest.mark.kiosk(profile="desk", env=XL)
def test_a_long_explanation_is_paged_at_the_foot_of_the_column(kiosk):
    d = kiosk.driver
    zone = tracking_zone(kiosk)
    pager = zone._pager
    assert pager is not None and pager.parent is not None
    assert pager.ids.previous.disabled and not pager.ids.next.disabled
    pages = [zone.ids.explanation.text]
    while not pager.ids.next.disabled:
        assert inside(zone.ids.explanation, zone) and inside(pager, zone)
        assert zone.ids.explanation.y >= pager.top  # never over the pager
        d.tap("reading.next")
        d.frames(3)
        pages.append(zone.ids.explanation.text)
    assert len(pages) > 1 and not pager.ids.previous.disabled
    assert " ".join(" ".join(pages).split()) == " ".join(zone.explanation.split())
    d.tap("reading.previous")
    d.frames(3)
    assert zone.ids.explanation.text == pages[-2]


@pytest.mark.kiosk(profile="totem", env=XL)
def test_on_the_totem_the_explanation_is_never_paged(kiosk):
    zone = tracking_zone(kiosk)
    assert zone._pager is None or zone._pager.parent is None
    assert zone.ids.explanation.text == zone.explanation



@pytest.mark.kiosk(profile="desk", env=XL)
def test_tab_and_shift_tab_go_through_the_pager_in_one_order_both_ways(kiosk):
    """Tab reaches the pager's buttons after the controls above their row; Shift+Tab meets
    every control in the reverse order (docs/accessibility.md F4)."""
    d = kiosk.driver
    tracking_zone(kiosk)
    d.tap("reading.next")  # "Previous" can be reached
    d.frames(3)
    start = d.find("reading.previous")
    start.focus = True

    def cycle(modifiers: tuple[str, ...]) -> list[object]:
        seen: list[object] = []
        for _ in range(150):
            d.key("tab", modifiers)
            focused = d.focused()
            seen.append(focused)
            if focused is start:
                return seen
        pytest.fail("Tab never came back: " + " ".join(str(getattr(w, "role", w))
                                                       for w in seen[:40]))

    forward = cycle(())
    backward = cycle(("shift",))
    assert len(forward) > 3
    assert backward[:-1] == list(reversed(forward[:-1])), [
        str(getattr(w, "role", w)) for w in backward]
