"""What an idle station has imported once it has started (docs/performance.md, "What an idle
station holds"): none of the libraries only a session, a command or another process uses.
Each one kept out is megabytes of resident memory; a module-level import that brings one back
fails here."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from station_process import notifying_station

SUPPORT = Path(__file__).resolve().parents[1] / "support"
# As tests/benchmarks/startup.py measures: the resident screens are built and settled by then.
SETTLED_S = 2.0

#: Never at start: what draws receipts and QR codes (Pillow, qrcode) and writes dates and
#: numbers in words (Babel), loaded once a session has begun (kiosk/shell/session_modules.py);
#: what validates the settings (pydantic and its `annotated_types`), in a child process
#: (kiosk/settings/apart.py, kiosk/settings/constraints.py); the audit, the doctor and the
#: facilitator's console, other commands and processes; the parser of Open311's XML, for a
#: central that answers in XML (the packaged configuration has no central).
NOT_AT_START = ("PIL", "qrcode", "kiosk.receipts", "babel", "pydantic", "pydantic_core",
                "annotated_types", "typing_extensions", "defusedxml", "xml.etree",
                "kiosk.audit", "kiosk.doctor", "kiosk.shell.agent_console",
                "kiosk.shell.agent_app")


def started_modules(tmp_path: Path) -> set[str]:
    """The modules of a `kiosk run` stopped SETTLED_S after its first frame."""
    listed = tmp_path / "modules.txt"
    command = [sys.executable, str(SUPPORT / "station_modules.py"), str(listed)]
    with notifying_station(tmp_path, command=command):
        time.sleep(SETTLED_S)
    return set(listed.read_text(encoding="utf-8").split())


def held(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The `names` (packages included) that `modules` holds."""
    return sorted(m for m in modules
                  if any(m == name or m.startswith(f"{name}.") for name in names))


def test_an_idle_station_has_imported_none_of_what_only_sessions_and_other_commands_use(
        tmp_path):
    modules = started_modules(tmp_path)
    # The listing does read the station's modules: its screens, Kivy, the central link.
    assert {"kiosk.shell.app", "screens.attract", "kivy.core.window", "httpx"} <= modules
    assert held(modules, NOT_AT_START) == []
