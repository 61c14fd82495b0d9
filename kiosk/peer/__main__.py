"""`python -m kiosk.peer`: the reference peer without the rest of the `kiosk` command."""

from __future__ import annotations

import logging
import sys

from kiosk.peer.cli import main

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
sys.exit(main())
