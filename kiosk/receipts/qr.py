"""The receipt's QR code as a 1-bit image, quiet zone included.

Error correction M restores up to 15 % of damaged modules (ISO/IEC 18004 §5.3.8, table 12): a
thermal receipt folded into a wallet or smudged still scans. The quiet zone of four modules on
every side (ISO/IEC 18004 §6.3.8) is part of the image, so nothing printed next to the code can
eat into it.
"""

from __future__ import annotations

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE_MODULES = 4


def qr_modules(content: str) -> list[list[bool]]:
    """The code's modules, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES, box_size=1)
    code.add_data(content)
    code.make(fit=True)
    return code.get_matrix()


def qr_image(content: str, module_dots: int) -> Image.Image:
    """The code drawn with square modules of `module_dots` dots (mode "1", white = 1)."""
    matrix = qr_modules(content)
    side = len(matrix)
    small = Image.new("1", (side, side), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((side * module_dots, side * module_dots), Image.Resampling.NEAREST)
