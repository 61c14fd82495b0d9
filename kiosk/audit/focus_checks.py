"""What a person who does not touch is told and where Tab takes them: every control has a name
(its role and visible words, docs/accessibility.md H2), Tab follows the reading order and
reaches nothing hidden (F4), and a field to type in comes with the screen's keys (B5: the
totem has no keyboard, and a desk visitor may not use one). Pure functions of a `Scene`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from kiosk.audit.findings import Check, Finding
from kiosk.audit.scene import Box, Node, Scene

#: The role every KioskButton has until a screen gives it its own (screens/widgets.py).
DEFAULT_ROLE = "button"
#: The layout that holds a typing step's controls and its keyboard (screens/keyboard.py).
TYPING_AREA = "TypingArea"


def words(text: str) -> str:
    """The words of a text a person can be told: pictograms of an icon font (Unicode's private
    use area) are no words."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Co")
    return " ".join(kept.split())


def names(scene: Scene) -> list[Finding]:
    """Every control a person can see has a role (what speech and tests call it) and visible
    words: its text, or for a field the label or hint that says what to type."""
    found = []
    for node in scene.nodes:
        if not node.control or node.backdrop or node.shown is None:
            continue
        said = words(node.label if node.field else node.text)
        missing = []
        if not node.role or node.role == DEFAULT_ROLE:
            missing.append("no role of its own")
        if not said:
            missing.append("no visible words")
        if missing:
            found.append(Finding(Check.NAME, "H2", node.name,
                                 f"{node.name} ({node.widget}) has {' and '.join(missing)}",
                                 node.box))
    return found


def reads_before(a: Box, b: Box) -> bool:
    """Whether `a` comes before `b` in reading order: rows top to bottom, each left to right.
    Two boxes are on one row when they share at least half the height of the lower one."""
    shared = min(a.top, b.top) - max(a.y, b.y)
    if shared >= min(a.height, b.height) / 2:
        return a.x < b.x
    return a.centre_y > b.centre_y


def focus_order(scene: Scene) -> list[Finding]:
    """Tab visits the screen's controls in reading order (it may start anywhere and wraps once,
    from the last control read to the first), reaches every one a person sees, and nothing the
    screen does not show. The on-screen keyboard is read as one block, as a person reads it:
    its keys in rows among themselves, after the controls it types for (below them or in a
    column beside them), and where its typing area stands among the rest (`_reader`)."""
    by_index = {n.index: n for n in scene.nodes}
    # What a list has scrolled out of view is read where Tab brings it: out of the order.
    order = [by_index[i] for i in scene.focus_order if by_index[i].shown is not None]
    found = [Finding(Check.FOCUS_ORDER, "F4", what, f"Tab moves to {what}, which is not shown")
             for what in scene.focus_escapes]
    if len(order) > 1:
        before = _reader(order)
        reading = sorted(order, key=_reading_key(order, before))
        wrap = (reading[-1].index, reading[0].index)
        for current, following in zip(order, order[1:] + order[:1], strict=True):
            if not before(following, current):
                continue
            if (current.index, following.index) == wrap:
                continue
            found.append(Finding(
                Check.FOCUS_ORDER, "F4", f"{current.name} → {following.name}",
                f"Tab goes from {current.name} to {following.name}, which reads before it",
                _seen(following)))
    visited = set(scene.focus_order)
    for node in scene.nodes:
        if (node.focusable and not node.disabled and node.shown is not None
                and node.index not in visited and scene.focus_order):
            found.append(Finding(Check.FOCUS_ORDER, "F4", node.name,
                                 f"Tab never reaches {node.name}", node.box))
    return found


def is_key(node: Node) -> bool:
    """A key of the on-screen keyboard (screens/keyboard.py names them `key.…`)."""
    return node.role.startswith("key.")


def reads_before_block(a: Box, b: Box) -> bool:
    """Whether block `a` comes before block `b`: side by side (some height in common, no
    column), the left one first; else in reading order (`reads_before`)."""
    side_by_side = min(a.top, b.top) > max(a.y, b.y) and (a.right <= b.x or b.right <= a.x)
    if side_by_side:
        return a.x < b.x
    return reads_before(a, b)


def _typing_area(node: Node) -> Box | None:
    """The box of the typing area that holds `node`: the controls of a step that types and
    its keyboard, below them or beside them (screens/keyboard.py, TypingArea)."""
    return next((h.box for h in node.holders if h.widget == TYPING_AREA), None)


def _reader(nodes: list[Node]) -> Callable[[Node, Node], bool]:
    """`reads_before` for two controls of `nodes`, with the keyboard's keys as one block: after
    the controls of its typing area, which it types for, and where its typing area stands
    among the rest."""
    keys = [n for n in nodes if is_key(n)]
    area = _typing_area(keys[0]) if keys else None
    block = area
    if keys and block is None:
        boxes = [_seen(k) for k in keys]
        left, bottom = min(k.x for k in boxes), min(k.y for k in boxes)
        block = Box(left, bottom, max(k.right for k in boxes) - left,
                    max(k.top for k in boxes) - bottom)

    def before(a: Node, b: Node) -> bool:
        if block is None or is_key(a) == is_key(b):
            return reads_before(_seen(a), _seen(b))
        control = b if is_key(a) else a
        if area is not None and _typing_area(control) == area:
            return control is a
        return reads_before_block(block if is_key(a) else _seen(a),
                                  block if is_key(b) else _seen(b))

    return before


def _seen(node: Node) -> Box:
    """Where a person sees the node: the part of it a list leaves in view."""
    return node.shown or node.footprint


def _reading_key(nodes: list[Node], before: Callable[[Node, Node], bool]
                 ) -> Callable[[Node], int]:
    """A sort key putting `nodes` in reading order (`before` as a ranking)."""
    rank = {n.index: sum(before(m, n) for m in nodes if m is not n) for n in nodes}
    return lambda n: rank[n.index]


def keys_for_fields(scene: Scene) -> list[Finding]:
    """A screen with a field to type in shows its keys."""
    fields = [n for n in scene.nodes if n.field and not n.disabled and n.shown is not None]
    if not fields or scene.keys_shown:
        return []
    return [Finding(Check.KEYS, "B5", fields[0].name,
                    f"{fields[0].name} takes typing but the screen shows no keys to type on",
                    fields[0].box)]
