"""`python -m kiosk.shell.reload_check`: a changed configuration checked in a fresh interpreter,
for the running station (kiosk/shell/reload.py).

The station has threads and must never fork (kiosk/settings/apart.py forks, and is for
start-up only), nor hold pydantic: this program is started instead. It reads what to check as
JSON on its standard input (the packaged directory, the site and machine files, the profile,
the `KIOSK__` variables), validates the layered configuration, reads the places file and the
screen-power schedule the way the station would, and writes back, pickled, a `Candidate` or
the problems found.

The files' digest is taken before and after they are read: a file that changed meanwhile (a
writer that was not done) is answered `changed`, and read again once it is quiet, so that a
configuration is only ever taken whole.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.adapters.places_file import places_path, read_places
from kiosk.core.panel_power import power_plan
from kiosk.core.places import PlaceDirectory
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import Settings

#: How a version is written: a prefix and the digest's first hexadecimal digits (48 bits are
#: plenty to tell a station's successive configurations apart).
VERSION_PREFIX = "cfg-"
VERSION_DIGITS = 12


@dataclass(frozen=True)
class Candidate:
    """A configuration that validates, with what is read from it."""

    settings: Settings
    places: PlaceDirectory
    #: a digest of the files it was read from (kiosk/core/fleet.py, Health.config_version)
    version: str


@dataclass(frozen=True)
class ReloadStatus:
    """What the heartbeat says of the configuration."""

    #: the version in force (`config_version`)
    version: str
    #: why the last change was refused, while the files stay refused
    last_error: str | None = None
    #: fields changed in the files that apply only when the app starts again
    restart_pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckRequest:
    """What to check: the layers of kiosk/settings/loader.py."""

    sources: ConfigSources
    #: the KIOSK__ environment variables the station was started with
    environ: Mapping[str, str]

    def to_json(self) -> str:
        """The request as the child reads it."""
        return json.dumps({
            "packaged_dir": str(self.sources.packaged_dir),
            "site": None if self.sources.site is None else str(self.sources.site),
            "machine": None if self.sources.machine is None else str(self.sources.machine),
            "profile": self.sources.profile,
            "environ": dict(self.environ),
        })

    @staticmethod
    def from_json(text: str) -> CheckRequest:
        """The request the parent wrote."""
        doc: dict[str, Any] = json.loads(text)

        def path(key: str) -> Path | None:
            return None if doc.get(key) is None else Path(doc[key])

        return CheckRequest(ConfigSources(packaged_dir=Path(doc["packaged_dir"]),
                                          site=path("site"), machine=path("machine"),
                                          profile=doc.get("profile")),
                            environ=dict(doc.get("environ") or {}))


def config_version(paths: Iterable[Path | None]) -> str:
    """A digest of the files' names and contents (a missing file counts as such)."""
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            continue
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as err:
            digest.update(f"<{type(err).__name__}>".encode())
        digest.update(b"\0")
    return VERSION_PREFIX + digest.hexdigest()[:VERSION_DIGITS]


def version_files(sources: ConfigSources, settings: Settings | None) -> list[Path | None]:
    """The files a configuration is read from: site, machine, and the places file."""
    places = None if settings is None else places_path(settings.places.file,
                                                       sources.packaged_dir)
    return [sources.site, sources.machine, places]


def check(request: CheckRequest) -> tuple[str, object]:
    """("candidate", Candidate), ("problems", [line, ...]) or ("changed", None)."""
    sources = request.sources
    before = config_version(version_files(sources, None))
    try:
        settings = load_settings(sources, request.environ)
        places = read_places(places_path(settings.places.file, sources.packaged_dir))
        power_plan(settings, places)
    except ConfigError as err:
        answer: tuple[str, object] = ("problems", err.problems)
    else:
        answer = ("candidate", Candidate(settings, places, config_version(
            version_files(sources, settings))))
    if config_version(version_files(sources, None)) != before:
        return ("changed", None)
    return answer


def main() -> int:
    """Read the request on stdin, write the pickled answer on stdout."""
    request = CheckRequest.from_json(sys.stdin.read())
    sys.stdout.buffer.write(pickle.dumps(check(request)))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    # Run as the module itself, not as __main__: what is pickled must name
    # kiosk.shell.reload_check.Candidate, which the station can load.
    from kiosk.shell import reload_check

    sys.exit(reload_check.main())
