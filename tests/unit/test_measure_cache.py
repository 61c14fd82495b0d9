"""Unit tests of the cache of words' widths (`screens.measure.text_width`): words are rendered
to be measured once per font, size and weight, and measured again once the app has emptied the
cache at the end of a session (docs/performance.md, "A screen's build")."""

import os

# Kivy leaves the root logger to Python here: its own handlers would outlive the test run's
# captured streams.
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

import pytest
from kivy.cache import Cache

from screens import measure


@pytest.fixture
def renders(monkeypatch):
    """The renders asked for, each answered with a width of 10 px per character."""
    asked: list[tuple[str, float, str, bool]] = []

    def render(text: str, font_size: float, font_name: str, bold: bool) -> float:
        asked.append((text, font_size, font_name, bold))
        return 10.0 * len(text)

    monkeypatch.setattr(measure, "rendered_width", render)
    Cache.remove(measure.WIDTHS)
    yield asked
    Cache.remove(measure.WIDTHS)


def test_the_same_words_are_rendered_once(renders):
    assert measure.text_width("Retour", 30, "Roboto", True) == 60.0
    assert measure.text_width("Retour", 30, "Roboto", True) == 60.0
    assert measure.text_width("Retour", 30.0, "Roboto", True) == 60.0
    assert renders == [("Retour", 30, "Roboto", True)]


@pytest.mark.parametrize("other", [
    ("Aide", 30, "Roboto", True),
    ("Retour", 36, "Roboto", True),
    ("Retour", 30, "Icons", True),
    ("Retour", 30, "Roboto", False),
])
def test_another_text_size_font_or_weight_is_measured_anew(renders, other):
    measure.text_width("Retour", 30, "Roboto", True)
    measure.text_width(*other)
    assert renders == [("Retour", 30, "Roboto", True), other]


def test_emptied_at_the_end_of_a_session_the_words_are_measured_again(renders):
    measure.text_width("Retour", 30, "Roboto", True)
    Cache.remove(measure.WIDTHS)  # as the app does with its text caches
    measure.text_width("Retour", 30, "Roboto", True)
    assert len(renders) == 2


def test_the_app_empties_it_with_its_text_caches():
    from kiosk.shell.app import TEXT_CACHES

    assert measure.WIDTHS in TEXT_CACHES


def test_the_cache_is_bounded(renders):
    for index in range(measure.WIDTHS_KEPT + 10):
        measure.text_width(f"mot {index}", 30, "Roboto", True)
    assert len(Cache._objects[measure.WIDTHS]) <= measure.WIDTHS_KEPT
