"""A station's link to its central systems, built as `kiosk run` builds it (settings →
`CentralConnector` → adapters, outbox, sender), without a window: for tests that drive the
flows' central effects (submit, look up) the way the screens do, over real HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kiosk.core.central import Place, RequestReport, RequestSubmission, SubmissionResult
from kiosk.core.effects import handler_for
from kiosk.core.flows.request import SubmissionReceipt, SubmitRequest
from kiosk.core.flows.tracking import LookUpRequest
from kiosk.settings.models import Settings
from kiosk.shell.central_effects import central_effects
from kiosk.shell.central_wiring import CentralConnector, CentralLink


@dataclass
class StationLink:
    """The link and the effect handlers the flows use."""

    connector: CentralConnector
    link: CentralLink
    handlers: dict[type, Callable[[Any], Any]]

    def submit(self, submission: RequestSubmission) -> SubmissionReceipt:
        """What the request flow's Confirm does: store, send, wait for the number."""
        effect = SubmitRequest(session_id="session", submission=submission)
        submitted = handler_for(SubmitRequest, self.handlers)(effect)
        answer = submitted.answer
        return SubmissionReceipt(submitted.station_ref,
                                 answer if isinstance(answer, SubmissionResult) else None)

    def look_up(self, number: str) -> RequestReport | None:
        """What the tracking flow does with a typed or scanned number."""
        return self.handlers[LookUpRequest](LookUpRequest(session_id="session", number=number))


@contextmanager
def linked(settings: Settings) -> Iterator[StationLink]:
    """The link of a station with these settings, closed afterwards."""
    connector = CentralConnector(settings, on_connectivity=lambda _state: None)
    connector.start()
    try:
        link = connector.link()
        yield StationLink(connector, link, central_effects(connector))
    finally:
        connector.close()


def pothole(station_id: str = "demo-0001", **overrides: Any) -> RequestSubmission:
    """A pothole report (VOI-001 in config/peer-seed.json) as the request flow confirms it;
    the station reference is set by the submit handler."""
    values: dict[str, Any] = {
        "service_id": "open311:VOI-001",
        "answers": {"EMPLACEMENT": "chaussee", "LARGEUR_CM": "30",
                    "RISQUES": ("chute-velo", "flaque"), "CONSTATE_LE": "2026-11-02T21:30"},
        "place": Place(47.5859, 1.3329, "1 place de l'Hôtel-de-Ville"),
        "station_id": station_id, "station_ref": "",
        "description": "Trou profond devant l'arrêt de bus",
    }
    values.update(overrides)
    return RequestSubmission(**values)


def peer_records(base_url: str) -> dict[str, list[dict[str, Any]]]:
    """GET /_peer/records of a running peer."""
    answer = httpx.get(f"{base_url}/_peer/records", timeout=10)
    answer.raise_for_status()
    return answer.json()


def write_credentials(path: Path, credentials: dict[str, str]) -> Path:
    """A credentials file (kiosk/adapters/credentials.py) for a peer's keys, owner-only."""
    path.write_text(
        f'[open311]\napi_key = "{credentials["open311_api_key"]}"\n'
        f'[publik]\norig = "{credentials["publik_orig"]}"\nkey = "{credentials["publik_key"]}"\n',
        encoding="utf-8")
    os.chmod(path, 0o600)
    return path
