"""New settings for the core between sessions (KioskCore.reconfigure, called by the shell's
hot reload): refused while a session is open, taken when none is: languages, accessibility
defaults, required devices and the places the next session sees; what the devices and the
central last said is kept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core import intents as i
from kiosk.core.clock import ManualClock
from kiosk.core.controller import KioskCore, receipt_details
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.places import PlaceDirectory
from kiosk.core.state import Connectivity
from kiosk.settings.loader import ConfigSources, load_settings
from kiosk.settings.models import TextSize

PLACES = read_places(places_path(load_settings(ConfigSources(), environ={}).places.file))


def changed_settings():
    return load_settings(ConfigSources(), environ={
        "KIOSK__LANGUAGES__AVAILABLE": '["en", "fr"]', "KIOSK__LANGUAGES__DEFAULT": '"en"',
        "KIOSK__ACCESSIBILITY__TEXT_SIZE": '"L"', "KIOSK__SITE__CITY": '"Blois"',
        "KIOSK__DEVICES__PRINTER__REQUIRED": "true"})


def test_refused_while_a_session_is_open():
    core = KioskCore(load_settings(ConfigSources(), environ={}), ManualClock(0.0), places=PLACES)
    core.dispatch(i.StartSession())
    before = core.state
    assert core.reconfigure(changed_settings(), PlaceDirectory()) is False
    assert core.state is before
    core.dispatch(i.StartFlow("places"))
    assert core.state.flow.content.listing, "the places in force stay"


def test_taken_between_sessions_keeping_what_the_devices_and_central_said():
    core = KioskCore(load_settings(ConfigSources(), environ={}), ManualClock(0.0), places=PLACES)
    core.device_health(DeviceKind.SCANNER, DeviceHealth(ready=False, reason="unplugged"))
    core.set_connectivity(Connectivity.DEGRADED)
    seen = []
    core.subscribe(seen.append)
    few = PlaceDirectory(PLACES.places[:1], "one.csv")
    assert core.reconfigure(changed_settings(), few) is True
    state = core.state
    assert seen[-1] is state
    assert state.languages == ("en", "fr") and state.language == "en"
    assert state.accessibility.text_size is TextSize.L
    assert DeviceKind.PRINTER in state.required_devices
    assert state.health(DeviceKind.SCANNER).reason == "unplugged"
    assert state.connectivity is Connectivity.DEGRADED
    core.dispatch(i.StartSession())
    core.dispatch(i.StartFlow("places"))
    assert [p.place.uid for p in core.state.flow.content.listing] == [PLACES.places[0].uid]


def test_the_receipts_say_the_new_city_and_logo():
    settings = changed_settings()
    with_logo = replace(settings, receipts=replace(settings.receipts,
                                                   logo=Path("/etc/kiosk/logo.png")))
    details = receipt_details(with_logo)
    assert details.city == "Blois" and details.logo == with_logo.receipts.logo
