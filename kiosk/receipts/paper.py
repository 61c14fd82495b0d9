"""The papers a receipt can be printed on, in physical units: every size on a receipt is set in
millimetres or points and turned into dots for the paper's resolution, never in raw pixels
(docs/visual-design.md, "Sizes in millimetres").
"""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
PT_PER_INCH = 72

THERMAL_DPI = 203
"""8 dots per millimetre: the resolution of 80 mm ESC/POS and IPP thermal receipt printers
(Epson TM-T88 and TM-m30 data sheets: 203 dpi, 576 dots on a 72 mm print width)."""
THERMAL_WIDTH_DOTS = 576
"""Dots across the 72 mm printable width of 80 mm paper (same data sheets)."""
SHEET_DPI = 300
"""Resolution of the raster inside A5/A4 PDFs: the lowest native resolution of office laser
printers, enough for 1-bit text and a QR code, and a small file."""

MIN_NUMBER_CAP_MM = 6.5
"""Smallest capital height of the number in large digits: the brief asks ≥ 6 mm (≥ 48 dots at
203 dpi); half a millimetre more absorbs rounding and the printer's dot gain."""


@dataclass(frozen=True)
class PaperSpec:
    """One paper: its resolution, its printable area and the sizes of what is printed on it."""

    name: str
    dpi: int
    width_dots: int
    """Printable width in dots (the image's width)."""
    page_height_mm: float | None
    """Sheet height; None for a roll, cut as long as the receipt needs."""
    margin_mm: float
    """Side margin inside the printable width."""
    top_mm: float
    bottom_mm: float
    body_pt: float
    small_pt: float
    title_pt: float
    number_cap_mm: float
    """Preferred capital height of the number; it shrinks to fit, never below the minimum."""
    qr_module_mm: float
    """Side of one QR module; 0.5 mm and more reads with any phone at arm's length."""
    suffix: str
    """File type written: a PNG for a roll (raster printers take it as is), a PDF for sheets."""

    def dots(self, mm: float) -> int:
        """Millimetres on paper to dots."""
        return round(mm * self.dpi / MM_PER_INCH)

    def pt_dots(self, pt: float) -> int:
        """A type size in points to dots (the font's em)."""
        return round(pt * self.dpi / PT_PER_INCH)

    @property
    def page_height_dots(self) -> int | None:
        """Sheet height in dots; None for a roll."""
        return None if self.page_height_mm is None else self.dots(self.page_height_mm)

    @property
    def content_width(self) -> int:
        """Dots between the side margins."""
        return self.width_dots - 2 * self.dots(self.margin_mm)


THERMAL_80 = PaperSpec(
    name="thermal-80", dpi=THERMAL_DPI, width_dots=THERMAL_WIDTH_DOTS, page_height_mm=None,
    margin_mm=2, top_mm=3, bottom_mm=8, body_pt=10.5, small_pt=9, title_pt=13,
    number_cap_mm=8, qr_module_mm=0.75, suffix=".png",
)
# ISO 216: A5 is 148 × 210 mm, A4 210 × 297 mm.
A5 = PaperSpec(
    name="a5", dpi=SHEET_DPI, width_dots=round(148 * SHEET_DPI / MM_PER_INCH),
    page_height_mm=210, margin_mm=12, top_mm=10, bottom_mm=12, body_pt=11, small_pt=9.5,
    title_pt=14, number_cap_mm=8.5, qr_module_mm=0.8, suffix=".pdf",
)
A4 = PaperSpec(
    name="a4", dpi=SHEET_DPI, width_dots=round(210 * SHEET_DPI / MM_PER_INCH),
    page_height_mm=297, margin_mm=25, top_mm=20, bottom_mm=20, body_pt=13, small_pt=11,
    title_pt=17, number_cap_mm=11, qr_module_mm=1.0, suffix=".pdf",
)

PAPERS = {spec.name: spec for spec in (THERMAL_80, A5, A4)}
"""Keyed like settings.receipts.paper (`thermal-80`, `a5`, `a4`)."""


def paper_spec(paper: str) -> PaperSpec:
    """The spec of `paper` (a settings.receipts.paper value); KeyError names the known ones."""
    try:
        return PAPERS[str(paper)]
    except KeyError:
        raise KeyError(f"unknown paper {paper!r}; known: {', '.join(PAPERS)}") from None
