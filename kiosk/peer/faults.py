"""Faults the peer injects on demand (POST /_peer/faults), so that clients meet a slow, failing
or lying central in tests and demos:

- `latency_ms`: every matching request waits that long before it is handled;
- `error_rate`: that share of matching requests gets a 500/502/503 and is not handled at all;
- `drop_rate`: that share is handled (a POST's record is created) and then the connection is
  closed without an answer: the worst case for a client, which cannot know whether it went in;
- `malformed_rate`: that share is handled and answered with a body that breaks the contract
  (truncated, wrong types, or not even the announced format: HTML for JSON, broken XML).

`path_prefix` limits faults to matching paths; /_peer/ itself is never faulted. With a `seed`,
the same sequence of requests meets the same faults: every request draws the same four numbers
from one generator, whatever the rates.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass
from typing import Any

#: Injected server errors, as a proxy or an overloaded server gives them.
ERROR_STATUSES = (500, 502, 503)
MALFORMED_KINDS = ("truncated", "wrong_types", "wrong_format")
#: An upper bound that keeps a typo from hanging every test.
MAX_LATENCY_MS = 60_000
CONTROL_PREFIX = "/_peer/"


@dataclass(frozen=True)
class FaultPlan:
    """The faults in force (all off by default)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    path_prefix: str | None = None
    seed: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The plan as GET /_peer/faults shows it."""
        return asdict(self)


def parse_plan(value: Any) -> FaultPlan:
    """A plan from the JSON of POST /_peer/faults; ValueError says what is wrong."""
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    unknown = set(value) - set(FaultPlan.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    latency = value.get("latency_ms", 0)
    if isinstance(latency, bool) or not isinstance(latency, int) or not (
            0 <= latency <= MAX_LATENCY_MS):
        raise ValueError(f"latency_ms must be an integer from 0 to {MAX_LATENCY_MS}")
    rates = {}
    for name in ("error_rate", "drop_rate", "malformed_rate"):
        rate = value.get(name, 0.0)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise ValueError(f"{name} must be a number from 0 to 1")
        rates[name] = float(rate)
    prefix = value.get("path_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix.startswith("/")):
        raise ValueError("path_prefix must be a path starting with /")
    seed = value.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError("seed must be an integer")
    return FaultPlan(latency_ms=latency, path_prefix=prefix, seed=seed, **rates)


@dataclass(frozen=True)
class Draw:
    """What happens to one request."""

    latency_s: float = 0.0
    error_status: int | None = None
    drop: bool = False
    malformed: str | None = None


NO_FAULT = Draw()


class FaultInjector:
    """The plan in force and its random generator."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plan = FaultPlan()
        self._rng = random.Random()

    @property
    def plan(self) -> FaultPlan:
        """The plan in force."""
        return self._plan

    def set(self, plan: FaultPlan) -> None:
        """Put a plan in force (its seed restarts the sequence)."""
        with self._lock:
            self._plan = plan
            self._rng = random.Random(plan.seed)

    def draw(self, path: str) -> Draw:
        """The faults for a request to `path`."""
        plan = self._plan
        if plan == FaultPlan() or path.startswith(CONTROL_PREFIX):
            return NO_FAULT
        if plan.path_prefix is not None and not path.startswith(plan.path_prefix):
            return NO_FAULT
        with self._lock:
            error, drop, malformed, pick = (self._rng.random() for _ in range(4))
        if error < plan.error_rate:
            return Draw(plan.latency_ms / 1000, ERROR_STATUSES[int(pick * len(ERROR_STATUSES))])
        if drop < plan.drop_rate:
            return Draw(plan.latency_ms / 1000, drop=True)
        if malformed < plan.malformed_rate:
            kind = MALFORMED_KINDS[int(pick * len(MALFORMED_KINDS))]
            return Draw(plan.latency_ms / 1000, malformed=kind)
        return Draw(plan.latency_ms / 1000)


def _wrong_types(value: Any) -> Any:
    """The same data with every type swapped: lists become objects, objects lists, text
    numbers, numbers text, booleans text."""
    if isinstance(value, dict):
        return [_wrong_types(item) for item in value.values()]
    if isinstance(value, list):
        return {str(index): _wrong_types(item) for index, item in enumerate(value)}
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int | float):
        return str(value)
    return value


def malform(body: bytes, content_type: str, kind: str) -> bytes:
    """A body that breaks the contract in the way `kind` says."""
    is_xml = "xml" in content_type
    if kind == "truncated" or not body:
        return body[: len(body) // 2]
    if kind == "wrong_types":
        if is_xml:
            return b'[{"unexpected": "JSON where XML was announced"}]'
        try:
            data = json.loads(body)
        except ValueError:
            return body[: len(body) // 2]
        return json.dumps(_wrong_types(data)).encode("utf-8")
    if is_xml:
        return b"<?xml version='1.0'?><service_requests><request><token>&</request>"
    return b"<html><body><h1>502 Bad Gateway</h1></body></html>"
