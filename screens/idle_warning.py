"""The inactivity warning: over the current screen, one large "Continue" control, focused, so
that a tap, Enter or Space keeps the session (docs/accessibility.md E1–E3).

Not a Kivy ModalView: a ModalView always centres itself in the window, and the warning must
sit in the reach band with the other controls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.core.window import Window
from kivy.lang import Builder
from kivy.uix.floatlayout import FloatLayout

from kiosk.core.i18n import translate
from kiosk.core.view import View


class IdleWarning(FloatLayout):
    """Are you still there? Covers the screen so that nothing under it can be touched."""

    def show(self, view: View) -> None:
        """The countdown, in the session's language."""
        seconds = view.warning_remaining_s or 0
        self.ids.countdown.text = translate("idle.countdown", view.language, seconds=seconds)

    @property
    def is_open(self) -> bool:
        """Whether the warning is in the window."""
        return self.parent is not None

    def open(self) -> None:
        """Show the warning over everything and focus Continue: Enter or Space answers."""
        if not self.is_open:
            Window.add_widget(self)
        keep = self.ids.keep
        keep.focus_next = keep  # Tab stays on the only control
        keep.focus_previous = keep
        keep.focus = True

    def dismiss(self) -> None:
        """Take the warning away."""
        self.ids.keep.focus = False
        if self.is_open:
            Window.remove_widget(self)

    def on_touch_down(self, touch: Any) -> bool:
        """Continue gets its touch; the screen underneath gets none."""
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        """Swallowed, like every touch while the warning is up."""
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        """Swallowed, like every touch while the warning is up."""
        super().on_touch_up(touch)
        return True


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
