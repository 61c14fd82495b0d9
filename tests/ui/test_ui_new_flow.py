"""Adding a flow is one core module and its screens, nothing else: a counter flow written into
a folder of this test's own (a module for the core, one screen and its rules) joins the flows'
package and the screens' package by their import path only, and the real station offers it on
its home screen, shows its screen, runs its intents and leaves it with Back."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

FLOW = '''
"""A flow that counts taps: a test's own."""

from dataclasses import dataclass, replace

from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step

NAME = "counter"


@dataclass(frozen=True)
class Count(FlowIntent):
    """One more."""


@dataclass(frozen=True)
class CounterContent:
    count: int


@dataclass(frozen=True)
class CounterFlow(Flow):
    count: int = 0

    def view(self) -> FlowView:
        return FlowView(NAME, "counter_step", 1, 1, content=CounterContent(self.count))

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        return Step(replace(self, count=self.count + 1) if isinstance(event, Count) else self)

    def back(self, ctx: FlowContext) -> Step:
        return Step(None)


def start(ctx: FlowContext, param: str) -> Step:
    return Step(CounterFlow())


FLOW = FlowSpec(name=NAME, kind=CounterFlow, start=start, screens=("counter_step",),
                home="home.entry.counter", home_order=70)
'''

SCREEN = '''
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty

from kiosk.core.flows.counter import CounterContent
from screens.flow_screen import FlowScreen, content_of


class CounterStepScreen(FlowScreen):
    count = NumericProperty(0)

    def show(self, view):
        super().show(view)
        content = content_of(view, CounterContent)
        self.count = content.count if content is not None else 0


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
'''

RULES = '''
#:import Count kiosk.core.flows.counter.Count

<CounterStepScreen>:
    FloatLayout:
        FlowBody:
            KioskTitle:
                text: 'Taps: %d' % root.count
            KioskButton:
                role: 'counter.count'
                text: 'Count'
                on_release: app.send(Count())
        Bar:
'''


def write_new_flow(folder: Path) -> tuple[Path, Path]:
    flows, screens = folder / "flows", folder / "screens"
    flows.mkdir()
    screens.mkdir()
    (flows / "counter.py").write_text(FLOW, encoding="utf-8")
    (screens / "counter_step.py").write_text(SCREEN, encoding="utf-8")
    (screens / "counter_step.kv").write_text(RULES, encoding="utf-8")
    return flows, screens


def test_a_flow_added_as_a_module_and_a_screen_runs_in_the_station(kiosk, tmp_path):
    import screens as screens_package
    from kiosk.core import flows as flows_package
    from kiosk.core.flows import registry

    flows, screens = write_new_flow(tmp_path)
    flows_package.__path__.append(str(flows))
    screens_package.__path__.append(str(screens))
    registry.FLOWS = registry.discover()  # as a station started with the module in place
    assert "counter" in registry.FLOWS

    driver = kiosk.driver
    driver.tap("attract.start")
    driver.wait_for_screen("home")
    driver.tap("home.entry.counter")
    driver.wait_for_screen("counter_step")
    assert "Taps: 0" in driver.texts()
    driver.tap("counter.count")
    driver.tap("counter.count")
    driver.pump(0.3)
    assert "Taps: 2" in driver.texts()
    assert kiosk.app.core.state.session.flow.count == 2
    driver.tap("bar.back")
    driver.wait_for_screen("home")
