"""A paged list in the real window, at the largest text size: it measures each choice with the
room its pictogram takes beside its words, and the spacing around the pager, so that a page it
lays out holds in the list's box as measured, and never has to page again once laid out
(screens/paging.py; docs/visual-design.md, "One question per screen")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}
WORDS = "Signaler un trottoir abîmé"


def inside(inner, outer) -> bool:
    """`inner` lies inside `outer`, in window coordinates (half a pixel for rounding)."""
    ix, iy = inner.to_window(inner.x, inner.y)
    ox, oy = outer.to_window(outer.x, outer.y)
    return (ix >= ox - 0.5 and iy >= oy - 0.5 and ix + inner.width <= ox + outer.width + 0.5
            and iy + inner.height <= oy + outer.height + 0.5)


def plant(kiosk, width: float, height: float, count: int):
    """A paged list of `count` choices, each with a pictogram, planted on the home screen."""
    from screens.paging import Choice, PagedChoices

    kiosk.driver.tap("attract.start")
    kiosk.driver.wait_for_screen("home")
    floor = kiosk.app.screen_view("home").children[0]
    listing = PagedChoices(prefix="planted", size_hint=(None, None), size=(width, height),
                           pos=(kiosk.app.layout.margin, kiosk.app.panel.px(200)))
    floor.add_widget(listing)
    listing.set_choices([Choice(str(i), WORDS, lambda: None, icon="edit")
                         for i in range(count)], kiosk.app.lang)
    kiosk.driver.frames(6)
    return listing


def assert_holds(listing) -> None:
    from screens.widgets import KioskButton

    buttons = [w for w in listing.walk(restrict=True) if isinstance(w, KioskButton)
               and w.parent is not None and w.opacity]
    assert buttons
    for button in buttons:
        assert inside(button, listing), f"{button.role} leaves the list"
        assert button.texture_size[1] + 2 * button.pad_y <= button.height + 0.5, button.role
    # Laid out as measured: the list did not have to give up room and page again.
    assert listing._shrink == 0


@pytest.mark.kiosk(profile="totem", env=XL)
def test_a_choice_is_measured_beside_its_pictogram(kiosk):
    from kivy.core.text import Label as CoreLabel

    from kiosk.core.tokens import PAD_X_MM
    from screens.widgets import KioskButton

    app = kiosk.app
    probe = KioskButton(text=WORDS, icon="edit")
    words = CoreLabel(text=WORDS, font_size=probe.font_size, font_name=probe.font_name,
                      bold=True)
    words.refresh()
    # Wide enough for the words on one line without the pictogram, too narrow beside it: the
    # words wrap once the pictogram is drawn.
    width = words.content_width + 2 * app.mm(PAD_X_MM) + app.mm(3)
    listing = plant(kiosk, width, app.mm(300), 8)
    assert_holds(listing)
    lines = {round(b.texture_size[1]) for b in listing.walk(restrict=True)
             if isinstance(b, KioskButton) and b.role.startswith("planted.")
             and b.role[8:].isdigit()}
    assert len(lines) == 1 and lines.pop() > 1.5 * words.content_height, "the words wrap"


@pytest.mark.kiosk(profile="totem", env=XL)
def test_a_page_filled_to_its_last_pixel_keeps_room_for_the_spacing(kiosk):
    from screens.fitting import button_height
    from screens.widgets import KioskButton

    app = kiosk.app
    width = app.layout.body.width
    one = button_height(KioskButton(text=WORDS, icon="edit"), width)
    # Three choices and the gaps between them, exactly: the spacing under the grid is not there.
    listing = plant(kiosk, width, 3 * one + 2 * app.layout.gap, 3)
    assert_holds(listing)


@pytest.mark.kiosk(profile="totem", env=XL)
def test_the_pagers_words_never_break_the_chevrons_giving_way_first(kiosk):
    from screens.measure import longest_word_width

    app = kiosk.app
    listing = plant(kiosk, app.layout.body.width, app.mm(250), 12)
    nav = listing._nav
    previous, page, following = nav.ids.previous, nav.ids.page, nav.ids.next

    def needs() -> float:
        buttons = sum(longest_word_width(b.text, b.font_size, b.font_name, "")
                      for b in (previous, following))
        return buttons + max(longest_word_width(w, page.font_size, page.font_name, "")
                             for w in page.text.split()) + 2 * nav.spacing

    # As wide as the body, then barely as wide as the pager's longest words side by side.
    for width in (app.layout.body.width, needs() + app.mm(2)):
        listing.width = width
        kiosk.driver.frames(6)
        assert nav.parent is listing, "the list pages"
        for button in (previous, following):
            word = longest_word_width(button.text, button.font_size, button.font_name,
                                      button.shown_icon)
            assert word <= button.width + 0.5, f"{button.role} breaks a word at {width:.0f}"
        assert_holds(listing)
    assert previous.words_only and following.words_only, "the chevrons gave way"



@pytest.mark.kiosk(profile="totem", env=XL)
def test_the_pagers_page_number_stays_on_one_line_where_the_buttons_can_give_it_room(kiosk):
    """The fields' pager of easy-to-read French ("Avant", "Page 2 sur 2", "Après"): at 2 : 1 : 2
    every word holds, but "Page 2 sur 2" would take three lines and the row three times a
    button's height."""
    from screens.measure import longest_word_width, text_width
    from screens.paging import PageNav, fit_pager

    app = kiosk.app
    kiosk.driver.frames(3)
    nav = PageNav()
    previous, page, following = nav.ids.previous, nav.ids.page, nav.ids.next
    previous.text, following.text = "Avant", "Après"
    nav.page_text = "Page 2 sur 2"
    page.text = nav.page_text
    line = text_width(page.text, page.font_size, page.font_name, page.bold) + 2
    buttons = sum(longest_word_width(b.text, b.font_size, b.font_name, "")
                  for b in (previous, following))
    width = buttons + line + 2 * nav.spacing + app.mm(4)
    assert line > (width - 2 * nav.spacing) / 5, "not on one line at 2 : 1 : 2"
    height = fit_pager((previous, page, following), width, nav.spacing)
    shown = page.texture_size[1]
    page.width = app.layout.body.width
    page.texture_update()
    assert shown <= page.texture_size[1] + 0.5, "on one line, as in the widest room"
    assert height <= max(previous.height, following.height, shown) + 0.5
