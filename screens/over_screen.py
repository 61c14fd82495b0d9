"""What stands over the current screen in the window (the inactivity warning, the visitor's
consent, the accessibility panel): its own controls take their touches, the screen under it
takes none.

Not a Kivy ModalView: a ModalView always centres itself in the window, and these must sit in
the reach band with the other controls."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window
from kivy.uix.floatlayout import FloatLayout


class OverScreen(FloatLayout):
    """Put in the window over the screen by `put_up`, taken away by `take_down`."""

    @property
    def is_open(self) -> bool:
        """Whether it is in the window."""
        return self.parent is not None

    def put_up(self) -> None:
        """Over everything, once."""
        if not self.is_open:
            Window.add_widget(self)

    def take_down(self) -> None:
        """Out of the window, if it is there."""
        if self.is_open:
            Window.remove_widget(self)

    def on_touch_down(self, touch: Any) -> bool:
        """Its controls get their touch; the screen underneath gets none."""
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        """Swallowed, like every touch while it is up."""
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        """Swallowed, like every touch while it is up."""
        super().on_touch_up(touch)
        return True
