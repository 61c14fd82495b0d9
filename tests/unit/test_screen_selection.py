"""Unit tests of `select_screen`, the one pure function from `AppState` to what is on screen
(docs/architecture.md rule 2), and of the device-readiness rules of `AppState`.

They prove the guards in order: a required device that is not ready → out-of-order (and the
session survives the blink); no session → attract; otherwise the top of the session's
navigation. A device never read counts as ready, a device that is not required never puts the
station out of order, and the idle-warning overlay shows only while a warning is counting down.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.core import intents as i
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore
from kiosk.core.devices import UNKNOWN_HEALTH, DeviceHealth, DeviceKind
from kiosk.core.screen_selection import Selection, select_screen
from kiosk.core.session import CitizenSession
from kiosk.core.state import AppState, Overlay, ScreenName, Screens, freeze_devices
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import AccessibilitySettings

PAPER_OUT = DeviceHealth(ready=False, reason="paper-out")
READY = DeviceHealth(ready=True)


def make_state(
    *,
    required: set[DeviceKind] | None = None,
    devices: dict[DeviceKind, DeviceHealth] | None = None,
    session: bool = False,
    nav: tuple[ScreenName, ...] = (),
    warning: int | None = None,
) -> AppState:
    return AppState(
        devices=freeze_devices(devices or {}),
        required_devices=frozenset(required or ()),
        language="fr",
        accessibility=AccessibilitySettings(),
        session=CitizenSession.begin(started_at=0.0) if session else None,
        nav=nav,
        warning_remaining_s=warning,
    )


def test_no_session_shows_the_attract_screen():
    assert select_screen(make_state()) == Selection(Screens.ATTRACT, None)


@pytest.mark.parametrize(
    ("nav", "screen"),
    [
        ((), Screens.HOME),
        ((Screens.HOME,), Screens.HOME),
        ((Screens.HOME, Screens.HELP), Screens.HELP),
    ],
)
def test_a_session_shows_home_or_the_top_of_its_navigation(nav, screen):
    assert select_screen(make_state(session=True, nav=nav)) == Selection(screen, None)


@pytest.mark.parametrize("session", [False, True])
def test_a_required_device_not_ready_puts_the_station_out_of_order(session):
    state = make_state(required={DeviceKind.PRINTER}, devices={DeviceKind.PRINTER: PAPER_OUT},
                       session=session, nav=(Screens.HOME, Screens.HELP) if session else ())
    assert state.failing_devices == (DeviceKind.PRINTER,)
    assert select_screen(state).screen == Screens.OUT_OF_ORDER


def test_a_device_that_is_not_required_never_puts_the_station_out_of_order():
    devices = {kind: PAPER_OUT for kind in DeviceKind}
    required = set(DeviceKind) - {DeviceKind.SCANNER}
    devices.update({kind: READY for kind in required})
    state = make_state(required=required, devices=devices, session=True,
                       nav=(Screens.HOME, Screens.HELP))
    assert state.failing_devices == ()
    assert select_screen(state).screen == Screens.HELP
    assert select_screen(replace(state, session=None, nav=())).screen == Screens.ATTRACT


def test_a_device_never_read_is_not_failing():
    state = make_state(required=set(DeviceKind))
    assert state.health(DeviceKind.PRINTER) == UNKNOWN_HEALTH
    assert UNKNOWN_HEALTH.ready is True
    assert state.failing_devices == ()
    assert select_screen(state).screen == Screens.ATTRACT


def test_failing_devices_come_in_a_stable_order():
    state = make_state(required={DeviceKind.SCANNER, DeviceKind.PRINTER},
                       devices={DeviceKind.SCANNER: PAPER_OUT, DeviceKind.PRINTER: PAPER_OUT})
    assert state.failing_devices == (DeviceKind.PRINTER, DeviceKind.SCANNER)


def test_the_idle_warning_overlay_shows_only_while_a_warning_counts_down():
    helping = (Screens.HOME, Screens.HELP)
    assert select_screen(make_state(session=True, nav=helping)).overlay is None
    assert select_screen(make_state(session=True, nav=helping, warning=30)) == Selection(
        Screens.HELP, Overlay.IDLE_WARNING
    )
    # Without a session there is nothing to warn about.
    assert select_screen(make_state(warning=30)) == Selection(Screens.ATTRACT, None)


def test_the_session_survives_a_required_device_blink():
    settings = load_settings(
        ConfigSources(), environ={"KIOSK__DEVICES__PRINTER__REQUIRED": "true"}
    )
    core = KioskCore(settings, ManualClock(start=1000.0))
    assert core.state.required_devices == frozenset({DeviceKind.PRINTER})
    core.dispatch(i.StartSession())
    core.dispatch(i.Open(Screens.HELP))
    core.dispatch(i.Remember("search", "passeport"))
    session = core.state.session

    core.device_health(DeviceKind.PRINTER, PAPER_OUT)
    assert select_screen(core.state).screen == Screens.OUT_OF_ORDER
    assert core.state.session is session
    assert session.get("search") == "passeport"

    core.device_health(DeviceKind.PRINTER, READY)
    assert select_screen(core.state) == Selection(Screens.HELP, None)
    assert core.state.session is session


def test_a_device_that_is_not_required_does_not_interrupt_a_session():
    core = KioskCore(load_settings(ConfigSources(), environ={}), ManualClock(start=1000.0))
    assert core.state.required_devices == frozenset()
    core.dispatch(i.StartSession())
    core.device_health(DeviceKind.PRINTER, PAPER_OUT)
    assert core.state.health(DeviceKind.PRINTER) == PAPER_OUT
    assert select_screen(core.state) == Selection(Screens.HOME, None)


def test_every_screen_of_a_flow_is_listed_with_its_flow():
    """The shell builds a flow's screens from this table while the visitor reads the first:
    a screen missing from it would be built only when shown."""
    from kiosk.core.flows.registry import FLOWS

    screens_dir = Path(__file__).resolve().parents[2] / "screens"
    on_disk = {p.stem for p in screens_dir.glob("*.kv")
               if (screens_dir / f"{p.stem}.py").exists()}
    in_flows = {name for spec in FLOWS.values() for name in spec.screens}
    outside = {s.value for s in Screens if s is not Screens.FLOW}  # the station's own
    screens = {name for name in on_disk
               if f"class {''.join(w.capitalize() for w in name.split('_'))}Screen("
               in (screens_dir / f"{name}.py").read_text(encoding="utf-8")}
    assert in_flows | outside == screens
    assert not in_flows & outside
