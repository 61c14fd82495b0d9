"""Where each screen is drawn, by convention: the screen `tracking_entry` is the class
`TrackingEntryScreen` of the module `screens.tracking_entry` (with its `.kv` file beside it).
Adding a screen is adding that module; nothing lists them."""

from __future__ import annotations

import importlib
from typing import Any

from kiosk.core.flows import registry
from kiosk.core.state import ScreenName, Screens

SCREENS_PACKAGE = "screens"


class MissingScreenError(LookupError):
    """A screen named by a flow (or the station) that has no module or class."""


def class_name(screen: ScreenName) -> str:
    """`tracking_entry` → `TrackingEntryScreen`."""
    return "".join(part.capitalize() for part in screen.split("_")) + "Screen"


def screen_class(screen: ScreenName) -> Any:
    """The class that draws `screen` (imports its module, which loads its kv rules)."""
    try:
        module = importlib.import_module(f"{SCREENS_PACKAGE}.{screen}")
    except ModuleNotFoundError as err:
        if err.name != f"{SCREENS_PACKAGE}.{screen}":
            raise
        raise MissingScreenError(
            f"screen {screen!r}: no module {SCREENS_PACKAGE}.{screen}") from None
    found = getattr(module, class_name(screen), None)
    if found is None:
        raise MissingScreenError(f"screen {screen!r}: {module.__name__} has no class "
                            f"{class_name(screen)}")
    return found


def all_screens() -> tuple[ScreenName, ...]:
    """The station's own screens, then every screen the flows name, each once."""
    own = (Screens.OUT_OF_ORDER, Screens.ATTRACT, Screens.HOME, Screens.HELP, Screens.STAFF_PIN,
           Screens.MAINTENANCE)
    named = (s for spec in registry.FLOWS.values() for s in spec.screens)
    return tuple(dict.fromkeys((*(str(s) for s in own), *named)))
