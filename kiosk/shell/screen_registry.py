"""Which module and class draw each screen: one place to add a screen, readable without Kivy
(the demo's test checks that its walk-through sees every screen listed here)."""

from __future__ import annotations

from kiosk.core.state import ScreenName

SCREEN_CLASSES: dict[ScreenName, tuple[str, str]] = {
    ScreenName.ATTRACT: ("screens.attract", "AttractScreen"),
    ScreenName.HOME: ("screens.home", "HomeScreen"),
    ScreenName.HELP: ("screens.help", "HelpScreen"),
    ScreenName.PLACES_LIST: ("screens.places_list", "PlacesListScreen"),
    ScreenName.PLACES_DETAIL: ("screens.places_detail", "PlacesDetailScreen"),
    ScreenName.OUT_OF_ORDER: ("screens.out_of_order", "OutOfOrderScreen"),
    ScreenName.SERVICES: ("screens.services", "ServicesScreen"),
    ScreenName.TRACKING_ENTRY: ("screens.tracking_entry", "TrackingEntryScreen"),
    ScreenName.TRACKING_RESULT: ("screens.tracking_result", "TrackingResultScreen"),
    ScreenName.APPOINTMENT_PROCEDURE: ("screens.appointment_procedure",
                                       "AppointmentProcedureScreen"),
    ScreenName.APPOINTMENT_ANTS: ("screens.appointment_ants", "AppointmentAntsScreen"),
    ScreenName.APPOINTMENT_DOCUMENTS: ("screens.appointment_documents",
                                       "AppointmentDocumentsScreen"),
    ScreenName.APPOINTMENT_DAY: ("screens.appointment_day", "AppointmentDayScreen"),
    ScreenName.APPOINTMENT_SLOT: ("screens.appointment_slot", "AppointmentSlotScreen"),
    ScreenName.APPOINTMENT_NAME: ("screens.appointment_name", "AppointmentNameScreen"),
    ScreenName.APPOINTMENT_CONTACT: ("screens.appointment_contact", "AppointmentContactScreen"),
    ScreenName.APPOINTMENT_SUMMARY: ("screens.appointment_summary", "AppointmentSummaryScreen"),
    ScreenName.APPOINTMENT_DONE: ("screens.appointment_done", "AppointmentDoneScreen"),
    ScreenName.BOOKING_FIND: ("screens.booking_find", "BookingFindScreen"),
    ScreenName.BOOKING_DETAIL: ("screens.booking_detail", "BookingDetailScreen"),
    ScreenName.BOOKING_VERIFY: ("screens.booking_verify", "BookingVerifyScreen"),
    ScreenName.BOOKING_CANCEL: ("screens.booking_cancel", "BookingCancelScreen"),
    ScreenName.BOOKING_MOVE: ("screens.booking_move", "BookingMoveScreen"),
    ScreenName.BOOKING_DONE: ("screens.booking_done", "BookingDoneScreen"),
    ScreenName.SURVEY_OVERALL: ("screens.survey_overall", "SurveyOverallScreen"),
    ScreenName.SURVEY_CLARITY: ("screens.survey_clarity", "SurveyClarityScreen"),
    ScreenName.SURVEY_HELP: ("screens.survey_help", "SurveyHelpScreen"),
    ScreenName.SURVEY_THANKS: ("screens.survey_thanks", "SurveyThanksScreen"),
    ScreenName.REQUEST_SERVICE: ("screens.request_service", "RequestServiceScreen"),
    ScreenName.REQUEST_FIELD: ("screens.request_field", "RequestFieldScreen"),
    ScreenName.REQUEST_PLACE: ("screens.request_place", "RequestPlaceScreen"),
    ScreenName.REQUEST_CONTACT: ("screens.request_contact", "RequestContactScreen"),
    ScreenName.REQUEST_SUMMARY: ("screens.request_summary", "RequestSummaryScreen"),
    ScreenName.REQUEST_DONE: ("screens.request_done", "RequestDoneScreen"),
}
