"""schemathesis (its CLI, in a subprocess) against the patched Open311 Swagger served by a running
peer: every check, the coverage and fuzzing phases, a bounded number of examples and a fixed
seed, so that it finishes in seconds and says the same thing every time.

The patched Swagger's POST accepts one api_key, "test": the peer is started with it
(KIOSK_PEER_OPEN311_API_KEY), so that fuzzed POSTs reach the validation of their fields. Path and
query ids are drawn half of the time from the seeded requests and services, so that the answers
that carry data (requests/{id}, filtered lists) are checked against the Swagger's schemas too.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kiosk.peer.server import RunningPeer, start_peer

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SWAGGER = "/_peer/specs/open311/open311_swagger_patched.json"
CONFIG = """
[dictionaries.requests]
values = ["204518", "204602", "204655", "204671"]

[dictionaries.services]
values = ["VOI-001", "PRO-001", "ENC-001", "ECL-001"]

[parameters]
"path.service_request_id" = { dictionary = "requests", probability = 0.5 }
"query.service_request_id" = { dictionary = "requests", probability = 0.5 }
"query.service_code" = { dictionary = "services", probability = 0.5 }
"""


@pytest.fixture
def peer(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningPeer]:
    monkeypatch.setenv("KIOSK_PEER_OPEN311_API_KEY", "test")
    with start_peer() as running:
        yield running


def schemathesis(peer: RunningPeer, workdir: Path, examples: int) -> subprocess.CompletedProcess:
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return subprocess.run(
        [str(SCHEMATHESIS), "--config-file", str(config), "--no-color", "run",
         peer.base_url + SWAGGER, "--checks", "all", "--phases", "examples,coverage,fuzzing",
         "--max-examples", str(examples), "--seed", "20261122", "--workers", "2",
         "--generation-database", "none", "--request-timeout", "10"],
        cwd=workdir, capture_output=True, text=True, timeout=180, check=False)


def test_the_swagger_is_served_with_the_peer_base_path(peer):
    swagger = httpx.get(peer.base_url + SWAGGER).json()
    assert swagger["basePath"] == "/open311/v2"
    assert "/requests/{service_request_id}.{response_format}" in swagger["paths"]


def test_schemathesis_finds_nothing(peer, tmp_path: Path):
    result = schemathesis(peer, tmp_path, examples=40)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Base URL:         " + peer.base_url + "/open311/v2" in result.stdout
    assert "6 selected / 6 total" in result.stdout
    assert " passed" in result.stdout and "failures" not in result.stdout.lower()


def test_schemathesis_would_see_a_broken_peer(peer, tmp_path: Path):
    """The check can fail: the same run against a peer that answers 503 to half the Open311
    requests reports server errors."""
    response = httpx.post(f"{peer.base_url}/_peer/faults",
                          json={"error_rate": 0.5, "path_prefix": "/open311/", "seed": 1})
    assert response.status_code == 200
    result = schemathesis(peer, tmp_path, examples=3)
    assert result.returncode != 0
    assert "Server error" in result.stdout
