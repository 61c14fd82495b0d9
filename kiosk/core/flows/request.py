"""Submitting a request or a street report and leaving with a number.

Steps: SERVICE (which service) → FIELD × n (one question per screen, from the service's form,
in its order) → PLACE (the station's own position and address, or another address) →
CONTACT (optional e-mail or phone) → SUMMARY ("Change" per item, "Confirm") → DONE (the
tracking number; or the station reference when the central did not answer in time; or "this
service gives no tracking number").

The submission goes through the outbox (the `SubmitRequest` effect): it is stored before the
screen says it is sent, and the person always leaves with a reference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from kiosk.core.central import (
    Answer,
    CentralFailure,
    Contact,
    FormField,
    Place,
    RequestSubmission,
    Service,
    ServiceForm,
    ServiceKind,
    SubmissionOutcome,
    SubmissionResult,
)
from kiosk.core.effects import Effect, EffectDone, EffectFailed
from kiosk.core.flows.base import Flow, FlowContext, FlowInput, FlowIntent, FlowSpec, FlowView, Step
from kiosk.core.i18n import translate
from kiosk.core.printing import ReceiptDetails
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.core.submission import Delivery, Submit, Submitted
from kiosk.core.validation import Invalid, check_email, check_field, check_phone

NAME = "request"

MAX_ADDRESS = 200


class RequestStep(StrEnum):
    """The steps, in order."""

    SERVICE = "service"
    FIELD = "field"
    PLACE = "place"
    CONTACT = "contact"
    SUMMARY = "summary"
    DONE = "done"


SCREENS = {
    RequestStep.SERVICE: "request_service",
    RequestStep.FIELD: "request_field",
    RequestStep.PLACE: "request_place",
    RequestStep.CONTACT: "request_contact",
    RequestStep.SUMMARY: "request_summary",
    RequestStep.DONE: "request_done",
}


# -- intents and effects ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseService(FlowIntent):
    """The person chose a service."""

    service_id: str


@dataclass(frozen=True)
class AnswerField(FlowIntent):
    """The answer to the current question (text, or the keys of the chosen values)."""

    value: Answer


@dataclass(frozen=True)
class ChoosePlace(FlowIntent):
    """Here, at the station (`address` empty), or at the address typed."""

    address: str = ""


@dataclass(frozen=True)
class EnterContact(FlowIntent):
    """How the city may reach the person; both may be empty."""

    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ChangeItem(FlowIntent):
    """From the summary: go back to one step (a field by its index) and come back."""

    step: RequestStep
    field_index: int = 0


@dataclass(frozen=True)
class Confirm(FlowIntent):
    """The person confirmed the summary."""


@dataclass(frozen=True)
class Retry(FlowIntent):
    """Load again what failed to load."""


@dataclass(frozen=True)
class LoadServices(Effect):
    """The central's services that take requests."""


@dataclass(frozen=True)
class LoadForm(Effect):
    """The questions of one service."""

    service_id: str = ""


@dataclass(frozen=True)
class SubmitRequest(Submit):
    """Store the submission in the outbox, then try to deliver it at once; unanswered, it
    stays in the outbox and the person leaves with the station reference."""

    delivery = Delivery.KEEP


@dataclass(frozen=True)
class SubmissionReceipt:
    """What the person leaves with: the station reference always, the central's answer when
    it came in time."""

    station_ref: str
    result: SubmissionResult | None = None


@dataclass(frozen=True)
class RequestContent:
    """What the request screens show: the services, the service chosen and its questions,
    the question on screen and what was answered or typed, the place and contact as typed,
    and, once sent, the receipt."""

    services: tuple[Service, ...]
    service: Service | None
    fields: tuple[FormField, ...]
    field_index: int
    answers: Mapping[str, Answer]
    drafts: Mapping[str, Answer]
    address: str
    email: str
    phone: str
    receipt: SubmissionReceipt | None

    @property
    def current_field(self) -> FormField | None:
        """The question on screen at the FIELD step."""
        fields = self.fields
        return fields[self.field_index] if 0 <= self.field_index < len(fields) else None


