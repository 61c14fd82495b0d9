"""Loading the settings in a child process, so that the station's own memory never holds
pydantic: importing it and building the settings' validators costs about 9 MiB that would
stay resident for months to be used once, at start.

The child is forked before the station starts any thread or opens any window; it validates,
sends back the frozen settings (plain dataclasses, enums and paths) or the problems found,
and exits.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Mapping
from typing import NoReturn

from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import Settings

# sysexits.h: EX_SOFTWARE, an internal error (the traceback is on stderr).
_EX_SOFTWARE = 70


class SettingsChildError(Exception):
    """The child that validates the settings died without an answer (a bug, not a bad file)."""


def load_settings_apart(
    sources: ConfigSources, environ: Mapping[str, str] | None = None
) -> Settings:
    """What `load_settings` returns or raises (ConfigError), computed in a forked child."""
    # What is still buffered would otherwise be written twice, once by each process.
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _answer(write_end, sources, environ)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if not answer:
        code = os.waitstatus_to_exitcode(status)
        raise SettingsChildError(f"the settings could not be validated (child exit status {code})")
    kind, value = pickle.loads(answer)  # our own child's answer, through our own pipe
    if kind == "problems":
        raise ConfigError(value)
    return value


def _answer(write_end: int, sources: ConfigSources,
            environ: Mapping[str, str] | None) -> NoReturn:
    """The child's whole life; it exits without running the parent's exit handlers."""
    code = 0
    try:
        try:
            answer: tuple[str, object] = ("settings", load_settings(sources, environ))
        except ConfigError as err:
            answer = ("problems", err.problems)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(answer))
    except BaseException:  # reported on stderr; the parent then says it failed
        traceback.print_exc(file=sys.stderr)
        code = _EX_SOFTWARE
    finally:
        sys.stderr.flush()
        os._exit(code)
