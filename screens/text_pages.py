"""A text cut into pages that each hold in a given height, where it breaks best: between
paragraphs, then between sentences, a sentence between words only when it is taller than a
page by itself. A reading zone pages its explanation with it rather than shrink its words or
scroll (docs/visual-design.md, "One question per screen")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# A sentence ends at its stop, before the space that follows it; a colon stays with what it
# announces ("Example: 104 217").
SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")


def text_pages(text: str, fits: Callable[[str], bool]) -> list[str]:
    """`text` in pages for which `fits` holds, as few as the breaks allow; a single word
    taller than a page still has a page of its own."""
    pages: list[str] = []
    page = ""
    for piece, joint in _pieces(text, fits):
        candidate = page + joint + piece if page else piece
        if page and not fits(candidate):
            pages.append(page)
            page = piece
        else:
            page = candidate
    if page:
        pages.append(page)
    return pages


def _pieces(text: str, fits: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """The sentences of `text`, each with what joins it to the one before (a line break
    between paragraphs, a space within one); the words of a sentence too tall for a page."""
    joint = ""
    for paragraph in text.split("\n"):
        for sentence in (s for s in SENTENCE_END.split(paragraph) if s):
            if fits(sentence):
                yield sentence, joint
            else:
                for index, word in enumerate(sentence.split(" ")):
                    yield word, joint if index == 0 else " "
            joint = " "
        joint = "\n"
