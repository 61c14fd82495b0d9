"""Speech on or off, its rate and its volume, as session settings (docs/accessibility.md
H12–H14): they live in `AppState.accessibility` beside text size and theme, change by
`SetSpeech`, and return to the station's defaults when the session ends."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.devices import Delivery
from kiosk.core.intents import SetSpeech
from kiosk.settings.models import AccessibilitySettings
from kiosk.settings.speech_steps import RATE_STEPS_PERCENT, VOLUME_LEVELS


def nearest_rate(percent: int) -> int:
    """The rate step closest to `percent` (a menu may only send steps; this keeps any other
    value from reaching a driver)."""
    return min(RATE_STEPS_PERCENT, key=lambda step: (abs(step - percent), step))


def step_rate(percent: int, by: int) -> int:
    """The rate `by` steps faster (negative: slower), held at the slowest and fastest."""
    index = RATE_STEPS_PERCENT.index(nearest_rate(percent)) + by
    return RATE_STEPS_PERCENT[max(0, min(len(RATE_STEPS_PERCENT) - 1, index))]


def step_volume(level: int, by: int) -> int:
    """The level `by` steps louder (negative: quieter), held between 1 and the loudest."""
    return max(1, min(VOLUME_LEVELS, level + by))


def with_speech(settings: AccessibilitySettings, change: SetSpeech) -> AccessibilitySettings:
    """`settings` with what `change` sets; rates snap to a step, volumes to the range."""
    audio = settings.audio if change.on is None else change.on
    rate = settings.speech_rate if change.rate is None else nearest_rate(change.rate)
    volume = settings.speech_volume if change.volume is None else step_volume(change.volume, 0)
    return replace(settings, audio=audio, speech_rate=rate, speech_volume=volume)


def delivery_of(settings: AccessibilitySettings) -> Delivery:
    """How the speech engine is asked to speak under these settings."""
    return Delivery(rate_percent=settings.speech_rate, volume_level=settings.speech_volume)
