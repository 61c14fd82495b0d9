"""The flows the station offers: every module of this package that exports a `FlowSpec` named
`FLOW`. Nothing lists them by hand, so adding a flow edits no other file
(docs/architecture.md, "Adding a flow")."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from kiosk.core import flows as flows_package
from kiosk.core.flows.base import Flow, FlowSpec


def discover(package: ModuleType = flows_package) -> Mapping[str, FlowSpec]:
    """The descriptors of the flows in `package` (and in every folder on its `__path__`), by
    name, in the order of their module names. Two flows of one name are a programming
    error."""
    found: dict[str, FlowSpec] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        spec = getattr(module, "FLOW", None)
        if not isinstance(spec, FlowSpec):
            continue
        if spec.name in found:
            raise RuntimeError(f"two flows are called {spec.name!r}: {module.__name__}")
        found[spec.name] = spec
    return MappingProxyType(found)


FLOWS: Mapping[str, FlowSpec] = discover()
"""The station's flows. Read it at call time (`registry.FLOWS`), never bind it at import."""


def spec_of(flow: Flow | None) -> FlowSpec | None:
    """The descriptor of a flow value's flow."""
    if flow is None:
        return None
    return next((s for s in FLOWS.values() if type(flow) is s.kind), None)


def home_flows() -> tuple[FlowSpec, ...]:
    """The flows with an entry on the home screen, in the entries' order."""
    return tuple(sorted((s for s in FLOWS.values() if s.home),
                        key=lambda s: (s.home_order, s.name)))


def all_effects(flows: Iterable[FlowSpec]) -> frozenset[type]:
    """Every effect type the flows ask for."""
    return frozenset(e for spec in flows for e in spec.effects)
