"""At the largest size every text is as large as 0.7° asks seen from the posture's eye at the
text farthest from it (docs/accessibility.md C2), in the real window: on the totem, standing
and seated, the bar's words low on the panel, the city's name at its top and the keys'
letters are set at least that large, and what stands around a key's letter lies on the key;
a change of posture at XL sets every text again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

XL = {"KIOSK__ACCESSIBILITY__TEXT_SIZE": '"XL"'}
SEATED = {**XL, "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true"}
# Sizes are set in whole pixels by Kivy.
SLACK_MM = 0.05
FAR_TEXTS = ("bar.back", "bar.help", "key.a", "key.m", "key.w")


def capitals_mm(app, widget) -> float:
    """The capital height the widget's font is set for (kiosk/core/geometry.py)."""
    from kiosk.core.geometry import CAP_TO_FONT_SIZE

    return app.panel.mm(widget.font_size) / CAP_TO_FONT_SIZE


def needed_mm(app, widget, seated: bool) -> float:
    from kiosk.core.tokens import needed_cap_mm
    from kiosk.settings.models import TextSize

    _x, y = widget.to_window(*widget.center)
    return needed_cap_mm(TextSize.XL, seated, app.panel.height_above_floor(y))


def city_name(app, driver):
    from screens.widgets import CityBand

    band = next(w for w in driver.walk() if isinstance(w, CityBand))
    return next(w for w in band.children if getattr(w, "text", None) == app.city_name)


def short_of_the_distance(app, driver, seated: bool) -> list[str]:
    widgets = [driver.find(role) for role in FAR_TEXTS] + [city_name(app, driver)]
    return [f"{getattr(w, 'role', '') or w.text}: {capitals_mm(app, w):.1f} mm, "
            f"{needed_mm(app, w, seated):.1f} mm asked"
            for w in widgets if capitals_mm(app, w) < needed_mm(app, w, seated) - SLACK_MM]


def open_the_search(kiosk) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap(kiosk.app.screen_view("home").ids.search)
    d.frames(5)


@pytest.mark.parametrize("seated", [
    pytest.param(False, marks=pytest.mark.kiosk(profile="totem", env=XL), id="standing"),
    pytest.param(True, marks=pytest.mark.kiosk(profile="totem", env=SEATED), id="seated"),
])
def test_at_xl_the_farthest_texts_are_as_large_as_the_distance_asks(kiosk, seated):
    app, d = kiosk.app, kiosk.driver
    open_the_search(kiosk)
    assert short_of_the_distance(app, d, seated) == []
    # A letter's line stays inside its key, its padding around it (the ring the contrast is
    # read in lies on the key).
    from kiosk.core.tokens import KEY_PAD_MM

    key = d.find("key.m")
    assert key.texture_size[1] <= key.height - 2 * app.mm(KEY_PAD_MM) + 1


@pytest.mark.kiosk(profile="totem", env=XL)
def test_at_xl_a_change_of_posture_sets_every_text_again(kiosk):
    from kiosk.core.intents import SetAccessibility

    app, d = kiosk.app, kiosk.driver
    open_the_search(kiosk)
    standing = d.find("bar.help").font_size
    app.send(SetAccessibility(seated_layout=True))
    d.frames(5)
    # Seated, the farthest text is the city's name at the top of the panel, nearer the eye
    # than the standing footer: every text is set again for it, none short of it.
    assert d.find("bar.help").font_size < standing
    assert short_of_the_distance(app, d, True) == []


def squeezed_word_keys(app) -> list[str]:
    """The word keys shown ("Effacer", "Valider") whose words come down to their key rather
    than stand at the size every text has at XL, or keys narrower than 20 mm."""
    from kiosk.core.geometry import MIN_TARGET_MM
    from screens.keyboard import WORD_KEYS, shared_keyboard

    found = []
    for numeric in (False, True):
        keyboard = shared_keyboard(numeric)
        if keyboard.get_root_window() is None:
            continue
        shown = keyboard.keys()
        for key in shown:
            if key.value in WORD_KEYS and key.most_font:
                found.append(f"{key.text}: its words held to {key.most_font:.0f} px")
            if key.width < app.mm(MIN_TARGET_MM) - 0.5:
                found.append(f"{key.text}: {app.panel.mm(key.width):.1f} mm wide")
    return found


