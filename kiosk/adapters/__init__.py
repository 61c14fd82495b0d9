"""Adapters from the core's central ports to the city's real contracts: Open311 GeoReport v2,
Publik w.c.s. and Chrono (signed URLs), and the fleet's OTLP/HTTP JSON heartbeats."""
