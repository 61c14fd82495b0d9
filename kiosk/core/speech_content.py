"""What a screen shows from its flow, in words to be said (docs/accessibility.md H1, H7, H9):
the status of a tracked request, the day whose times are offered, the lines of a summary, the
question being asked, and a receipt.

What the person entered and the numbers that find their case (names, addresses, phone
numbers, e-mail addresses, answers, ANTS and tracking numbers) are private (H7): they are read
only when `private` is true, that is when a headset is in the jack; otherwise the sentence
says how to hear them. Pure: the speech policy (kiosk/core/speech.py) calls these with the
view's flow content."""

from __future__ import annotations

from kiosk.core.central import Answer, FormField
from kiosk.core.dates import clock_time, long_date, weekday_date
from kiosk.core.flows.appointment import AppointmentContent
from kiosk.core.flows.manage_booking import ManageContent
from kiosk.core.flows.request import RequestContent
from kiosk.core.flows.tracking import TrackingContent
from kiosk.core.i18n import translate
from kiosk.core.printing import PrintStatus, PrintView, failure_message
from kiosk.core.receipt import NumberKind, Receipt, number_groups


def spelled(number: str, kind: NumberKind = NumberKind.TRACKING) -> str:
    """A number to be read one character at a time, group by group ("104217" → "1 0 4, 2 1
    7"), as it is printed (kiosk/core/receipt.py groups it)."""
    return ", ".join(" ".join(group) for group in number_groups(number, kind) if group)


def private_value(value: str, private: bool, lang: str) -> str:
    """`value` when private information may be said, else how to hear it."""
    return value if private else translate("speech.private", lang)


def content_parts(screen: str, content: object, lang: str, private: bool) -> list[str]:
    """What the screen `screen` says of the flow's `content`, after its title."""
    match content:
        case TrackingContent(report=report) if screen == "tracking_result" and report:
            number = private_value(spelled(report.number), private, lang)
            status = translate(f"status.{report.status.value}", lang)
            return [translate("speech.number", lang, number=number), report.service_name,
                    translate("tracking.current", lang, status=status),
                    *(translate("tracking.history_line", lang, date=long_date(step.at, lang),
                                status=translate(f"status.{step.status.value}", lang))
                      for step in report.history)]
        case AppointmentContent() | ManageContent() if screen == "appointment_slot":
            day = content.slots.day
            return [translate("appointment.slot.title", lang, day=weekday_date(day, lang))
                    ] if day else []
        case AppointmentContent() if screen == "appointment_summary":
            return appointment_lines(content, lang, private)
        case RequestContent() if screen == "request_field":
            return question_lines(content.current_field, lang)
        case RequestContent() if screen == "request_summary" and content.service:
            return request_lines(content, lang, private)
    return []


def appointment_lines(content: AppointmentContent, lang: str, private: bool) -> list[str]:
    """The summary of an appointment, item by item, as the screen lists it."""
    lines = []
    schedule = content.schedule
    if schedule is not None:
        what = schedule.name if not schedule.place else translate(
            "appointment.procedure_at", lang, procedure=schedule.name, place=schedule.place)
        lines.append(translate("appointment.summary.procedure", lang, procedure=what))
    if content.needs_ants:
        lines.append(translate("appointment.summary.ants", lang, number=private_value(
            spelled(content.ants_number), private, lang)))
        lines.append(translate("appointment.summary.documents", lang,
                               count=content.documents))
    if content.slot is not None:
        lines.append(translate("appointment.summary.when", lang,
                               date=weekday_date(content.slot.start, lang),
                               time=clock_time(content.slot.start, lang)))
    lines.append(translate("appointment.summary.name", lang,
                           name=private_value(content.name, private, lang)))
    none = translate("appointment.summary.none", lang)
    phone, email = (private_value(value, private, lang) if value else none
                    for value in (content.phone, content.email))
    lines.append(translate("appointment.summary.contact", lang, phone=phone, email=email))
    return lines


def question_lines(question: FormField | None, lang: str) -> list[str]:
    """A question of a request's form: its words, its help, whether it must be answered, and
    the form the answer takes."""
    if question is None:
        return []
    needed_key = "request.required" if question.required else "request.optional"
    needed = translate(needed_key, lang)
    return [question.label, *([question.help] if question.help else []), needed,
            translate(f"request.format.{question.type.value}", lang)]


def answer_text(question: FormField, answer: Answer | None, lang: str) -> str:
    """An answer as the person chose it (choice labels rather than their keys)."""
    if answer is None or answer == "" or answer == ():
        return translate("request.no_answer", lang)
    labels = {c.key: c.label for c in question.choices}
    values = answer if isinstance(answer, tuple) else (answer,)
    return ", ".join(labels.get(v, v) for v in values)


def request_lines(content: RequestContent, lang: str, private: bool) -> list[str]:
    """The summary of a request: the service, then each answer, the place and the contact,
    what the person gave being private."""
    service = content.service.name if content.service else ""
    lines = [translate("request.summary_service", lang, service=service)]
    for question in content.fields:
        answer = answer_text(question, content.answers.get(question.code), lang)
        lines.append(f"{question.label} : {private_value(answer, private, lang)}")
    if content.address:
        lines.append(translate("request.summary_place", lang,
                               place=private_value(content.address, private, lang)))
    contact = ", ".join(c for c in (content.email, content.phone) if c)
    lines.append(translate("request.summary_contact", lang, contact=private_value(
        contact, private, lang) if contact else translate("request.no_contact", lang)))
    return lines


def receipt_lines(receipt: Receipt, lang: str, private: bool) -> list[str]:
    """What a receipt says that is needed to check it (docs/accessibility.md H9): when, where,
    the number one character at a time (private), and what comes next."""
    when_label = "receipt.when.booking" if receipt.number_kind is NumberKind.BOOKING else (
        "receipt.when")
    number = private_value(spelled(receipt.number, receipt.number_kind), private, lang)
    return [f"{translate(when_label, lang)} : {receipt.when_text}",
            f"{translate('receipt.place', lang)} : {receipt.place}",
            f"{translate(f'receipt.number.{receipt.number_kind.value}', lang)} : {number}",
            *receipt.next_steps]


def printing_lines(printing: PrintView, lang: str) -> list[str]:
    """Where the printing of the receipt stands (docs/accessibility.md H15)."""
    match printing.status:
        case PrintStatus.PRINTING:
            return [translate("print.printing", lang)]
        case PrintStatus.PRINTED:
            return [translate("print.printed", lang)]
        case PrintStatus.FAILED:
            failure = [translate(failure_message(printing.failure), lang)] if (
                printing.failure) else []
            return [translate("print.not_printed", lang), *failure]
    return []
