"""Receipts on paper: a `kiosk.core.receipt.Receipt` drawn as an 80 mm thermal PNG or an A5/A4
PDF, in the receipt's language, ready for the printer port.

Drawing lives here rather than in the core because it needs Pillow and qrcode; the core keeps
the receipt as plain data. Nothing here touches a printer, a screen or the network.
"""

from __future__ import annotations

from kiosk.receipts.layout import compose_pages
from kiosk.receipts.paper import PAPERS, PaperSpec, paper_spec
from kiosk.receipts.render import render_receipt

__all__ = ["PAPERS", "PaperSpec", "compose_pages", "paper_spec", "render_receipt"]
