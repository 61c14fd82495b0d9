"""Every flow is whole: each effect it declares has a handler in the station, and each screen it
names exists (`screens.<name>` with its class `<Name>Screen`); the registry finds every flow
module and nothing else. The checks are tried on a planted fault too, so they can fail."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.core.effects import Effect, handler_for
from kiosk.core.flows import registry
from kiosk.core.flows.base import FlowSpec
from kiosk.core.printing import PrintReceipt
from kiosk.shell.screen_registry import class_name

REPO = Path(__file__).resolve().parents[2]


def station_handlers(tmp_path: Path) -> dict[type, object]:
    """The handler table a station builds (kiosk/shell/runner.py), over simulated devices."""
    from conftest import make_settings

    from devices.factory import build_devices
    from kiosk.shell.central_wiring import CentralConnector
    from kiosk.shell.runner import effect_handlers

    settings = make_settings(tmp_path)
    devices = build_devices(settings)
    return effect_handlers(CentralConnector(settings, lambda _c: None), devices.printer,
                           settings)


def effects_without_handler(specs: list[FlowSpec], handlers: dict[type, object]) -> list[str]:
    return [f"{spec.name}: {effect.__name__}" for spec in specs for effect in spec.effects
            if handler_for(effect, handlers) is None]


def screen_is_defined(name: str) -> bool:
    module = REPO / "screens" / f"{name}.py"
    if not module.exists() or not module.with_suffix(".kv").exists():
        return False
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.ClassDef) and n.name == class_name(name) for n in tree.body)


def missing_screens(specs: list[FlowSpec]) -> list[str]:
    return [f"{spec.name}: {name}" for spec in specs for name in spec.screens
            if not screen_is_defined(name)]


def test_every_flow_module_is_registered():
    modules = {p.stem for p in (REPO / "kiosk/core/flows").glob("*.py")
               if re.search(r"^FLOW = FlowSpec\(", p.read_text(encoding="utf-8"), re.M)}
    assert len(modules) == 7
    assert {spec.kind.__module__.rsplit(".", 1)[1] for spec in registry.FLOWS.values()} == modules


def test_every_effect_a_flow_asks_for_has_a_handler(tmp_path):
    handlers = station_handlers(tmp_path)
    assert effects_without_handler(list(registry.FLOWS.values()), handlers) == []
    assert handler_for(PrintReceipt, handlers) is not None, "the core's own effect"


def test_an_effect_without_a_handler_is_caught(tmp_path):
    @dataclass(frozen=True)
    class NobodyRunsThis(Effect):
        pass

    tracking = registry.FLOWS["tracking"]
    planted = replace(tracking, effects=(*tracking.effects, NobodyRunsThis))
    assert effects_without_handler([planted], station_handlers(tmp_path)) == [
        "tracking: NobodyRunsThis"]


def test_every_screen_a_flow_names_exists():
    assert missing_screens(list(registry.FLOWS.values())) == []


def test_a_screen_that_does_not_exist_is_caught():
    tracking = registry.FLOWS["tracking"]
    planted = replace(tracking, screens=(*tracking.screens, "tracking_nowhere"))
    assert missing_screens([planted]) == ["tracking: tracking_nowhere"]
    assert class_name("tracking_entry") == "TrackingEntryScreen"
