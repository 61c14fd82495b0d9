"""One process of `kiosk audit`: a station of one profile, posture and text size walks through
every screen (the demo's walk-through, kiosk/shell/demo.py), and at each step the screen is
looked at in every theme and language of its cell, its widget tree and pixels checked.

Run as `python -m kiosk.audit.cell CELL_JSON OUT_DIR`; it writes OUT_DIR/cell.json and the
screenshots under OUT_DIR/shots/.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from kiosk.audit.findings import Check, Finding
from kiosk.audit.matrix import Cell
from kiosk.audit.scene import Conditions, Scene
from kiosk.settings.models import Profile, TextSize, Theme

# Screenshots are kept at half the panel's size: enough to see the screen, a fifth of the bytes.
SHOT_SCALE = 0.5
OUTLINE = (230, 0, 0)
OUTLINE_PX = 3
#: the most pages of fields a step is turned through (a step asks for two or three fields)
MAX_FIELD_PAGES = 5


@dataclass
class CellRecord:
    """What a cell found, step by step, for report.json."""

    cell: Cell
    steps: list[dict[str, Any]] = field(default_factory=list)
    walk_error: str | None = None
    callback_errors: int = 0
    seconds: float = 0.0
    #: the station's panel (PanelGeometry's fields): millimetres for the report
    panel: dict[str, Any] = field(default_factory=dict)
    #: kv rules of dropped widgets forgotten to change the theme (capture.use_theme)
    forgotten_theme_rules: int = 0

    def as_dict(self) -> dict[str, Any]:
        """cell.json."""
        return {"cell": self.cell.as_dict(), "panel": self.panel, "steps": self.steps,
                "walk_error": self.walk_error, "callback_errors": self.callback_errors,
                "forgotten_theme_rules": self.forgotten_theme_rules,
                "seconds": round(self.seconds, 1)}


def annotated(image: Image.Image, findings: list[Finding]) -> Image.Image:
    """The screenshot at SHOT_SCALE, with what each finding points at outlined in red."""
    width, height = image.size
    small = image.resize((round(width * SHOT_SCALE), round(height * SHOT_SCALE)))
    draw = ImageDraw.Draw(small)
    for finding in findings:
        box = finding.box
        if box is None:
            continue
        left, right = box.x * SHOT_SCALE, box.right * SHOT_SCALE
        upper, lower = (height - box.top) * SHOT_SCALE, (height - box.y) * SHOT_SCALE
        draw.rectangle((left, upper, max(left, right), max(upper, lower)), outline=OUTLINE,
                       width=OUTLINE_PX)
    return small


def signature(scene: Scene) -> tuple[object, ...]:
    """What makes two steps the same screen to look at: its name, and every role and text
    but what was typed in a field."""
    return (scene.screen, tuple(sorted((n.role, "" if n.field else n.text)
                                       for n in scene.nodes)))


class CellAudit:
    """The audit of each step of the walk-through, in one station."""

    def __init__(self, cell: Cell, out: Path, record: CellRecord) -> None:
        self.cell, self.out, self.record = cell, out, record
        self.seen: dict[tuple[object, ...], str] = {}
        self.ruler: Any = None  # Kivy is configured once the station is built

    def __call__(self, tour: Any) -> Callable[[Any], None]:
        """The step handler `walk_headless` calls the walk-through with."""
        return lambda step: self.step(tour, step)

    def step(self, tour: Any, step: Any) -> None:
        """Look at the screen this step reached, and at each other page of its fields where
        they show one at a time (screens/field_pages.py): the walk fills the page it
        arrives on, the person turns to the others. Then back to the first page, for the walk
        to go on as it would have."""
        self._look(tour, step)
        driver = tour.driver
        turned = 0
        while turned < MAX_FIELD_PAGES and (more := _field_turner(driver, "more")) is not None:
            driver.tap(more)
            driver.settle()
            turned += 1
            self._look(tour, dataclasses.replace(step, name=f"{step.name}-page{turned + 1}"))
        for _ in range(turned):
            if (previous := _field_turner(driver, "previous")) is not None:
                driver.tap(previous)
                driver.settle()

    def _look(self, tour: Any, step: Any) -> None:
        """Look at the screen this step reached: in the language on screen (or the cell's
        first), in the theme of this step (the cell's themes take turns, step by step), its
        widget tree checked and its pixels read; then in each other language of the cell, its
        widget tree only (colours do not depend on the language, and themes move nothing)."""
        from kiosk.audit.capture import CapRuler, describe, settled, use_theme
        from kiosk.audit.checks import scene_findings, tree_findings
        from kiosk.core.geometry import Panel
        from kiosk.core.intents import SetLanguage

        driver, app = tour.driver, tour.driver.app
        panel = Panel(tour.settings.panel)
        self.ruler = self.ruler or CapRuler()
        driver.wait_until(lambda: settled(app), 2, "the warning to fade out")
        # What changed as the step arrived (a receipt printed meanwhile) laid out before the
        # tree is read: a page re-fitted to a taller text is not read half-way.
        driver.settle()
        walked_language, walked_theme = app.lang, Theme(app.theme_name)
        entry: dict[str, Any] = {"step": step.name, "screen": step.screen,
                                 "paged_to": list(step.paged),
                                 "out_of_window": list(step.out_of_window), "captures": []}
        self.record.steps.append(entry)
        shown = describe(app, self.ruler)
        entry["screen"] = shown.screen  # with the inactivity warning over it, when it is up
        looks = signature(shown)
        if looks in self.seen:
            entry["same_as"] = self.seen[looks]
            return
        theme = self.cell.theme_at(len(self.seen))
        self.seen[looks] = step.name
        # Outside a session (the attract screen) the language is the station's: no one chose.
        languages = self.cell.languages if app.core.state.session is not None else (app.lang,)
        first = app.lang if app.lang in languages else languages[0]
        heights: dict[str, dict[str, float]] = {}
        kept: set[str] = set()

        def look(language: str, theme: Theme, read_pixels: bool) -> None:
            conditions = Conditions(self.cell.profile.value, self.cell.seated,
                                    self.cell.text_size, theme, language)
            scene = describe(app, self.ruler)
            image = driver.pixels() if read_pixels else None
            findings = (scene_findings(scene, image, panel, conditions) if image is not None
                        else tree_findings(scene, panel, conditions))
            heights[language] = {n.role: n.box.height for n in scene.nodes
                                 if n.control and n.role}
            checks = {f.check.value for f in findings}
            shot = None
            if not entry["captures"] or not checks <= kept:
                # the first look, or one that shows something wrong the others did not
                shot = self._keep(image or driver.pixels(), findings, step.name, language, theme)
                kept.update(checks)
            entry["captures"].append({
                "language": language, "theme": theme.value, "screenshot": shot,
                "contrast_read": image is not None,
                "findings": [f.as_dict() for f in findings]})

        for language in (first, *(lang for lang in languages if lang != first)):
            if language != app.lang:
                app.send(SetLanguage(language))
                driver.settle()  # the tree is read; the pixels, if read, wait for a frame
            if language == first:
                if theme is not walked_theme:
                    use_theme(app, theme.value)
                    driver.settle()  # what redraws itself once a frame, in the new colours
                look(language, theme, read_pixels=True)
                if theme is not walked_theme:
                    use_theme(app, walked_theme.value)
            else:
                look(language, walked_theme, read_pixels=False)
        entry["heights"] = heights
        if app.lang != walked_language:
            app.send(SetLanguage(walked_language))
            driver.settle()

    def _keep(self, image: Image.Image, findings: list[Finding], step: str, language: str,
              theme: Theme) -> str:
        name = f"shots/{len(self.record.steps):02d}-{step}-{language}-{theme.value}.png"
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        annotated(image, findings).save(path, optimize=False, compress_level=6)
        return name


def _field_turner(driver: Any, which: str) -> Any:
    """The fields' pager's "After" (`which` "more") or "Before" ("previous") on screen, when
    it can be touched."""
    role = f"typing.{which}"
    return next((w for w in driver.walk() if getattr(w, "role", None) == role
                 and not w.disabled and w.get_root_window() is not None), None)


def run(cell: Cell, out: Path) -> CellRecord:
    """Walk the cell's station through every screen, auditing each step."""
    import os

    from kiosk.settings.apart import load_settings_apart
    from kiosk.settings.loader import ConfigError, ConfigSources
    from kiosk.shell.demo import walk_headless

    out.mkdir(parents=True, exist_ok=True)
    record = CellRecord(cell)
    started = time.monotonic()
    try:
        settings = load_settings_apart(ConfigSources(profile=cell.profile.value),
                                       environ={**os.environ, **cell.environment()})
    except ConfigError as err:
        record.walk_error = "before the start: the configuration is refused: " + "; ".join(
            err.problems)
        return record
    record.panel = dataclasses.asdict(settings.panel)
    audit = CellAudit(cell, out, record)

    def finish(_settings: Any, errors: int) -> None:
        from kiosk.audit.capture import FORGOTTEN_RULES

        record.callback_errors = errors
        record.forgotten_theme_rules = len(FORGOTTEN_RULES)

    try:
        walk_headless(settings, out / "data", audit, finish, audit=True)
    except Exception as err:  # the walk stopped: the report says where and why
        done = record.steps[-1]["step"] if record.steps else "the start"
        record.walk_error = f"after {done}: {type(err).__name__}: {err}"
        traceback.print_exc()
    record.seconds = time.monotonic() - started
    return record


def walk_finding(record: CellRecord) -> list[Finding]:
    """The walk-through's own failures: a step that could not be done, a callback that
    raised."""
    found = []
    if record.walk_error:
        found.append(Finding(Check.WALK, "§5", "walk-through",
                             f"the walk-through stopped {record.walk_error}"))
    if record.callback_errors:
        found.append(Finding(Check.WALK, "§5", "walk-through",
                             f"{record.callback_errors} exception(s) in Kivy callbacks"))
    return found


def cell_from_json(text: str) -> Cell:
    """The cell the parent process described."""
    data = json.loads(text)
    return Cell(Profile(data["profile"]), data["posture"] == "seated",
                TextSize(data["text_size"]), tuple(Theme(t) for t in data["themes"]),
                tuple(data["languages"]), int(data.get("turn", 0)))


def main(argv: list[str]) -> int:
    """`python -m kiosk.audit.cell CELL_JSON OUT_DIR`."""
    cell, out = cell_from_json(argv[0]), Path(argv[1])
    record = run(cell, out)
    data = record.as_dict()
    data["walk_findings"] = [f.as_dict() for f in walk_finding(record)]
    (out / "cell.json").write_text(json.dumps(data, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
