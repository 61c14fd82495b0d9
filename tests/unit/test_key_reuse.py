"""Unit tests of the keys reused when the on-screen keyboard turns its page
(`screens.keyboard.reuse_keys`): the word keys and the page key keep their widget, the others
take the page's values in order, and keys are built only for a page with more of them than
any before (docs/performance.md, "A screen's build")."""

import os

# Kivy leaves the root logger to Python here: its own handlers would outlive the test run's
# captured streams.
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from types import SimpleNamespace

from screens.keyboard import (
    AZERTY_ROWS,
    BACKSPACE,
    LOWER,
    OK,
    SHIFT,
    SIGN_ROWS,
    SIGNS,
    SPACE,
    reuse_keys,
)

LETTERS_PAGE = [*"".join(AZERTY_ROWS), SHIFT, SIGNS, SPACE, BACKSPACE, OK]
SIGNS_PAGE = [*"".join(SIGN_ROWS), SHIFT, LOWER, SPACE, BACKSPACE, OK]


def built(values):
    return [SimpleNamespace(value=value) for value in values]


def test_every_key_is_built_for_the_first_page():
    given = reuse_keys([], LETTERS_PAGE)
    assert given == [None] * len(LETTERS_PAGE)


def test_turning_to_the_signs_builds_no_key_and_keeps_the_word_keys():
    letters = built(LETTERS_PAGE)
    given = reuse_keys(letters, SIGNS_PAGE)
    assert None not in given
    assert len(given) == len(letters)  # the page's keys, then the ones left over
    by_value = {key.value: key for key in letters}
    for value in (SHIFT, SPACE, BACKSPACE, OK):
        assert given[SIGNS_PAGE.index(value)] is by_value[value]
    assert given[SIGNS_PAGE.index(LOWER)] is by_value[SIGNS], "the page key stays one key"
    # The signs take the letters' keys in order.
    assert given[0] is by_value["a"]
    assert {id(k) for k in given} == {id(k) for k in letters}


def test_back_to_the_letters_the_keys_left_over_are_used_again():
    letters = built(LETTERS_PAGE)
    given = reuse_keys(letters, SIGNS_PAGE)
    shown, spare = given[:len(SIGNS_PAGE)], given[len(SIGNS_PAGE):]
    for key, value in zip(shown, SIGNS_PAGE, strict=True):
        key.value = value
    again = reuse_keys(shown + spare, LETTERS_PAGE)
    assert None not in again and len(again) == len(LETTERS_PAGE)
    assert {id(k) for k in again} == {id(k) for k in letters}


def test_a_page_with_more_keys_builds_only_the_ones_missing():
    given = reuse_keys(built(["1", "2", "3"]), ["a", "b", "c", "d", "e"])
    assert [key is None for key in given] == [False, False, False, True, True]
