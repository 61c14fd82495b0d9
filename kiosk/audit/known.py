"""The screens' known defects: what the audit finds and a fix has not reached yet, each named
with the file it lies in, the check that finds it, the screens and stations it shows on, and
why it is not fixed. A finding one of them covers is not counted as a failure, but every report
still lists it as a known defect (report.json `known`, summary.html, the command's output);
an entry that no longer covers anything is said too, so that it is taken out. The checks
themselves are never loosened here (docs/accessibility.md, "The audit")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from kiosk.audit.findings import Check


@dataclass(frozen=True)
class KnownDefect:
    """A defect of the screens the audit finds, not fixed yet."""

    #: the file where it lies, to be fixed
    file: str
    check: Check
    #: why it is not fixed yet, and what its fix is
    reason: str
    #: the screens it shows on (any screen when empty)
    screens: tuple[str, ...] = ()
    #: patterns (fnmatch) of the stations' keys it shows on: "totem-seated-XL", "*-XL"
    cells: tuple[str, ...] = ("*",)
    #: a pattern of the finding's `where`: the widget as a report names it
    where: str = "*"
    #: a pattern of the finding's message
    message: str = "*"

    def covers(self, finding: Mapping[str, Any]) -> bool:
        """Whether `finding` (a line of report.json) is this defect."""
        return (finding["check"] == self.check.value
                and (not self.screens or finding.get("screen") in self.screens)
                and any(fnmatchcase(str(finding["cell"]), cell) for cell in self.cells)
                and fnmatchcase(str(finding["where"]), self.where)
                and fnmatchcase(str(finding["message"]), self.message))

    def as_dict(self) -> dict[str, Any]:
        """For report.json."""
        return {"file": self.file, "check": self.check.value, "reason": self.reason,
                "screens": list(self.screens), "cells": list(self.cells), "where": self.where,
                "message": self.message}


KNOWN: tuple[KnownDefect, ...] = (
)
