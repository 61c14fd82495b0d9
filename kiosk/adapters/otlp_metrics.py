"""A heartbeat as an OTLP/HTTP JSON ExportMetricsServiceRequest, so that any OpenTelemetry
collector takes it (opentelemetry-proto, collector/metrics/v1/metrics_service.proto, with the
protobuf JSON mapping: lowerCamelCase names, 64-bit integers as strings, enums as numbers).

The resource says who speaks: service.name=kiosk, host.id=<station id> (OpenTelemetry semantic
conventions), kiosk.site and kiosk.profile. Health is gauges at the heartbeat's time; usage is
cumulative monotonic sums from `counting_since`, one point per flow, step, language or survey
score, so that a collector adds stations up. Shares (seated, speech) are gauges of the
sessions so far.

Nothing personal goes out: every attribute value taken from the heartbeat's maps must be an
identifier (`IDENTIFIER`), and a point whose names are not is left out; the one free text, the
last configuration error, loses the value it quotes ("(got ...)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kiosk.core.fleet import Heartbeat

#: OTLP resource attribute service.name (semantic conventions) of every station.
SERVICE_NAME = "kiosk"
SCOPE_NAME = "kiosk.adapters.otlp_metrics"
SCOPE_VERSION = "3"
#: opentelemetry-proto AggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE = 2.
CUMULATIVE = 2
#: What a name from the app may look like: a flow, a step, a language, a device, a screen.
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
#: Where a configuration error quotes the value it refused (kiosk/settings/loader.py).
QUOTED_VALUE = re.compile(r"\s*\(got .*$", re.DOTALL)
MAX_TEXT = 200
#: A value that was not an identifier, where one attribute must have a value.
WITHHELD = "withheld"


def _attribute(key: str, value: str | int | bool) -> dict[str, Any]:
    """An OTLP KeyValue."""
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def nanos(moment: datetime) -> str:
    """A time as OTLP's fixed64 nanoseconds since the epoch, JSON-encoded as a string."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000_000
               + delta.microseconds * 1_000)


def is_identifier(value: object) -> bool:
    """Whether `value` is a name the app gave, not text someone typed."""
    return isinstance(value, str) and IDENTIFIER.fullmatch(value) is not None


def _ident(value: str) -> str:
    return value if is_identifier(value) else WITHHELD


def error_text(text: str) -> str:
    """A configuration error without the value it quotes, one line, bounded."""
    line = QUOTED_VALUE.sub("", text).splitlines()[0] if text.strip() else ""
    return line[:MAX_TEXT]


def _number(value: int | float) -> dict[str, str | float]:
    if isinstance(value, int):
        return {"asInt": str(value)}
    return {"asDouble": float(value)}


class _Builder:
    """The metrics of one heartbeat."""

    def __init__(self, beat: Heartbeat) -> None:
        self.at = nanos(beat.at)
        self.since = nanos(beat.counting_since)
        self.metrics: list[dict[str, Any]] = []

    def gauge(self, name: str, unit: str,
              points: Iterable[tuple[int | float, list[dict[str, Any]]]]) -> None:
        rows = [{"timeUnixNano": self.at, **_number(value), "attributes": attributes}
                for value, attributes in points]
        self.metrics.append({"name": name, "unit": unit, "gauge": {"dataPoints": rows}})

    def total(self, name: str, unit: str,
              points: Iterable[tuple[int | float, list[dict[str, Any]]]]) -> None:
        rows = [{"startTimeUnixNano": self.since, "timeUnixNano": self.at, **_number(value),
                 "attributes": attributes} for value, attributes in points]
        self.metrics.append({"name": name, "unit": unit, "sum": {
            "aggregationTemporality": CUMULATIVE, "isMonotonic": True, "dataPoints": rows}})


def _per_name(key: str, counts: Mapping[str, int | float]
              ) -> list[tuple[int | float, list[dict[str, Any]]]]:
    return [(value, [_attribute(key, name)]) for name, value in sorted(counts.items())
            if is_identifier(name)]


