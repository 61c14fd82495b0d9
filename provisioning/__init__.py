"""Installation and enrolment of a station: `kiosk-provision install` puts the station on a
Debian 12 system (account, code, units, display session, udev, logs, printer queue),
`kiosk-provision enroll` joins it to the city's fleet (docs/installation.md)."""
