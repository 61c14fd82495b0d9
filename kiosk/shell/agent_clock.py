"""Kivy's clock on the assisted desk, chosen before Kivy is imported: a "free" clock in both
processes, so that a message between the station and the console is acted on and drawn
between two frames, not at the next frame's tick (kivy/clock.py, "Free Clock": only events
scheduled as free do; everything else keeps the frame rate)."""

from __future__ import annotations

import os

from kiosk.settings.models import Profile, Settings

DESK_CLOCK = "free_all"


def prepare_clock(settings: Settings) -> None:
    """On `desk-assisted`, the free clock (the station; the console always uses it)."""
    if settings.profile is Profile.DESK_ASSISTED:
        use_free_clock()


def use_free_clock() -> None:
    """The free clock, unless the environment chose another."""
    os.environ.setdefault("KIVY_CLOCK", DESK_CLOCK)
