"""The satisfaction survey in the real window against the embedded reference peer (real HTTP on
loopback): offered on a tracking result, answered by touch and by keyboard alone, skipped
entirely (nothing sent), and answered while the central is down (the person is thanked at
once; the outbox delivers the answers exactly once when the central is back)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from ui_support import tab_to

from kiosk.outbox.store import ItemState

pytestmark = pytest.mark.ui

# A request of the peer's seed (config/peer-seed.json), in progress with a history.
KNOWN = "204518"


def peer_of(kiosk) -> Any:
    return kiosk.station.central.link().peer


def surveys(kiosk) -> list[dict[str, Any]]:
    """The survey answers the peer received ("avis-borne" submissions)."""
    return httpx.get(f"{peer_of(kiosk).base_url}/_peer/records", timeout=5).json()["surveys"]


def wait_for_surveys(kiosk, count: int, timeout_s: float) -> list[dict[str, Any]]:
    """Run the app until the peer holds `count` survey answers."""
    end = time.monotonic() + timeout_s
    while True:
        found = surveys(kiosk)
        if len(found) >= count:
            return found
        if time.monotonic() > end:
            pytest.fail(f"the peer holds {len(found)} survey answers, not {count}")
        kiosk.driver.pump(0.25)


def track_by_touch(kiosk) -> None:
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    d.tap("home.entry.tracking")
    d.wait_for_screen("tracking_entry")
    for digit in KNOWN:
        d.tap(f"key.{digit}")
    d.tap("tracking.search")
    d.wait_for_screen("tracking_result", timeout_s=15)


def answer_by_touch(kiosk, tmp_path=None) -> None:
    """Offer → 10 ("Very good") → 4 → "an agent or facilitator" → thanks."""
    d = kiosk.driver
    d.tap("survey.offer")
    d.wait_for_screen("survey_overall")
    if tmp_path:
        d.screenshot(tmp_path / "survey-overall.png")
    d.tap("survey.overall.10")
    d.wait_for_screen("survey_clarity")
    if tmp_path:
        d.screenshot(tmp_path / "survey-clarity.png")
    d.tap("survey.clarity.4")
    d.wait_for_screen("survey_help")
    if tmp_path:
        d.screenshot(tmp_path / "survey-help.png")
    d.tap("survey.help.agent")
    d.wait_for_screen("survey_thanks", timeout_s=5)


def check_answer(kiosk, record: dict[str, Any], overall: str, clarity: str,
                 help_received: str) -> None:
    """One anonymous answer: the flow, the scores, the station and its reference; nothing
    else."""
    assert record["formdef"] == "avis-borne"
    assert record["data"] == {"flow": "tracking", "overall": overall, "clarity": clarity,
                              "help_received": help_received}
    ref = record["idempotency_key"]
    station = kiosk.settings.station.id
    assert ref.startswith(station + "-")
    assert record["context"]["comments"] == f"Borne {station}, réf. {ref}"


def test_touch_answers_reach_the_central_once(kiosk, tmp_path):
    d = kiosk.driver
    track_by_touch(kiosk)
    d.screenshot(tmp_path / "tracking-result-with-offer.png")
    answer_by_touch(kiosk, tmp_path)
    assert any("Merci" in t for t in d.texts())
    d.screenshot(tmp_path / "survey-thanks.png")
    (record,) = wait_for_surveys(kiosk, 1, timeout_s=15)
    check_answer(kiosk, record, "10", "4", "agent")
    d.tap("survey.home")
    d.wait_for_screen("home")
    assert kiosk.app.core.state.flow is None
    assert len(surveys(kiosk)) == 1


def test_coming_back_shows_the_answer_given_and_english_reads_well(kiosk, tmp_path):
    d = kiosk.driver
    track_by_touch(kiosk)
    d.tap("bar.language")
    d.tap("survey.offer")
    d.wait_for_screen("survey_overall")
    d.tap("survey.overall.5")
    d.wait_for_screen("survey_clarity")
    d.screenshot(tmp_path / "survey-clarity-en.png")
    d.tap("bar.back")
    d.wait_for_screen("survey_overall")
    chosen = d.find("survey.overall.5")
    assert chosen.chosen and chosen.text.startswith("✓"), "a tick, not colour alone"
    assert not d.find("survey.overall.10").text.startswith("✓")
    d.screenshot(tmp_path / "survey-overall-chosen-en.png")


def test_keyboard_alone(kiosk):
    d = kiosk.driver
    d.key("tab")
    d.key("enter")
    d.wait_for_screen("home")
    d.type_text("suivi")
    tab_to(d, "home.entry.tracking")
    d.key("enter")
    d.wait_for_screen("tracking_entry")
    d.type_text(KNOWN)
    d.key("enter")
    d.wait_for_screen("tracking_result", timeout_s=15)
    tab_to(d, "survey.offer")
    d.key("enter")
    d.wait_for_screen("survey_overall")
    assert getattr(d.focused(), "role", None) == "survey.overall.0", "the first face has focus"
    tab_to(d, "survey.overall.5")
    d.key("spacebar")
    d.wait_for_screen("survey_clarity")
    tab_to(d, "survey.clarity.2")
    d.key("enter")
    d.wait_for_screen("survey_help")
    tab_to(d, "survey.help.none")
    d.key("enter")
    d.wait_for_screen("survey_thanks", timeout_s=5)
    assert getattr(d.focused(), "role", None) == "survey.home"
    (record,) = wait_for_surveys(kiosk, 1, timeout_s=15)
    check_answer(kiosk, record, "5", "2", "none")
    d.key("enter")
    d.wait_for_screen("home")


def test_skipping_everything_sends_nothing(kiosk):
    d = kiosk.driver
    track_by_touch(kiosk)
    d.tap("survey.offer")
    for screen in ("survey_overall", "survey_clarity", "survey_help"):
        d.wait_for_screen(screen)
        d.tap("survey.skip")
    d.wait_for_screen("survey_thanks")
    assert any("Rien n’a été envoyé" in t for t in d.texts()), d.texts()
    d.pump(1.5)
    assert surveys(kiosk) == []
    assert kiosk.station.central.link().outbox.counts().pending == 0
    d.tap("survey.home")
    d.wait_for_screen("home")


def test_central_down_thanks_at_once_and_delivers_once_when_back(kiosk):
    d = kiosk.driver
    track_by_touch(kiosk)
    base = peer_of(kiosk).base_url
    httpx.post(f"{base}/_peer/faults", json={"error_rate": 1.0, "path_prefix": "/wcs/"},
               timeout=5).raise_for_status()
    began = time.monotonic()
    answer_by_touch(kiosk)
    assert time.monotonic() - began < 10
    assert any("Merci" in t for t in d.texts())
    outbox = kiosk.station.central.link().outbox
    assert outbox.counts().pending == 1, "stored on the station, waiting for the central"
    d.pump(2.0)
    assert surveys(kiosk) == []
    d.tap("survey.home")
    d.wait_for_screen("home")
    httpx.delete(f"{base}/_peer/faults", timeout=5).raise_for_status()
    (record,) = wait_for_surveys(kiosk, 1, timeout_s=90)
    check_answer(kiosk, record, "10", "4", "agent")
    d.wait_until(lambda: outbox.counts().pending == 0, 10, "the outbox to record delivery")
    (item,) = outbox.by_station_ref(record["idempotency_key"])
    assert item.state is ItemState.DELIVERED
    d.pump(3.0)
    assert len(surveys(kiosk)) == 1, "delivered exactly once"


@pytest.mark.kiosk(env={"KIOSK__CENTRAL__EMBEDDED_PEER": "false",
                        "KIOSK__CENTRAL__OPEN311__BASE_URL": '"http://127.0.0.1:9/open311"'})
def test_no_offer_where_no_central_form_takes_the_answers(kiosk):
    # Open311 only: no w.c.s. form to send answers to, so the offer would lead to an error.
    d = kiosk.driver
    d.tap("attract.start")
    d.wait_for_screen("home")
    for name in ("request_done", "tracking_result"):
        offer = next(w for w in kiosk.app.screen_view(name).walk(restrict=True)
                     if getattr(w, "role", "") == "survey.offer")
        assert (offer.opacity, offer.height, offer.disabled, offer.is_focusable) == (
            0, 0, True, False), name
