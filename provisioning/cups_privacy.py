"""CUPS keeps no copy of a printed receipt: cupsd.conf's PreserveJobFiles set to No."""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: cupsd.conf(5): by default CUPS keeps a printed document's file for a day
#: ("PreserveJobFiles 86400"); a receipt holds a citizen's number, so none is kept. The job
#: history (states, no document) stays: the printer driver follows jobs through it.
CUPSD_CONF = Path("/etc/cups/cupsd.conf")
PRIVACY_DIRECTIVES = {"PreserveJobFiles": "No"}


def with_directives(text: str, directives: dict[str, str]) -> str:
    """cupsd.conf text with each top-level directive set once to its value (replaced where
    it is, appended otherwise); everything else is kept as it was."""
    for name, value in directives.items():
        pattern = re.compile(rf"^{name}\s+.*$", re.MULTILINE)
        line = f"{name} {value}"
        if pattern.search(text):
            text = pattern.sub(line, text)
        else:
            note = "# kiosk-provision: printed receipts are not kept"
            text = f"{text.rstrip(chr(10))}\n{note}\n{line}\n"
    return text


def cups_privacy(conf: Path) -> int:
    """Rewrite `conf` in place (restart cupsd afterwards); one line on error."""
    try:
        text = conf.read_text(encoding="utf-8")
        updated = with_directives(text, PRIVACY_DIRECTIVES)
        if updated != text:
            conf.write_text(updated, encoding="utf-8")
    except OSError as err:
        print(f"kiosk-provision: {conf}: {err.strerror}", file=sys.stderr)
        return 1
    print(f"{conf}: {'updated; restart cups' if updated != text else 'already set'}")
    return 0
