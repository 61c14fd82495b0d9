"""The outbox's JSON codec: what a station queued is read back exactly, after a restart or an
update, and a payload it cannot read is refused with a message that names a field, never a
value (a payload holds personal data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.core.central import (
    Appointment,
    AppointmentStatus,
    BookingRequest,
    Contact,
    Place,
    RequestSubmission,
    Slot,
    SlotStatus,
    SurveyAnswer,
)
from kiosk.outbox import codec
from kiosk.outbox.codec import CodecError, ItemKind

PARIS_SUMMER = timezone(timedelta(hours=2))

REQUEST = RequestSubmission(
    service_id="open311:001",
    answers={"kind": "encombrant", "items": ("frigo", "matelas"), "empty": ()},
    place=Place(lat=48.856614, long=2.3522219, address="1 place de l’Hôtel de Ville"),
    station_id="mairie-annexe-2",
    station_ref="mairie-annexe-2-20250611-0042",
    description="Dépôt sauvage « urgent » devant le n° 12\nDeuxième ligne",
    contact=Contact(first_name="Zéphyrine", last_name="Quatremains",
                    email="z.q@example.org", phone="+33 6 12 34 56 78"),
)
BOOKING = BookingRequest(
    slot=Slot(id="2025-06-12:09:30", schedule_id="chrono:passeport-cni/base",
              start=datetime(2025, 6, 12, 9, 30, tzinfo=PARIS_SUMMER),
              end=datetime(2025, 6, 12, 9, 50, 0, 123456, tzinfo=PARIS_SUMMER),
              status=SlotStatus.FREE),
    name="Zéphyrine Quatremains", station_id="borne-1", station_ref="borne-1-20250611-0007",
    phone="0612345678", email="", ants_number="1234ABCD56", documents=2,
)
CANCELLATION = Appointment(
    id="4521", schedule_id="chrono:encombrants/base",
    start=datetime(2025, 6, 12, 7, 0, tzinfo=UTC), end=datetime(2025, 6, 12, 7, 30),
    status=AppointmentStatus.BOOKED,
    links={"cancel_url": "http://127.0.0.1:8311/chrono/api/booking/4521/cancel/"},
)
SURVEY = SurveyAnswer(flow="request", station_id="borne-1",
                      station_ref="borne-1-20250611-0008", overall=10, clarity=None,
                      help_received="none")


@pytest.mark.parametrize("submission", [REQUEST, BOOKING, CANCELLATION, SURVEY,
                                        SurveyAnswer("booking", "b", "b-20250101-0001"),
                                        RequestSubmission("wcs:x", {}, Place(), "b",
                                                          "b-20250101-0002")],
                         ids=["request", "booking", "cancellation", "survey", "empty-survey",
                              "bare-request"])
def test_round_trip_is_exact(submission):
    text = codec.encode(submission)
    back = codec.decode(text)
    assert back == submission
    assert type(back) is type(submission)
    # The types inside come back too, not just equal values (a tuple stays a tuple).
    if isinstance(submission, RequestSubmission) and submission.answers:
        assert back.answers["items"] == ("frigo", "matelas")
        assert isinstance(back.answers["items"], tuple)


def test_datetimes_keep_their_offset_and_microseconds():
    back = codec.decode(codec.encode(BOOKING))
    assert back.slot.start.utcoffset() == timedelta(hours=2)
    assert back.slot.end.microsecond == 123456
    appointment = codec.decode(codec.encode(CANCELLATION))
    assert appointment.start.tzinfo is not None
    assert appointment.end.tzinfo is None  # a naive value stays naive
    document = json.loads(codec.encode(BOOKING))
    assert document["data"]["slot"]["start"] == "2025-06-12T09:30:00+02:00"


def test_payload_carries_kind_and_schema_version():
    document = json.loads(codec.encode(REQUEST))
    assert document["schema_version"] == codec.SCHEMA_VERSION == 1
    assert document["kind"] == "request"
    assert codec.decode_document(codec.encode(CANCELLATION))[0] is ItemKind.CANCELLATION
    assert [codec.kind_of(s) for s in (REQUEST, BOOKING, CANCELLATION, SURVEY)] == list(ItemKind)


def test_a_newer_schema_is_refused_not_misread():
    document = json.loads(codec.encode(SURVEY))
    document["schema_version"] = 2
    with pytest.raises(CodecError, match="schema_version"):
        codec.decode(json.dumps(document))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["data"].pop("service_id"), "payload.data.service_id: missing"),
        (lambda d: d["data"]["place"].update(lat="48.8"), "payload.data.place.lat"),
        (lambda d: d["data"]["answers"].update(kind=3), "payload.data.answers"),
        (lambda d: d.update(kind="parcel"), "payload.kind"),
        (lambda d: d["data"]["contact"].update(phone=612345678), "payload.data.contact.phone"),
    ],
)
def test_a_damaged_payload_names_the_field_never_the_value(change, field):
    document = json.loads(codec.encode(REQUEST))
    change(document)
    with pytest.raises(CodecError) as caught:
        codec.decode(json.dumps(document))
    message = str(caught.value)
    assert field in message
    for personal in ("Zéphyrine", "Quatremains", "612345678", "Dépôt", "48.8"):
        assert personal not in message


def test_not_json_and_not_finite_numbers_are_refused():
    with pytest.raises(CodecError, match="not JSON"):
        codec.decode("{Zéphyrine")
    with pytest.raises(CodecError, match="not finite"):
        codec.encode(RequestSubmission("open311:001", {}, Place(lat=float("nan")), "b", "r"))


def test_something_else_is_not_carried():
    with pytest.raises(TypeError):
        codec.kind_of(Place())  # type: ignore[arg-type]
