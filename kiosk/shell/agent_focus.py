"""Where the keyboard types on the assisted desk: one X server and no window manager
(docs/installation.md, "The display session"), so both keyboards are one keyboard to X and it
types into the window that has the input focus, which SDL gives to a window when it is shown,
and which no click moves. The console sets the focus to "the window under the pointer"
(PointerRoot): the facilitator's mouse over the console types there, the visitor's touch on
the public screen (a touch moves the pointer) types there (docs/assisted-mode.md, "The two
keyboards")."""

from __future__ import annotations

import contextlib
import ctypes
import os

POINTER_ROOT = 1
REVERT_TO_POINTER_ROOT = 1
CURRENT_TIME = 0
"""X.h: PointerRoot, RevertToPointerRoot, CurrentTime (XSetInputFocus(3))."""


def focus_follows_pointer() -> bool:
    """Give the keyboard to the window under the pointer; False when there is no X display
    to ask (a headless console) or Xlib cannot be loaded."""
    display = os.environ.get("DISPLAY")
    if not display or os.environ.get("SDL_VIDEODRIVER") == "offscreen":
        return False
    with contextlib.suppress(OSError):
        x11 = ctypes.CDLL("libX11.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                       ctypes.c_ulong]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        connection = x11.XOpenDisplay(display.encode())
        if not connection:
            return False
        x11.XSetInputFocus(connection, POINTER_ROOT, REVERT_TO_POINTER_ROOT, CURRENT_TIME)
        x11.XCloseDisplay(connection)  # flushes the request
        return True
    return False
