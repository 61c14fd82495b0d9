"""The bands hold their words at the largest text size, in the real window
(docs/visual-design.md, "A persistent bar inside the reach band" and "Two zones";
docs/accessibility.md C4): at XL the bar is as tall as its words need, so its five buttons and
the attract screen's ways to start stay inside it; on the desk, whose reading zone is a
column beside the controls, a step with a long question and explanation holds in the zone
(the pictogram gives way, the question is set smaller than a title, the city's band gives
the zone its room), inside the window."""

from __future__ import annotations

import pytest
from layout_check import defects
from ui_support import tap_paging

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}
PASSPORT = "appointment.procedure.chrono:passeport-cni/depot-demande"
# Kivy rounds positions and texture sizes to the pixel.
SLACK_PX = 1.0


def window_box(widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(*widget.pos)
    return x, y, x + widget.width, y + widget.height


def inside(inner, outer) -> bool:
    ix, iy, ir, it = window_box(inner)
    ox, oy, orr, ot = window_box(outer)
    return (ix >= ox - SLACK_PX and iy >= oy - SLACK_PX and ir <= orr + SLACK_PX
            and it <= ot + SLACK_PX)


def buttons_out_of_their_row(driver, prefix: str) -> list[str]:
    return [f"{w.role}: {window_box(w)} outside {window_box(w.parent)}"
            for w in driver.walk() if str(getattr(w, "role", "")).startswith(prefix)
            and not inside(w, w.parent)]


@pytest.mark.parametrize("seated", [
    pytest.param(False, marks=pytest.mark.kiosk(profile="totem", env=XL), id="totem"),
    pytest.param(True, marks=pytest.mark.kiosk(
        profile="totem", env={**XL, "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}),
        id="totem-seated"),
    pytest.param(False, marks=pytest.mark.kiosk(profile="desk", env=XL), id="desk"),
])
def test_at_xl_the_bar_is_as_tall_as_its_words(kiosk, seated):
    from kiosk.core.layout import BAR_HEIGHT_MM, SEATED_CONTROLS_MM, STANDING_CONTROLS_MM

    app, d = kiosk.app, kiosk.driver
    d.frames(5)
    assert buttons_out_of_their_row(d, "attract.") == []
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.frames(5)
    assert buttons_out_of_their_row(d, "bar.") == []
    bar = d.find("bar.help")
    assert bar.height == pytest.approx(app.layout.bar.height)
    assert app.panel.mm(app.layout.bar.height) >= BAR_HEIGHT_MM
    # The bar keeps its place at the bottom of the reach band; the body starts above it.
    low, _high = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    assert app.panel.height_above_floor(app.layout.bar.y) >= low - 0.5
    assert app.layout.body.y >= app.layout.bar.top + app.layout.gap - SLACK_PX


@pytest.mark.kiosk(profile="desk", env=XL)
def test_on_the_desk_at_xl_a_long_step_holds_in_the_reading_zone(kiosk):
    from kiosk.core.layout import STANDING_CONTROLS_MM

    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.appointment")
    d.wait_for_screen("appointment_procedure")
    d.wait_until(lambda: not app.core.state.flow.busy, 15, "the procedures")
    tap_paging(d, PASSPORT)
    d.wait_for_screen("appointment_ants")
    d.frames(8)
    screen = app._manager.current_screen
    zone = screen.ids.reading
    shown = [c for c in zone.children if c.height > 0 and c.opacity > 0]
    assert {zone.ids.question, zone.ids.explanation, zone.ids.stepper} <= set(shown)
    assert [c for c in shown if not inside(c, zone)] == []
    # The question is still the largest text of the zone, and the step is said in words.
    assert zone.ids.question.font_size > zone.ids.explanation.font_size
    assert zone.ids.stepper.ids.words.text
    assert defects(app, screen, STANDING_CONTROLS_MM) == []


@pytest.mark.kiosk(profile="desk")
def test_on_the_desk_at_the_default_size_the_zone_keeps_its_title_and_the_city(kiosk):
    from screens.widgets import Masthead

    app, d = kiosk.app, kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.appointment")
    d.wait_for_screen("appointment_procedure")
    d.wait_until(lambda: not app.core.state.flow.busy, 15, "the procedures")
    tap_paging(d, PASSPORT)
    d.wait_for_screen("appointment_ants")
    d.frames(8)
    zone = app._manager.current_screen.ids.reading
    assert not zone.compact and zone.borrowed == 0
    assert zone.ids.question.font_size == pytest.approx(app.font("title", app.text_size))
    masthead = next(w for w in d.walk() if isinstance(w, Masthead))
    assert masthead.opacity == 1


@pytest.mark.kiosk(profile="desk", env=XL)
def test_on_the_desk_at_xl_the_attract_screen_holds_its_words(kiosk):
    from kiosk.core.layout import STANDING_CONTROLS_MM

    app, d = kiosk.app, kiosk.driver
    d.frames(8)
    screen = app._manager.current_screen
    # The invitation stands above the tiles, the line of the day in the city's column.
    invite, tiles = screen.ids.invite, screen.ids.tiles
    assert invite.y >= tiles.top + app.layout.gap - SLACK_PX
    # The hand stays in its row at the lowest of its slow movement.
    screen.lift = screen.hand_travel
    d.frames(2)
    assert inside(screen.ids.hand, invite)
    screen.lift = 0
    d.frames(2)
    assert defects(app, screen, STANDING_CONTROLS_MM) == []
    # The city's name, too wide for its column, is broken where it is joined, never inside
    # a word.
    city = screen.ids.heading.children[-1]
    lines = city.text.split("\n")
    assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
    assert "".join(lines) == app.city_name
