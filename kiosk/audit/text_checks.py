"""How big the text is: capital height per text size and, at the largest size, for the viewing
distance (docs/accessibility.md C1, C2), and controls that never shrink as the text grows (C3).
Pure functions of scenes and the panel."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from kiosk.audit.findings import Check, Finding
from kiosk.audit.scene import Conditions, Scene
from kiosk.core.geometry import Panel
from kiosk.core.tokens import needed_cap_mm
from kiosk.settings.models import TextSize

# A capital is measured in whole rows of pixels: half a row either way is the measure's own.
MEASURE_SLACK_PX = 0.5
SIZES = (TextSize.S, TextSize.M, TextSize.L, TextSize.XL)


def capitals(scene: Scene, panel: Panel, conditions: Conditions) -> list[Finding]:
    """Every text's capitals, as its font renders them, are as tall as the text size asks."""
    found = []
    for node in scene.nodes:
        shown = node.shown
        if node.cap_px is None or node.text_box is None or shown is None:
            continue
        if not any(c.isalnum() for c in node.text):
            continue
        height = panel.height_above_floor(node.text_box.centre_y)
        need = needed_cap_mm(conditions.text_size, conditions.seated, height)
        if node.cap_px < panel.px(need) - MEASURE_SLACK_PX:
            requirement = "C2" if conditions.text_size is TextSize.XL else "C1"
            found.append(Finding(
                Check.CAPITALS, requirement, node.name,
                f"capitals of {node.name} are {panel.mm(node.cap_px):.1f} mm; text size "
                f"{conditions.text_size.value} {conditions.posture} at {height:.0f} mm asks "
                f"{need:.1f} mm", node.text_box))
    return found


def growth(heights: Mapping[TextSize, Mapping[str, float]], panel: Panel) -> list[Finding]:
    """No control is lower at a larger text size than at a smaller one (docs/accessibility.md
    C3). `heights` holds, per text size, the height in pixels of each control by role, on one
    step of the walk-through in one language."""
    found = []
    sizes = [s for s in SIZES if s in heights]
    for smaller, larger in pairwise(sizes):
        for role, before in heights[smaller].items():
            after = heights[larger].get(role)
            if after is not None and after < before - 2 * MEASURE_SLACK_PX:
                found.append(Finding(
                    Check.GROWTH, "C3", role,
                    f"{role} is {panel.mm(before):.0f} mm high at {smaller.value} but "
                    f"{panel.mm(after):.0f} mm at {larger.value}"))
    return found
