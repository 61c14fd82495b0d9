"""Where things are: overlap, clipped text, lists that scroll, the window's bounds, the reach
band, target size and spacing (docs/accessibility.md A1, A4, B1, B3, C4, C5). Pure functions
of a `Scene` and the panel; every length they report is in millimetres on the panel."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from kiosk.audit.findings import Check, Finding
from kiosk.audit.scene import SLACK_PX, Box, Node, Scene
from kiosk.core.geometry import MIN_TARGET_MM, Panel
from kiosk.core.layout import SEATED_CONTROLS_MM, STANDING_CONTROLS_MM

# docs/accessibility.md A4: every target at least 2 mm inside the active area.
MIN_EDGE_MM = 2.0
# docs/accessibility.md B3: the boxes of two controls are at least 2.54 mm apart.
MIN_SPACING_MM = 2.54


def _controls(scene: Scene) -> list[Node]:
    """The controls a person can see and touch (a backdrop's checks are its controls')."""
    return [n for n in scene.nodes if n.control and not n.backdrop and n.shown is not None]


def overlaps(scene: Scene, panel: Panel) -> list[Finding]:
    """No control or text lies over another one, unless one holds the other (a button's own
    text). A scrolled list counts for the part it shows."""
    shown = [(n, n.shown) for n in scene.nodes if not n.backdrop and n.shown is not None]
    found = []
    for (a, box_a), (b, box_b) in combinations(shown, 2):
        if a.index in b.inside or b.index in a.inside:
            continue
        common = box_a.intersection(box_b)  # type: ignore[arg-type]
        if common is None or common.width <= SLACK_PX or common.height <= SLACK_PX:
            continue
        found.append(Finding(
            Check.OVERLAP, "B3" if a.control and b.control else "C4", f"{a.name} / {b.name}",
            f"{a.name} and {b.name} overlap over {panel.mm(common.width):.1f} × "
            f"{panel.mm(common.height):.1f} mm", common))
    return found


def clipped(scene: Scene, panel: Panel) -> list[Finding]:
    """Every text fits the box of its widget, none of its lines is dropped, and what a layout
    holds stays inside the layout (docs/accessibility.md C4)."""
    found = []
    for node in scene.nodes:
        if node.shown is None:
            continue
        text_box = node.text_box
        if text_box is not None and not node.box.contains(text_box):
            found.append(Finding(
                Check.CLIPPED, "C4", node.name,
                f"the text of {node.name} needs {panel.mm(text_box.width):.0f} × "
                f"{panel.mm(text_box.height):.0f} mm; its box is {panel.mm(node.box.width):.0f}"
                f" × {panel.mm(node.box.height):.0f} mm", text_box))
        shown_height = text_box.height if text_box is not None else node.box.height
        if node.text_needs is not None and node.text_needs > shown_height + SLACK_PX:
            found.append(Finding(
                Check.CLIPPED, "C4", node.name,
                f"{node.name} shows {panel.mm(shown_height):.0f} mm of text that needs "
                f"{panel.mm(node.text_needs):.0f} mm: the lines that do not fit are dropped",
                node.box))
        if node.widest_word is not None and node.widest_word[0] > node.widest_word[1] + SLACK_PX:
            word, width = node.widest_word
            found.append(Finding(
                Check.CLIPPED, "C4", node.name,
                f"a word of {node.name} is {panel.mm(word):.0f} mm wide on a line of "
                f"{panel.mm(width):.0f} mm: it is cut, or shortened to an ellipsis",
                node.footprint))
        for holder in node.holders:
            if not holder.box.contains(node.footprint):
                found.append(Finding(
                    Check.CLIPPED, "C4", node.name,
                    f"{node.name} leaves the {holder.widget} that holds it", node.footprint))
                break
    return found


def scrolled_out(scene: Scene, panel: Panel) -> list[Finding]:
    """Nothing waits out of view in a list that only a swipe would bring in (docs/accessibility.md
    C5): one finding per list, naming what it hides."""
    hidden: dict[Box, list[Node]] = defaultdict(list)
    for node in scene.nodes:
        if node.viewport is None:
            continue
        shown = node.shown
        if shown is None or shown.height < node.footprint.height - SLACK_PX:
            hidden[node.viewport].append(node)
    found = []
    for viewport, nodes in hidden.items():
        names = ", ".join(n.name for n in nodes[:3]) + (", …" if len(nodes) > 3 else "")
        found.append(Finding(
            Check.SCROLL, "C5", nodes[0].name,
            f"a list {panel.mm(viewport.height):.0f} mm high hides {len(nodes)} item(s) a "
            f"person must swipe to see: {names}", viewport))
    return found


def window_bounds(scene: Scene, panel: Panel) -> list[Finding]:
    """Everything lies inside the window, and every control at least 2 mm from its edge
    (docs/accessibility.md A4)."""
    window = scene.window
    edge = panel.px(MIN_EDGE_MM)
    inner = Box(window.x + edge, window.y + edge, window.width - 2 * edge,
                window.height - 2 * edge)
    found = []
    for node in scene.nodes:
        shown = node.shown
        if shown is None or node.backdrop:
            continue
        if not window.contains(shown):
            found.append(Finding(Check.WINDOW, "A4", node.name,
                                 f"{node.name} leaves the window", shown))
        elif node.control and not inner.contains(shown):
            found.append(Finding(
                Check.WINDOW, "A4", node.name,
                f"{node.name} is less than {MIN_EDGE_MM:g} mm from the edge of the panel", shown))
    return found


def reach(scene: Scene, panel: Panel, seated: bool) -> list[Finding]:
    """Every control lies in the reach band of the posture: 900–1100 mm above the floor seated
    (docs/accessibility.md A1), 900–1300 mm standing (§3, the French ERP band)."""
    low, high = SEATED_CONTROLS_MM if seated else STANDING_CONTROLS_MM
    posture = "seated" if seated else "standing"
    slack_mm = panel.mm(SLACK_PX)
    found = []
    for node in _controls(scene):
        box = node.shown
        assert box is not None
        bottom, top = panel.height_above_floor(box.y), panel.height_above_floor(box.top)
        if bottom < low - slack_mm or top > high + slack_mm:
            found.append(Finding(
                Check.REACH, "A1" if seated else "§3", node.name,
                f"{node.name} spans {bottom:.0f}–{top:.0f} mm above the floor; the {posture} "
                f"reach band is {low:.0f}–{high:.0f} mm", box))
    return found


def target_size(scene: Scene, panel: Panel) -> list[Finding]:
    """Every control is at least 20 mm wide and high (docs/accessibility.md B1)."""
    least = panel.px(MIN_TARGET_MM) - SLACK_PX
    found = []
    for node in _controls(scene):
        if node.box.width < least or node.box.height < least:
            found.append(Finding(
                Check.TARGET, "B1", node.name,
                f"{node.name} is {panel.mm(node.box.width):.1f} × "
                f"{panel.mm(node.box.height):.1f} mm; a target is at least "
                f"{MIN_TARGET_MM:g} mm both ways", node.box))
    return found


def spacing(scene: Scene, panel: Panel) -> list[Finding]:
    """The boxes of two controls are at least 2.54 mm apart (docs/accessibility.md B3); two
    that overlap are the overlap check's."""
    least = panel.px(MIN_SPACING_MM) - SLACK_PX
    found = []
    for a, b in combinations(_controls(scene), 2):
        if a.index in b.inside or b.index in a.inside:
            continue
        if a.box.intersection(b.box) is not None:
            continue
        gap = a.box.gap(b.box)
        if gap < least:
            between = Box(min(a.box.x, b.box.x), min(a.box.y, b.box.y),
                          max(a.box.right, b.box.right) - min(a.box.x, b.box.x),
                          max(a.box.top, b.box.top) - min(a.box.y, b.box.y))
            found.append(Finding(
                Check.SPACING, "B3", f"{a.name} / {b.name}",
                f"{a.name} and {b.name} are {panel.mm(gap):.1f} mm apart; controls keep at "
                f"least {MIN_SPACING_MM} mm between them", between))
    return found
