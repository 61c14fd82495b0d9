"""The station's screen manager: Kivy's, without the stencil its own rule draws.

Kivy's ScreenManager clips its screens with a stencil, for the transitions that slide a
screen in. The station never slides one (docs/visual-design.md, "Calm"), and the stencil is
drawn twice over the whole window in every frame: with a software renderer, two of the
frame's passes over the window (docs/performance.md, "A frame's cost")."""

from __future__ import annotations

from typing import Any

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

# `<-Rule>` drops the rules of the classes above it: ScreenManager's StencilPush/Use/UnUse.
Builder.load_string("<-ScreenStack>:\n    size_hint: 1, 1\n")


class InstantTransition(NoTransition):
    """A switch that is over when `current` is set. Kivy's NoTransition still runs a
    zero-length animation, which ends on the clock's next tick, after the frame: that frame
    draws the screen left under the screen shown, and the screen's own frame comes one frame
    later (docs/performance.md, "A tap's way to the screen")."""

    def start(self, manager: ScreenManager) -> None:
        """Add the screen shown, then end at once: the screen left is removed, and the
        screens get their on_enter and on_leave, within the call."""
        super().start(manager)
        self._anim.cancel(self)
        self._on_complete()


class ScreenStack(ScreenManager):
    """A screen manager that switches at once and draws only its screens' contents: it fills
    the window, which the app clears to the theme's background, so a screen need not paint
    that background again (one more pass over the window in every frame)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transition", InstantTransition())
        super().__init__(**kwargs)

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        """A screen added leaves its background to the window's clear colour."""
        if hasattr(widget, "backdrop"):
            widget.backdrop = False
        super().add_widget(widget, *args, **kwargs)
