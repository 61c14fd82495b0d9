"""The steps of speech rate and volume a person moves through (docs/accessibility.md H12, H13),
kept here because the settings, at the bottom of the stack, give the station's defaults to
their fields, and the core steps through them."""

NORMAL_WORDS_PER_MINUTE = 125
"""The rate at 100 %: docs/accessibility.md H13 asks about 120–125 words a minute by default."""

RATE_STEPS_PERCENT = (50, 65, 80, 100, 125, 150, 175, 200)
"""Eight rates from half to twice the normal one (H13: 6–8 steps from 50 % to 200 %)."""

DEFAULT_RATE_PERCENT = 100

VOLUME_LEVELS = 9
"""Levels 1 to 9 (H12: at least 9 levels)."""

VOLUME_STEP_DB = 4
"""Each level is 4 dB louder than the one below (H12: steps of 10 dB at most), 32 dB from the
quietest to the loudest; the speaker's amplifier is calibrated so that the default level gives
at most 65 dBA (docs/accessibility.md, "Not automatable")."""

DEFAULT_VOLUME_LEVEL = 5


def check_rate(percent: int) -> int:
    """A rate the station offers, or ValueError saying which ones it does."""
    if percent not in RATE_STEPS_PERCENT:
        offered = ", ".join(str(step) for step in RATE_STEPS_PERCENT)
        raise ValueError(f"must be one of {offered} (per cent of the normal rate)")
    return percent