def to_the_contact_step(kiosk, on_number=None) -> None:
    """From the attract screen to the request's contact step, by touch (`on_number` on the
    step that asks for a number, the numeric pad shown)."""
    from test_ui_typing_pages import to_request_place

    d = kiosk.driver
    to_request_place(kiosk, on_number=on_number)
    d.tap("request.place.here")
    d.wait_for_screen("request_contact")
    d.frames(8)


@pytest.mark.kiosk(profile="totem", env=SEATED)
def test_seated_at_xl_the_word_keys_take_a_row_of_their_own_beside_the_field(kiosk):
    from screens.keyboard import shared_keyboard

    app, d = kiosk.app, kiosk.driver
    to_the_contact_step(kiosk)
    keyboard = shared_keyboard(False)
    # Beside the e-mail field, ten letters' width cannot hold "Maj 123 espace Effacer
    # Valider" at XL: the word keys stand on two rows, the letters' four above them.
    assert keyboard.split and len(keyboard.children) == 6
    assert squeezed_word_keys(app) == []
    assert short_of_the_distance(app, d, True) == []
    # The sixth row stays in the body band, above the bar.
    bar, key = d.find("bar.back"), d.find("key.OK")
    assert key.to_window(*key.pos)[1] > bar.to_window(*bar.pos)[1] + bar.height


@pytest.mark.kiosk(profile="desk", env=SEATED)
def test_seated_at_xl_the_desk_keys_hold_their_words(kiosk):
    from screens.keyboard import shared_keyboard

    app = kiosk.app
    on_the_pad: list[str] = []
    to_the_contact_step(kiosk, on_number=lambda: on_the_pad.extend(squeezed_word_keys(app)))
    # The numeric pad beside the field is as wide as "Effacer 0 Valider" needs.
    assert on_the_pad == []
    # On four rows below the field: the accents share the upper rows, so that the last row's
    # "123", "espace" and "Valider" stand whole beside five keys of 20 mm.
    assert shared_keyboard(False).compact
    assert squeezed_word_keys(app) == []
    # Beside its pager ("Avant", "1 sur 2", "Après"), the e-mail field shows its example
    # whole: the pager's chevrons give way first.
    from screens.measure import text_width

    email = app.screen_view("request_contact").ids.email
    example = text_width(email.hint_text, email.font_size, email.font_name, False)
    assert email.width >= example + email.padding[0] + email.padding[2]


@pytest.mark.kiosk(profile="desk", env=SEATED)
def test_a_word_key_whose_row_cannot_hold_its_words_shows_its_sign(kiosk):
    from kiosk.core.speech import KEY_NAMES
    from screens.keyboard import WORD_KEYS, shared_keyboard

    app, d = kiosk.app, kiosk.driver
    to_the_contact_step(kiosk)
    keyboard = shared_keyboard(False)
    assert d.find("key.⌫").text == "Effacer"
    # Narrower, the row of "Maj" and "Effacer" cannot hold both words at the size asked:
    # the key that saves the most shows its sign, as large as the letters; none shrinks.
    keyboard.size_hint_x, keyboard.width = None, keyboard.width - app.mm(15)
    d.frames(8)
    assert d.find("key.⌫").text == "⌫"
    assert d.find("key.⇧").text == "Maj"
    words = [key for key in keyboard.children[1].children if key.value in WORD_KEYS]
    assert words and not [key.text for key in words if key.most_font]
    assert short_of_the_distance(app, d, True) == []
    # Speech names a key by what it does, not by its sign.
    assert KEY_NAMES["⌫"] == "speech.key.backspace"
    # With its room back, it says its words again.
    keyboard.size_hint_x = 1
    d.frames(8)
    assert d.find("key.⌫").text == "Effacer"
