"""A receipt laid out on paper: a column of bands (logo, city, what was done, the number in
large digits, the QR code, date and place, next steps), then one roll image or sheet pages.

Everything is drawn in 1-bit, black on white: thermal heads print dots, and FreeType's
monochrome rendering gives crisp glyphs at 203 dpi where grey antialiasing would be dithered
into fuzz. The number's capital height never goes below paper.MIN_NUMBER_CAP_MM.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from kiosk.core.i18n import translate
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.receipts import fonts
from kiosk.receipts.paper import MIN_NUMBER_CAP_MM, PaperSpec, paper_spec
from kiosk.receipts.qr import qr_image

WHITE = 1
BLACK = 0

LOGO_MAX_HEIGHT_MM = 18
"""A logo identifies the city; taller would push the number off the first glance."""
RULE_MM = 0.3
"""A separating line: two dots on a thermal head."""
GAP_MM = 2.5
"""Space between two blocks."""
LINE_SPACING = 1.15
"""Leading, as a multiple of the font's ascent + descent."""
BULLET = "•"
MIN_QR_MODULE_DOTS = 3
"""Below 3 dots a module (0.37 mm at 203 dpi) smears on thermal paper."""
SEPARATORS = (" ", "-")


@dataclass(frozen=True)
class Band:
    """One horizontal strip of the receipt, as wide as the content column."""

    image: Image.Image
    space_before: int = 0
    keep_with_next: bool = False
    """A heading stays on the same page as what follows it."""


def compose_pages(receipt: Receipt, paper: str) -> list[Image.Image]:
    """The receipt drawn for `paper` (a settings.receipts.paper value): one image for a roll,
    one image per page for sheets (mode "1", the paper's dpi)."""
    spec = paper_spec(paper)
    bands = _Composer(spec, receipt.language).bands(receipt)
    if spec.page_height_dots is None:
        return [_roll(spec, bands)]
    return _sheets(spec, bands, receipt.language)


