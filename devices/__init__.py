"""Device drivers and simulators implementing the ports of `kiosk.core.devices`."""
