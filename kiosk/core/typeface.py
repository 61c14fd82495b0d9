"""The typefaces of the screens, from Debian packages that `provisioning/setup-dev.sh` installs.

Text is set in Andika (SIL International, SIL Open Font License 1.1; Debian
`fonts-sil-andika`): a sans-serif designed for legibility by beginning readers and people with
low literacy, whose capital I, small l and figure 1 cannot be mistaken for one another, with
every French glyph (œ, « », €, the narrow no-break space) in regular, bold and their italics
(docs/visual-design.md, "Fonts"). The on-screen keys' letters are set in DejaVu Sans, whose
shorter line holds the largest letters in a key (`key_family`). Pictograms come from Material
Icons (Apache-2.0; Debian `fonts-material-design-icons-iconfont`, kiosk/core/pictograms.py).
Where Andika is missing (a machine set up before it was added), DejaVu Sans takes its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ANDIKA_DIR = Path("/usr/share/fonts/truetype/andika")
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
ICON_FONT = Path("/usr/share/fonts/truetype/material-design-icons-iconfont/"
                 "MaterialIcons-Regular.ttf")
#: the name kv rules and widgets give the icon font
ICON_FONT_NAME = "KioskIcons"
#: the name of the text face registered as Kivy's default
TEXT_FONT_NAME = "KioskSans"
#: the name of the on-screen keys' face
KEY_FONT_NAME = "KioskKeys"


@dataclass(frozen=True)
class Family:
    """The four faces of a text family, as Kivy registers them."""

    regular: Path
    italic: Path
    bold: Path
    bold_italic: Path

    def present(self) -> bool:
        """Whether every face is installed."""
        return all(p.is_file() for p in (self.regular, self.italic, self.bold, self.bold_italic))


ANDIKA = Family(ANDIKA_DIR / "Andika-Regular.ttf", ANDIKA_DIR / "Andika-Italic.ttf",
                ANDIKA_DIR / "Andika-Bold.ttf", ANDIKA_DIR / "Andika-BoldItalic.ttf")
# fonts-dejavu-core has no oblique faces: italics fall back to the upright ones.
DEJAVU = Family(DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans.ttf",
                DEJAVU_DIR / "DejaVuSans-Bold.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf")


def text_family() -> Family | None:
    """Andika, else DejaVu Sans, else None (Kivy's bundled Roboto)."""
    return next((f for f in (ANDIKA, DEJAVU) if f.present()), None)


def key_family() -> Family | None:
    """The keys' letters: DejaVu Sans, whose line is 1.17 times its size against Andika's
    1.62, so that a letter as tall as the largest size asks (docs/accessibility.md C2) holds
    in a 20 mm key (B5) without its line leaving the key; the text face where it is missing."""
    return DEJAVU if DEJAVU.present() else text_family()
