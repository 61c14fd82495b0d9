"""The city's fleet management behind the core's Fleet port: enrolment, and heartbeats as
OpenTelemetry metrics.

No French or municipal standard exists for kiosk telemetry (docs/central-systems.md), so
heartbeats use the neutral one: OTLP/HTTP with the JSON encoding, POST {base}/v1/metrics carrying an
ExportMetricsServiceRequest (built by `kiosk.adapters.otlp_metrics`). Enrolment is POST
{base}/enrol with the one-time token the fleet issued for the station and the station's
Ed25519 public key; the answer gives the station its id and its own token for heartbeats.

Every call carries `Authorization: Bearer <token>` (RFC 6750): the enrolment token for the
enrolment, the station's token after it.
"""

from __future__ import annotations

import base64
import hashlib

from kiosk.adapters.http import HttpAnswer, HttpClient, as_dict, as_id, as_int, malformed
from kiosk.adapters.otlp_metrics import metrics_request, nanos
from kiosk.core.central import CentralError, CentralFailure
from kiosk.core.fleet import Enrolment, EnrolmentRequest, Heartbeat

#: Path of the metrics signal under the OTLP base URL (OTLP/HTTP specification).
METRICS_PATH = "v1/metrics"
ENROL_PATH = "enrol"
#: The longest refusal reason of the fleet quoted in a message (RFC 6750 error_description).
MAX_REASON = 100


def _reason(answer: HttpAnswer) -> str:
    """The fleet's error_description, when it is a short printable sentence."""
    try:
        doc = answer.json()
    except CentralError:
        return ""
    text = doc.get("error_description") if isinstance(doc, dict) else None
    if not isinstance(text, str) or len(text) > MAX_REASON or not text.isprintable():
        return ""
    return text


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

    def enrol(self, request: EnrolmentRequest) -> Enrolment:
        """POST enrol. Sending the same request again (a retry) gets the same answer: the
        idempotency key is derived from the station's key."""
        encoded = base64.b64encode(request.public_key).decode("ascii")
        key = "enrol-" + hashlib.sha256(request.public_key).hexdigest()[:32]
        answer = self._http.post_json(
            self._base + ENROL_PATH,
            {"public_key": encoded, "proof": base64.b64encode(request.proof).decode("ascii"),
             "profile": request.profile, "site": request.site},
            idempotency_key=key, headers=self._headers(), describe=_reason,
            central="fleet", endpoint="enrol")
        doc = as_dict(answer.json(), answer.where, "answer")
        station_id = as_id(doc.get("station_id"), answer.where, "station_id")
        name = doc.get("station_name")
        token = doc.get("token")
        if not isinstance(token, str) or not token.strip() or not token.isprintable():
            raise malformed(answer.where, "token missing")
        return Enrolment(fleet_id=as_id(doc.get("fleet_id"), answer.where, "fleet_id"),
                         station_id=station_id,
                         station_name=name if isinstance(name, str) and name else station_id,
                         token=token)

    def heartbeat(self, beat: Heartbeat) -> None:
        """POST v1/metrics with one ExportMetricsServiceRequest. An answer reporting rejected
        data points (OTLP partialSuccess) is CentralError(REJECTED)."""
        key = f"heartbeat-{beat.station_id}-{nanos(beat.at)}"
        answer = self._http.post_json(self._base + METRICS_PATH, metrics_request(beat),
                                      idempotency_key=key, headers=self._headers(),
                                      describe=_reason, central="fleet",
                                      endpoint="v1/metrics")
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
