"""Request: where. The station's own position and address by default (one touch), or an
address typed in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.core.flows.request import ChoosePlace, RequestContent
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.keyboard import KeyboardDock
from screens.widgets import send

__all__ = ["KeyboardDock", "RequestPlaceScreen"]  # the keyboard is used in the .kv


class RequestPlaceScreen(FlowScreen):
    """Where is it?"""

    station_address = StringProperty("")
    #: the address's field is on display. Where the fields show one at a time with the
    #: keyboard below them (a landscape desk at the largest size), the station's place has
    #: a page of its own, with nothing to type: the keys wait for the address's page, and
    #: their room is the place's (docs/visual-design.md, "One question per screen": nothing
    #: overlaps). Beside the controls, the keys stay: the place's words keep their room.
    typing = BooleanProperty(True)

    def on_kv_post(self, base_widget: Widget) -> None:
        """Follow whether the address's row is laid out (FieldPages takes it out of the
        column on the other page)."""
        super().on_kv_post(base_widget)
        self.ids.address_row.bind(parent=self._follow_row)

    def _follow_row(self, row: Widget, parent: Any) -> None:
        self.typing = parent is not None

    def show(self, view: View) -> None:
        """The station's address on the first button; a typed address is kept."""
        super().show(view)
        from kivy.app import App

        self.station_address = App.get_running_app().settings.site.location.address
        flow = content_of(view, RequestContent)
        self.ids.address.keep(flow.address if flow is not None else None)

    def here(self) -> None:
        """At the station."""
        send(ChoosePlace(""))

    def elsewhere(self) -> None:
        """At the typed address (empty: at the station)."""
        send(ChoosePlace(self.ids.address.text))

    def first_focus(self) -> Widget | None:
        """The one-touch answer first."""
        return self.ids.here


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
