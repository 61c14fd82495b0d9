"""What a check found: a level, the check's name, and one line for a technician."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How bad a finding is; the exit code of `kiosk doctor` is the worst one's value."""

    OK = 0
    WARNING = 1
    ISSUE = 2


@dataclass(frozen=True)
class Finding:
    """One line of the report (never personal data: names, counts, states)."""

    level: Level
    check: str
    message: str

    def line(self) -> str:
        """`OK      configuration: ...`"""
        return f"{self.level.name:<8}{self.check}: {self.message}"


def worst(findings: Iterable[Finding]) -> Level:
    """The worst level found (OK when nothing was checked)."""
    return max((finding.level for finding in findings), default=Level.OK)
