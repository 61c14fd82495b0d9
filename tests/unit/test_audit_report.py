"""The audit's matrix (kiosk/audit/matrix.py) and its report (kiosk/audit/report.py,
kiosk/audit/summary.py): the full matrix is every profile × posture × text size, with every
theme read at every step over the four sizes; the quick subset still covers every profile and
posture, and every size, theme and language once; a cell's overrides make the station it
names; findings come out with their conditions, and the page escapes what it shows."""

from __future__ import annotations

import dataclasses
from itertools import product

from audit_scenes import TOTEM

from kiosk.audit.matrix import (
    LANGUAGES,
    POSTURES,
    PROFILES,
    SIZES,
    THEMES,
    full_matrix,
    only_stations,
    quick_matrix,
)
from kiosk.audit.report import build_report, summary_lines
from kiosk.audit.summary import render
from kiosk.settings.loader import ConfigSources, load_settings

ABOUT = {"kiosk": "0.1.0", "generated": "2026-01-01T00:00:00+00:00", "quick": True,
         "seconds": 12.0}


def test_the_full_matrix_is_every_profile_posture_and_size():
    cells = full_matrix()
    assert len(cells) == 24
    assert {(c.profile, c.seated, c.text_size) for c in cells} == set(
        product(PROFILES, POSTURES, SIZES))
    assert all(c.languages == LANGUAGES for c in cells)


def test_over_the_four_sizes_every_step_is_read_in_every_theme():
    cells = full_matrix()
    for profile, seated in product(PROFILES, POSTURES):
        same = [c for c in cells if (c.profile, c.seated) == (profile, seated)]
        for step in range(50):
            assert {c.theme_at(step) for c in same} == set(THEMES)


def test_the_quick_subset_covers_profiles_postures_sizes_themes_and_languages():
    cells = quick_matrix()
    assert {(c.profile, c.seated) for c in cells} == set(product(PROFILES, POSTURES))
    assert {c.text_size for c in cells} == set(SIZES)
    assert {t for c in cells for t in c.themes} == set(THEMES)
    assert {lang for c in cells for lang in c.languages} == set(LANGUAGES)
    assert [c.profile for c in quick_matrix(PROFILES[:1])] == [PROFILES[0]] * 2


def test_a_cells_overrides_make_the_station_it_names():
    for cell in quick_matrix():
        settings = load_settings(ConfigSources(profile=cell.profile.value),
                                 environ=cell.environment())
        assert settings.profile is cell.profile
        assert settings.accessibility.seated_layout is cell.seated
        assert settings.accessibility.text_size is cell.text_size
        assert settings.accessibility.theme is cell.themes[0]
        assert settings.languages.default == cell.languages[0]
        assert tuple(settings.languages.available) == LANGUAGES


def record(cell, steps, walk_error=None):
    return {"cell": cell.as_dict(), "panel": dataclasses.asdict(TOTEM.geometry),
            "steps": steps, "walk_error": walk_error, "walk_findings": [], "seconds": 30.0}


OVERLAP = {"check": "overlap", "requirement": "C4", "where": "home.title / home.entry.request",
           "message": "“<Que voulez-vous faire ?>” and home.entry.request overlap over "
                      "523.1 × 9.8 mm", "box": [0, 0, 10, 10]}


def test_a_clean_audit_passes_and_a_finding_carries_its_conditions():
    cell = quick_matrix()[0]
    clean = [{"step": "home-fr", "screen": "home", "captures": [
        {"language": "fr", "theme": "default", "screenshot": "shots/02-home.png",
         "findings": []}]}]
    report = build_report([record(cell, clean)], ABOUT)
    assert report["passed"] and report["findings"] == [] and report["looks"] == 1
    failing = [{"step": "home-fr", "screen": "home", "captures": [
        {"language": "fr", "theme": "default", "screenshot": "shots/02-home.png",
         "findings": [OVERLAP]}]}]
    report = build_report([record(cell, failing)], ABOUT)
    assert not report["passed"]
    assert report["checks"]["overlap"]["failures"] == 1
    (finding,) = report["findings"]
    assert (finding["cell"], finding["profile"], finding["posture"], finding["text_size"],
            finding["theme"], finding["language"], finding["step"], finding["screen"]) == (
        "totem-standing-M", "totem", "standing", "M", "default", "fr", "home-fr", "home")
    assert finding["screenshot"] == "cells/totem-standing-M/shots/02-home.png"
    assert summary_lines(report)[-1].endswith("FAILED: 1 failures")


