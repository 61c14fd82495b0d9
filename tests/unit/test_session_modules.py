"""The libraries a session may need are loaded once the first session has begun, one a clock
step, once per process (kiosk/shell/session_modules.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.shell.session_modules import SESSION_MODULES, STEP_S, SessionModules


class Steps:
    """A clock that runs the scheduled steps when the test says so."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[float], None], float]] = []

    def schedule(self, step: Callable[[float], None], delay: float) -> None:
        self.pending.append((step, delay))

    def run_one(self) -> None:
        step, _delay = self.pending.pop(0)
        step(0.0)


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Two modules nobody has imported."""
    names = ("session_lib_one", "session_lib_two")
    for name in names:
        (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    return names


def test_nothing_is_loaded_before_a_session(planted):
    steps = Steps()
    SessionModules(steps.schedule, planted)
    assert steps.pending == []
    assert not any(name in sys.modules for name in planted)


def test_one_module_a_step_after_the_first_screen_then_never_again(planted):
    steps = Steps()
    modules = SessionModules(steps.schedule, planted)
    modules.load_soon()
    modules.load_soon()  # the next change of the same session
    assert [delay for _step, delay in steps.pending] == [STEP_S]
    steps.run_one()
    assert planted[0] in sys.modules and planted[1] not in sys.modules
    assert not modules.loaded
    steps.run_one()
    assert planted[1] in sys.modules and modules.loaded
    assert steps.pending == []
    modules.load_soon()  # a later session
    assert steps.pending == []


def test_modules_already_loaded_are_not_loaded_again():
    steps = Steps()
    modules = SessionModules(steps.schedule, ("sys", "os"))
    modules.load_soon()
    assert modules.loaded and steps.pending == []


def test_what_sessions_need_is_listed():
    # The receipts' drawing, the code on screen, dates and numbers in words.
    assert {"PIL.Image", "qrcode", "kiosk.receipts", "babel.dates"} <= set(SESSION_MODULES)
