"""Posture, text size, theme and motion as session settings (docs/accessibility.md, "The
accessibility panel"): they live in `AppState.accessibility` beside speech, change by
`SetAccessibility`, and return to the station's defaults when the session ends."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.intents import SetAccessibility
from kiosk.settings.models import AccessibilitySettings


def with_display(settings: AccessibilitySettings,
                 change: SetAccessibility) -> AccessibilitySettings:
    """`settings` with what `change` sets: a new value, the old one untouched."""
    return replace(
        settings,
        text_size=settings.text_size if change.text_size is None else change.text_size,
        theme=settings.theme if change.theme is None else change.theme,
        seated_layout=(settings.seated_layout if change.seated_layout is None
                       else change.seated_layout),
        reduced_motion=(settings.reduced_motion if change.reduced_motion is None
                        else change.reduced_motion),
    )