# -- the flow value ---------------------------------------------------------------------------


def _frozen(mapping: Mapping[str, Answer]) -> Mapping[str, Answer]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class RequestFlow(Flow):
    """The request flow's value; everything typed is kept until the session ends."""

    step: RequestStep = RequestStep.SERVICE
    services: tuple[Service, ...] = ()
    form: ServiceForm | None = None
    field_index: int = 0
    answers: Mapping[str, Answer] = field(default_factory=lambda: _frozen({}))
    #: what was typed for each field, kept when a check refuses it
    drafts: Mapping[str, Answer] = field(default_factory=lambda: _frozen({}))
    address: str = ""
    email: str = ""
    phone: str = ""
    #: a change asked from the summary returns there once done
    editing: bool = False
    #: a service chosen before the flow started (from the services catalogue)
    preselected: str = ""
    waiting_for: int | None = None
    problem: Invalid | None = None
    receipt: SubmissionReceipt | None = None

    # -- view --------------------------------------------------------------------------

    @property
    def fields(self) -> tuple[FormField, ...]:
        """The form's questions in their order."""
        return tuple(sorted(self.form.fields, key=lambda f: f.order)) if self.form else ()

    @property
    def current_field(self) -> FormField | None:
        """The question on screen at the FIELD step."""
        fields = self.fields
        return fields[self.field_index] if 0 <= self.field_index < len(fields) else None

    def _position(self) -> tuple[int, int]:
        fields = len(self.fields)
        total = 1 + fields + 3  # service, the fields, place, contact, summary
        offsets = {RequestStep.SERVICE: 1, RequestStep.FIELD: 2 + self.field_index,
                   RequestStep.PLACE: 2 + fields, RequestStep.CONTACT: 3 + fields,
                   RequestStep.SUMMARY: 4 + fields, RequestStep.DONE: total}
        return offsets[self.step], total

    def view(self) -> FlowView:
        """The screen of the current step, its number, and any problem."""
        step, steps = self._position()
        problem, args = "", ()
        if self.problem is not None:
            problem = self.problem.key
            args = (("label", self.problem.label), ("example", self.problem.example))
        content = RequestContent(
            services=self.services, service=self.form.service if self.form else None,
            fields=self.fields, field_index=self.field_index, answers=self.answers,
            drafts=self.drafts, address=self.address, email=self.email, phone=self.phone,
            receipt=self.receipt)
        return FlowView(NAME, SCREENS[self.step], step, steps,
                        busy=self.waiting_for is not None, problem=problem, problem_args=args,
                        content=content)

    # -- transitions -------------------------------------------------------------------

    def handle(self, event: FlowInput, ctx: FlowContext) -> Step:
        """Intents of the person and outcomes of effects."""
        match event:
            case EffectDone() | EffectFailed() if event.effect.effect_id != self.waiting_for:
                return Step(self)  # a stale answer (the person moved on)
            case EffectDone(effect=LoadServices(), value=services):
                requests = tuple(s for s in services if s.kind is ServiceKind.REQUEST)
                loaded = replace(self, services=requests, waiting_for=None, problem=None,
                                 preselected="")
                if self.preselected:
                    return loaded._choose(self.preselected, ctx)
                return Step(loaded)
            case EffectDone(effect=LoadForm(), value=form):
                return Step(replace(self, form=form, step=RequestStep.FIELD, field_index=0,
                                    waiting_for=None, problem=None)._skip_if_no_fields())
            case EffectDone(effect=SubmitRequest(), value=Submitted() as submitted):
                answer = submitted.answer
                receipt = SubmissionReceipt(
                    submitted.station_ref, answer if isinstance(answer, SubmissionResult) else None)
                return Step(replace(self, step=RequestStep.DONE, receipt=receipt,
                                    waiting_for=None, problem=None))
            case EffectFailed(effect=effect, failure=failure):
                key = ("request.submit_failed" if isinstance(effect, SubmitRequest)
                       else "request.central_unavailable")
                if failure is CentralFailure.NOT_FOUND and isinstance(effect, LoadForm):
                    key = "request.service_gone"
                if failure is CentralFailure.MALFORMED:  # it answered, unreadably
                    key = "central.unusable"
                return Step(replace(self, waiting_for=None, problem=Invalid(key)))
            case Retry():
                return self._retry(ctx)
            case ChooseService(service_id=service_id):
                return self._choose(service_id, ctx)
            case AnswerField(value=value):
                return self._answer(value)
            case ChoosePlace(address=address):
                return self._place(address)
            case EnterContact(email=email, phone=phone):
                return self._contact(email, phone)
            case ChangeItem(step=step, field_index=index):
                if self.step is RequestStep.SUMMARY:
                    return Step(replace(self, step=step, field_index=index, editing=True,
                                        problem=None))
            case Confirm() if self.step is RequestStep.SUMMARY and self.waiting_for is None:
                return self._submit(ctx)
        return Step(self)

    def _waiting(self, effect: Effect, **changes: object) -> Step:
        return Step(replace(self, waiting_for=effect.effect_id, problem=None, **changes),
                    (effect,))

    def _retry(self, ctx: FlowContext) -> Step:
        if self.step is RequestStep.SERVICE and not self.services:
            return self._waiting(LoadServices(session_id=ctx.session_id))
        if self.step is RequestStep.SUMMARY:
            return self._submit(ctx)
        return Step(self)

    def _choose(self, service_id: str, ctx: FlowContext) -> Step:
        service = next((s for s in self.services if s.id == service_id), None)
        if service is None:
            return Step(replace(self, problem=Invalid("request.service_gone")))
        if not service.has_form:
            empty = ServiceForm(service, ())
            return Step(replace(self, form=empty, step=RequestStep.PLACE, problem=None))
        return self._waiting(LoadForm(session_id=ctx.session_id, service_id=service_id))

    def _skip_if_no_fields(self) -> RequestFlow:
        return self if self.fields else replace(self, step=RequestStep.PLACE)

    def _after_edit(self, default: RequestStep, **changes: object) -> Step:
        if self.editing:
            return Step(replace(self, step=RequestStep.SUMMARY, editing=False, problem=None,
                                **changes))
        return Step(replace(self, step=default, problem=None, **changes))

    def _answer(self, value: Answer) -> Step:
        question = self.current_field
        if self.step is not RequestStep.FIELD or question is None:
            return Step(self)
        drafts = _frozen({**self.drafts, question.code: value})
        checked = check_field(question, value)
        if isinstance(checked, Invalid):
            return Step(replace(self, drafts=drafts, problem=checked))
        answers = dict(self.answers)
        if checked is None:
            answers.pop(question.code, None)
        else:
            answers[question.code] = checked
        changes = {"drafts": drafts, "answers": _frozen(answers)}
        if self.field_index + 1 < len(self.fields) and not self.editing:
            return Step(replace(self, field_index=self.field_index + 1, problem=None, **changes))
        return self._after_edit(RequestStep.PLACE, **changes)

    def _place(self, address: str) -> Step:
        address = " ".join(address.split())
        if len(address) > MAX_ADDRESS:
            return Step(replace(self, address=address,
                                problem=Invalid("error.too_long", "", str(MAX_ADDRESS))))
        return self._after_edit(RequestStep.CONTACT, address=address)

    def _contact(self, email: str, phone: str) -> Step:
        checked_email = check_email(email) if email.strip() else ""
        checked_phone = check_phone(phone) if phone.strip() else ""
        for checked in (checked_email, checked_phone):
            if isinstance(checked, Invalid):
                return Step(replace(self, email=email, phone=phone, problem=checked))
        return self._after_edit(RequestStep.SUMMARY, email=checked_email, phone=checked_phone)

    def submission(self, ctx: FlowContext) -> RequestSubmission:
        """What is sent: the answers, the place (the station's when no address was typed),
        the contact, the station; the outbox adds the station reference."""
        place = ctx.place if not self.address else Place(address=self.address)
        service_id = self.form.service.id if self.form else ""
        return RequestSubmission(
            service_id=service_id, answers=self.answers, place=place,
            station_id=ctx.station_id, station_ref="",
            contact=Contact(email=self.email, phone=self.phone),
        )

    def _submit(self, ctx: FlowContext) -> Step:
        effect = SubmitRequest(session_id=ctx.session_id, submission=self.submission(ctx))
        return self._waiting(effect)

    def back(self, ctx: FlowContext) -> Step:
        """One step back; edits from the summary go back to the summary."""
        if self.waiting_for is not None and self.step is RequestStep.SUMMARY:
            return Step(self)  # the submission is on its way: stay for its answer
        if self.editing:
            return Step(replace(self, step=RequestStep.SUMMARY, editing=False, problem=None))
        match self.step:
            case RequestStep.SERVICE | RequestStep.DONE:
                return Step(None)
            case RequestStep.FIELD if self.field_index > 0:
                return Step(replace(self, field_index=self.field_index - 1, problem=None))
            case RequestStep.FIELD:
                return Step(replace(self, step=RequestStep.SERVICE, problem=None))
            case RequestStep.PLACE:
                if self.fields:
                    return Step(replace(self, step=RequestStep.FIELD,
                                        field_index=len(self.fields) - 1, problem=None))
                return Step(replace(self, step=RequestStep.SERVICE, problem=None))
            case RequestStep.CONTACT:
                return Step(replace(self, step=RequestStep.PLACE, problem=None))
            case RequestStep.SUMMARY:
                return Step(replace(self, step=RequestStep.CONTACT, problem=None))
        return Step(None)

    # -- what the done screen says -------------------------------------------------------

    @property
    def outcome(self) -> SubmissionOutcome | None:
        """The central's answer, or None when it did not come in time (offline)."""
        if self.receipt is None or self.receipt.result is None:
            return None
        return self.receipt.result.outcome


