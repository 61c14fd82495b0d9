"""Receipts drawn on paper (kiosk/receipts): golden thermal receipts in French and English,
compared pixel by pixel; the QR code read back by a real decoder; the number's capital height
measured on the drawn image; the PNG and PDF files as a printer receives them.

    python tests/integration/test_receipt_render.py --write-golden

(re)writes tests/support/golden/.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from statistics import median

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageOps

from kiosk.core.receipt import NumberKind, Receipt
from kiosk.receipts import compose_pages, paper_spec, render_receipt
from kiosk.receipts.paper import MM_PER_INCH

GOLDEN = Path(__file__).resolve().parents[1] / "support" / "golden"
MAX_DIFFERENT_PIXELS = 24
"""Pixels allowed to differ from the golden image: a few stray dots of a glyph hinted
differently by another FreeType pass; one changed digit in the small print (~100 dots) or a
moved line does not."""
MIN_CAP_MM = 6.0
"""The brief: the number's capital height at least 6 mm on paper."""


def logo(directory: Path) -> Path:
    """A city logo with transparency, drawn the same way every time."""
    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 190, 190), fill=(20, 60, 140, 255))
    draw.rectangle((210, 60, 390, 140), fill=(200, 40, 40, 180))
    draw.polygon([(100, 30), (60, 160), (140, 160)], fill=(255, 255, 255, 255))
    path = directory / "logo.png"
    image.save(path)
    return path


def french(directory: Path) -> Receipt:
    return Receipt(
        city="Villeneuve-sur-Loire",
        title="Demande d’enlèvement d’encombrants envoyée",
        when=datetime(2026, 12, 1, 14, 5),
        place="Hôtel de Ville, 1 place de la Mairie",
        number="104217",
        number_kind=NumberKind.TRACKING,
        language="fr",
        next_steps=(
            "Un agent vous appelle sous 5 jours ouvrés pour fixer la date d’enlèvement.",
            "Sortez les objets la veille au soir, devant chez vous.",
        ),
        tracking_url="https://demarches.villeneuve.example/suivi/{number}",
        logo=logo(directory),
    )


def english() -> Receipt:
    return Receipt(
        city="Villeneuve-sur-Loire",
        title="Passport appointment booked",
        when=datetime(2027, 1, 12, 9, 30),
        place="Town hall, passport desk 2",
        number="K7PM4QXD",
        number_kind=NumberKind.BOOKING,
        language="en",
        next_steps=("Bring your current ID card and a recent photo.",
                    "Arrive 10 minutes early."),
        tracking_url="https://demarches.villeneuve.example/suivi/{number}",
    )


def goldens(directory: Path) -> dict[str, Receipt]:
    return {"receipt-thermal-fr.png": french(directory), "receipt-thermal-en.png": english()}


def ink(image: Image.Image) -> Image.Image:
    """Black ink as non-zero pixels (what getbbox looks for)."""
    return ImageOps.invert(image.convert("L"))


