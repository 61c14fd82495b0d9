"""Practical information in the real window: from home to a place by touch and by keyboard
alone, its hours and walk read back from the widget tree, the list filtered by kind, and the
seated layout with the largest text: pages through "See more" and the week behind a button,
nothing drawn over anything else, every target at least 20 mm."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_support import tab_to, tap_paging

pytestmark = pytest.mark.ui

LIBRARY = "41999-08020101-001"
POOL = "41999-05030101-001"
SEATED_XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"',
             "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}


def flow(kiosk):
    from kiosk.core.flows.places import PlacesFlow

    value = kiosk.app.core.state.session.flow
    assert isinstance(value, PlacesFlow)
    return value


def place_roles(d) -> list[str]:
    return [w.role for w in d.walk() if getattr(w, "role", "").startswith("places.place.")]


def box(widget) -> tuple[float, float]:
    """Bottom and top of a widget in window coordinates."""
    _x, y = widget.to_window(widget.x, widget.y)
    return y, y + widget.height


def assert_targets_large_enough(kiosk) -> None:
    target = kiosk.app.target  # 20 mm on this panel
    for widget in kiosk.driver.walk():
        role = getattr(widget, "role", "")
        if role.startswith("places.") and not widget.disabled and widget.opacity:
            assert min(widget.width, widget.height) >= target - 0.5, role


def assert_nothing_overlaps(kiosk, screen: str, below: str) -> None:
    """Every text of the body sits inside the body band, above the row of buttons `below`."""
    view = kiosk.app.screen_view(screen)
    band = kiosk.app.layout.body
    floor = box(view.ids[below])[1]
    for widget in view.ids.content.children if "content" in view.ids else view.ids.rows.children:
        bottom, top = box(widget)
        assert bottom >= floor - 0.5, f"{getattr(widget, 'text', widget)!r} runs into {below}"
        assert top <= band.top + 0.5


def detail_texts(kiosk) -> list[str]:
    """The texts of the detail's body, top to bottom."""
    view = kiosk.app.screen_view("places_detail")
    return [w.text for w in view.ids.content.walk(restrict=True) if hasattr(w, "texture_size")]


def looks_drawn(path: Path) -> None:
    from PIL import Image

    image = Image.open(path).convert("L")
    low, high = image.getextrema()
    assert image.size == (1080, 1920) and high - low > 100, f"{path} looks blank"


def test_touch_from_home_to_a_library_and_its_hours(kiosk, tmp_path):
    from kiosk.core.places import format_phone
    from kiosk.core.places_text import status_text, today_text, walk_text, week_lines

    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.places")
    d.wait_for_screen("places_list")
    seen, texts = [], []
    while True:  # the standing totem's larger type pages the nine places
        seen += place_roles(d)
        texts += d.texts()
        if d.find("places.more").disabled:
            break
        d.tap("places.more")
    assert len(seen) == len(set(seen)) == 9, "each place on exactly one page"
    for heading in ("Mairies", "Bibliothèques", "Piscines", "Déchèteries"):
        assert heading in texts
    while not d.find("places.previous").disabled:
        d.tap("places.previous")
    hall = d.find("places.place.41999-01010401-001")
    assert "Hôtel de Ville" in hall.text and "Vous y êtes" in hall.text
    assert_targets_large_enough(kiosk)
    looks_drawn(d.screenshot(tmp_path / "places-list.png"))

    d.tap("places.kind.library")
    assert place_roles(d) == [f"places.place.{LIBRARY}", "places.place.41999-08020101-002"]
    assert d.find("places.kind.library").text == "✓\u00a0Bibliothèques"
    assert d.find("places.kind.all").text == "Tous"

    d.tap(f"places.place.{LIBRARY}")
    d.wait_for_screen("places_detail")
    view = kiosk.app.screen_view("places_detail")
    chosen, now = flow(kiosk).chosen(), flow(kiosk).as_of
    hours = chosen.place.hours
    assert view.ids.reading.question == "Médiathèque Jean-de-La-Fontaine"
    shown = detail_texts(kiosk)
    assert shown[:6] == [
        "Adresse : 21 Rue Nationale, 41150 Villeneuve-sur-Loire",
        status_text(hours, now, "fr"),
        today_text(hours, now, "fr"),
        "À 300 m à pied, environ 5 minutes",
        f"Téléphone : {format_phone(chosen.place.phone)}",
        "Les 7 prochains jours",
    ]
    assert shown[6:] == list(week_lines(hours, now, "fr"))
    assert len(shown[6:]) == 7
    assert shown[2].startswith("Aujourd’hui : ") and shown[6].startswith("Aujourd’hui : ")
    assert "places.show_week" not in {getattr(w, "role", "") for w in d.walk()}, (
        "the week is on the screen already: no button for it"
    )
    assert_nothing_overlaps(kiosk, "places_detail", "actions")
    assert_targets_large_enough(kiosk)
    looks_drawn(d.screenshot(tmp_path / "places-detail.png"))

    d.tap("bar.language")
    assert walk_text(chosen.walk, "en") in detail_texts(kiosk)
    assert "300 m on foot, about 5 minutes" in detail_texts(kiosk)
    assert status_text(hours, flow(kiosk).as_of, "en") in detail_texts(kiosk)

    d.tap("places.back_to_list")
    d.wait_for_screen("places_list")
    assert d.find("places.kind.library").text == "✓\u00a0Libraries", "the filter is kept"
    d.tap("bar.back")
    d.wait_for_screen("home")


