"""The help screen: how the station works, including how long it waits before it clears
what was entered (WCAG 2.2.6, docs/accessibility.md E5)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from screens.widgets import KioskScreen


class HelpScreen(KioskScreen):
    """Help and information."""

    def first_focus(self) -> Widget | None:
        """The bar's first button: there is nothing else to act on (the bar holds the
        window's buttons while the screen is on display)."""
        buttons = self.ids.bar.children
        return buttons[-1] if buttons else None


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
