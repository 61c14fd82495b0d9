"""The headless demo's appointment walk-through (`kiosk demo --headless`): book a passport
appointment at the embedded peer, find it by its reference, move it, then cancel it. It
passes through every appointment and manage-booking screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.shell.demo import Tour

#: The passport/ID card agenda of the peer's seed (config/peer-seed.json).
DEMO_SCHEDULE = "chrono:passeport-cni/depot-demande"
#: A well-formed ANTS pre-application number (10 letters and digits).
DEMO_ANTS = "AB12CD34EF"
#: The name the appointment is booked under.
DEMO_NAME = "Camille Demo"
# A booking waits for the central's answer: up to the HTTP time limit and a margin.
ANSWER_WAIT_S = 30.0


def appointment_steps(tour: Tour) -> None:
    """From the home screen back to it, through every booking screen."""
    driver, step = tour.driver, tour.step
    app = driver.app
    reference: list[str] = []

    def settled() -> None:
        driver.wait_until(lambda: app.core.state.flow is None or not app.core.state.flow.busy,
                          ANSWER_WAIT_S, "the central's answer")
        driver.frames(2)

    def tap(role: str, screen: str | None = None) -> Callable[[], None]:
        def go() -> None:
            driver.tap(role)
            if screen is not None:
                driver.wait_for_screen(screen, ANSWER_WAIT_S)
            settled()
        return go

    def choices(prefix: str) -> list[Any]:
        """The choices of a list in reading order (a day's date, a time's digits)."""
        found = [w for w in driver.walk() if str(getattr(w, "role", "")).startswith(prefix)
                 and str(w.role)[len(prefix):][:1].isdigit() and not w.disabled]
        return sorted(found, key=lambda w: (-w.to_window(w.x, w.y)[1],
                                            w.to_window(w.x, w.y)[0]))

    def tap_choice(prefix: str, index: int = 0) -> Callable[[], None]:
        def go() -> None:
            driver.tap(choices(prefix)[index])
            settled()
        return go

    def type_ants() -> None:
        driver.enter(app.screen_view("appointment_ants").ids.ants, DEMO_ANTS.lower())
        driver.tap("appointment.ants.continue")

    def name() -> None:
        driver.enter(app.screen_view("appointment_name").ids.name, DEMO_NAME)
        driver.tap("appointment.name.continue")

    def confirm() -> None:
        tap("appointment.confirm", "appointment_done")()
        reference.append(app.core.state.session.flow.appointment.id)

    def find(which: int) -> Callable[[], None]:
        def go() -> None:
            driver.enter(app.screen_view("booking_find").ids.reference, reference[which])
            tap("booking.search", "booking_detail")()
        return go

    def holder() -> None:
        driver.enter(app.screen_view("booking_verify").ids.name, DEMO_NAME)
        tap("booking.verify.continue")()

    def moved() -> None:
        tap("booking.move.confirm", "booking_done")()
        reference.append(app.core.state.session.flow.moved_to.id)

    step("appointment", "touch “Book an appointment”",
         tap("home.entry.appointment", "appointment_procedure"), "appointment_procedure")
    step("appointment-ants", "touch “Passport and national identity card”",
         tap(f"appointment.procedure.{DEMO_SCHEDULE}"), "appointment_ants")
    step("appointment-documents", f"type {DEMO_ANTS} {{keys}}, touch “Continue”",
         type_ants, "appointment_documents")
    step("appointment-day", "touch “1”", tap("appointment.documents.1", "appointment_day"),
         "appointment_day")
    step("appointment-slot", "touch the first day", tap_choice("appointment.day."),
         "appointment_slot")
    step("appointment-name", "touch the first time", tap_choice("appointment.slot."),
         "appointment_name")
    step("appointment-contact", "type a name {keys}, touch “Continue”", name, "appointment_contact")
    step("appointment-summary", "leave no phone nor e-mail, touch “Continue”",
         tap("appointment.contact.continue"), "appointment_summary")
    step("appointment-done", "touch “Confirm the appointment”", confirm, "appointment_done")
    step("appointment-home", "touch “Finish”", tap("appointment.finish"), "home")
    step("booking-find", "touch “Move or cancel an appointment”",
         tap("home.entry.manage_booking"), "booking_find")
    step("booking-detail", "type the reference {keys}, touch “Find”", find(0),
         "booking_detail")
    step("booking-verify", "touch “Move it to another time”", tap("booking.move"),
         "booking_verify")
    step("booking-move-day", "type the name it is under {keys}, touch “Continue”", holder,
         "appointment_day")
    step("booking-move-slot", "touch the first day", tap_choice("appointment.day."),
         "appointment_slot")
    step("booking-move", "touch the last time of the day",
         tap_choice("appointment.slot.", -1), "booking_move")
    step("booking-moved", "touch “Confirm the new time”", moved, "booking_done")
    step("booking-home", "touch “Finish”", tap("booking.finish"), "home")
    step("booking-find-again", "touch “Move or cancel an appointment”",
         tap("home.entry.manage_booking"), "booking_find")
    step("booking-detail-again", "type the new reference {keys}, touch “Find”", find(1),
         "booking_detail")
    step("booking-verify-again", "touch “Cancel this appointment”", tap("booking.cancel"),
         "booking_verify")
    step("booking-cancel", "type the name it is under {keys}, touch “Continue”", holder,
         "booking_cancel")
    step("booking-cancelled", "touch “Yes, cancel it”",
         tap("booking.cancel.confirm", "booking_done"), "booking_done")
    step("booking-cancelled-home", "touch “Finish”", tap("booking.finish"), "home")
