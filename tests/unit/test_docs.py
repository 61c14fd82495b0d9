"""The docs say what the code does: the configuration reference in docs/configuration.md is the
one generated from the settings models."""

from __future__ import annotations

from pathlib import Path

from kiosk.settings.reference import END, START, markdown

REPO = Path(__file__).resolve().parents[2]


def test_configuration_reference_is_current():
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    assert text[start:end] == markdown(), "run `python -m kiosk.settings.reference`"