def ink_runs(profile: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    runs, start = [], None
    for index, value in enumerate([*profile, False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            runs.append((start, index))
            start = None
    return runs


def number_cap_height(image: Image.Image, qr_top: int) -> float:
    """The capital height of the number in large digits, measured on the image: the last line
    of ink above the QR code is the number's (last) line; each glyph's ink height is measured,
    and the median one is a flat capital or digit (the round ones overshoot by a dot or two,
    the dashes are short)."""
    inked = ink(image)
    rows = [inked.crop((0, y, image.width, y + 1)).getbbox() is not None for y in range(qr_top)]
    top, bottom = ink_runs(rows)[-1]
    band = inked.crop((0, top, image.width, bottom))
    columns = [band.crop((x, 0, x + 1, band.height)).getbbox() is not None
               for x in range(band.width)]
    heights = []
    for left, right in ink_runs(columns):
        box = band.crop((left, 0, right, band.height)).getbbox()
        assert box is not None
        heights.append(box[3] - box[1])
    return median(heights)


def decode(image: Image.Image) -> zxingcpp.Barcode:
    [code] = zxingcpp.read_barcodes(image.convert("L"))
    return code


# -- golden images -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["receipt-thermal-fr.png", "receipt-thermal-en.png"])
def test_thermal_receipt_matches_its_golden_image(tmp_path, name):
    [drawn] = compose_pages(goldens(tmp_path)[name], "thermal-80")
    with Image.open(GOLDEN / name) as golden:
        expected = golden.convert("1")
    assert drawn.size == expected.size, "the receipt's layout changed: look, then rewrite"
    different = ImageChops.difference(drawn.convert("L"), expected.convert("L"))
    count = drawn.width * drawn.height - different.histogram()[0]
    assert count <= MAX_DIFFERENT_PIXELS, (
        f"{count} pixels differ from tests/support/golden/{name}")


@pytest.mark.parametrize("name", ["receipt-thermal-fr.png", "receipt-thermal-en.png"])
def test_golden_receipt_qr_code_reads_back(tmp_path, name):
    receipt = goldens(tmp_path)[name]
    [drawn] = compose_pages(receipt, "thermal-80")
    code = decode(drawn)
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    assert code.text == receipt.qr_content
    assert code.ec_level in ("M", "Q", "H"), "error correction M at least"


def test_the_qr_code_keeps_its_quiet_zone(tmp_path):
    receipt = french(tmp_path)
    [drawn] = compose_pages(receipt, "thermal-80")
    position = decode(drawn).position
    left, top = position.top_left.x, position.top_left.y
    right, bottom = position.bottom_right.x, position.bottom_right.y
    module = paper_spec("thermal-80").dots(paper_spec("thermal-80").qr_module_mm)
    quiet = 4 * module
    around = drawn.crop((left - quiet, top - quiet, right + 1 + quiet, bottom + 1 + quiet))
    inner = (quiet, quiet, around.width - quiet, around.height - quiet)
    mask = Image.new("L", around.size, 255)
    ImageDraw.Draw(mask).rectangle((inner[0], inner[1], inner[2] - 1, inner[3] - 1), fill=0)
    border_ink = ImageChops.multiply(ink(around), mask)
    assert border_ink.getbbox() is None, "ink inside the four-module quiet zone"


def test_bare_number_qr_when_no_tracking_page(tmp_path):
    receipt = Receipt(city="Villeneuve", title="Signalement envoyé",
                      when=datetime(2026, 1, 5, 8, 0), place="Mairie", number="104217",
                      number_kind=NumberKind.TRACKING, language="fr")
    [drawn] = compose_pages(receipt, "thermal-80")
    assert decode(drawn).text == "104217"


# -- the number in large digits ------------------------------------------------------------------


@pytest.mark.parametrize(("number", "kind"), [
    ("104217", NumberKind.TRACKING),
    ("ABCDEFGH", NumberKind.TRACKING),
    ("DEMO-0001-20261122-0042", NumberKind.STATION),
])
@pytest.mark.parametrize("paper", ["thermal-80", "a5", "a4"])
def test_the_number_is_at_least_6_mm_tall_on_paper(tmp_path, number, kind, paper):
    receipt = Receipt(city="Villeneuve", title="Envoyé", when=datetime(2026, 1, 5, 8, 0),
                      place="Mairie", number=number, number_kind=kind, language="fr")
    spec = paper_spec(paper)
    page = compose_pages(receipt, paper)[0]
    qr_top = decode(page).position.top_left.y - 4 * spec.dots(spec.qr_module_mm)
    cap = number_cap_height(page, qr_top)
    assert cap * MM_PER_INCH / spec.dpi >= MIN_CAP_MM
    if paper == "thermal-80":
        assert cap >= 48, "≥ 48 dots at 203 dpi"


def test_a_long_station_reference_wraps_between_its_groups_not_inside(tmp_path):
    receipt = Receipt(city="Villeneuve", title="Envoyé", when=datetime(2026, 1, 5, 8, 0),
                      place="Mairie", number="mairie-annexe-2-20261122-0042",
                      number_kind=NumberKind.STATION, language="fr")
    [drawn] = compose_pages(receipt, "thermal-80")
    code = decode(drawn)
    assert code.text == "mairie-annexe-2-20261122-0042"
    assert drawn.width == 576


# -- files ---------------------------------------------------------------------------------------


def test_thermal_receipt_file_is_a_576_dot_1_bit_png_at_203_dpi(tmp_path):
    path = render_receipt(english(), "thermal-80", tmp_path / "out")
    assert path.suffix == ".png" and path.parent == tmp_path / "out"
    with Image.open(path) as image:
        assert image.format == "PNG" and image.mode == "1"
        assert image.width == 576
        assert round(image.info["dpi"][0]) == 203
    assert "K7PM" not in path.name and "assport" not in path.name, "no number in a file name"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no partial file left"


@pytest.mark.parametrize(("paper", "points"), [("a5", (419.5, 595.2)), ("a4", (595.2, 841.9))])
def test_sheet_receipt_is_a_pdf_page_of_that_size(tmp_path, paper, points):
    path = render_receipt(french(tmp_path), paper, tmp_path)
    assert path.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split()[2:5:2])
    assert abs(width - points[0]) < 1 and abs(height - points[1]) < 1
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1"
    assert fields["Title"].strip() == "Receipt"


def test_many_next_steps_continue_on_a_second_page(tmp_path):
    receipt = Receipt(city="Villeneuve", title="Envoyé", when=datetime(2026, 1, 5, 8, 0),
                      place="Mairie", number="104217", number_kind=NumberKind.TRACKING,
                      language="en", next_steps=tuple(f"Step {n} of the procedure, explained in "
                                                      "a full sentence." for n in range(30)))
    pages = compose_pages(receipt, "a5")
    assert len(pages) == 2
    for page in pages:
        footer = page.crop((0, page.height - paper_spec("a5").dots(12), page.width, page.height))
        assert ink(footer).getbbox() is not None, "Page n of 2 under each page"
    [single] = compose_pages(english(), "a5")
    foot = single.crop((0, single.height - paper_spec("a5").dots(12), single.width, single.height))
    assert ink(foot).getbbox() is None, "no page number on a single page"


def test_an_unreadable_logo_is_left_out_and_the_receipt_still_drawn(tmp_path):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not an image")
    receipt = english()
    with_logo = Receipt(**{**receipt.__dict__, "logo": broken})
    assert compose_pages(with_logo, "thermal-80")[0].size == compose_pages(
        receipt, "thermal-80")[0].size


def test_a_logo_is_printed_at_the_top(tmp_path):
    plain = english()
    with_logo = Receipt(**{**plain.__dict__, "logo": logo(tmp_path)})
    [a], [b] = compose_pages(plain, "thermal-80"), compose_pages(with_logo, "thermal-80")
    assert b.height > a.height
    top = ink(b.crop((0, 0, b.width, paper_spec("thermal-80").dots(20))))
    assert top.getbbox() is not None


def write_golden() -> None:
    """Draw the golden receipts into tests/support/golden/ (look at them before committing)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for name, receipt in goldens(Path(scratch)).items():
            [image] = compose_pages(receipt, "thermal-80")
            image.save(GOLDEN / name, dpi=(203, 203))
            print(f"wrote tests/support/golden/{name} ({image.width}×{image.height})")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-golden"]:
        GOLDEN.mkdir(exist_ok=True)
        write_golden()
