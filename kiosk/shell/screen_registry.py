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
    ScreenName.TRACKING_ENTRY: ("screens.tracking_entry", "TrackingEntryScreen"),
    ScreenName.TRACKING_RESULT: ("screens.tracking_result", "TrackingResultScreen"),
    ScreenName.SURVEY_OVERALL: ("screens.survey_overall", "SurveyOverallScreen"),
    ScreenName.SURVEY_CLARITY: ("screens.survey_clarity", "SurveyClarityScreen"),
    ScreenName.SURVEY_HELP: ("screens.survey_help", "SurveyHelpScreen"),
    ScreenName.SURVEY_THANKS: ("screens.survey_thanks", "SurveyThanksScreen"),
}