def start_request(ctx: FlowContext, param: str) -> Step:
    """Load the services; with a service id (chosen in the services catalogue) go straight
    on to that service once they are loaded."""
    effect = LoadServices(session_id=ctx.session_id)
    return Step(RequestFlow(waiting_for=effect.effect_id, preselected=param), (effect,))


def services_by_group(services: Sequence[Service]) -> dict[str, list[Service]]:
    """Services grouped as the central groups them, in the central's order."""
    groups: dict[str, list[Service]] = {}
    for service in services:
        groups.setdefault(service.group or "", []).append(service)
    return groups


def request_receipt(flow: RequestFlow, ctx: FlowContext, details: ReceiptDetails,
                    when: datetime) -> Receipt | None:
    """A request's receipt once it is submitted: the central's tracking number, or the
    station reference while the central has not given one (offline, batch, blackbox), with
    what the person can do with it."""
    receipt = flow.receipt
    if flow.step is not RequestStep.DONE or receipt is None:
        return None
    lang = ctx.language
    result = receipt.result
    if result is not None and result.outcome is SubmissionOutcome.NUMBERED and result.number:
        number, kind, next_key = result.number, NumberKind.TRACKING, "receipt.next.numbered"
    else:
        number, kind = receipt.station_ref, NumberKind.STATION
        next_key = {None: "receipt.next.queued",
                    SubmissionOutcome.PENDING: "receipt.next.pending",
                    SubmissionOutcome.UNNUMBERED: "receipt.next.unnumbered"}.get(
            result.outcome if result is not None else None, "receipt.next.queued")
    service = flow.form.service.name if flow.form is not None else ""
    title = (translate("receipt.title.request", lang, service=service) if service
             else translate("receipt.title.request_plain", lang))
    return Receipt(
        city=details.city, title=title, when=when, place=details.place, number=number,
        number_kind=kind, language=lang, next_steps=(translate(next_key, lang),),
        tracking_url=details.tracking_url, logo=details.logo,
    )


FLOW = FlowSpec(
    name=NAME, kind=RequestFlow, start=start_request, screens=tuple(SCREENS.values()),
    effects=(LoadServices, LoadForm, SubmitRequest), receipt=request_receipt,
    home="home.entry.request", home_order=20,
)
