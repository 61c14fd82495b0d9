"""City-hall kiosk: the domain core, the settings, the app shell and the command line."""
