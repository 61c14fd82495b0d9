"""Enrolment and installation of a station: the systemd unit rendered for this installation,
and (with the appliance work) enrolment, self-test and support bundle."""
