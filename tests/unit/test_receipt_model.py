"""The receipt as data (kiosk/core/receipt.py) and its settings section: pure logic, no
Pillow, no printer."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.core.receipt import (
    NumberKind,
    Receipt,
    format_when,
    grouped_number,
    number_groups,
    qr_content,
)
from kiosk.settings.models import PaperSize, ReceiptSettings
from kiosk.settings.validation import ValidationError, validate

URL = "https://demarches.villeneuve.example/suivi/{number}"


@pytest.mark.parametrize(("number", "kind", "printed", "groups"), [
    ("104217", NumberKind.TRACKING, "104 217", ("104", "217")),
    ("1042173", NumberKind.TRACKING, "104 21 73", ("104", "21", "73")),
    ("10421", NumberKind.TRACKING, "104 21", ("104", "21")),
    ("1042", NumberKind.TRACKING, "1042", ("1042",)),
    ("104 217", NumberKind.TRACKING, "104 217", ("104", "217")),
    ("ABCDEFGH", NumberKind.TRACKING, "ABCD EFGH", ("ABCD", "EFGH")),
    ("ABCDEFGHIJ", NumberKind.BOOKING, "ABCD EFG HIJ", ("ABCD", "EFG", "HIJ")),
    ("demo-0001-20261122-0042", NumberKind.STATION, "demo-0001-20261122-0042",
     ("demo", "0001", "20261122", "0042")),
    ("2026-00042", NumberKind.TRACKING, "2026-00042", ("2026", "00042")),
])
def test_numbers_are_grouped_for_reading_and_printing(number, kind, printed, groups):
    assert grouped_number(number, kind) == printed
    assert number_groups(number, kind) == groups


def test_the_qr_code_holds_the_tracking_page_or_the_bare_number():
    assert qr_content("104217", NumberKind.TRACKING, URL) == (
        "https://demarches.villeneuve.example/suivi/104217")
    assert qr_content("104 217", NumberKind.TRACKING, None) == "104217"
    assert qr_content("ABCD1234", NumberKind.BOOKING, URL) == "ABCD1234"
    assert qr_content("demo-0001-20261122-0042", NumberKind.STATION, URL) == (
        "demo-0001-20261122-0042")


@pytest.mark.parametrize(("when", "language", "text"), [
    (datetime(2026, 12, 1, 14, 5), "fr", "mardi 1er décembre 2026 à 14\u00a0h\u00a005"),
    (datetime(2026, 11, 24, 9, 30), "fr", "mardi 24 novembre 2026 à 9\u00a0h\u00a030"),
    (datetime(2026, 12, 1, 14, 5), "en", "Tuesday 1 December 2026, 14:05"),
    (datetime(2027, 2, 28, 0, 0), "en", "Sunday 28 February 2027, 0:00"),
])
def test_dates_are_written_as_people_say_them(when, language, text):
    assert format_when(when, language) == text


def receipt(**changes: object) -> Receipt:
    values: dict[str, object] = {
        "city": "Villeneuve-sur-Loire", "title": "Signalement envoyé",
        "when": datetime(2026, 11, 24, 9, 30), "place": "Hôtel de Ville", "number": "104 217",
        "number_kind": NumberKind.TRACKING, "language": "fr", "tracking_url": URL,
    }
    return Receipt(**(values | changes))  # type: ignore[arg-type]


def test_a_receipt_holds_nothing_personal_unless_asked():
    plain = receipt(next_steps=["Un agent passe sous 48 heures."])
    assert plain.personal_lines == ()
    assert plain.next_steps == ("Un agent passe sous 48 heures.",)
    assert plain.number == "104217"
    assert plain.printed_number == "104 217"
    assert plain.groups == ("104", "217")
    assert plain.qr_content.endswith("/suivi/104217")
    assert plain.when_text == "mardi 24 novembre 2026 à 9\u00a0h\u00a030"


@pytest.mark.parametrize("number", ["", "   ", "104/217", "<script>", "104\u00a0217é"])
def test_a_receipt_refuses_a_number_no_central_gives(number):
    with pytest.raises(ValueError, match="letters, digits and dashes"):
        receipt(number=number)


def test_receipt_settings_defaults():
    settings = ReceiptSettings()
    assert settings.queue == "receipt"
    assert settings.paper is PaperSize.THERMAL_80
    assert settings.tracking_url is None and settings.logo is None


@pytest.mark.parametrize(("field", "value", "words"), [
    ("queue", "my queue", "should match pattern"),
    ("queue", "a/b", "should match pattern"),
    ("paper", "a3", "thermal-80"),
    ("tracking_url", "https://ville.example/suivi", "{number} exactly once"),
    ("tracking_url", "https://ville.example/{number}/{id}", "no brace other than"),
    ("tracking_url", "ftp://ville.example/{number}", "http:// or https://"),
    ("logo", "logo.png", "absolute path"),
])
def test_receipt_settings_refuse_what_cannot_work(field, value, words):
    with pytest.raises(ValidationError, match=words.replace("{", r"\{").replace("}", r"\}")):
        validate(ReceiptSettings, {field: value})