def metrics_request(beat: Heartbeat) -> dict[str, Any]:
    """The ExportMetricsServiceRequest for one heartbeat."""
    health, usage = beat.health, beat.usage
    b = _Builder(beat)
    b.gauge("kiosk.up", "1", [(1, [_attribute("kiosk.screen", _ident(health.screen)),
                                   _attribute("kiosk.connectivity",
                                              _ident(health.connectivity))])])
    b.gauge("kiosk.device.ready", "1", [
        (1 if ready else 0, [_attribute("kiosk.device", device)])
        for device, ready in sorted(health.devices.items()) if is_identifier(device)])
    b.gauge("kiosk.outbox.depth", "{submission}", [(health.outbox_depth, [])])
    b.gauge("kiosk.outbox.oldest_age", "s", [(float(health.outbox_oldest_age_s), [])])
    b.gauge("kiosk.disk.free", "By", [(health.disk_free_bytes, [])])
    b.gauge("kiosk.config.version", "1", [
        (1, [_attribute("kiosk.config.version", _ident(health.config_version or "none"))])])
    reload_error = [] if health.last_reload_error is None else [
        _attribute("kiosk.reason", error_text(health.last_reload_error))]
    b.gauge("kiosk.config.reload_error", "1",
            [(0 if health.last_reload_error is None else 1, reload_error)])
    pending = [s for s in health.restart_pending if is_identifier(s)]
    b.gauge("kiosk.config.restart_pending", "1",
            [(1, [_attribute("kiosk.section", s)]) for s in pending] or [(0, [])])
    safe_reason = [] if health.safe_mode_reason is None else [
        _attribute("kiosk.reason", _ident(health.safe_mode_reason))]
    b.gauge("kiosk.safe_mode", "1", [(1 if health.safe_mode else 0, safe_reason)])

    b.total("kiosk.sessions", "{session}", [(usage.sessions, [])])
    b.total("kiosk.sessions.completed", "{session}", _per_name("kiosk.flow", usage.completed))
    b.total("kiosk.sessions.abandoned", "{session}", [
        (count, [_attribute("kiosk.flow", flow), _attribute("kiosk.step", step)])
        for (flow, step), count in sorted(usage.abandoned.items())
        if is_identifier(flow) and is_identifier(step)])
    b.total("kiosk.sessions.language", "{session}",
            _per_name("kiosk.language", usage.languages))
    b.total("kiosk.sessions.seated", "{session}", [(usage.seated_sessions, [])])
    b.total("kiosk.sessions.speech", "{session}", [(usage.speech_sessions, [])])
    sessions = max(usage.sessions, 1)
    b.gauge("kiosk.sessions.share", "1", [
        (usage.seated_sessions / sessions, [_attribute("kiosk.mode", "seated")]),
        (usage.speech_sessions / sessions, [_attribute("kiosk.mode", "speech")])])
    b.total("kiosk.assisted.sessions", "{session}", [(usage.assisted_sessions, [])])
    b.total("kiosk.assisted.duration", "min", [(float(usage.assisted_minutes), [])])
    b.total("kiosk.survey.answers", "{answer}", [
        (count, [_attribute("kiosk.question", question), _attribute("kiosk.score", score)])
        for (question, score), count in sorted(usage.satisfaction.items())
        if is_identifier(question) and isinstance(score, int)])

    resource = [_attribute("service.name", SERVICE_NAME),
                _attribute("host.id", _ident(beat.station_id)),
                _attribute("kiosk.site", beat.site[:MAX_TEXT]),
                _attribute("kiosk.profile", _ident(beat.profile))]
    return {"resourceMetrics": [{
        "resource": {"attributes": resource},
        "scopeMetrics": [{"scope": {"name": SCOPE_NAME, "version": SCOPE_VERSION},
                          "metrics": b.metrics}],
    }]}
