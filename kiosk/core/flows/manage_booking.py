"""Moving or cancelling a booking, found by its reference (typed, or read from the receipt's
QR code by the scanner).

Steps: FIND (the reference) → DETAIL (procedure, date, time, place; "Cancel this appointment"
or "Move it") → VERIFY (the name the booking is under) → CANCEL (are you sure?) → DONE; or
VERIFY → DAY → SLOT → MOVE (old and new, confirm) → DONE.

References are short and sequential, and a receipt's QR code holds one in clear: anyone may
type or scan one. So nothing is changed until the person has typed the name the booking is
under (kiosk/core/name_match.py); after MAX_NAME_TRIES wrong names the booking is let go and
the person is sent to the front desk. A booking with no name on record is changed at the
desk only.

A move books the new slot first and cancels the old booking only once the new one is
confirmed, both through the outbox: if the new booking fails, the old one stays. A
cancellation the central did not confirm in time stays in the outbox and is sent as soon as
it answers: unlike a booking, cancelling late is still what the person asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    CentralFailure,
    Holder,
    Schedule,
    Slot,
)
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.flows.appointment import DAY_SCREEN, SLOT_SCREEN
from kiosk.core.flows.base import (
    CodeScanned,
    Flow,
    FlowContext,
    FlowInput,
    FlowIntent,
    FlowSpec,
    FlowView,
    Step,
)
from kiosk.core.flows.booking import (
    BookSlot,
    CancelBooking,
    ChooseDay,
    ChooseSlot,
    LoadSlots,
    Retry,
    SlotChoice,
    booked,
    booking_receipt,
    cancellation,
    find_slot,
    load_slots,
    normalise_reference,
    reference_from_code,
    usable_slots,
)
from kiosk.core.name_match import names_match
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import Receipt
from kiosk.core.submission import Submitted
from kiosk.core.validation import Invalid

__all__ = [
    "AskCancel", "AskMove", "CancelBooking", "ChooseDay", "ChooseSlot", "ConfirmCancel",
    "ConfirmHolder", "ConfirmMove", "FindBooking", "FoundBooking", "ManageBookingFlow",
    "ManageOutcome", "ManageStep", "Retry", "SubmitReference", "start_manage_booking",
]

# Wrong names typed for one booking before it is let go (the person is sent to the desk).
MAX_NAME_TRIES = 3


class ManageStep(StrEnum):
    """The steps; DAY, SLOT and MOVE only when moving."""

    FIND = "find"
    DETAIL = "detail"
    VERIFY = "verify"
    CANCEL = "cancel"
    DAY = "day"
    SLOT = "slot"
    MOVE = "move"
    DONE = "done"


NAME = "manage_booking"
SCREENS = {
    ManageStep.FIND: "booking_find",
    ManageStep.DETAIL: "booking_detail",
    ManageStep.VERIFY: "booking_verify",
    ManageStep.CANCEL: "booking_cancel",
    ManageStep.DAY: DAY_SCREEN,
    ManageStep.SLOT: SLOT_SCREEN,
    ManageStep.MOVE: "booking_move",
    ManageStep.DONE: "booking_done",
}
CANCEL_PATH = (ManageStep.FIND, ManageStep.DETAIL, ManageStep.VERIFY, ManageStep.CANCEL,
               ManageStep.DONE)
MOVE_PATH = (ManageStep.FIND, ManageStep.DETAIL, ManageStep.VERIFY, ManageStep.DAY,
             ManageStep.SLOT, ManageStep.MOVE, ManageStep.DONE)


class ManageOutcome(StrEnum):
    """How it ended, in what the done screen says."""

    CANCELLED = "cancelled"
    #: stored in the outbox: it reaches the central as soon as it answers
    CANCEL_QUEUED = "cancel_queued"
    MOVED = "moved"
    MOVED_CANCEL_QUEUED = "moved_cancel_queued"
    #: the new booking holds; the old one was refused cancellation: the desk must see to it
    MOVED_CANCEL_FAILED = "moved_cancel_failed"


@dataclass(frozen=True)
class SubmitReference(FlowIntent):
    """The person asked to look a reference up."""

    text: str


@dataclass(frozen=True)
class AskCancel(FlowIntent):
    """"Cancel this appointment"."""


@dataclass(frozen=True)
class ConfirmCancel(FlowIntent):
    """"Yes, cancel it"."""


@dataclass(frozen=True)
class AskMove(FlowIntent):
    """"Move it": choose a new day and time."""


@dataclass(frozen=True)
class ConfirmHolder(FlowIntent):
    """The name the booking is under, as typed."""

    name: str


@dataclass(frozen=True)
class ConfirmMove(FlowIntent):
    """"Confirm the new time"."""


@dataclass(frozen=True)
class FindBooking(Effect):
    """The booking with this reference (value: `FoundBooking`, or None when unknown)."""

    reference: str = ""


@dataclass(frozen=True)
class FoundBooking:
    """A booking and what it is for (None when the central no longer offers the schedule)."""

    appointment: Appointment
    schedule: Schedule | None = None


@dataclass(frozen=True)
class ManageContent:
    """What the manage-booking screens show: the reference and the name as typed, the booking
    found and what it is for, whether it can still be changed, the days and times of a move,
    the new booking and how it ended."""

    step: ManageStep
    text: str
    name_text: str
    appointment: Appointment | None
    schedule: Schedule | None
    can_change: bool
    slots: SlotChoice
    moved_to: Appointment | None
    outcome: ManageOutcome | None
    #: a load failed and can be asked again
    can_retry: bool

    @property
    def slot(self) -> Slot | None:
        """The time chosen."""
        return self.slots.chosen


@dataclass(frozen=True)
class ManageBookingFlow(Flow):
    """The manage-booking flow's value."""

    step: ManageStep = ManageStep.FIND
    #: what was typed or scanned, kept while the person corrects it
    text: str = ""
    reference: str = ""
    found: FoundBooking | None = None
    slots: tuple[Slot, ...] = ()
    day: date | None = None
    slot: Slot | None = None
    #: the new booking of a move, once the central confirmed it
    moved_to: Appointment | None = None
    outcome: ManageOutcome | None = None
    #: the booking's time has passed: it is shown, it can no longer be changed
    past: bool = False
    #: the person typed the name the booking is under: they may change it
    verified: bool = False
    #: what the person asked for before the name check: moving (True) or cancelling
    wants_move: bool = False
    #: the name as typed, kept while the person corrects it
    name_text: str = ""
    name_tries: int = 0
    waiting_for: int | None = None
    problem: Invalid | None = None

    # -- what the screens read ---------------------------------------------------------------

    @property
    def appointment(self) -> Appointment | None:
        """The booking found."""
        return self.found.appointment if self.found else None

    @property
    def schedule(self) -> Schedule | None:
        """What the booking is for."""
        return self.found.schedule if self.found else None

    @property
    def can_change(self) -> bool:
        """Whether the booking can still be moved or cancelled (booked, not past)."""
        appointment = self.appointment
        return (appointment is not None and appointment.status is AppointmentStatus.BOOKED
                and not self.past)

    @property
    def moving(self) -> bool:
        """On the move path."""
        if self.step is ManageStep.VERIFY:
            return self.wants_move
        return self.step in (ManageStep.DAY, ManageStep.SLOT, ManageStep.MOVE) or (
            self.outcome is not None and self.outcome not in (ManageOutcome.CANCELLED,
                                                              ManageOutcome.CANCEL_QUEUED))

    def slot_choice(self) -> SlotChoice:
        """The days and times on offer for the move."""
        return SlotChoice(self.schedule, self.slots, self.day, self.slot)

    def view(self) -> FlowView:
        """The screen of the current step, "step n of m", and any problem."""
        path = MOVE_PATH if self.moving else CANCEL_PATH
        problem, args = "", ()
        if self.problem is not None:
            problem = self.problem.key
            args = (("label", self.problem.label), ("example", self.problem.example))
        content = ManageContent(
            step=self.step, text=self.text, name_text=self.name_text,
            appointment=self.appointment, schedule=self.schedule, can_change=self.can_change,
            slots=self.slot_choice(), moved_to=self.moved_to, outcome=self.outcome,
            can_retry=self.waiting_for is None and self.problem is not None)
        return FlowView(NAME, SCREENS[self.step], path.index(self.step) + 1, len(path),
                        busy=self.waiting_for is not None, problem=problem, problem_args=args,
                        content=content)

    # -- transitions -----------------------------------------------------------------------

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Intents of the person and outcomes of effects."""
        if isinstance(event, EffectDone | EffectFailed):
            if event.effect.effect_id != self.waiting_for:
                return Step(self)  # a stale answer: the person moved on
            return self._outcome(event, ctx)
        if self.waiting_for is not None and self.step in (ManageStep.CANCEL, ManageStep.MOVE):
            return Step(self)  # a booking or a cancellation is on its way
        match event:
            case SubmitReference(text=text) if self.step in (ManageStep.FIND, ManageStep.DETAIL):
                return self._look_up(text, normalise_reference(text), ctx)
            case CodeScanned(code=code) if self.step in (ManageStep.FIND, ManageStep.DETAIL):
                return self._look_up(code, reference_from_code(code), ctx)
            case Retry():
                return self._retry(ctx)
            case AskCancel() if self.step is ManageStep.DETAIL and self.can_change:
                return self._verified_then(replace(self, wants_move=False), ctx)
            case ConfirmCancel() if self.step is ManageStep.CANCEL:
                return self._cancel(ctx)
            case AskMove() if self.step is ManageStep.DETAIL and self.can_change:
                return self._verified_then(replace(self, wants_move=True), ctx)
            case ConfirmHolder(name=name) if self.step is ManageStep.VERIFY:
                return self._check_name(name, ctx)
            case ChooseDay(day=day) if self.step is ManageStep.DAY:
                if day not in self.slot_choice().days:
                    return Step(replace(self, problem=Invalid("appointment.problem.day_gone")))
                return Step(replace(self, day=day, step=ManageStep.SLOT, problem=None))
            case ChooseSlot(slot_id=slot_id) if self.step is ManageStep.SLOT:
                slot = find_slot(self.slots, self.day, slot_id)
                if slot is None:
                    return Step(replace(self, problem=Invalid("appointment.problem.day_gone")))
                return Step(replace(self, slot=slot, step=ManageStep.MOVE, problem=None))
            case ConfirmMove() if self.step is ManageStep.MOVE:
                return self._book(ctx)
        return Step(self)

    def _outcome(self, event: EffectDone | EffectFailed, ctx: FlowContext) -> Step:
        done = replace(self, waiting_for=None)
        match event:
            case EffectDone(effect=FindBooking(), value=None):
                return Step(replace(done, problem=Invalid("booking.problem.unknown")))
            case EffectDone(effect=FindBooking(), value=FoundBooking() as found):
                if found.appointment.status is AppointmentStatus.CANCELLED:
                    return Step(replace(done, problem=Invalid("booking.problem.cancelled")))
                past = found.appointment.start <= ctx.now
                # Looking the same booking up again does not give more tries at its name.
                same = self.appointment is not None and self.appointment.id == (
                    found.appointment.id)
                return Step(replace(done, step=ManageStep.DETAIL, found=found, slots=(),
                                    day=None, slot=None, moved_to=None, outcome=None,
                                    past=past, verified=False, name_text="",
                                    name_tries=self.name_tries if same else 0,
                                    problem=Invalid("booking.problem.past") if past else None))
            case EffectFailed(effect=FindBooking(), failure=failure):
                key = {CentralFailure.CONFLICT: "booking.problem.cancelled",
                       CentralFailure.NOT_FOUND: "booking.problem.unknown",
                       CentralFailure.MALFORMED: "central.unusable"}.get(
                    failure, "booking.problem.unavailable")
                return Step(replace(done, problem=Invalid(key)))
            case EffectDone(effect=LoadSlots(), value=slots):
                fresh = tuple(s for s in usable_slots(slots, ctx.now)
                              if self.appointment is None or s.start != self.appointment.start)
                kept = self.problem if self.problem and self.problem.key == (
                    "appointment.problem.slot_taken") else None
                problem = kept if fresh else Invalid("appointment.problem.no_slots")
                return Step(replace(done, slots=fresh, problem=problem))
            case EffectDone(effect=BookSlot(submission=BookingRequest() as request),
                            value=Submitted() as submitted):
                # The new slot is ours: now the old booking can go.
                return replace(done, moved_to=booked(submitted, request))._cancel(ctx)
            case EffectFailed(effect=BookSlot(), failure=failure):
                if failure in (CentralFailure.CONFLICT, CentralFailure.NOT_FOUND):
                    return done._to_days(ctx, Invalid("appointment.problem.slot_taken"))
                return Step(replace(done, problem=Invalid("booking.problem.not_moved")))
            case EffectDone(effect=CancelBooking(submission=Appointment() as cancelled),
                            value=Submitted() as submitted):
                confirmed = cancellation(submitted, cancelled).confirmed
                moved = self.moved_to is not None
                outcome = {(False, True): ManageOutcome.CANCELLED,
                           (False, False): ManageOutcome.CANCEL_QUEUED,
                           (True, True): ManageOutcome.MOVED,
                           (True, False): ManageOutcome.MOVED_CANCEL_QUEUED}[
                    (moved, confirmed)]
                return Step(replace(done, step=ManageStep.DONE, outcome=outcome, problem=None))
            case EffectFailed(effect=CancelBooking(), failure=failure):
                gone = failure in (CentralFailure.NOT_FOUND, CentralFailure.CONFLICT)
                if self.moved_to is not None:
                    outcome = ManageOutcome.MOVED if gone else ManageOutcome.MOVED_CANCEL_FAILED
                    return Step(replace(done, step=ManageStep.DONE, outcome=outcome,
                                        problem=None))
                if gone:
                    return Step(replace(done, step=ManageStep.DONE,
                                        outcome=ManageOutcome.CANCELLED, problem=None))
                return Step(replace(done, problem=Invalid("booking.problem.not_cancelled")))
            case EffectFailed(failure=failure):
                key = ("central.unusable" if failure is CentralFailure.MALFORMED
                       else "appointment.problem.unavailable")
                return Step(replace(done, problem=Invalid(key)))
        return Step(done)

    def _waiting(self, effect: Effect, problem: Invalid | None = None, **changes: object
                 ) -> Step:
        return Step(replace(self, waiting_for=effect.effect_id, problem=problem, **changes),
                    (effect,))

    def _look_up(self, text: str, reference: str | None, ctx: FlowContext) -> Step:
        if reference is None:
            return Step(replace(self, text=text, problem=Invalid("booking.problem.bad_reference"),
                                step=ManageStep.FIND))
        return self._waiting(FindBooking(session_id=ctx.session_id, reference=reference),
                             text=text, reference=reference, step=ManageStep.FIND)

    def _verified_then(self, flow: ManageBookingFlow, ctx: FlowContext) -> Step:
        """On to what the person asked for once the name is checked; to the check first."""
        holder = self.appointment.holder if self.appointment else None
        if not flow.verified and (holder is None or not holder.name.strip()):
            return Step(replace(flow, problem=Invalid("booking.problem.desk_only")))
        if not flow.verified:
            return Step(replace(flow, step=ManageStep.VERIFY, problem=None))
        if flow.wants_move:
            return flow._to_days(ctx)
        return Step(replace(flow, step=ManageStep.CANCEL, problem=None))

    def _check_name(self, typed: str, ctx: FlowContext) -> Step:
        holder = self.appointment.holder if self.appointment else None
        if holder is not None and names_match(typed, holder.name):
            return self._verified_then(replace(self, verified=True, name_text=""), ctx)
        if not typed.strip():
            return Step(replace(self, name_text="",
                                problem=Invalid("booking.problem.name_mismatch")))
        tries = self.name_tries + 1
        if tries >= MAX_NAME_TRIES:
            # Let the booking go: a stranger cannot go on guessing names for it.
            return Step(ManageBookingFlow(problem=Invalid("booking.problem.name_tries")))
        return Step(replace(self, name_text=typed, name_tries=tries,
                            problem=Invalid("booking.problem.name_mismatch")))

    def _retry(self, ctx: FlowContext) -> Step:
        match self.step:
            case ManageStep.FIND if self.reference:
                return self._waiting(FindBooking(session_id=ctx.session_id,
                                                 reference=self.reference))
            case ManageStep.DAY:
                return self._to_days(ctx)
            case ManageStep.CANCEL:
                return self._cancel(ctx)
            case ManageStep.MOVE:
                return self._book(ctx)
        return Step(self)

    def _to_days(self, ctx: FlowContext, problem: Invalid | None = None) -> Step:
        appointment = self.appointment
        if appointment is None:
            return Step(self)
        return self._waiting(load_slots(ctx.session_id, appointment.schedule_id, ctx.now),
                             problem=problem, step=ManageStep.DAY, slots=(), slot=None)

    def _cancel(self, ctx: FlowContext) -> Step:
        appointment = self.appointment
        if appointment is None:
            return Step(self)
        return self._waiting(CancelBooking(session_id=ctx.session_id, submission=appointment))

    def request(self, ctx: FlowContext) -> BookingRequest | None:
        """The new booking: the new slot, under the old booking's name and numbers."""
        if self.slot is None or self.appointment is None:
            return None
        holder = self.appointment.holder or Holder()
        return BookingRequest(slot=self.slot, name=holder.name, station_id=ctx.station_id,
                              station_ref="", phone=holder.phone, email=holder.email,
                              ants_number=holder.ants_number, documents=holder.documents)

    def _book(self, ctx: FlowContext) -> Step:
        if self.moved_to is not None:
            return self._cancel(ctx)  # the new booking holds: only the cancellation is left
        request = self.request(ctx)
        if request is None:
            return Step(self)
        return self._waiting(BookSlot(session_id=ctx.session_id, submission=request))

    def back(self, ctx: FlowContext) -> Step:
        """One step back; nothing moves while a booking or a cancellation is on its way."""
        if self.waiting_for is not None and self.step in (ManageStep.CANCEL, ManageStep.MOVE):
            return Step(self)
        previous = {ManageStep.DETAIL: ManageStep.FIND, ManageStep.VERIFY: ManageStep.DETAIL,
                    ManageStep.CANCEL: ManageStep.DETAIL,
                    ManageStep.DAY: ManageStep.DETAIL, ManageStep.SLOT: ManageStep.DAY,
                    ManageStep.MOVE: ManageStep.SLOT}.get(self.step)
        if previous is None:
            return Step(None)
        return Step(replace(self, step=previous, waiting_for=None, problem=None))


def start_manage_booking(ctx: FlowContext, param: str) -> Step:
    """Start at FIND; with a reference (a scanned receipt), look it up at once."""
    flow = ManageBookingFlow()
    return flow.handle(CodeScanned(param), ctx) if param else Step(flow)


def moved_receipt(flow: ManageBookingFlow, ctx: FlowContext, details: ReceiptDetails,
                  _when: datetime) -> Receipt | None:
    """A moved booking's receipt: the new day and time and the new booking's reference (the
    old receipt now tells the wrong time). A cancellation leaves nothing to keep."""
    if flow.step is not ManageStep.DONE or flow.moved_to is None:
        return None
    return booking_receipt(flow.moved_to, flow.schedule, "moved", ctx, details)


FLOW = FlowSpec(
    name=NAME, kind=ManageBookingFlow, start=start_manage_booking,
    screens=tuple(dict.fromkeys(SCREENS.values())),
    effects=(FindBooking, LoadSlots, BookSlot, CancelBooking), receipt=moved_receipt,
    home="home.entry.manage_booking", home_order=50,
)
