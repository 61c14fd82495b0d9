"""Easy-to-read French (FALC, "Facile à lire et à comprendre", docs/accessibility.md I3–I4): the
fr_FALC catalog has every key of the French one, passes a FALC lint (short sentences, no ";",
"%", "etc.", "ex.", no unexplained abbreviation or acronym, numbers in digits), stays about as
short as the French (screens are sized for it), is offered in the packaged configuration, and
the places texts format their dates and numbers in it."""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime

import pytest
from babel.messages.pofile import read_po
from french_times import nbsp_times

from kiosk.core.dates import long_date
from kiosk.core.i18n import language_name, translate
from kiosk.core.opening_hours import parse_opening_hours
from kiosk.core.places import Walk
from kiosk.core.places_text import (
    day_label,
    distance_text,
    status_text,
    walk_short,
    walk_text,
    week_lines,
    weekday_name,
)
from kiosk.locales import DOMAIN, LOCALE_DIR, shipped_languages
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import LanguageSettings

FALC = "fr_FALC"
# FALC: 12 words a sentence at most if possible (more is warned about), never more than 15.
MAX_WORDS = 15
WARN_WORDS = 12
FORBIDDEN = {";": "a semicolon", "%": "a per cent sign"}
FORBIDDEN_WORDS = {"etc.": "etc.", "ex.": "ex.", "cf.": "cf.", "n°": "n°", "env.": "env.",
                   "tél.": "tél."}
# Abbreviations written as words ("min" for minutes). "h" stays: FALC writes times "8 h 30".
ABBREVIATIONS = {"min", "m", "km", "rdv", "svp", "cni", "mn", "qté"}
NUMBER_WORDS = {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
                "douze", "treize", "quatorze", "quinze", "seize", "vingt", "trente", "quarante",
                "cinquante", "soixante", "cent", "mille"}
# Acronyms the catalog may use, each with the words that explain it where it is first met.
EXPLAINED = {"ANTS": "L’ANTS (ants.gouv.fr) est le site de l’État pour les papiers d’identité",
             "QR": "code carré (code QR)"}
# Codes shown as examples of what to type, not words to understand.
EXAMPLE_CODES = {"ABCD", "EFGH"}
# Keys that are never read as sentences: search words (never shown) and the lists of day and
# month names the receipt splits on commas.
NOT_SENTENCES = ("receipt.weekdays", "receipt.months")
PLACEHOLDER = re.compile(r"\{\w+\}")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")
WORD = re.compile(r"[\w{}][\w{}’'@./-]*")


def catalog(language: str) -> dict[str, str]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s.strip()]


def words(sentence: str) -> list[str]:
    """Words as a reader counts them: a placeholder is one word, "«", ":" and "—" none."""
    return WORD.findall(PLACEHOLDER.sub("{x}", sentence))


def falc_problems(text: str) -> list[str]:
    """What breaks the FALC rules in one message (empty when it reads easily)."""
    problems: list[str] = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > MAX_WORDS:
            problems.append(f"{count} words (at most {MAX_WORDS}): {sentence!r}")
    for mark, name in FORBIDDEN.items():
        if mark in text:
            problems.append(f"{name}")
    lowered = f" {text.lower()}"
    for abbreviation in FORBIDDEN_WORDS:
        if re.search(rf"[\s(«]{re.escape(abbreviation)}", lowered):
            problems.append(f"abbreviation {abbreviation!r}")
    for word in words(PLACEHOLDER.sub("", text)):
        bare = word.strip(".’'-/").split("’")[-1]
        if bare.lower() in ABBREVIATIONS:
            problems.append(f"abbreviation {bare!r}")
        if bare.lower() in NUMBER_WORDS:
            problems.append(f"number in letters {bare!r} (write it in digits)")
        if re.fullmatch(r"[A-ZÀ-Ý]{2,}", bare) and bare not in {*EXPLAINED, *EXAMPLE_CODES}:
            problems.append(f"acronym {bare!r} without an explanation")
    return problems


def linted(key: str) -> bool:
    return not key.endswith(".keywords") and key not in NOT_SENTENCES


# -- the lint itself -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "problem"), [
    ("Vous pouvez venir à la mairie le matin ou le soir avec votre passeport et votre "
     "carte, même le samedi.", "words"),
    ("Gardez ce reçu ; il sert plus tard.", "semicolon"),
    ("Le service est fini à 80 %.", "per cent"),
    ("Passeport, carte, permis, etc.", "etc."),
    ("Un nom (ex. Martin).", "ex."),
    ("Borne n° {station}", "n°"),
    ("{distance} · {minutes} min à pied", "'min'"),
    ("Votre rendez-vous dans trois semaines.", "trois"),
    ("Remplissez le CERFA.", "CERFA"),
])
def test_the_lint_finds_what_is_not_easy_to_read(text, problem):
    found = falc_problems(text)
    assert len(found) == 1, found
    assert problem in found[0]


