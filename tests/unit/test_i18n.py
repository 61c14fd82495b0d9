"""Message catalogs: every key the code and the kv files use exists, non-empty, in every
shipped language; placeholders match across languages; the compiled .mo files are the ones
built from the .po files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from kiosk.core.i18n import translate
from kiosk.locales import DOMAIN, LOCALE_DIR, shipped_languages
from kiosk.locales.build import compiled

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = sorted(shipped_languages())
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Keys built at run time from a prefix (f"{entry.key}.keywords"), not literal in the code.
DERIVED_SUFFIXES = (".keywords",)


def used_keys() -> set[str]:
    """Keys passed to `_(...)` in kv files and to `translate(...)` in Python."""
    keys: set[str] = set()
    for folder in ("kiosk", "screens"):
        method_map = [("**.py", "python"), ("**.kv", "python")]
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            REPO / folder, method_map, keywords={"_": None, "translate": (1,)}
        ):
            if isinstance(message, str) and "." in message:
                keys.add(message)
    return keys


def catalog(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle)


def test_french_and_english_are_shipped():
    assert {"fr", "en"} <= set(LANGUAGES)


def test_the_extraction_finds_the_keys_of_every_screen():
    keys = used_keys()
    for expected in ("attract.touch_to_start", "home.title", "idle.continue", "bar.back",
                     "out_of_order.body", "help.inactivity"):
        assert expected in keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_used_key_has_a_translation(language):
    messages = {m.id: m.string for m in catalog(language) if m.id}
    entry_keys = {f"{k}{s}" for k in used_keys() if k.startswith("home.entry.")
                  for s in DERIVED_SUFFIXES}
    missing = sorted(k for k in used_keys() | entry_keys if not messages.get(k))
    assert missing == []


def test_every_catalog_has_the_same_keys_and_placeholders():
    reference = {m.id: m.string for m in catalog("fr") if m.id}
    for language in LANGUAGES:
        messages = {m.id: m.string for m in catalog(language) if m.id}
        assert set(messages) == set(reference), language
        for key, text in messages.items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(reference[key])), (
                f"{language}: {key}"
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_are_up_to_date(language):
    # The messages, not the bytes: the header names the Babel version that compiled it.
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    assert messages(po_path.with_suffix(".mo").read_bytes()) == messages(compiled(po_path)), (
        "run `python -m kiosk.locales.build` after editing a .po file"
    )


def messages(mo: bytes) -> dict[str, str]:
    """The translations a compiled catalog holds, header left out."""
    catalog = read_mo(io.BytesIO(mo))
    return {m.id: m.string for m in catalog if m.id}


def test_translation_at_run_time_uses_the_compiled_catalogs():
    assert translate("idle.continue", "fr") == "Continuer"
    assert translate("idle.continue", "en") == "Continue"
    assert translate("idle.countdown", "fr", seconds=45).endswith("45 secondes.")
