"""A staff badge's PIN, on the public screen (docs/assisted-mode.md, "The PIN"): the badge has
proved its key; its holder types 4 to 8 digits on the pad or the keyboard, masked (a dot per
digit typed, the count being all the screen knows), then OK. Five wrong PINs lock the badge
out. "Cancel", or taking the badge off, ends the badge's turn.

The digits are never in a widget, never logged, never spoken: each key goes to the core as a
`PinKey` and on to the badge terminal, which alone holds them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.assist import StaffPhase
from kiosk.core.assist_intents import PinKey, PinPadKey
from kiosk.core.badge_auth import PinError
from kiosk.core.badges import PIN_MAX_DIGITS, PIN_MIN_DIGITS, Role
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.keyboard import KeyButton
from screens.widgets import KioskScreen, ShellKeys, send

DIGITS = "0123456789"
DOT = "•"
"""A digit typed, masked (a glyph of the text face: Andika has the bullet)."""


class PinDots(ShellKeys, Label):
    """The masked PIN: a dot per digit typed. It takes the keyboard's digits, Backspace and
    Enter while it has the focus (it takes it when the screen opens)."""

    typed = NumericProperty(0)
    role = StringProperty("pin.dots")
    #: the height of a line of dots at its font, measured whether or not a digit is typed
    line_px = NumericProperty(0)
    #: a touch elsewhere on the PIN screen (a key of the pad) leaves the keyboard's digits here
    unfocus_on_touch = BooleanProperty(False)
    #: what it holds is hidden: speech says neither it nor the pad's keys that type into it
    #: (the keys' parent names it as their `target`, as an on-screen keyboard does)
    password = BooleanProperty(True)

    def on_font_size(self, *_args: Any) -> None:
        self._measure()

    def on_font_name(self, *_args: Any) -> None:
        self._measure()

    def _measure(self) -> None:
        probe = CoreLabel(text=DOT, font_size=self.font_size, font_name=self.font_name)
        probe.refresh()
        self.line_px = probe.content_height

    def trigger_action(self, duration: float = 0.0) -> None:
        """A switch's or the keyboard's "select" (kiosk/shell/key_input.py, Enter by default)
        on the focused PIN: it is checked, as a text field's Enter sends it."""
        send(PinKey(PinPadKey.ENTER.value))

    def keyboard_on_key_down(self, window: Any, keycode: Any, text: Any, modifiers: Any) -> bool:
        """Digits, Backspace and Enter are the pad's keys."""
        key = pad_key(keycode[1], text)
        if key is not None:
            send(PinKey(key))
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)


class PinKeyButton(KeyButton):
    """A key of the PIN pad: it types into the masked PIN, which it names as its target, so
    that speech never says it (kiosk/shell/speech_link.py asks a key for its target)."""

    def target(self) -> Any:
        """The masked PIN its pad types into."""
        return getattr(self.parent, "target", None)


def pad_key(name: str, text: str | None) -> str | None:
    """The pad's key a keyboard key stands for, if any."""
    if text is not None and len(text) == 1 and text in DIGITS:
        return text
    if name.startswith("numpad") and name[6:] in tuple(DIGITS):
        return name[6:]
    if name == "backspace":
        return PinPadKey.ERASE.value
    if name in ("enter", "numpadenter"):
        return PinPadKey.ENTER.value
    return None


class StaffPinScreen(KioskScreen):
    """Type your PIN (or: this badge is locked)."""

    title = StringProperty("")
    explanation = StringProperty("")
    problem = StringProperty("")
    dots = StringProperty("")
    locked = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The badge's number, the dots, what went wrong, the tries left."""
        staff = view.staff
        lang = view.language
        self.locked = staff.phase is StaffPhase.LOCKED_OUT
        if staff.role is Role.TECHNICIAN:
            who = translate("staff.role.technician", lang)
        else:
            who = translate("staff.role.facilitator", lang)
        self.title = translate("staff.pin_title", lang, role=who, badge=staff.badge_id)
        if self.locked:
            minutes = max(1, -(-staff.locked_s // 60))
            self.explanation = translate("staff.locked", lang, minutes=minutes)
        else:
            self.explanation = translate("staff.pin_how", lang, low=PIN_MIN_DIGITS,
                                         high=PIN_MAX_DIGITS)
        self.dots = " ".join(DOT * staff.typed)
        self.ids.dots.typed = staff.typed
        if staff.error is PinError.WRONG:
            self.problem = translate("staff.pin_wrong", lang, left=staff.attempts_left)
        elif staff.error is PinError.TOO_SHORT:
            self.problem = translate("staff.pin_short", lang, low=PIN_MIN_DIGITS)
        else:
            self.problem = ""

    def on_enter(self, *_args: Any) -> None:
        """The keyboard types the PIN at once, whatever had the focus before."""
        self.ids.dots.focus = True

    def first_focus(self) -> Widget | None:
        """The masked PIN takes the keyboard's digits."""
        return self.ids.dots

    def key(self, key: str) -> None:
        """A key of the pad."""
        send(PinKey(key))


__all__ = ["PinDots", "PinKeyButton", "StaffPinScreen"]

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