class _Composer:
    """Turns a receipt into bands for one paper."""

    def __init__(self, spec: PaperSpec, language: str) -> None:
        self.spec = spec
        self.language = language
        self.width = spec.content_width
        self.body = fonts.font(fonts.REGULAR, spec.pt_dots(spec.body_pt))
        self.body_bold = fonts.font(fonts.BOLD, spec.pt_dots(spec.body_pt))
        self.small = fonts.font(fonts.REGULAR, spec.pt_dots(spec.small_pt))
        self.title = fonts.font(fonts.BOLD, spec.pt_dots(spec.title_pt))
        self.gap = spec.dots(GAP_MM)

    def bands(self, receipt: Receipt) -> list[Band]:
        """Every band of `receipt`, top to bottom."""
        out: list[Band] = []
        if receipt.logo is not None:
            logo = self.logo(receipt)
            if logo is not None:
                out.append(Band(logo))
        out += self.text([receipt.city], self.title, center=True, space_before=self.gap)
        out.append(self.rule())
        out += self.text([receipt.title], self.title, center=True, space_before=self.gap)
        out += self.text([self.number_label(receipt.number_kind)], self.body, center=True,
                         space_before=self.gap * 2)
        out += self.number(receipt)
        out.append(Band(self.qr(receipt.qr_content), space_before=self.gap))
        out += self.text([self.qr_caption(receipt)], self.small, center=True)
        out.append(self.rule())
        out += self.labelled(self.when_label(receipt.number_kind), receipt.when_text)
        out += self.labelled(translate("receipt.place", self.language), receipt.place)
        if receipt.personal_lines:
            out += self.text(receipt.personal_lines, self.body, space_before=self.gap)
        if receipt.next_steps:
            heading = self.text([translate("receipt.next_steps", self.language)],
                                self.body_bold, space_before=self.gap)
            out += [Band(b.image, b.space_before, keep_with_next=True) for b in heading]
            for step in receipt.next_steps:
                out += self.bullet(step)
        out.append(self.rule())
        out += self.text([translate("receipt.keep", self.language)], self.small, center=True,
                         space_before=self.gap)
        return out

    # -- words -------------------------------------------------------------------------------

    def number_label(self, kind: NumberKind) -> str:
        """What the number is, in words."""
        if kind is NumberKind.BOOKING:
            return translate("receipt.number.booking", self.language)
        if kind is NumberKind.STATION:
            return translate("receipt.number.station", self.language)
        return translate("receipt.number.tracking", self.language)

    def when_label(self, kind: NumberKind) -> str:
        """An appointment's date is the appointment; any other date is when it was done."""
        if kind is NumberKind.BOOKING:
            return translate("receipt.when.booking", self.language)
        return translate("receipt.when", self.language)

    def qr_caption(self, receipt: Receipt) -> str:
        """What the QR code is for: a page a phone opens, or the number a kiosk reads."""
        if receipt.qr_content != receipt.number:
            return translate("receipt.qr.url", self.language)
        return translate("receipt.qr.number", self.language)

    # -- bands -------------------------------------------------------------------------------

    def text(self, paragraphs: Iterable[str], face: ImageFont.FreeTypeFont, *,
             center: bool = False, space_before: int = 0, indent: int = 0) -> list[Band]:
        """Paragraphs wrapped to the column, one band a line."""
        out = []
        for paragraph in paragraphs:
            for index, line in enumerate(wrap(paragraph, face, self.width - indent)):
                out.append(Band(self.line(line, face, center=center, indent=indent),
                                space_before if not out and index == 0 else 0))
        return out

    def labelled(self, label: str, value: str) -> list[Band]:
        """A bold label on its line, the value under it: long values wrap without ragged
        two-column alignment that a narrow roll cannot hold."""
        head = self.text([label], self.body_bold, space_before=self.gap)
        return [Band(b.image, b.space_before, keep_with_next=True) for b in head] + self.text(
            [value], self.body)

    def bullet(self, step: str) -> list[Band]:
        """One next step, bullet hanging in the margin of its wrapped lines."""
        indent = int(self.body.getlength(BULLET + " "))
        bands = self.text([step], self.body, indent=indent)
        first = bands[0].image.copy()
        ImageDraw.Draw(first).text((0, 0), BULLET, font=self.body, fill=BLACK)
        return [Band(first, bands[0].space_before), *bands[1:]]

    def line(self, text: str, face: ImageFont.FreeTypeFont, *, center: bool = False,
             indent: int = 0) -> Image.Image:
        """One line of text on a strip as tall as the font's line height."""
        ascent, descent = face.getmetrics()
        image = Image.new("1", (self.width, round((ascent + descent) * LINE_SPACING)), WHITE)
        x = (self.width - int(face.getlength(text))) // 2 if center else indent
        ImageDraw.Draw(image).text((max(0, x), 0), text, font=face, fill=BLACK)
        return image

    def rule(self) -> Band:
        """A full-width line."""
        image = Image.new("1", (self.width, max(1, self.spec.dots(RULE_MM))), BLACK)
        return Band(image, space_before=self.gap)

    def number(self, receipt: Receipt) -> list[Band]:
        """The number in large bold digits, on one line when it fits at a capital height of at
        least MIN_NUMBER_CAP_MM, otherwise cut between its groups onto several lines."""
        text = receipt.printed_number
        preferred = fonts.size_for_cap_height(fonts.BOLD, self.spec.dots(self.spec.number_cap_mm))
        smallest = fonts.size_for_cap_height(fonts.BOLD, self.spec.dots(MIN_NUMBER_CAP_MM))
        size = preferred
        while size > smallest and fonts.font(fonts.BOLD, size).getlength(text) > self.width:
            size -= 1
        face = fonts.font(fonts.BOLD, size)
        lines = wrap(text, face, self.width, breaks=SEPARATORS)
        return [Band(self.line(line, face, center=True), self.gap if i == 0 else 0)
                for i, line in enumerate(lines)]

    def qr(self, content: str) -> Image.Image:
        """The QR code, centred, modules as close to the paper's module size as fit."""
        module = max(MIN_QR_MODULE_DOTS, self.spec.dots(self.spec.qr_module_mm))
        code = qr_image(content, module)
        while code.width > self.width and module > MIN_QR_MODULE_DOTS:
            module -= 1
            code = qr_image(content, module)
        strip = Image.new("1", (self.width, code.height), WHITE)
        strip.paste(code, ((self.width - code.width) // 2, 0))
        return strip

    def logo(self, receipt: Receipt) -> Image.Image | None:
        """The city's logo in 1-bit (Floyd–Steinberg dithered), centred; None when the file
        cannot be read: a receipt without its logo beats no receipt."""
        assert receipt.logo is not None
        try:
            with Image.open(receipt.logo) as source:
                source.load()
                picture = source.convert("RGBA")
        except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
            return None
        flat = Image.new("RGBA", picture.size, "white")
        flat.alpha_composite(picture)
        grey = flat.convert("L")
        grey.thumbnail((self.width, self.spec.dots(LOGO_MAX_HEIGHT_MM)),
                       Image.Resampling.LANCZOS)
        strip = Image.new("1", (self.width, grey.height), WHITE)
        strip.paste(grey.convert("1"), ((self.width - grey.width) // 2, 0))
        return strip


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int,
         breaks: tuple[str, ...] = (" ",)) -> list[str]:
    """`text` cut into lines no wider than `width`, at the break characters only (a no-break
    space keeps "14 h 30" and "suivi ?" whole); a single word wider than the line is cut
    between characters. A dash stays at the end of its line."""
    pieces: list[str] = []
    current = ""
    for char in text:
        current += char
        if char in breaks:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        candidate = line + piece
        if not line or face.getlength(candidate.rstrip(" ")) <= width:
            line = candidate
            continue
        lines.append(line.rstrip(" "))
        line = piece
    if line.strip():
        lines.append(line.rstrip(" "))
    return [cut for line in lines for cut in _cut_long(line, face, width)]


def _cut_long(line: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """A line still too wide (one long word) cut between characters."""
    out: list[str] = []
    while face.getlength(line) > width and len(line) > 1:
        end = len(line) - 1
        while end > 1 and face.getlength(line[:end]) > width:
            end -= 1
        out.append(line[:end])
        line = line[end:]
    return [*out, line]


def _roll(spec: PaperSpec, bands: list[Band]) -> Image.Image:
    """All bands on one strip of roll paper, as long as they need."""
    margin, top, bottom = spec.dots(spec.margin_mm), spec.dots(spec.top_mm), spec.dots(
        spec.bottom_mm)
    height = top + sum(b.space_before + b.image.height for b in bands) + bottom
    roll = Image.new("1", (spec.width_dots, height), WHITE)
    y = top
    for band in bands:
        y += band.space_before
        roll.paste(band.image, (margin, y))
        y += band.image.height
    return roll


def _sheets(spec: PaperSpec, bands: list[Band], language: str) -> list[Image.Image]:
    """Bands set on as many sheets as they need, a heading never alone at a page's foot, and
    "Page n of m" under each page when there is more than one."""
    page_height = spec.page_height_dots
    assert page_height is not None
    top, bottom = spec.dots(spec.top_mm), spec.dots(spec.bottom_mm)
    usable = page_height - top - bottom
    pages: list[list[tuple[int, Band]]] = [[]]
    y = 0
    for index, band in enumerate(bands):
        need = band.space_before + band.image.height
        if band.keep_with_next and index + 1 < len(bands):
            need += bands[index + 1].space_before + bands[index + 1].image.height
        if pages[-1] and y + need > usable:
            pages.append([])
            y = 0
        space = band.space_before if pages[-1] else 0
        pages[-1].append((y + space, band))
        y += space + band.image.height
    small = fonts.font(fonts.REGULAR, spec.pt_dots(spec.small_pt))
    images = []
    for number, placed in enumerate(pages, start=1):
        page = Image.new("1", (spec.width_dots, page_height), WHITE)
        for offset, band in placed:
            page.paste(band.image, (spec.dots(spec.margin_mm), top + offset))
        if len(pages) > 1:
            footer = translate("receipt.page", language, page=number, pages=len(pages))
            x = (spec.width_dots - int(small.getlength(footer))) // 2
            ascent, descent = small.getmetrics()
            ImageDraw.Draw(page).text((x, page_height - bottom + (bottom - ascent - descent) // 2),
                                      footer, font=small, fill=BLACK)
        images.append(page)
    return images