def test_the_lint_lets_easy_sentences_through():
    assert falc_problems("Tapez le numéro écrit sur votre reçu. Par exemple : ABCD EFGH.") == []
    assert falc_problems("Touchez « J’ai terminé » à la fin. Il est {time}.") == []
    assert falc_problems("L’ANTS (ants.gouv.fr) est le site de l’État pour les papiers "
                         "d’identité.") == []
    # 15 words is the most a sentence may have; each placeholder is one word.
    assert falc_problems(" ".join(["mot"] * 14) + " {name}.") == []
    assert falc_problems(" ".join(["mot"] * 15) + " {name}.") != []


# -- the catalog ---------------------------------------------------------------------------


def test_easy_to_read_french_is_shipped_and_named_in_its_own_words():
    assert FALC in shipped_languages()
    assert language_name(FALC) == "Facile à lire"
    with (LOCALE_DIR / FALC / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        assert read_po(handle).locale_identifier == FALC


def test_every_french_message_has_an_easy_to_read_version():
    french, easy = catalog("fr"), catalog(FALC)
    assert sorted(set(french) - set(easy)) == []
    assert sorted(key for key in french if not easy.get(key)) == []
    assert translate("home.title", FALC) != "home.title"


@pytest.mark.parametrize("key", sorted(k for k in catalog(FALC) if linted(k)))
def test_every_easy_to_read_message_passes_the_falc_lint(key):
    text = catalog(FALC)[key]
    assert falc_problems(text) == []
    for sentence in sentences(text):
        if len(words(sentence)) > WARN_WORDS:
            warnings.warn(f"{key}: more than {WARN_WORDS} words: {sentence!r}", stacklevel=1)


def test_explained_acronyms_are_explained_in_the_catalog():
    texts = catalog(FALC).values()
    for acronym, explanation in EXPLAINED.items():
        assert any(explanation in text for text in texts), acronym


def test_easy_to_read_messages_fit_where_the_french_ones_do():
    french, easy = catalog("fr"), catalog(FALC)
    too_long = {key: (len(french[key]), len(text)) for key, text in easy.items()
                if len(text) > max(len(french[key]) + 20, len(french[key]) * 1.25)}
    assert too_long == {}
    assert sum(map(len, easy.values())) <= sum(map(len, french.values())) * 1.05


# -- offered and formatted -----------------------------------------------------------------


def test_the_packaged_configuration_offers_it_third():
    assert load_settings(ConfigSources(), environ={}).languages.available == ("fr", "en", FALC)
    assert LanguageSettings(default=FALC, available=("fr", FALC)).default == FALC


MONDAY_NOON = datetime(2026, 11, 23, 12)
HOURS = parse_opening_hours("Mo-Fr 08:30-12:00,13:30-17:30; PH off")


def test_places_are_written_in_easy_to_read_french():
    assert weekday_name(date(2026, 11, 23), FALC) == "lundi"
    assert day_label(date(2026, 11, 25), date(2026, 11, 23), FALC) == "Mercredi 25 novembre"
    assert distance_text(2615, FALC) == "2,6 kilomètres"
    assert distance_text(287, FALC) == "290 mètres"
    assert status_text(HOURS, MONDAY_NOON, FALC) == nbsp_times("Fermé. Ouvre à 13 h 30")
    assert status_text(HOURS, datetime(2026, 11, 28, 9), FALC) == nbsp_times(
        "Fermé. Ouvre lundi à 8 h 30")
    assert status_text(parse_opening_hours("Mo 09:00-10:00"), datetime(2026, 11, 23, 11),
                       FALC).startswith(nbsp_times("Fermé. Ouvre le lundi 30 novembre à 9 h"))
    assert week_lines(HOURS, MONDAY_NOON, FALC)[0] == (
        nbsp_times("Aujourd’hui : de 8 h 30 à 12 h, puis de 13 h 30 à 17 h 30"))
    assert long_date(date(2026, 11, 2), FALC) == "2 novembre 2026"


def test_a_walk_is_written_out_in_easy_to_read_french():
    near = Walk(straight_m=230, route_m=300, minutes=5)
    assert walk_short(near, FALC) == "300 mètres · 5 minutes à pied"
    assert walk_text(near, FALC) == "À 300 mètres. Environ 5 minutes à pied"
