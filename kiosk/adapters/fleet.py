"""The city's fleet management behind the core's Fleet port: enrolment, and heartbeats as
OpenTelemetry metrics.

No French or municipal standard exists for kiosk telemetry (docs/central-systems.md), so heartbeats
use the neutral one: OTLP/HTTP with the JSON encoding, POST {base}/v1/metrics carrying an
ExportMetricsServiceRequest (opentelemetry-proto, metrics_service.proto; JSON mapping of
protobuf: 64-bit integers as strings, enums as numbers). The resource says who speaks
(service.name=kiosk, host.id=<station id>); the metrics are a gauge "kiosk.up" (1, with the
screen and connectivity as attributes), one "kiosk.device.ready" point per device, the outbox
backlog, and the heartbeat's counters as cumulative monotonic sums. Nothing personal is in
there: ids, device names, counts.

Both calls carry `Authorization: Bearer <fleet token>` (docs/central-systems.md, fleet).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from kiosk.adapters.http import HttpClient, as_dict, as_id, as_int, malformed
from kiosk.core.central import CentralError, CentralFailure, Heartbeat

#: OTLP resource attribute service.name (semantic conventions) for every station.
SERVICE_NAME = "kiosk"
SCOPE_NAME = "kiosk.adapters.fleet"
SCOPE_VERSION = "1"
#: opentelemetry-proto AggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE = 2.
CUMULATIVE = 2
#: Metric names: OpenTelemetry's instrument name syntax (letters, digits, _ . - /; ≤ 255).
METRIC_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_./-]{0,254}")
#: Path of the metrics signal under the OTLP base URL (OTLP/HTTP specification).
METRICS_PATH = "v1/metrics"
ENROL_PATH = "enrol"


def _attribute(key: str, value: str | int | bool) -> dict[str, Any]:
    """An OTLP KeyValue."""
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def _nanos(moment: datetime) -> str:
    """A time as OTLP's fixed64 nanoseconds since the epoch, JSON-encoded as a string."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000_000
               + delta.microseconds * 1_000)


def _gauge(name: str, unit: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "unit": unit, "gauge": {"dataPoints": points}}


def _counter_name(name: str) -> str:
    """Counters are namespaced "kiosk.*"."""
    full = name if name.startswith("kiosk.") else f"kiosk.{name}"
    if not METRIC_NAME.fullmatch(full):
        raise ValueError(f"not a metric name: {name!r}")
    return full


def metrics_request(beat: Heartbeat) -> dict[str, Any]:
    """The ExportMetricsServiceRequest for one heartbeat."""
    at = _nanos(beat.at)
    resource = [_attribute("service.name", SERVICE_NAME), _attribute("host.id", beat.station_id),
                _attribute("kiosk.profile", beat.profile)]
    metrics = [
        _gauge("kiosk.up", "1", [{
            "timeUnixNano": at, "asInt": "1",
            "attributes": [_attribute("kiosk.screen", beat.screen),
                           _attribute("kiosk.connectivity", beat.connectivity)],
        }]),
        _gauge("kiosk.device.ready", "1", [
            {"timeUnixNano": at, "asInt": "1" if ready else "0",
             "attributes": [_attribute("kiosk.device", device)]}
            for device, ready in sorted(beat.devices.items())
        ]),
        _gauge("kiosk.outbox.pending", "{submission}", [
            {"timeUnixNano": at, "asInt": str(beat.outbox_pending)}]),
    ]
    for name, value in sorted(beat.counters.items()):
        metrics.append({"name": _counter_name(name), "unit": "1", "sum": {
            "aggregationTemporality": CUMULATIVE, "isMonotonic": True,
            "dataPoints": [{"timeUnixNano": at, "asInt": str(value)}],
        }})
    return {"resourceMetrics": [{
        "resource": {"attributes": resource},
        "scopeMetrics": [{"scope": {"name": SCOPE_NAME, "version": SCOPE_VERSION},
                          "metrics": metrics}],
    }]}


class OtlpFleet:
    """Fleet over the fleet endpoint: POST enrol, POST v1/metrics (OTLP/HTTP JSON)."""

    def __init__(self, http: HttpClient, base_url: str, token: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/") + "/"
        self._token = token

    def __repr__(self) -> str:
        return f"OtlpFleet({self._base!r})"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}

    def enrol(self, station_id: str, profile: str, site: str) -> str:
        """POST enrol; the fleet's id for the station. Enrolling again is harmless: the
        idempotency key is derived from the station id."""
        answer = self._http.post_json(
            self._base + ENROL_PATH, {"station_id": station_id, "profile": profile, "site": site},
            idempotency_key=f"enrol-{station_id}", headers=self._headers(), central="fleet",
            endpoint="enrol")
        doc = as_dict(answer.json(), answer.where, "answer")
        return as_id(doc.get("fleet_id"), answer.where, "fleet_id")

    def heartbeat(self, beat: Heartbeat) -> None:
        """POST v1/metrics with one ExportMetricsServiceRequest. An answer reporting rejected
        data points (OTLP partialSuccess) is CentralError(REJECTED)."""
        key = f"heartbeat-{beat.station_id}-{_nanos(beat.at)}"
        answer = self._http.post_json(self._base + METRICS_PATH, metrics_request(beat),
                                      idempotency_key=key, headers=self._headers(),
                                      central="fleet", endpoint="v1/metrics")
        doc = as_dict(answer.json() if answer.body.strip() else {}, answer.where, "answer")
        partial = doc.get("partialSuccess")
        if partial is None:
            return
        partial = as_dict(partial, answer.where, "partialSuccess")
        rejected = as_int(partial.get("rejectedDataPoints"), answer.where, "rejectedDataPoints")
        if rejected < 0:
            raise malformed(answer.where, "negative rejectedDataPoints")
        if rejected:
            raise CentralError(CentralFailure.REJECTED,
                               f"{answer.where}: {rejected} data points rejected")
