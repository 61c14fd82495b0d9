"""Helpers for the reference peer's tests (tests/integration/test_peer_*.py and
test_adapter_peer_*.py):
signed URLs, form posts, the control endpoints, and the Open311 JSON Schemas copied in
kiosk/peer/specs/open311/."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kiosk.peer.server import RunningPeer
from kiosk.protocols.publik_signing import sign_url


@dataclass
class Peer:
    """A running reference peer and its /_peer/ control endpoints."""

    running: RunningPeer

    @property
    def credentials(self) -> dict[str, str]:
        return self.running.credentials

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        answer = httpx.request(method, f"{self.running.base_url}/_peer/{path}", json=body,
                               timeout=5)
        answer.raise_for_status()
        return answer.json()

    def records(self) -> dict[str, list[dict[str, Any]]]:
        return self._control("GET", "records")

    def faults(self, **plan: Any) -> None:
        self._control("POST", "faults", plan)

    def no_faults(self) -> None:
        self._control("DELETE", "faults")

    def advance(self, seconds: float) -> None:
        self._control("POST", "clock", {"advance_s": seconds})

    def today(self) -> date:
        return date.fromisoformat(self._control("GET", "clock")["now"][:10])

    def enrolment_token(self, station_id: str, station_name: str | None = None) -> str:
        """A one-time enrolment token for `station_id`, issued with the operator's token."""
        body = {"station_id": station_id,
                **({"station_name": station_name} if station_name else {})}
        answer = httpx.post(self.running.fleet_url + "enrolment-tokens", json=body, timeout=5,
                            headers={"Authorization": f"Bearer {self.credentials['fleet_token']}"})
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]


SPECS = Path(__file__).resolve().parents[2] / "kiosk" / "peer" / "specs" / "open311"


def signed(peer: RunningPeer, url: str, now: datetime | None = None,
           nonce: str | None = None, orig: str | None = None, key: str | None = None) -> str:
    """`url` signed the Publik way with the peer's credentials (or the ones given)."""
    creds = peer.credentials
    return sign_url(url, orig or creds["publik_orig"], key or creds["publik_key"], now, nonce)


def voirie_form(peer: RunningPeer, **extra: Any) -> dict[str, Any]:
    """A valid POST requests body for the pothole service (VOI-001)."""
    form: dict[str, Any] = {
        "api_key": peer.credentials["open311_api_key"],
        "service_code": "VOI-001",
        "lat": "47.5871", "long": "1.3340",
        "attribute[EMPLACEMENT]": "chaussee",
        "attribute[LARGEUR_CM]": "35",
        "device_id": "VSL-TOTEM-01",
        "description": "Trou profond.\nRéf. borne : VSL-TOTEM-01-20261122-0001",
    }
    form.update(extra)
    return form


def records(client: httpx.Client, peer: RunningPeer) -> dict[str, list[dict[str, Any]]]:
    """GET /_peer/records."""
    response = client.get(f"{peer.base_url}/_peer/records")
    assert response.status_code == 200
    return response.json()


def advance(client: httpx.Client, peer: RunningPeer, seconds: float) -> dict[str, Any]:
    """POST /_peer/clock: move the peer's clock forward."""
    response = client.post(f"{peer.base_url}/_peer/clock", json={"advance_s": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def set_faults(client: httpx.Client, peer: RunningPeer, **plan: Any) -> dict[str, Any]:
    """POST /_peer/faults."""
    response = client.post(f"{peer.base_url}/_peer/faults", json=plan)
    assert response.status_code == 200, response.text
    return response.json()


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SPECS / f"schema_{name}.json").read_text(encoding="utf-8"))


# The collection schemas refer to "request.json" and "service.json" (their names in
# open311/schema-validation).
_REGISTRY = Registry().with_resources([
    ("request.json", Resource.from_contents(_schema("request"), default_specification=DRAFT7)),
    ("service.json", Resource.from_contents(_schema("service"), default_specification=DRAFT7)),
])


# jsonschema checks `date-time` only with an optional package; check it here (RFC 3339).
_FORMATS = FormatChecker()
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value)
    return True


def open311_validator(name: str) -> Draft7Validator:
    """A validator for one of the copied JSON Schemas ("requests", "services",
    "service-definition", "request", "service"), date-times checked."""
    return Draft7Validator(_schema(name), registry=_REGISTRY, format_checker=_FORMATS)


def assert_valid(name: str, data: Any) -> None:
    """Fail with every schema error when `data` does not validate."""
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in open311_validator(name).iter_errors(data)]
    assert not errors, f"{name}: {errors}"
