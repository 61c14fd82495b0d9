"""Staff badges around the core's transition function: the station's badge file, enrolment,
and the terminal that runs authentication against a card reader."""
