"""Scenes built by hand for the audit's unit tests: the packaged 43" totem's panel, and nodes
placed in millimetres above the floor, as the checks read them (kiosk/audit/scene.py)."""

from __future__ import annotations

from kiosk.audit.scene import Box, Conditions, Node, Scene
from kiosk.core.geometry import Panel
from kiosk.settings.models import PanelGeometry, TextSize, Theme

# config/panels/totem-43-portrait.toml
TOTEM = Panel(PanelGeometry(name="43 in portrait totem", width_px=1080, height_px=1920,
                            active_width_mm=535.0, active_height_mm=952.0,
                            bottom_edge_mm=800.0))
WINDOW = Box(0.0, 0.0, 1080.0, 1920.0)


def box_mm(x_mm: float, floor_mm: float, width_mm: float, height_mm: float,
           panel: Panel = TOTEM) -> Box:
    """A box `x_mm` from the left edge, its bottom `floor_mm` above the floor."""
    return Box(panel.px(x_mm), panel.y_at_height(floor_mm), panel.px(width_mm),
               panel.px(height_mm))


def button(index: int, box: Box, role: str = "", text: str = "OK", **fields: object) -> Node:
    """A button: a control that shows its text in its middle, half its height."""
    middle = Box(box.x + box.width / 4, box.y + box.height / 4, box.width / 2, box.height / 2)
    return Node(index=index, widget="KioskButton", box=box, role=role or f"button.{index}",
                text=text, control=True, focusable=True,
                text_box=fields.pop("text_box", middle), **fields)  # type: ignore[arg-type]


def label(index: int, box: Box, text: str = "Quel est le numéro ?", **fields: object) -> Node:
    """A text drawn over its whole box."""
    return Node(index=index, widget="KioskText", box=box, text=text,
                text_box=fields.pop("text_box", box), **fields)  # type: ignore[arg-type]


def scene(*nodes: Node, focus: tuple[int, ...] = (), keys: bool = False,
          escapes: tuple[str, ...] = ()) -> Scene:
    """A screen of the totem showing `nodes`."""
    return Scene("test", WINDOW, nodes, focus, escapes, keys)


def conditions(size: TextSize = TextSize.M, seated: bool = False,
               theme: Theme = Theme.DEFAULT) -> Conditions:
    """The totem in `size`, standing or seated, in `theme`, in French."""
    return Conditions("totem", seated, size, theme, "fr")
