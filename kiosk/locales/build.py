"""Compile the .po catalogs into the .mo files the app loads (run after editing a .po):

    python -m kiosk.locales.build

Babel is a development dependency; the app itself reads .mo files with the standard library.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.locales import DOMAIN, LOCALE_DIR


def compiled(po_path: Path) -> bytes:
    """The .mo bytes of one .po file."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> int:
    """Write every .mo next to its .po."""
    for po_path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
