"""Printing tests: receipts drawn, and printed through a real CUPS (see conftest.py)."""