def test_keyboard_alone_from_attract_to_a_pool_and_back(kiosk):
    from kiosk.core.places_text import walk_text

    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    d.type_text("piscine")
    tab_to(d, "home.entry.places")
    d.key("enter")
    d.wait_for_screen("places_list")
    assert getattr(d.focused(), "role", "").startswith("places.place."), (
        "keyboard users land on the first place"
    )
    tab_to(d, "places.kind.pool")
    d.key("enter")
    assert flow(kiosk).kind.value == "pool"
    assert d.focused() is d.find("places.kind.pool"), "the filter keeps the focus"
    assert d.find("places.kind.pool").text == "✓\u00a0Piscines"
    assert len(place_roles(d)) == 2
    tab_to(d, f"places.place.{POOL}")
    d.key("enter")
    d.wait_for_screen("places_detail")
    question = kiosk.app.screen_view("places_detail").ids.reading.question
    assert question == "Centre aquatique des Grèves"
    assert walk_text(flow(kiosk).chosen().walk, "fr") in detail_texts(kiosk)
    assert getattr(d.focused(), "role", "") == "places.back_to_list"
    d.key("escape")
    d.wait_for_screen("places_list")
    assert getattr(d.focused(), "role", "") == f"places.place.{POOL}", (
        "back on the list, the focus is on the place just seen"
    )
    d.key("escape")
    d.wait_for_screen("home")


