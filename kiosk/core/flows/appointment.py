"""Booking an appointment (passport/ID card, bulky-waste pickup, marriage file, …).

Steps: PROCEDURE (what for: the central's schedules) → ANTS and DOCUMENTS (passport/ID card
only: the pre-application number, checked before anything is sent, and how many documents)
→ DAY (the days with free slots over the coming weeks) → SLOT (a time of that day) → NAME
(required) → CONTACT (phone and e-mail, optional) → SUMMARY ("Change" per item, "Confirm") →
DONE (the booking reference). Name and contact are two steps: one question per screen, and
three fields with a keyboard do not fit a landscape desk panel or the largest text size.

There is no separate place step: the Chrono port gives one Schedule per agenda and meeting
type, each with its one place (kiosk/adapters/publik_chrono.py), so the place is part of the
procedure chosen; it is shown on the day list, the summary and the done screen.

Confirming books through the outbox and waits for the central (`BookSlot`). A slot taken
meanwhile (CONFLICT) brings the person back to the days with fresh slots, everything else kept;
a central that does not answer books nothing and says so. Nothing typed is lost on an error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from kiosk.core.central import (
    Appointment,
    BookingRequest,
    CentralFailure,
    Schedule,
    Slot,
)
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step
from kiosk.core.flows.booking import (
    BookSlot,
    ChooseDay,
    ChooseSlot,
    LoadSlots,
    Retry,
    SlotChoice,
    booked,
    booking_receipt,
    find_slot,
    load_slots,
    usable_slots,
)
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import Receipt
from kiosk.core.submission import Submitted
from kiosk.core.validation import Invalid, check_ants_number, check_email, check_phone

__all__ = [
    "AppointmentFlow", "AppointmentStep", "BookSlot", "ChangeItem", "ChooseDay",
    "ChooseDocuments", "ChooseProcedure", "ChooseSlot", "Confirm", "EnterAnts", "EnterContact",
    "EnterName", "LoadSchedules", "LoadSlots", "Retry", "start_appointment",
]

#: ANTS takes one pre-application per person; a mairie books at most five people at once
#: (RDV Service Public's documents_number 1–5, docs/central-systems.md, "ANTS
#: pre-application numbers").
MAX_DOCUMENTS = 5
#: Longest name kept: Chrono's user_last_name is a 250-character field; 100 fits any real name
#: and a line of the summary.
MAX_NAME = 100
#: What the ANTS number looks like, shown before it is typed (validation.py, ANTS_NUMBER).
ANTS_EXAMPLE = "AB12CD34EF"


class AppointmentStep(StrEnum):
    """The steps, in order."""

    PROCEDURE = "procedure"
    ANTS = "ants"
    DOCUMENTS = "documents"
    DAY = "day"
    SLOT = "slot"
    NAME = "name"
    CONTACT = "contact"
    SUMMARY = "summary"
    DONE = "done"


NAME = "appointment"
#: the day and time screens serve a new booking and a move alike (manage_booking.py)
DAY_SCREEN = "appointment_day"
SLOT_SCREEN = "appointment_slot"
SCREENS = {
    AppointmentStep.PROCEDURE: "appointment_procedure",
    AppointmentStep.ANTS: "appointment_ants",
    AppointmentStep.DOCUMENTS: "appointment_documents",
    AppointmentStep.DAY: DAY_SCREEN,
    AppointmentStep.SLOT: SLOT_SCREEN,
    AppointmentStep.NAME: "appointment_name",
    AppointmentStep.CONTACT: "appointment_contact",
    AppointmentStep.SUMMARY: "appointment_summary",
    AppointmentStep.DONE: "appointment_done",
}


# -- intents and effects ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseProcedure(FlowIntent):
    """The person chose what the appointment is for (a schedule)."""

    schedule_id: str


@dataclass(frozen=True)
class EnterAnts(FlowIntent):
    """The ANTS pre-application number, as typed."""

    text: str


@dataclass(frozen=True)
class ChooseDocuments(FlowIntent):
    """How many documents (people) the appointment is for."""

    count: int


@dataclass(frozen=True)
class EnterName(FlowIntent):
    """Who is coming (required)."""

    name: str


@dataclass(frozen=True)
class EnterContact(FlowIntent):
    """How the city may reach the person (both optional)."""

    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ChangeItem(FlowIntent):
    """From the summary: go back to one item and come back once it is done."""

    step: AppointmentStep


@dataclass(frozen=True)
class Confirm(FlowIntent):
    """The person confirmed the summary: book."""


@dataclass(frozen=True)
class LoadSchedules(Effect):
    """What can be booked."""


# -- what the screens show ----------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentContent:
    """What the appointment screens show: the procedures on offer and the one chosen, what was
    typed (as typed, so that a refused answer stays in its field), the days and times, and
    the booking once made."""

    schedules: tuple[Schedule, ...]
    schedule: Schedule | None
    needs_ants: bool
    ants_text: str
    ants_number: str
    documents: int
    slots: SlotChoice
    name_text: str
    name: str
    phone_text: str
    email_text: str
    phone: str
    email: str
    appointment: Appointment | None
    #: a load failed and can be asked again
    can_retry: bool

    @property
    def slot(self) -> Slot | None:
        """The time chosen."""
        return self.slots.chosen


# -- the flow value -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentFlow(Flow):
    """The appointment flow's value; what was typed is kept, as typed, until the session ends."""

    step: AppointmentStep = AppointmentStep.PROCEDURE
    schedules: tuple[Schedule, ...] = ()
    schedule_id: str = ""
    ants_text: str = ""
    ants_number: str = ""
    documents: int = 0
    slots: tuple[Slot, ...] = ()
    day: date | None = None
    slot: Slot | None = None
    #: the contact as typed (kept when a check refuses it) …
    name_text: str = ""
    phone_text: str = ""
    email_text: str = ""
    #: … and as checked, once it passed
    name: str = ""
    phone: str = ""
    email: str = ""
    #: the contact step was answered (both may be empty)
    contact_given: bool = False
    #: a change asked from the summary goes back there once everything is complete again
    editing: bool = False
    #: a schedule chosen before the flow started (the services catalogue)
    preselected: str = ""
    waiting_for: int | None = None
    problem: Invalid | None = None
    appointment: Appointment | None = None

    # -- what the screens read -------------------------------------------------------------

    @property
    def schedule(self) -> Schedule | None:
        """The procedure chosen."""
        return next((s for s in self.schedules if s.id == self.schedule_id), None)

    @property
    def needs_ants(self) -> bool:
        """Passport and ID card: the ANTS number and the number of documents are asked."""
        schedule = self.schedule
        return schedule is not None and schedule.needs_ants_number

    def sequence(self) -> tuple[AppointmentStep, ...]:
        """The steps this procedure goes through."""
        ants = (AppointmentStep.ANTS, AppointmentStep.DOCUMENTS) if self.needs_ants else ()
        return (AppointmentStep.PROCEDURE, *ants, AppointmentStep.DAY, AppointmentStep.SLOT,
                AppointmentStep.NAME, AppointmentStep.CONTACT, AppointmentStep.SUMMARY,
                AppointmentStep.DONE)

    def slot_choice(self) -> SlotChoice:
        """The days and times on offer."""
        return SlotChoice(self.schedule, self.slots, self.day, self.slot)

    def view(self) -> FlowView:
        """The screen of the current step, "step n of m", and any problem."""
        sequence = self.sequence()
        position = sequence.index(self.step) + 1 if self.step in sequence else 1
        problem, args = "", ()
        if self.problem is not None:
            problem = self.problem.key
            args = (("label", self.problem.label), ("example", self.problem.example))
        return FlowView(NAME, SCREENS[self.step], position, len(sequence),
                        busy=self.waiting_for is not None, problem=problem, problem_args=args,
                        content=self.content())

    def content(self) -> AppointmentContent:
        """What the screens show."""
        return AppointmentContent(
            schedules=self.schedules, schedule=self.schedule, needs_ants=self.needs_ants,
            ants_text=self.ants_text, ants_number=self.ants_number, documents=self.documents,
            slots=self.slot_choice(), name_text=self.name_text, name=self.name,
            phone_text=self.phone_text, email_text=self.email_text, phone=self.phone,
            email=self.email, appointment=self.appointment,
            can_retry=self.waiting_for is None and self.problem is not None)

    # -- transitions -----------------------------------------------------------------------

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Intents of the person and outcomes of effects."""
        if isinstance(event, EffectDone | EffectFailed):
            if event.effect.effect_id != self.waiting_for:
                return Step(self)  # a stale answer: the person moved on
            return self._outcome(event, ctx)
        if self.waiting_for is not None and self.step is AppointmentStep.SUMMARY:
            return Step(self)  # the booking is on its way: nothing changes meanwhile
        match event:
            case Retry():
                return self._retry(ctx)
            case ChooseProcedure(schedule_id=schedule_id):
                return self._choose_procedure(schedule_id, ctx)
            case EnterAnts(text=text) if self.step is AppointmentStep.ANTS:
                return self._enter_ants(text, ctx)
            case ChooseDocuments(count=count) if self.step is AppointmentStep.DOCUMENTS:
                if not 1 <= count <= MAX_DOCUMENTS:
                    return Step(replace(self, problem=Invalid(
                        "appointment.problem.documents", example=str(MAX_DOCUMENTS))))
                return self._advance(ctx, documents=count)
            case ChooseDay(day=day) if self.step is AppointmentStep.DAY:
                if day not in self.slot_choice().days:
                    return Step(replace(self, problem=Invalid("appointment.problem.day_gone")))
                return Step(replace(self, day=day, step=AppointmentStep.SLOT, problem=None))
            case ChooseSlot(slot_id=slot_id) if self.step is AppointmentStep.SLOT:
                slot = find_slot(self.slots, self.day, slot_id)
                if slot is None:
                    return Step(replace(self, problem=Invalid("appointment.problem.day_gone")))
                return self._advance(ctx, slot=slot)
            case EnterName(name=name) if self.step is AppointmentStep.NAME:
                return self._enter_name(name, ctx)
            case EnterContact(phone=phone, email=email) if self.step is AppointmentStep.CONTACT:
                return self._enter_contact(phone, email, ctx)
            case ChangeItem(step=step) if self.step is AppointmentStep.SUMMARY and (
                step in self.sequence()[:-2]
            ):
                return self._go(step, ctx, editing=True)
            case Confirm() if self.step is AppointmentStep.SUMMARY:
                return self._book(ctx)
        return Step(self)

    def _outcome(self, event: EffectDone | EffectFailed, ctx: FlowContext) -> Step:
        done = replace(self, waiting_for=None)
        match event:
            case EffectDone(effect=LoadSchedules(), value=schedules):
                found = tuple(s for s in schedules if isinstance(s, Schedule))
                loaded = replace(done, schedules=found, problem=None if found else Invalid(
                    "appointment.problem.no_procedures"), preselected="")
                if self.preselected and loaded.schedule_id == "":
                    return loaded._choose_procedure(self.preselected, ctx)
                return Step(loaded)
            case EffectDone(effect=LoadSlots(), value=slots):
                fresh = usable_slots(slots, ctx.now)
                kept = self.problem if self.problem and self.problem.key == (
                    "appointment.problem.slot_taken") else None
                problem = kept if fresh else Invalid("appointment.problem.no_slots")
                return Step(replace(done, slots=fresh, problem=problem))
            case EffectDone(effect=BookSlot(submission=BookingRequest() as request),
                            value=Submitted() as submitted):
                return Step(replace(done, step=AppointmentStep.DONE,
                                    appointment=booked(submitted, request), problem=None,
                                    editing=False))
            case EffectFailed(effect=BookSlot(), failure=failure):
                if failure in (CentralFailure.CONFLICT, CentralFailure.NOT_FOUND):
                    # Someone took the slot between the choice and the confirmation: fresh
                    # slots, the same day if it still has some; the rest is kept.
                    return replace(done, slot=None, editing=True)._go(
                        AppointmentStep.DAY, ctx, editing=True,
                        problem=Invalid("appointment.problem.slot_taken"))
                key = ("appointment.problem.refused" if failure in (
                    CentralFailure.REJECTED, CentralFailure.UNAUTHORISED)
                    else "central.unusable" if failure is CentralFailure.MALFORMED
                    else "appointment.problem.not_booked")
                return Step(replace(done, problem=Invalid(key)))
            case EffectFailed(failure=failure):
                key = ("central.unusable" if failure is CentralFailure.MALFORMED
                       else "appointment.problem.unavailable")
                return Step(replace(done, problem=Invalid(key)))
        return Step(done)

    def _retry(self, ctx: FlowContext) -> Step:
        if self.step is AppointmentStep.PROCEDURE and not self.schedules:
            return self._waiting(LoadSchedules(session_id=ctx.session_id))
        if self.step is AppointmentStep.DAY and self.schedule is not None:
            return self._waiting(load_slots(ctx.session_id, self.schedule_id, ctx.now))
        if self.step is AppointmentStep.SUMMARY:
            return self._book(ctx)
        return Step(self)

    def _waiting(self, effect: Effect, problem: Invalid | None = None, **changes: object
                 ) -> Step:
        return Step(replace(self, waiting_for=effect.effect_id, problem=problem, **changes),
                    (effect,))

    def _choose_procedure(self, schedule_id: str, ctx: FlowContext) -> Step:
        schedule = next((s for s in self.schedules if s.id == schedule_id), None)
        if schedule is None:
            return Step(replace(self, problem=Invalid("appointment.problem.procedure_gone")))
        if schedule_id == self.schedule_id:
            return self._advance(ctx)
        # Another procedure: its slots are other slots; what was typed is kept.
        return replace(self, schedule_id=schedule_id, slots=(), day=None, slot=None
                       )._advance(ctx)

    def _enter_ants(self, text: str, ctx: FlowContext) -> Step:
        checked = check_ants_number(text)
        if isinstance(checked, Invalid):
            return Step(replace(self, ants_text=text, problem=Invalid(
                "appointment.problem.ants", example=ANTS_EXAMPLE)))
        return self._advance(ctx, ants_text=text, ants_number=checked)

    def _enter_name(self, name: str, ctx: FlowContext) -> Step:
        typed = replace(self, name_text=name)
        clean_name = " ".join(name.split())
        if not clean_name:
            return Step(replace(typed, problem=Invalid("appointment.problem.name")))
        if len(clean_name) > MAX_NAME:
            return Step(replace(typed, problem=Invalid("appointment.problem.name_too_long",
                                                       example=str(MAX_NAME))))
        return typed._advance(ctx, name=clean_name)

    def _enter_contact(self, phone: str, email: str, ctx: FlowContext) -> Step:
        typed = replace(self, phone_text=phone, email_text=email)
        checked_phone = check_phone(phone) if phone.strip() else ""
        if isinstance(checked_phone, Invalid):
            return Step(replace(typed, problem=Invalid("appointment.problem.phone",
                                                       example=checked_phone.example)))
        checked_email = check_email(email) if email.strip() else ""
        if isinstance(checked_email, Invalid):
            return Step(replace(typed, problem=Invalid("appointment.problem.email",
                                                       example=checked_email.example)))
        return typed._advance(ctx, phone=checked_phone, email=checked_email, contact_given=True)

    # -- moving between steps ----------------------------------------------------------------

    def _complete(self, step: AppointmentStep) -> bool:
        match step:
            case AppointmentStep.PROCEDURE:
                return self.schedule is not None
            case AppointmentStep.ANTS:
                return bool(self.ants_number)
            case AppointmentStep.DOCUMENTS:
                return self.documents > 0
            case AppointmentStep.DAY | AppointmentStep.SLOT:
                return self.slot is not None
            case AppointmentStep.NAME:
                return bool(self.name)
            case AppointmentStep.CONTACT:
                return self.contact_given
        return False

    def _advance(self, ctx: FlowContext, **changes: object) -> Step:
        """Record what the current step gave, then go on: to the next step, or (after a
        change asked from the summary) to the first step still incomplete, or the summary."""
        moved = replace(self, problem=None, **changes)
        sequence = moved.sequence()
        rest = sequence[sequence.index(moved.step) + 1:] if moved.step in sequence else ()
        if not moved.editing:
            return moved._go(rest[0], ctx)
        missing = next((s for s in rest if s not in (AppointmentStep.SUMMARY,
                                                     AppointmentStep.DONE)
                        and not moved._complete(s)), AppointmentStep.SUMMARY)
        return moved._go(missing, ctx, editing=missing is not AppointmentStep.SUMMARY)

    def _go(self, step: AppointmentStep, ctx: FlowContext, editing: bool | None = None,
            problem: Invalid | None = None) -> Step:
        """Show `step`; the day list always asks for fresh slots."""
        moved = replace(self, step=step, problem=problem,
                        editing=self.editing if editing is None else editing)
        if step is AppointmentStep.DAY:
            # Slots shown earlier may be gone: none can be chosen until the fresh ones come.
            return moved._waiting(load_slots(ctx.session_id, self.schedule_id, ctx.now),
                                  problem=problem, slots=())
        return Step(moved)

    def request(self, ctx: FlowContext) -> BookingRequest | None:
        """What is booked (the shell's handler adds the station reference)."""
        if self.slot is None or not self.name:
            return None
        ants = self.needs_ants
        return BookingRequest(slot=self.slot, name=self.name, station_id=ctx.station_id,
                              station_ref="", phone=self.phone, email=self.email,
                              ants_number=self.ants_number if ants else "",
                              documents=self.documents if ants else 1)

    def _book(self, ctx: FlowContext) -> Step:
        request = self.request(ctx)
        if request is None:
            return Step(self)
        return self._waiting(BookSlot(session_id=ctx.session_id, submission=request))

    def back(self, ctx: FlowContext) -> Step:
        """One step back. While the booking is on its way nothing moves (its answer decides);
        a change from the summary goes back to it when everything is still complete."""
        if self.waiting_for is not None and self.step is AppointmentStep.SUMMARY:
            return Step(self)
        if self.step is AppointmentStep.DONE:
            return Step(None)
        if self.editing and all(self._complete(s) for s in self.sequence()[:-2]):
            return Step(replace(self, step=AppointmentStep.SUMMARY, editing=False,
                                problem=None, waiting_for=None))
        if self.step is AppointmentStep.PROCEDURE:
            return Step(None)
        sequence = self.sequence()
        previous = sequence[sequence.index(self.step) - 1]
        # Going back to the days keeps the slots already loaded (no new question asked).
        return Step(replace(self, step=previous, problem=None, waiting_for=None,
                            editing=False if previous is AppointmentStep.PROCEDURE
                            else self.editing))


def start_appointment(ctx: FlowContext, param: str) -> Step:
    """Load what can be booked; with a schedule id (chosen in the services catalogue) go
    straight on to it once loaded."""
    effect = LoadSchedules(session_id=ctx.session_id)
    return Step(AppointmentFlow(waiting_for=effect.effect_id, preselected=param), (effect,))


def appointment_receipt(flow: AppointmentFlow, ctx: FlowContext, details: ReceiptDetails,
                        when: datetime) -> Receipt | None:
    """A booked appointment's receipt: the procedure, its day and time (not the moment it was
    booked), its place, and the booking reference that moving or cancelling asks for."""
    if flow.step is not AppointmentStep.DONE or flow.appointment is None:
        return None
    return booking_receipt(flow.appointment, flow.schedule, "appointment", ctx, details)


FLOW = FlowSpec(
    name=NAME, kind=AppointmentFlow, start=start_appointment, screens=tuple(SCREENS.values()),
    effects=(LoadSchedules, LoadSlots, BookSlot), receipt=appointment_receipt,
    home="home.entry.appointment", home_order=40,
)
