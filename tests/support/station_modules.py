"""`kiosk run`, then, once the station has stopped, the names of the modules it had imported,
one a line, in the file named by the first argument (tests/integration/test_start_imports.py).

    python tests/support/station_modules.py OUT

The station's settings child (kiosk/settings/apart.py) exits on its own, without writing: only
the station's own modules are listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.cli import main

if __name__ == "__main__":
    out = Path(sys.argv[1])
    code = main(["run"])
    out.write_text("\n".join(sorted(sys.modules)) + "\n", encoding="utf-8")
    sys.exit(code)
