"""Kivy screens: one module and one .kv file per screen, thin views over the kiosk's state.

Screens import the core's state types and send intents through the app shell; they never
import a device or a central adapter (the import contract in pyproject.toml).
"""
