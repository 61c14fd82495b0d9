"""What each screen says of itself when it appears in speech mode (docs/accessibility.md H1):
its title and what it is for, as the message keys the screen itself shows, so that what is
heard is what is written, in every language. What a screen shows from its flow (a status, a
date, what was typed) is added from the view (kiosk/core/speech_content.py).

A screen missing here says its step, its problem and how to go on only: a test lists the
screens of every flow and fails on one that has no entry."""

from __future__ import annotations

from kiosk.core.state import ScreenName, Screens

SCREEN_TEXTS: dict[ScreenName, tuple[str, ...]] = {
    Screens.ATTRACT: ("attract.touch_to_start",),
    Screens.HOME: ("home.title",),
    Screens.HELP: ("help.title", "help.how", "help.privacy"),
    Screens.OUT_OF_ORDER: ("out_of_order.title",),
    "tracking_entry": ("tracking.title", "tracking.instructions", "tracking.format"),
    "tracking_result": (),
    "services": ("services.title", "services.search"),
    "request_service": ("request.service_title", "request.service_search"),
    "request_field": (),
    "request_place": ("request.place_title", "request.place_other"),
    "request_contact": ("request.contact_title", "request.contact_why"),
    "request_summary": ("request.summary_title",),
    "request_done": ("request.done_title",),
    "appointment_procedure": ("appointment.procedure.title",
                              "appointment.procedure.instructions"),
    "appointment_ants": ("appointment.ants.title", "appointment.ants.instructions"),
    "appointment_documents": ("appointment.documents.title",
                              "appointment.documents.instructions"),
    "appointment_day": ("appointment.day.title",),
    "appointment_slot": ("appointment.slot.instructions",),
    "appointment_name": ("appointment.name.title", "appointment.name.instructions"),
    "appointment_contact": ("appointment.contact.title", "appointment.contact.instructions"),
    "appointment_summary": ("appointment.summary.title",),
    "appointment_done": ("appointment.done.title",),
    "booking_find": ("booking.find.title", "booking.find.instructions", "booking.find.format"),
    "booking_verify": ("booking.verify.title", "booking.verify.instructions"),
    "booking_detail": (),
    "booking_cancel": ("booking.cancel.title", "booking.cancel.explain"),
    "booking_move": ("booking.move.title", "booking.move.explain"),
    "booking_done": (),
    "places_list": ("places.title",),
    "places_detail": (),
    "survey_overall": ("survey.intro", "survey.overall.title"),
    "survey_clarity": ("survey.clarity.title", "survey.clarity.hint"),
    "survey_help": ("survey.help.title",),
    "survey_thanks": ("survey.thanks.title",),
}
"""Screen → the message keys said first, in order (keys without placeholders: the values of
a placeholder come from the view, in kiosk/core/speech_content.py)."""

RECEIPT_SCREENS = frozenset({"request_done", "appointment_done", "booking_done"})
"""Screens that show the session's receipt (the receipt panel): their summary reads it out
(docs/accessibility.md H9) and says where its printing stands (H15)."""

EXPLORE_SCREENS = frozenset({Screens.ATTRACT, Screens.HOME})
"""Screens that end their summary with how to use the screen by touch in speech mode: where a
person arrives (docs/accessibility.md G3)."""
