"""The ways to the person's own settings are on every screen (docs/accessibility.md A2): the
accessibility button and Help wherever the persistent bar is, and on the attract screen the
seated and speech starts beside Start, before any session. Where they lie is the reach
check's; this one says they are there. A pure function of a `Scene`."""

from __future__ import annotations

from kiosk.audit.findings import Check, Finding
from kiosk.audit.scene import Scene

#: The persistent bar's buttons are named `bar.<what>` (screens/widgets.kv, `<Bar>`).
BAR_PREFIX = "bar."
#: What every screen with the bar offers.
BAR_ENTRIES = ("bar.accessibility", "bar.help")
#: What the attract screen offers before a session (screens/attract.kv).
ATTRACT = "attract"
ATTRACT_ENTRIES = ("attract.start", "attract.seated", "attract.speech")


def accessibility_entries(scene: Scene) -> list[Finding]:
    """A finding for each way in that the screen should show and does not, or shows disabled."""
    shown = {node.role for node in scene.nodes
             if node.control and not node.disabled and node.shown is not None}
    if scene.screen == ATTRACT:
        wanted = ATTRACT_ENTRIES
    elif any(role.startswith(BAR_PREFIX) for role in shown):
        wanted = BAR_ENTRIES
    else:  # a screen without the bar: out of order, an overlay over everything
        return []
    return [Finding(Check.ENTRY, "A2", role, f"{role} is not on the screen, or cannot be "
                    "touched", scene.window)
            for role in wanted if role not in shown]
