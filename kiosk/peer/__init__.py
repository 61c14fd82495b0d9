"""The embedded reference peer: Open311 GeoReport v2, Publik w.c.s. and Chrono, and a fleet
endpoint, served on loopback from a seed file, so that the whole product runs on one machine."""
