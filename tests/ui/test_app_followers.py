"""Widgets follow the app's properties through one binding each, held weakly
(screens/app_followers.py): a change reaches every live follower, and a follower dropped is
not kept alive by the app, nor does it leave an observer behind. Kivy is imported in the
test's own forked process only (tests/conftest.py): the parent never imports it."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from screens.app_followers import follow_app

pytestmark = pytest.mark.ui


class Follower:
    def __init__(self) -> None:
        self.seen = 0

    def changed(self) -> None:
        self.seen += 1


def fake_app() -> Any:
    from kivy.event import EventDispatcher
    from kivy.properties import StringProperty

    class FakeApp(EventDispatcher):
        theme_name = StringProperty("default")

    return FakeApp()


def observers(app: Any) -> int:
    return len(app.get_property_observers("theme_name"))


def test_a_change_reaches_every_follower_through_one_binding():
    app = fake_app()
    followers = [Follower() for _ in range(50)]
    for follower in followers:
        follow_app(app, "theme_name", follower, "changed")
    assert observers(app) == 1
    app.theme_name = "high_dark"
    assert [f.seen for f in followers] == [1] * 50


def test_a_dropped_follower_is_not_kept_nor_called():
    app = fake_app()
    kept, dropped = Follower(), Follower()
    follow_app(app, "theme_name", kept, "changed")
    follow_app(app, "theme_name", dropped, "changed")
    gone = weakref.ref(dropped)
    del dropped
    gc.collect()
    assert gone() is None
    app.theme_name = "high_light"
    assert kept.seen == 1
    assert observers(app) == 1
