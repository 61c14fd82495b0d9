"""When the panel rests: lit during the station's hours, dimmed or off outside them, never
while a session is open, and lit again by a touch or a key (docs/installation.md, "Screen
power"). Panels lit for years suffer burn-in, and a street totem lit all night wastes power
for nobody (docs/visual-design.md, "The attract screen").

The hours are the configuration's (`power.hours`) or those of the station's own place in the
places file: the one `power.place` names, or else the place where the station stands (within
`HERE_M` of it). A day is lit from its first opening, less the margin, to its last closing,
plus the margin: a lunch break does not dim the panel. A day the place is closed (a public
holiday, a Sunday) is not lit at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from kiosk.core.opening_hours import OpeningHours, OpeningHoursError, parse_opening_hours
from kiosk.core.places import HERE_M, PlaceDirectory, haversine_m
from kiosk.settings.loader import ConfigError
from kiosk.settings.models import NightMode, Settings

MINUTES_PER_DAY = 24 * 60


class PanelMode(StrEnum):
    """What the panel shows."""

    LIT = "lit"
    DIM = "dim"
    OFF = "off"


@dataclass(frozen=True)
class PowerPlan:
    """The schedule of one station: its hours (None: always lit) and what rest means."""

    night: NightMode = NightMode.ON
    hours: OpeningHours | None = None
    margin_min: int = 30
    wake_s: float = 60.0
    dim_level: float = 1.0
    #: where the hours come from, for the log: "configuration", a place's EQUIP_UID, or ""
    source: str = ""


ALWAYS_LIT = PowerPlan()


def power_plan(settings: Settings, places: PlaceDirectory) -> PowerPlan:
    """The station's schedule from its settings and places; ConfigError (naming the field)
    for hours that cannot be read or a place that is not in the file."""
    power = settings.power
    if power.night is NightMode.ON:
        return ALWAYS_LIT
    hours, source = None, ""
    if power.hours is not None:
        try:
            hours, source = parse_opening_hours(power.hours), "configuration"
        except OpeningHoursError as err:
            raise ConfigError([f"power.hours: {err}"]) from None
    elif power.place is not None:
        place = places.get(power.place)
        if place is None:
            raise ConfigError([f"power.place: no place {power.place!r} in {places.source}"])
        hours, source = place.hours, place.uid
    else:
        here = settings.site.location
        near = [p for p in places.places if p.hours is not None
                and haversine_m(here.lat, here.long, p.lat, p.long) < HERE_M]
        if near:
            hours, source = near[0].hours, near[0].uid
    return PowerPlan(night=power.night, hours=hours, margin_min=power.margin_min,
                     wake_s=float(power.wake_s), dim_level=power.dim_level, source=source)


def _lit_span(hours: OpeningHours, day: date, margin: int) -> tuple[int, int] | None:
    """The minutes of `day` (from its midnight, the end possibly past the next) the panel is
    lit: first opening − margin to last closing + margin."""
    spans = hours.day(day).spans
    if not spans:
        return None
    return (min(s.start for s in spans) - margin, max(s.end for s in spans) + margin)


def in_hours(plan: PowerPlan, now: datetime) -> bool:
    """Whether `now` (local wall-clock time) is within the station's lit hours."""
    if plan.hours is None:
        return True
    now = now.replace(tzinfo=None)
    minute = now.hour * 60 + now.minute
    for offset in (-1, 0, 1):  # a day's margin or late closing may reach into its neighbours
        span = _lit_span(plan.hours, now.date() + timedelta(days=offset), plan.margin_min)
        if span is not None and span[0] <= minute - offset * MINUTES_PER_DAY < span[1]:
            return True
    return False


def panel_mode(plan: PowerPlan, now: datetime, in_session: bool, idle_s: float) -> PanelMode:
    """What the panel shows at `now`, with a session open or not, `idle_s` seconds after the
    last touch or key."""
    if plan.night is NightMode.ON or in_session or idle_s < plan.wake_s or in_hours(plan, now):
        return PanelMode.LIT
    return PanelMode.OFF if plan.night is NightMode.OFF else PanelMode.DIM
