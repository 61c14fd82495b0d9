"""The inactivity warning: over the current screen, one large "Continue" control, focused, so
that a tap, Enter or Space keeps the session (docs/accessibility.md E1–E3)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.over_screen import OverScreen


class IdleWarning(OverScreen):
    """Are you still there? Covers the screen so that nothing under it can be touched."""

    def show(self, view: View) -> None:
        """The countdown, in the session's language."""
        seconds = view.warning_remaining_s or 0
        self.ids.countdown.text = translate("idle.countdown", view.language, seconds=seconds)


    def open(self) -> None:
        """Show the warning over everything and focus Continue: Enter or Space answers."""
        self.put_up()
        keep = self.ids.keep
        keep.focus_next = keep  # Tab stays on the only control
        keep.focus_previous = keep
        keep.focus = True

    def dismiss(self) -> None:
        """Take the warning away."""
        self.ids.keep.focus = False
        self.take_down()



Builder.load_file(str(Path(__file__).with_suffix(".kv")))
