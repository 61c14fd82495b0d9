"""Request: where. The station's own position and address by default (one touch), or an
address typed in."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
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
