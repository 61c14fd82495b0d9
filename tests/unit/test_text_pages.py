"""A reading zone's explanation in pages (screens/text_pages.py): broken between paragraphs,
then sentences, then words, never losing or reordering a word."""

from __future__ import annotations

from screens.text_pages import text_pages


def fits_within(limit: int):
    """A page holds `limit` characters: a stand-in for a height measured on screen."""
    return lambda text: len(text) <= limit


def test_a_text_that_holds_is_one_page():
    assert text_pages("One. Two.\nThree.", fits_within(100)) == ["One. Two.\nThree."]


def test_pages_break_between_paragraphs_then_sentences():
    text = "First sentence here. Second one.\nA new paragraph."
    assert text_pages(text, fits_within(33)) == [
        "First sentence here. Second one.", "A new paragraph."]
    assert text_pages(text, fits_within(28)) == [
        "First sentence here.", "Second one.\nA new paragraph."]


def test_a_sentence_taller_than_a_page_breaks_between_words():
    pages = text_pages("one two three four five six", fits_within(10))
    assert pages == ["one two", "three four", "five six"]


def test_every_word_stays_in_order():
    text = "Vous l’avez reçu. Il figure sur le récapitulatif.\nIl a 10 lettres et chiffres."
    pages = text_pages(text, fits_within(20))
    assert " ".join(" ".join(pages).split()) == " ".join(text.split())
    assert all(len(page) <= 20 for page in pages)


def test_a_word_longer_than_a_page_has_a_page_of_its_own():
    assert text_pages("a verylongword b", fits_within(5)) == ["a", "verylongword", "b"]
