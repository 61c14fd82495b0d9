"""Whether a typed name is the name a booking is under: the check that stands between a
booking reference (short, sequential, printed on a receipt) and moving or cancelling it.

Names are compared as words, whatever their case, accents, hyphens or order, so that
"dupont jean" and "Jean DUPONT" match "Jean Dupont"; every typed word must be one of the
booking's, and at least one must be typed. A first name alone matches: the check keeps a
stranger typing numbers out, not a relative who knows the name.
"""

from __future__ import annotations

from kiosk.core.text import fold

# A one-letter "word" (an initial) proves nothing.
MIN_WORD_LETTERS = 2


def name_words(text: str) -> frozenset[str]:
    """The words of a name, without case, accents or punctuation."""
    plain = "".join(c if c.isalnum() else " " for c in fold(text))
    return frozenset(word for word in plain.split() if len(word) >= MIN_WORD_LETTERS)


def names_match(typed: str, holder: str) -> bool:
    """Whether `typed` names the holder of a booking under `holder`."""
    words = name_words(typed)
    return bool(words) and words <= name_words(holder)
