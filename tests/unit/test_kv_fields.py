"""Every text field of the screens has a role of its own, as every button has: what tests and
`kiosk audit` call it (docs/accessibility.md H2; the audit's name check fails a field without
one on the screen it is shown on, this test fails it before any window opens)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIELD = re.compile(r"^(?P<indent> *)KioskTextInput:\n(?P<body>(?:(?P=indent) {4}.*\n|\s*\n)*)",
                   re.M)
ROLE = re.compile(r"^\s+role:\s*'([^']+)'", re.M)


def field_roles(kv: str) -> list[str]:
    """The role of each field a kv text declares, "" for a field without one."""
    roles = []
    for found in FIELD.finditer(kv):
        body = "\n".join(line for line in found["body"].splitlines()
                         if len(line) - len(line.lstrip()) == len(found["indent"]) + 4)
        role = ROLE.search(body)
        roles.append(role.group(1) if role else "")
    return roles


def test_every_field_of_the_screens_has_a_role_of_its_own():
    roles = [role for kv in sorted((REPO / "screens").glob("*.kv"))
             for role in field_roles(kv.read_text(encoding="utf-8"))]
    assert len(roles) >= 14
    assert "" not in roles
    assert [role for role, n in Counter(roles).items() if n > 1] == []


def test_a_field_without_a_role_is_caught():
    kv = ("<A>:\n    KioskTextInput:\n        id: email\n        role: 'a.email'\n"
          "    KioskTextInput:\n        id: phone\n        KioskText:\n            role: 'x'\n")
    assert field_roles(kv) == ["a.email", ""]
