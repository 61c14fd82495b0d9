"""Adapters from the core's central ports to the city's real contracts: Open311 GeoReport v2,
Publik w.c.s. and Chrono (signed URLs), and the fleet's OTLP/HTTP JSON heartbeats."""

import sys

# httpx imports its command-line client (rich, click and pygments: about 4.5 MiB resident)
# whenever those happen to be installed, as they are beside the test tools. The kiosk never runs
# that client: a None entry makes the import fail, and httpx then keeps its stub `main`
# (httpx/__init__.py, 0.28). A station installed without the test tools already runs this way.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
