"""`kiosk doctor`: the station's self-test and its support bundle."""
