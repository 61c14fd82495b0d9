"""Widgets of the appointment and manage-booking screens: a button shown only while it is
offered, and the large booking reference. Their lists page through `screens.paging`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.paging import Choice, Line, PagedChoices
from screens.widgets import KioskButton


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


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

__all__ = ["Choice", "Line", "OfferedButton", "PagedChoices"]