def test_a_control_that_shrinks_from_one_size_to_the_next_is_found_across_cells():
    small, large = (c for c in full_matrix(PROFILES[:1]) if not c.seated and
                    c.text_size.value in ("S", "M"))
    def steps(height):
        return [{"step": "home-fr", "screen": "home", "heights": {"fr": {"bar.back": height}},
                 "captures": [{"language": "fr", "theme": "default", "screenshot": None,
                               "findings": []}]}]
    report = build_report([record(small, steps(60.0)), record(large, steps(50.0))], ABOUT)
    assert [(f["check"], f["cell"], f["step"], f["language"]) for f in report["findings"]] == [
        ("growth", "totem-standing", "home-fr", "fr")]


def test_the_page_lists_checks_stations_and_failures_escaped():
    cell = quick_matrix()[0]
    failing = [{"step": "home-fr", "screen": "home", "captures": [
        {"language": "fr", "theme": "default", "screenshot": "shots/02-home.png",
         "findings": [OVERLAP]}]}]
    page = render(build_report([record(cell, failing, walk_error=None)], ABOUT))
    assert "<h2>What was checked</h2>" in page and "B3, C4" in page
    assert "&lt;Que voulez-vous faire ?&gt;" in page and "<Que voulez" not in page
    assert 'src="cells/totem-standing-M/shots/02-home.png"' in page
    assert "1 failures." in page


def test_a_known_defect_is_listed_as_such_and_nothing_else_is_hidden():
    from kiosk.audit.findings import Check
    from kiosk.audit.known import KnownDefect

    cell = quick_matrix()[0]
    other = {**OVERLAP, "where": "home.done / bar.back"}
    failing = [{"step": "home-fr", "screen": "home", "captures": [
        {"language": "fr", "theme": "default", "screenshot": "shots/02-home.png",
         "findings": [OVERLAP, other]}]}]
    known = (KnownDefect("screens/home.kv", Check.OVERLAP, "the title runs into the entries",
                         ("home",), ("totem-*",), "home.title / *"),
             KnownDefect("screens/help.kv", Check.OVERLAP, "fixed since", ("help",)))
    report = build_report([record(cell, failing)], ABOUT, known)
    # The other overlap still fails; the known one is listed with its defect.
    assert not report["passed"]
    assert [f["where"] for f in report["findings"]] == ["home.done / bar.back"]
    assert [(f["where"], f["known"]) for f in report["known"]] == [(OVERLAP["where"], 0)]
    assert [d["findings"] for d in report["known_defects"]] == [1, 0]
    assert report["checks"]["overlap"]["failures"] == 1
    lines = summary_lines(report)
    assert any(line.startswith("  KNOWN overlap in screens/home.kv (home; totem-*;")
               and line.endswith("— 1 findings") for line in lines)
    assert any("screens/help.kv" in line and "no longer seen" in line for line in lines)
    page = render(report)
    assert "<h2>Known defects, not fixed yet</h2>" in page
    assert "the title runs into the entries" in page
    # On another station the same finding is no known defect: it fails.
    desk = next(c for c in quick_matrix() if c.profile.value == "desk")
    report = build_report([record(desk, failing)], ABOUT, known)
    assert len(report["findings"]) == 2 and report["known"] == []


def test_each_known_defect_names_a_file_of_the_product_a_check_and_why():
    from pathlib import Path

    from kiosk.audit.known import KNOWN

    root = Path(__file__).resolve().parents[2]
    for defect in KNOWN:
        assert (root / defect.file).is_file(), defect.file
        assert len(defect.reason) > 40 and defect.cells


def test_stations_are_kept_by_their_key():
    cells = full_matrix()
    assert only_stations(cells, ()) == cells
    assert [c.key for c in only_stations(cells, ("totem-seated-XL",))] == ["totem-seated-XL"]
    assert {c.key for c in only_stations(cells, ("*-XL", "desk-standing-S"))} == {
        "totem-standing-XL", "totem-seated-XL", "desk-standing-XL", "desk-seated-XL",
        "desk-assisted-standing-XL", "desk-assisted-seated-XL", "desk-standing-S"}
    assert only_stations(cells, ("kiosk-*",)) == []
