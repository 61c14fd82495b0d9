"""Widgets of the appointment and manage-booking screens: a button shown only while it is
offered, the large booking reference, and lines of text that page. Their lists page through
`screens.paging`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.paging import Choice, Line, PagedChoices
from screens.widgets import KioskButton, KioskText


class OfferedButton(BoxLayout):
    """A button that is in the layout only while it is offered ("Try again" after a failed
    load): a hidden widget would still take room, and the button rule's opacity for a
    disabled button would show its ghost."""

    __events__ = ("on_release",)
    shown = BooleanProperty(False)
    text = StringProperty("")
    #: the button's role (the container has none of its own: tests find widgets by role)
    button_role = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.button = KioskButton()
        self.button.bind(on_release=lambda _b: self.dispatch("on_release"))
        self.bind(text=self.button.setter("text"), button_role=self.button.setter("role"),
                  shown=self._show)
        self._show()

    def _show(self, *_args: Any) -> None:
        if self.shown and self.button.parent is None:
            self.add_widget(self.button)
        elif not self.shown and self.button.parent is self:
            self.button.focus = False
            self.remove_widget(self.button)

    def on_release(self) -> None:
        """Default handler (kv binds the real one)."""


def text_lines(texts: Sequence[str], role: str = "body"
               ) -> Callable[[float], list[tuple[KioskText, float]]]:
    """What `PagedChoices.make` lays out for lines of text (an appointment's details: what it
    is for, when, where), in the text role `role`: at the largest size they page rather than
    leave the body band."""

    def make(width: float) -> list[tuple[KioskText, float]]:
        app: Any = App.get_running_app()
        made = []
        for text in texts:
            label = KioskText(text=text, width=width)
            label.font_size = app.font(role, app.text_size)  # after its rule's body size
            label.texture_update()
            made.append((label, float(label.texture_size[1])))
        return made

    return make


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

__all__ = ["Choice", "Line", "OfferedButton", "PagedChoices", "text_lines"]