@pytest.mark.kiosk(env=SEATED_XL)
def test_seated_with_the_largest_text_pages_and_the_week_behind_a_button(kiosk, tmp_path):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.places")
    d.wait_for_screen("places_list")
    view = kiosk.app.screen_view("places_list")
    seen: list[str] = []
    for page in range(12):
        assert_nothing_overlaps(kiosk, "places_list", "pager")
        assert_targets_large_enough(kiosk)
        roles = place_roles(d)
        # The filters leave no room for a place here: they have the first page to
        # themselves; every page after it shows at least one place.
        assert bool(roles) == (page > 0), "the filters alone, then places on every page"
        seen += roles
        if d.find("places.more").disabled:
            break
        d.tap("places.more")
    assert len(seen) == len(set(seen)) == 9, "each place on exactly one page"
    last = flow(kiosk).page
    assert last >= 1
    assert view.ids.page.text == f"Page {last + 1} sur {last + 1}"
    looks_drawn(d.screenshot(tmp_path / "places-list-seated-xl.png"))
    d.tap("places.previous")
    assert flow(kiosk).page == last - 1
    assert not d.find("places.more").disabled
    assert d.find("places.kind.library").disabled, "the filters are on the first page only"
    while not d.find("places.previous").disabled:
        d.tap("places.previous")
    d.tap("places.kind.library")
    assert flow(kiosk).kind.value == "library"
    assert f"places.place.{LIBRARY}" in place_roles(d), "a filter chosen shows its places"
    d.tap(f"places.place.{LIBRARY}")
    d.wait_for_screen("places_detail")
    assert_nothing_overlaps(kiosk, "places_detail", "actions")
    assert not any(t.startswith("Les 7 prochains jours") for t in detail_texts(kiosk))
    d.tap("places.show_week")
    shown = detail_texts(kiosk)
    # The seated band at the largest size does not hold the seven days at the size the
    # farthest text needs: their heading and the first days are read just above them, in
    # the reading zone, the others in the band, in the week's order.
    reading = kiosk.app.screen_view("places_detail").ids.reading
    above = reading.explanation.split("\n")
    assert above[0] == "Les 7 prochains jours"
    days = above[1:] + shown
    assert len(days) == 7 and all(" : " in t for t in days)
    assert shown and days[0].startswith("Aujourd")
    assert_nothing_overlaps(kiosk, "places_detail", "actions")
    assert_targets_large_enough(kiosk)
    looks_drawn(d.screenshot(tmp_path / "places-week-seated-xl.png"))
    d.tap("places.show_today")
    assert detail_texts(kiosk)[0].startswith("Adresse : ")
    d.tap("places.show_week")
    d.tap("bar.back")
    assert kiosk.screen == "places_detail", "Back leaves the week first"
    assert detail_texts(kiosk)[0].startswith("Adresse : ")


@pytest.mark.kiosk(profile="desk", env=SEATED_XL)
def test_the_landscape_desk_seated_with_the_largest_text_keeps_everything_inside(kiosk):
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.places")
    d.wait_for_screen("places_list")
    seen: list[str] = []
    for _ in range(12):
        assert_nothing_overlaps(kiosk, "places_list", "pager")
        seen += place_roles(d)
        if d.find("places.more").disabled:
            break
        d.tap("places.more")
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 9
    # The filters leave no room for a place here: they have the first page to themselves.
    while not d.find("places.previous").disabled:
        d.tap("places.previous")
    assert place_roles(d) == [] and not d.find("places.kind.pool").disabled
    assert_nothing_overlaps(kiosk, "places_list", "pager")
    d.tap("places.kind.pool")
    assert f"places.place.{POOL}" in place_roles(d), "a filter chosen shows its places at once"
    assert_nothing_overlaps(kiosk, "places_list", "pager")
    d.tap(f"places.place.{POOL}")
    d.wait_for_screen("places_detail")
    assert_nothing_overlaps(kiosk, "places_detail", "actions")
    d.tap("places.show_week")
    assert_nothing_overlaps(kiosk, "places_detail", "actions")
    # The first days may be read in the reading column, the others in the band.
    above = kiosk.app.screen_view("places_detail").ids.reading.explanation.split("\n")
    days = [t for t in above + detail_texts(kiosk) if " : " in t]
    assert len(days) == 7, "all seven days"
    assert_targets_large_enough(kiosk)


@pytest.mark.kiosk(profile="desk", env={"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"S"'})
def test_a_chosen_filter_keeps_its_tick_on_its_line_and_the_filters_their_height(kiosk):
    """The tick goes with its word: choosing a filter changes neither the filters' rows nor
    their height, which would then be lower at a larger size (docs/accessibility.md C3)."""
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    tap_paging(d, "home.entry.places")
    d.wait_for_screen("places_list")
    kinds = kiosk.app.screen_view("places_list").ids.kinds
    before = (kinds.cols, kinds.height)
    d.tap("places.kind.library")
    d.frames(2)
    chosen = d.find("places.kind.library")
    assert chosen.text.startswith("✓")
    assert (kinds.cols, kinds.height) == before
    assert chosen.texture_size[1] == d.find("places.kind.all").texture_size[1], \
        "the tick and its word on one line, as the other filters' words"
