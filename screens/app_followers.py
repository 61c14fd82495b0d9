"""Widgets that follow a property of the app (the theme, the text size, the language, the
layout): one binding on the app per property, the widgets held weakly.

Bound one by one, each widget would leave an observer on the app that outlives it: a screen
is built for each session and dropped after it, so on a station that runs for months the
app's lists of observers would grow by thousands a day, and binding one more would scan them
all for a duplicate (a few milliseconds per button; docs/performance.md, "A screen's
build")."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

#: per property of the app: the widgets that follow it, and the name of the method each has
#: called when it changes (a name, not the method: a bound method would hold the widget)
_FOLLOWERS: dict[str, WeakKeyDictionary[Any, str]] = {}
#: the apps bound, per property (tests run several apps in one process, one at a time)
_BOUND: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()


def follow_app(app: Any, name: str, widget: Any, method: str) -> None:
    """Call `widget.<method>()` whenever the app's property `name` changes, for as long as
    the widget lives."""
    followers = _FOLLOWERS.setdefault(name, WeakKeyDictionary())
    followers[widget] = method
    bound = _BOUND.setdefault(app, set())
    if name not in bound:
        bound.add(name)
        app.fbind(name, _changed, name)


def _changed(name: str, *_args: Any) -> None:
    for widget, method in list(_FOLLOWERS.get(name, {}).items()):
        getattr(widget, method)()
