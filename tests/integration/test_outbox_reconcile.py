"""The outbox sender against a central that ignores idempotency keys: what each attempt did
(not sent, answered, unknown) decides whether the item is looked up before it is sent again;
found, the central's number is adopted; the lookup's own failures, a restart in between, a
central that cannot tell, and bounded retries of server errors and unreadable answers.

The central is a fake (pure logic: the sender knows no protocol); the store is a real SQLite
file; the sender is driven one pass at a time with a manual clock (`run_once`). The same
behaviours over real HTTP against the reference peer: tests/integration/test_foreign_open311.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kiosk.core.central import (
    CallOutcome,
    CentralError,
    CentralFailure,
    Place,
    RequestSubmission,
)
from kiosk.core.clock import ManualClock
from kiosk.outbox.backoff import Backoff
from kiosk.outbox.sender import (
    MALFORMED_ATTEMPTS,
    SERVER_ERROR_ATTEMPTS,
    FindingCourier,
    OutboxSender,
)
from kiosk.outbox.store import DeliveryResult, ItemKind, ItemState, Outbox

T0 = 1_750_000_000.0
#: Longer than any backoff below: every pass finds the item due.
LATER_S = 10.0
UNKNOWN, NOT_SENT, ANSWERED = CallOutcome.UNKNOWN, CallOutcome.NOT_SENT, CallOutcome.ANSWERED


def request(n: int = 1) -> RequestSubmission:
    return RequestSubmission(service_id="open311:001", answers={}, place=Place(address="rue"),
                             station_id="borne-1", station_ref=f"borne-1-20250615-{n:04d}")


@dataclass
class KeylessCentral:
    """A central that stores every submission it receives, key or not (like most Open311
    servers), and fails as scripted: (failure, whether it stored first, what the call did)."""

    script: list[tuple[CentralFailure, bool, CallOutcome]] = field(default_factory=list)
    find_script: list[CentralFailure | None] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    finds: list[float] = field(default_factory=list)

    def __call__(self, submission: RequestSubmission, key: str) -> DeliveryResult:
        if self.script:
            failure, stores, outcome = self.script.pop(0)
            if stores:
                self.stored.append(submission.station_ref)
            raise CentralError(failure, "scripted", outcome=outcome, central="fake",
                               endpoint="requests", reason="scripted")
        self.stored.append(submission.station_ref)
        return DeliveryResult(str(len(self.stored)), "numbered")

    def find(self, submission: RequestSubmission, since: float) -> DeliveryResult | None:
        self.finds.append(since)
        failure = self.find_script.pop(0) if self.find_script else None
        if failure is not None:
            raise CentralError(failure, "scripted lookup", central="fake", endpoint="requests")
        if submission.station_ref in self.stored:
            number = self.stored.index(submission.station_ref) + 1
            return DeliveryResult(str(number), "numbered")
        return None


class HonouringCentral(KeylessCentral):
    """The same, used as a plain handler: the station was told the central honours keys."""

    find = None  # type: ignore[assignment]


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def outbox(tmp_path, clock):
    with Outbox(tmp_path / "outbox.db", clock=clock) as box:
        yield box


def sender(outbox: Outbox, clock: ManualClock, central: object) -> OutboxSender:
    return OutboxSender(outbox, {ItemKind.REQUEST: central}, clock=clock,  # type: ignore[dict-item]
                        latency_clock=clock, uniform=lambda: 0.5,
                        backoff=Backoff(base_s=0.01, cap_s=1.0))


def run(outbox: Outbox, clock: ManualClock, central: object, passes: int = 1) -> None:
    for _ in range(passes):
        sender(outbox, clock, central).run_once()
        clock.advance(LATER_S)


def test_the_fake_is_what_the_sender_takes_for_a_keyless_central():
    assert isinstance(KeylessCentral(), FindingCourier)
    assert not isinstance(HonouringCentral(), FindingCourier)


@pytest.mark.parametrize("failure", [CentralFailure.SERVER_ERROR, CentralFailure.UNREACHABLE,
                                     CentralFailure.TIMEOUT, CentralFailure.MALFORMED])
def test_an_unknown_outcome_is_looked_up_at_once_and_the_number_adopted(outbox, clock,
                                                                        failure):
    item = outbox.enqueue(request())
    central = KeylessCentral(script=[(failure, True, UNKNOWN)])
    run(outbox, clock, central)
    done = outbox.get(item.key)
    assert done.state is ItemState.DELIVERED and done.central_ref == "1"
    assert central.stored == [item.key]  # once
    assert central.finds == [item.created_at]  # looked for since it was stored


def test_not_found_after_an_unknown_outcome_it_is_sent_again(outbox, clock):
    item = outbox.enqueue(request())
    central = KeylessCentral(script=[(CentralFailure.SERVER_ERROR, False, UNKNOWN)])
    run(outbox, clock, central)
    waiting = outbox.get(item.key)
    assert waiting.state is ItemState.PENDING and waiting.unsure
    run(outbox, clock, central)
    assert outbox.get(item.key).state is ItemState.DELIVERED
    assert central.stored == [item.key]
    assert len(central.finds) == 2  # at once, and again before the second send


def test_a_lookup_that_fails_is_made_again_before_sending_even_after_a_restart(
        tmp_path, clock):
    path = tmp_path / "outbox.db"
    central = KeylessCentral(script=[(CentralFailure.UNREACHABLE, True, UNKNOWN)],
                             find_script=[CentralFailure.UNREACHABLE,
                                          CentralFailure.TIMEOUT])
    with Outbox(path, clock=clock) as outbox:
        key = outbox.enqueue(request()).key
        run(outbox, clock, central, passes=2)  # the send, its lookup, a lookup: all in vain
        item = outbox.get(key)
        assert item.state is ItemState.PENDING and item.unsure and item.attempts == 2
    with Outbox(path, clock=clock) as outbox:  # the station restarted
        run(outbox, clock, central)
        assert outbox.get(key).state is ItemState.DELIVERED
    assert central.stored == [key]


@pytest.mark.parametrize(("failure", "outcome"), [
    (CentralFailure.UNREACHABLE, NOT_SENT), (CentralFailure.TIMEOUT, NOT_SENT),
    (CentralFailure.SERVER_ERROR, ANSWERED)])
def test_a_call_known_to_have_done_nothing_is_not_looked_up(outbox, clock, failure, outcome):
    item = outbox.enqueue(request())
    central = KeylessCentral(script=[(failure, False, outcome)])
    run(outbox, clock, central, passes=2)
    assert outbox.get(item.key).state is ItemState.DELIVERED
    assert central.finds == [] and central.stored == [item.key]


def test_a_refusal_is_kept_for_a_technician_without_a_lookup(outbox, clock):
    item = outbox.enqueue(request())
    central = KeylessCentral(script=[(CentralFailure.REJECTED, False, ANSWERED)])
    run(outbox, clock, central)
    kept = outbox.get(item.key)
    assert kept.state is ItemState.FAILED and kept.holds_payload and not kept.unsure
    assert central.finds == []


def test_a_central_that_honours_keys_is_never_asked(outbox, clock):
    item = outbox.enqueue(request())
    central = HonouringCentral(script=[(CentralFailure.SERVER_ERROR, True, UNKNOWN)])
    run(outbox, clock, central, passes=2)
    assert outbox.get(item.key).state is ItemState.DELIVERED
    assert central.stored == [item.key, item.key]  # this fake does not: hence the setting


def test_a_central_that_cannot_tell_keeps_the_item_for_a_technician(outbox, clock):
    item = outbox.enqueue(request())
    central = KeylessCentral(script=[(CentralFailure.UNREACHABLE, True, UNKNOWN)],
                             find_script=[CentralFailure.UNCERTAIN, CentralFailure.UNCERTAIN])
    run(outbox, clock, central)
    # The first lookup, while a person may wait: the item waits (the person leaves with the
    # station reference); before the next send, the central still cannot tell.
    assert outbox.get(item.key).state is ItemState.PENDING
    run(outbox, clock, central)
    kept = outbox.get(item.key)
    assert kept.state is ItemState.FAILED and kept.holds_payload and kept.unsure
    assert kept.last_failure is CentralFailure.UNCERTAIN
    assert central.stored == [item.key]  # never sent twice
    assert outbox.requeue(item.key)  # a technician who checked may send it again
    assert outbox.get(item.key).unsure  # and it is looked up first


@pytest.mark.parametrize(("failure", "bound"), [(CentralFailure.SERVER_ERROR,
                                                 SERVER_ERROR_ATTEMPTS),
                                                (CentralFailure.MALFORMED, MALFORMED_ATTEMPTS)])
def test_bad_answers_are_retried_a_bounded_number_of_times(outbox, clock, failure, bound):
    item = outbox.enqueue(request())
    # Network failures first: they do not count towards the bound.
    script = [(CentralFailure.UNREACHABLE, False, NOT_SENT)] * 7
    script += [(failure, False, ANSWERED)] * (bound + 3)
    central = KeylessCentral(script=script)
    run(outbox, clock, central, passes=7 + bound - 1)
    waiting = outbox.get(item.key)
    assert waiting.state is ItemState.PENDING and waiting.bad_answers == bound - 1
    run(outbox, clock, central)
    kept = outbox.get(item.key)
    assert kept.state is ItemState.FAILED and kept.holds_payload
    assert kept.last_failure is failure and kept.attempts == 7 + bound
    run(outbox, clock, central)  # kept: not tried any more
    assert outbox.get(item.key).attempts == 7 + bound
