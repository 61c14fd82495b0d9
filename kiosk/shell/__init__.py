"""The app shell: the one place that wires config, devices, the core and the Kivy screens."""
