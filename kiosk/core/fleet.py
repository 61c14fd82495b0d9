"""The city's fleet management, as the station sees it: enrolment with a one-time token and the
station's public key, and heartbeats (how the station is, and how it was used).

A heartbeat is plain values the app fills in: health gauges and anonymous usage counters, with
no personal data. Counters are cumulative since `Heartbeat.counting_since` (the start of the
process that counts them), so a lost heartbeat loses nothing and a collector sums stations.
Names of flows, steps, languages, devices and survey questions are identifiers: the adapter
that encodes a heartbeat drops any that is not one (kiosk/adapters/otlp_metrics.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class EnrolmentRequest:
    """What a station sends to join the fleet: its Ed25519 public key (32 raw bytes), the
    signature of `proof_message(token, public_key)` by its private key (so the fleet records a
    key the station holds), its profile and the name of its site."""

    public_key: bytes
    proof: bytes
    profile: str
    site: str


def proof_message(token: str, public_key: bytes) -> bytes:
    """What the station signs when it enrols: the token it was given, and its key."""
    return b"kiosk-enrol\n" + token.encode("utf-8") + b"\n" + public_key


@dataclass(frozen=True)
class Enrolment:
    """What the fleet answers: its id for the station, the station's id in the city's fleet
    (chosen by the fleet when it issued the token) and name, and the station's own bearer
    token for its heartbeats (a secret)."""

    fleet_id: str
    station_id: str
    station_name: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class Health:
    """How the station is right now."""

    #: device name → ready
    devices: Mapping[str, bool] = field(default_factory=dict)
    #: online, degraded or offline
    connectivity: str = "offline"
    #: submissions waiting in the outbox, and the age of the oldest in seconds
    outbox_depth: int = 0
    outbox_oldest_age_s: float = 0.0
    #: free bytes on the file system of the data directory
    disk_free_bytes: int = 0
    #: an identifier of the configuration in force (a digest of its files)
    config_version: str = ""
    #: why the last configuration change was refused ("file: field: reason"), if it was
    last_reload_error: str | None = None
    #: fields of a configuration change that apply only when the app starts again
    restart_pending: tuple[str, ...] = ()
    #: the safe out-of-order screen is shown instead of the app, and why
    safe_mode: bool = False
    safe_mode_reason: str | None = None
    #: the screen on display (its name)
    screen: str = ""


@dataclass(frozen=True)
class Usage:
    """How the station was used since it started counting; counts only, no one's data."""

    sessions: int = 0
    #: flow → sessions that completed it
    completed: Mapping[str, int] = field(default_factory=dict)
    #: (flow, step) → sessions that stopped there
    abandoned: Mapping[tuple[str, str], int] = field(default_factory=dict)
    #: language → sessions that used it
    languages: Mapping[str, int] = field(default_factory=dict)
    #: sessions in the seated layout, and with speech on
    seated_sessions: int = 0
    speech_sessions: int = 0
    #: sessions a facilitator helped with, and their minutes
    assisted_sessions: int = 0
    assisted_minutes: float = 0.0
    #: (question, score) → answers
    satisfaction: Mapping[tuple[str, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Heartbeat:
    """What a station tells the fleet: who it is, how it is, how it was used."""

    station_id: str
    site: str
    profile: str
    at: datetime
    counting_since: datetime
    health: Health = Health()
    usage: Usage = Usage()


@runtime_checkable
class Fleet(Protocol):
    """The city's fleet management."""

    def enrol(self, request: EnrolmentRequest) -> Enrolment:
        """Join the fleet with a one-time token; CentralError(UNAUTHORISED) for a wrong or
        used one."""
        ...

    def heartbeat(self, beat: Heartbeat) -> None:
        """Report how the station is."""
        ...
