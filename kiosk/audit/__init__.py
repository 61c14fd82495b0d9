"""`kiosk audit`: every screen of every flow, in every profile, posture, text size, theme and
language, checked against the numbers of docs/accessibility.md.

The checks are pure functions over a description of what the window shows (`scene.py`) and
over its pixels (`contrast.py`); `capture.py` and `cell.py` walk the real app to describe it,
one process per profile, posture and text size; `command.py` runs them and writes the report.
"""
