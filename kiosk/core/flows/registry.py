"""Which function starts each flow. Flows register here when they land; a flow that is not
registered has no entry on the home screen."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.core.flows import appointment, manage_booking, places, request, survey
from kiosk.core.flows.appointment import start_appointment
from kiosk.core.flows.base import FlowContext, Step
from kiosk.core.flows.manage_booking import start_manage_booking
from kiosk.core.flows.places import start_places
from kiosk.core.flows.request import start_request
from kiosk.core.flows.services import start_services
from kiosk.core.flows.survey import start_survey
from kiosk.core.flows.tracking import start_tracking
from kiosk.core.state import FlowName, ScreenName

Starter = Callable[[FlowContext, str], Step]

FLOW_STARTERS: dict[FlowName, Starter] = {
    FlowName.TRACKING: start_tracking,
    FlowName.APPOINTMENT: start_appointment,
    FlowName.MANAGE_BOOKING: start_manage_booking,
    FlowName.REQUEST: start_request,
    FlowName.SURVEY: start_survey,
    FlowName.PLACES: start_places,
    FlowName.SERVICES: start_services,
}

#: The screens each flow can show, in the order of its steps: the shell builds them while the
#: visitor reads the first one.
FLOW_SCREENS: dict[FlowName, tuple[ScreenName, ...]] = {
    FlowName.TRACKING: (ScreenName.TRACKING_ENTRY, ScreenName.TRACKING_RESULT),
    FlowName.APPOINTMENT: tuple(appointment.SCREENS.values()),
    FlowName.MANAGE_BOOKING: tuple(manage_booking.SCREENS.values()),
    FlowName.REQUEST: tuple(request.SCREENS.values()),
    FlowName.SURVEY: tuple(survey.SCREENS.values()),
    FlowName.PLACES: tuple(places.SCREENS.values()),
    FlowName.SERVICES: (ScreenName.SERVICES,),
}
