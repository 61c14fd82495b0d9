"""The facilitator's console while no facilitator is signed in: how to open the desk. Nothing
of the visitor is shown (nothing of theirs reaches the console until a badge and its PIN open
the desk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder

from screens.widgets import KioskScreen


class AgentLockedScreen(KioskScreen):
    """Put your badge on the reader."""

    def show(self, view: Any) -> None:
        """Nothing changes on this screen."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
