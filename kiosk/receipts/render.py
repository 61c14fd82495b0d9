"""Receipt files for the printer port: a PNG for a roll, a PDF for sheets.

File names are random, never the number or the title: the number is private
(docs/accessibility.md H7) and a file name ends up in CUPS' job history and logs. The caller deletes
the file once the job is over (docs/architecture.md, rule 4). Files appear whole (written aside,
then renamed), so a spooler never picks up half a receipt.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.core.receipt import Receipt
from kiosk.receipts.layout import compose_pages
from kiosk.receipts.paper import paper_spec

FILE_PREFIX = "receipt-"
PDF_TITLE = "Receipt"
"""The PDF's title (Pillow would otherwise write the file's name)."""
TOKEN_BYTES = 8
"""64 random bits: two receipts never share a name, and a name says nothing about its content."""


def render_receipt(receipt: Receipt, paper: str, directory: Path) -> Path:
    """Draw `receipt` for `paper` (settings.receipts.paper) into a new file in `directory`
    (created if needed) and return its path: PNG with its dpi for a roll, PDF for sheets."""
    spec = paper_spec(paper)
    pages = compose_pages(receipt, paper)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{FILE_PREFIX}{secrets.token_hex(TOKEN_BYTES)}{spec.suffix}"
    partial = target.with_name(f".{target.name}.partial")
    try:
        if spec.suffix == ".png":
            pages[0].save(partial, "PNG", dpi=(spec.dpi, spec.dpi))
        else:
            pages[0].save(partial, "PDF", resolution=spec.dpi, save_all=True,
                          append_images=pages[1:], title=PDF_TITLE)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
