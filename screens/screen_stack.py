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


class ScreenStack(ScreenManager):
    """A screen manager that switches at once and draws only its screens' contents: it fills
    the window, which the app clears to the theme's background, so a screen need not paint
    that background again (one more pass over the window in every frame)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transition", NoTransition())
        super().__init__(**kwargs)

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        """A screen added leaves its background to the window's clear colour."""
        if hasattr(widget, "backdrop"):
            widget.backdrop = False
        super().add_widget(widget, *args, **kwargs)
