"""Translation of message keys with gettext catalogs (domain `kiosk`, compiled by Babel).

Messages are keys (`home.title`), so a missing translation shows as a key and a test can prove
that every key exists in every catalog. The language is an argument rather than a global: in
kv, `_('home.title', app.lang)` re-evaluates when the language changes (docs/kivy.md §5).
"""

from __future__ import annotations

import functools
import gettext

from kiosk.locales import DOMAIN, LOCALE_DIR


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (an empty one if none is shipped)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translate(key: str, language: str, **values: object) -> str:
    """The text of `key` in `language`, with `{name}` placeholders filled from `values`."""
    text = catalog(language).gettext(key)
    return text.format(**values) if values else text


def language_name(language: str) -> str:
    """The name of a language written in that language (docs/accessibility.md I1)."""
    return translate("language.self_name", language)
