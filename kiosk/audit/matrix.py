"""The conditions the audit runs the screens in.

The full matrix is every profile × posture × text size, each in one process (Kivy draws one
window per process), which walks through every screen once and, at each step, looks at the
screen in every theme and language. `--quick` keeps one process per profile and posture, each
in one text size, theme and language, chosen so that together they still show every text size,
theme and language once (docs/accessibility.md, "The audit").
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from kiosk.settings.models import Profile, TextSize, Theme

PROFILES = (Profile.TOTEM, Profile.DESK, Profile.DESK_ASSISTED)
POSTURES = (False, True)  # standing, seated
SIZES = (TextSize.S, TextSize.M, TextSize.L, TextSize.XL)
THEMES = (Theme.DEFAULT, Theme.HIGH_LIGHT, Theme.HIGH_DARK)
#: The shipped languages: French, English, easy-to-read French.
LANGUAGES = ("fr", "en", "fr_FALC")


@dataclass(frozen=True)
class Cell:
    """One process of the audit: a station's profile, posture and text size, the languages
    each step is looked at in, and the themes its pixels are read in, one a step, in turn from
    `turn` (the first theme is the station's)."""

    profile: Profile
    seated: bool
    text_size: TextSize
    themes: tuple[Theme, ...] = THEMES
    languages: tuple[str, ...] = LANGUAGES
    turn: int = 0

    def theme_at(self, step: int) -> Theme:
        """The theme the `step`-th screen looked at is read in."""
        return self.themes[(step + self.turn) % len(self.themes)]

    @property
    def key(self) -> str:
        """A name for its files: totem-seated-XL."""
        return f"{self.profile.value}-{'seated' if self.seated else 'standing'}-" \
               f"{self.text_size.value}"

    def environment(self) -> dict[str, str]:
        """The KIOSK__… overrides that make a station of this cell (docs/configuration.md)."""
        return {
            "KIOSK__ACCESSIBILITY__SEATED_LAYOUT": "true" if self.seated else "false",
            "KIOSK__ACCESSIBILITY__TEXT_SIZE": f'"{self.text_size.value}"',
            "KIOSK__ACCESSIBILITY__THEME": f'"{self.themes[0].value}"',
            "KIOSK__LANGUAGES__DEFAULT": f'"{self.languages[0]}"',
            "KIOSK__LANGUAGES__AVAILABLE": "[" + ", ".join(f'"{lang}"' for lang in LANGUAGES)
                                           + "]",
        }

    def as_dict(self) -> dict[str, object]:
        """For report.json."""
        return {"key": self.key, "profile": self.profile.value,
                "posture": "seated" if self.seated else "standing",
                "text_size": self.text_size.value,
                "themes": [t.value for t in self.themes], "languages": list(self.languages),
                "turn": self.turn}


def full_matrix(profiles: tuple[Profile, ...] = PROFILES) -> list[Cell]:
    """Every profile, posture and text size; every language at every step; the themes in
    turn, starting one further at each text size, so that over the four sizes every step is
    read in every theme."""
    return [Cell(p, seated, size, turn=turn) for p in profiles for seated in POSTURES
            for turn, size in enumerate(SIZES)]


# One cell per profile and posture; across them, every text size, theme and language.
QUICK = (
    Cell(Profile.TOTEM, False, TextSize.M, (Theme.DEFAULT,), ("fr",)),
    Cell(Profile.TOTEM, True, TextSize.XL, (Theme.HIGH_DARK,), ("fr_FALC",)),
    Cell(Profile.DESK, False, TextSize.S, (Theme.HIGH_LIGHT,), ("en",)),
    Cell(Profile.DESK, True, TextSize.L, (Theme.DEFAULT,), ("fr_FALC",)),
    Cell(Profile.DESK_ASSISTED, False, TextSize.XL, (Theme.HIGH_LIGHT,), ("fr",)),
    Cell(Profile.DESK_ASSISTED, True, TextSize.M, (Theme.HIGH_DARK,), ("en",)),
)


def quick_matrix(profiles: tuple[Profile, ...] = PROFILES) -> list[Cell]:
    """The documented subset the test command runs."""
    return [cell for cell in QUICK if cell.profile in profiles]


def only_stations(cells: list[Cell], stations: tuple[str, ...]) -> list[Cell]:
    """The cells whose key matches one of the patterns `stations` ("totem-seated-XL",
    "*-XL"); all of them when none is given."""
    if not stations:
        return cells
    return [cell for cell in cells if any(fnmatchcase(cell.key, key) for key in stations)]
