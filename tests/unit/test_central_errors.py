"""What a CentralError says about itself: what the call did (cautiously UNKNOWN unless told),
whether it may be retried, and the fields of its log line: the central, the endpoint template
and a short reason code, never its free-text detail."""

from __future__ import annotations

import pytest

from kiosk.core.central import (
    MAX_REASON,
    CallOutcome,
    CentralError,
    CentralFailure,
    reason_code,
)
from kiosk.core.events import EventType, format_event


def test_an_error_is_unknown_unless_the_raiser_knows_better():
    assert CentralError(CentralFailure.MALFORMED).outcome is CallOutcome.UNKNOWN
    told = CentralError(CentralFailure.UNREACHABLE, outcome=CallOutcome.NOT_SENT)
    assert told.outcome is CallOutcome.NOT_SENT and told.retryable


@pytest.mark.parametrize("failure", [CentralFailure.UNCERTAIN, CentralFailure.MALFORMED,
                                     CentralFailure.REJECTED])
def test_what_is_not_retried(failure):
    assert not CentralError(failure).retryable


@pytest.mark.parametrize(("text", "code"), [
    ("http-502", "http-502"),
    ("answer is not valid JSON", "answer-is-not-valid-json"),
    ("err_class 'Access denied'", "err_class-access-denied"),
    ("status_notes is not text", "status_notes-is-not-text"),
    ("Réponse illisible !", "r-ponse-illisible"),
    ("", ""),
])
def test_reasons_become_short_codes(text, code):
    assert reason_code(text) == code


def test_a_reason_is_kept_short():
    assert len(reason_code("word " * 40)) <= MAX_REASON


def test_the_log_line_names_the_call_and_never_the_detail():
    error = CentralError(CentralFailure.MALFORMED,
                         "GET /open311/v2/requests/638344.json: Jeanne's answer",
                         central="open311", endpoint="requests/{id}", reason="not JSON")
    line = format_event(EventType.EFFECT_FAILED, {"effect": "x", **error.log_fields()})
    assert line == ("effect.failed central=open311 effect=<redacted str> "
                    "endpoint=requests/{id} failure=malformed outcome=unknown reason=not-json")
    assert "638344" not in line and "Jeanne" not in line


def test_an_error_without_a_central_logs_its_kind_alone():
    fields = CentralError(CentralFailure.UNREACHABLE, "the central link is not up").log_fields()
    assert set(fields) == {"failure", "outcome"}
