"""Kivy's configuration, set before Kivy creates anything (docs/kivy.md §0–§2, §9).

This module must run before the first `import kivy`: Kivy reads its environment variables at
import time and its Config when the window is created.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.typeface import TEXT_FONT_NAME, text_family
from kiosk.settings.models import PanelGeometry

# docs/kivy.md §4: 60 fps keeps touch-to-screen within two frames; 0 would busy-loop.
MAX_FPS = 60


@dataclass(frozen=True)
class WindowPlan:
    """How the window is placed: a borderless panel-sized window at the panel's origin
    (fullscreen without relying on a window manager, docs/kivy.md §8), or a normal window."""

    geometry: PanelGeometry
    fullscreen: bool
    show_cursor: bool
    headless: bool


def prepare_environment(kivy_home: Path, headless: bool) -> None:
    """Environment variables Kivy reads when it is imported."""
    if "kivy" in sys.modules:
        raise RuntimeError("kiosk.shell.boot must configure Kivy before Kivy is imported")
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # Kivy must not parse our argv
    os.environ.setdefault("KIVY_NO_CONFIG", "1")  # never read or write ~/.kivy/config.ini
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # logs go to stderr, then journald
    # Kivy logs through Python logging, which keeps stderr and tracebacks (docs/kivy.md §4).
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # Kivy's clipboard stays in the process, away from the system's (xclip, xsel, SDL). The
    # text fields use none at all (screens/widgets.py, KioskTextInput).
    os.environ.setdefault("KIVY_CLIPBOARD", "dummy")
    # Images (the city's PNG logo) are read by SDL2_image. Kivy's Pillow reader would load
    # Pillow at start, 3 MiB for formats SDL2_image reads already; the receipts load Pillow
    # once a session needs it (docs/kivy.md §0; docs/performance.md).
    os.environ.setdefault("KIVY_IMAGE", "tex,dds,sdl2")
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    kivy_home.mkdir(parents=True, exist_ok=True)
    if headless or not os.environ.get("DISPLAY"):
        # Real rendering through EGL/llvmpipe with no X server (docs/devices.md §1).
        os.environ["SDL_VIDEODRIVER"] = "offscreen"


def configure_kivy(plan: WindowPlan) -> None:
    """Kivy Config for a locked-down kiosk window. Call after `prepare_environment`."""
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", "info")
    Config.set("kivy", "keyboard_mode", "system")
    # No inspector, keybinding, screenshot or touchring module (docs/kivy.md §1).
    for name, _ in Config.items("modules"):
        Config.remove_option("modules", name)
    # One event source: no duplicate touches, no multitouch emulation and its red dots (§2).
    for name, _ in Config.items("input"):
        Config.remove_option("input", name)
    Config.set("input", "mouse", "mouse,disable_multitouch")
    graphics = {
        "width": str(plan.geometry.width_px),
        "height": str(plan.geometry.height_px),
        "position": "custom",
        "left": str(plan.geometry.left_px),
        "top": str(plan.geometry.top_px),
        "borderless": "1" if plan.fullscreen else "0",
        "fullscreen": "0",
        "resizable": "0",
        "show_cursor": "1" if plan.show_cursor else "0",
        "allow_screensaver": "0",
        "maxfps": str(MAX_FPS),
        "multisamples": "0",
    }
    for key, value in graphics.items():
        Config.set("graphics", key, value)
    # The text face of kiosk/core/typeface.py (docs/kivy.md §9); Kivy's Roboto if none.
    family = text_family()
    if family is not None:
        faces = [TEXT_FONT_NAME, str(family.regular), str(family.italic), str(family.bold),
                 str(family.bold_italic)]
        Config.set("kivy", "default_font", str(faces))
