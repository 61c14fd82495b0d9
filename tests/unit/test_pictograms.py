"""Unit tests of the pictograms (kiosk/core/pictograms.py): every name the kiosk uses is a glyph
of the installed Material Icons font (read from the font's own character map, the file Debian's
fonts-material-design-icons-iconfont installs), every flow has one, and the text face has every
French glyph the screens write."""

import struct
from pathlib import Path

import pytest

from kiosk.core.flows import registry
from kiosk.core.pictograms import CODEPOINTS, FLOW_PICTOGRAMS, flow_pictogram, glyph
from kiosk.core.typeface import ANDIKA, ICON_FONT

FRENCH = "œŒ«»€’…àâæçéèêëîïôùûüÿÀÂÆÇÉÈÊËÎÏÔÙÛÜŸ✓\u00a0\u202f"


def character_map(path: Path) -> set[int]:
    """The code points of a TrueType font: its cmap table, formats 4 and 12 (OpenType spec,
    "cmap — Character to Glyph Index Mapping Table")."""
    data = path.read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">I", data[20 + 16 * i:24 + 16 * i])[0]
              for i in range(struct.unpack(">H", data[4:6])[0])}
    cmap = tables[b"cmap"]
    found: set[int] = set()
    for n in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
        offset = cmap + struct.unpack(">I", data[cmap + 8 + 8 * n:cmap + 12 + 8 * n])[0]
        fmt = struct.unpack(">H", data[offset:offset + 2])[0]
        if fmt == 4:
            count = struct.unpack(">H", data[offset + 6:offset + 8])[0] // 2
            ends = struct.unpack(f">{count}H", data[offset + 14:offset + 14 + 2 * count])
            starts = struct.unpack(f">{count}H", data[offset + 16 + 2 * count:
                                                      offset + 16 + 4 * count])
            for start, end in zip(starts, ends, strict=True):
                found.update(range(start, end + 1))
        elif fmt == 12:
            groups = struct.unpack(">I", data[offset + 12:offset + 16])[0]
            for g in range(groups):
                start, end, _ = struct.unpack(">3I", data[offset + 16 + 12 * g:
                                                          offset + 28 + 12 * g])
                found.update(range(start, end + 1))
    return found


def test_every_pictogram_is_in_the_installed_icon_font():
    font = character_map(ICON_FONT)
    missing = {name: hex(code) for name, code in CODEPOINTS.items() if code not in font}
    assert missing == {}


def test_the_map_reader_finds_what_a_font_holds_and_not_what_it_lacks():
    font = character_map(ICON_FONT)
    assert 0xE88A in font  # "home"
    assert ord("A") not in font  # an icon font has no letters


def test_every_flow_with_a_home_entry_has_its_pictogram():
    for spec in registry.home_flows():
        assert spec.name in FLOW_PICTOGRAMS, spec.name
        assert FLOW_PICTOGRAMS[spec.name] in CODEPOINTS
    assert flow_pictogram("a-flow-added-later") in CODEPOINTS


def test_a_glyph_is_one_private_use_character():
    assert glyph("") == ""
    for name in CODEPOINTS:
        text = glyph(name)
        assert len(text) == 1 and 0xE000 <= ord(text) <= 0xF8FF
    with pytest.raises(KeyError):
        glyph("no-such-pictogram")


def test_the_text_face_has_every_french_glyph():
    for face in (ANDIKA.regular, ANDIKA.bold):
        font = character_map(face)
        assert [c for c in FRENCH if ord(c) not in font] == []
