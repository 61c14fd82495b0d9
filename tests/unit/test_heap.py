"""Unit tests of the collector's pacing and the memory given back after a session
(`kiosk.shell.heap`): the full pass waits for the session's end, where the station collects
what the session dropped."""

import gc
import weakref

import pytest

from kiosk.shell.heap import FULL_PASS_AFTER, pace_collections, release_free_memory


@pytest.fixture
def thresholds():
    """Give the interpreter its thresholds back after the test."""
    kept = gc.get_threshold()
    yield kept
    gc.set_threshold(*kept)


def test_the_full_pass_waits_for_many_young_ones(thresholds):
    gc.set_threshold(700, 10, 10)
    pace_collections()
    assert gc.get_threshold() == (700, 10, FULL_PASS_AFTER)
    # More young passes than a session through every screen makes (about 45).
    assert FULL_PASS_AFTER >= 100


def test_the_young_thresholds_are_kept(thresholds):
    gc.set_threshold(2000, 15, 10)
    pace_collections()
    assert gc.get_threshold()[:2] == (2000, 15)


class _Node:
    """A cycle, as a dropped screen's widgets make."""

    def __init__(self) -> None:
        self.me = self


def test_what_a_session_dropped_is_collected_when_it_ends(thresholds):
    pace_collections()
    gc.disable()
    try:
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # a cycle: only the collector frees it
        release_free_memory()
        assert gone() is None
    finally:
        gc.enable()
