"""How fast a scanner types: the defaults of the scanner settings and of the wedge detector
(kiosk/core/scan_wedge.py), kept here because the settings, at the bottom of the stack, give
them to their fields."""

MAX_SCAN_GAP_S = 0.035
"""Longest pause between two keys of one scan. A scanner sends one key as two HID reports
(press, release), one per polling interval of its interrupt endpoint (USB 2.0 §9.6.6
bInterval: 1–10 ms for keyboards and scanners), so its keys are at most ~20 ms apart; the app
sees them through Kivy's event dispatch, once per 60 Hz frame (16.7 ms), which can stretch
one gap by a frame. People are slower: the mean interval between keys is 239 ms over 136
million keystrokes, 120 ms for the fastest typists (Dhakal et al., "Observations on typing
from 136 million keystrokes", CHI 2018); two keys under 50 ms apart happen (roll-over), a run
of several does not."""

MIN_SCAN_CHARS = 3
"""Shortest code taken as a scan: the shortest number the tracking flow accepts
(kiosk/core/flows/tracking.py, NUMBER_PATTERN, 3 characters). Fewer keys then Enter, even
fast, are typing (a person's roll-over on a short word, or Enter alone)."""
