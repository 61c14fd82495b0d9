"""The domain core: state, session, screen selection, events, i18n and the ports.

Pure Python: it imports no UI toolkit, HTTP client, printing or card library, so that every
rule it holds can be tested without a window, a network or a device.
"""
