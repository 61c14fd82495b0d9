"""Every check of a scene, in one call: what the widget tree shows, then what the pixels do."""

from __future__ import annotations

from PIL import Image

from kiosk.audit.contrast import text_contrast
from kiosk.audit.entry_checks import accessibility_entries
from kiosk.audit.findings import Finding
from kiosk.audit.focus_checks import focus_order, keys_for_fields, names
from kiosk.audit.layout_checks import (
    clipped,
    overlaps,
    reach,
    scrolled_out,
    spacing,
    target_size,
    window_bounds,
)
from kiosk.audit.scene import Conditions, Scene
from kiosk.audit.text_checks import capitals
from kiosk.core.geometry import Panel


def tree_findings(scene: Scene, panel: Panel, conditions: Conditions) -> list[Finding]:
    """What is wrong with where things are, how big they are, and what they are called."""
    return [
        *overlaps(scene, panel), *clipped(scene, panel), *scrolled_out(scene, panel),
        *window_bounds(scene, panel), *reach(scene, panel, conditions.seated),
        *target_size(scene, panel), *spacing(scene, panel),
        *capitals(scene, panel, conditions),
        *names(scene), *focus_order(scene), *keys_for_fields(scene),
        *accessibility_entries(scene),
    ]


def scene_findings(scene: Scene, image: Image.Image, panel: Panel,
                   conditions: Conditions) -> list[Finding]:
    """Every check of the scene, its contrast read on `image`, the window as drawn."""
    return [*tree_findings(scene, panel, conditions), *text_contrast(scene, image, conditions)]
