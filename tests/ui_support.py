"""Helpers shared by the UI tests (they run in the forked child of each `ui` test)."""

from __future__ import annotations

from typing import Any

import pytest


def tab_to(driver: Any, role: str, presses: int = 30) -> None:
    """Press Tab until the widget with `role` has the focus."""
    for _ in range(presses):
        driver.key("tab")
        if getattr(driver.focused(), "role", None) == role:
            return
    pytest.fail(f"Tab never reached {role}")
