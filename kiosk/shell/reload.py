"""Hot reload: a change to the station's configuration files applies without a restart, at the
next attract screen, never in the middle of a person's session; a change that does not
validate is refused, said in the log and in the next heartbeat, and the last good
configuration stays in force (docs/installation.md, "Changing the configuration").

The directories of the site and machine files (and of an absolute places file) are watched
with the `watchdog` library (inotify). A file is read only after its writer closed it or
renamed it into place, and once the files have been quiet for `QUIET_S`: a file written in
several steps, or replaced by a rename, is read once, whole. Reading is checking: in a fresh
interpreter (kiosk/shell/reload_check.py), since the station has threads and must not fork,
nor hold pydantic. The check runs on the watcher's thread; the change is applied on the UI
thread, when no session is open.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from kiosk.adapters.otlp_metrics import error_text
from kiosk.adapters.places_file import places_path
from kiosk.core.events import EventType, Ident, record
from kiosk.settings.loader import (
    DEFAULT_MACHINE_FILE,
    DEFAULT_SITE_FILE,
    ENV_PREFIX,
    PACKAGED_CONFIG_DIR,
    ConfigSources,
)
from kiosk.shell.reload_check import Candidate, CheckRequest, ReloadStatus

#: How long the files must stay quiet after the last close or rename before they are read: an
#: editor's save or an `install`/`mv` ends well within it, and it leaves the check most of
#: the 2 s a change may take to apply at the attract screen.
QUIET_S = 0.25
#: The check's fresh interpreter loads pydantic and validates in about 0.4 s; beyond this it
#: is stuck, and the change is reported as not checked.
CHECK_TIMEOUT_S = 30.0
#: How long stopping waits for a check under way (nothing is applied after a stop anyway).
STOP_WAIT_S = 5.0
#: Events that mean a writer is done with a file: closed after writing, renamed into place
#: (or away), deleted. An open file being written (IN_MODIFY) is not read yet.
DONE_EVENTS = (FileClosedEvent, FileMovedEvent, FileDeletedEvent)

Post = Callable[[Callable[[], None]], None]
"""Runs a function on the UI thread (the shell gives Kivy's clock)."""


@dataclass(frozen=True)
class WatchedConfig:
    """The files a running station's configuration is layered from. A file read at start is
    always read again (gone, it is an error, never a silent return to the defaults); a site or
    machine file that did not exist at start is read once it appears."""

    site: Path = DEFAULT_SITE_FILE
    machine: Path = DEFAULT_MACHINE_FILE
    profile: str | None = None
    packaged_dir: Path = PACKAGED_CONFIG_DIR
    #: the KIOSK__ environment variables the station started with
    environ: Mapping[str, str] = field(default_factory=dict)
    #: the files the station was started with
    started_with: frozenset[Path] = frozenset()

    @staticmethod
    def of(sources: ConfigSources, environ: Mapping[str, str]) -> WatchedConfig:
        """What a station started from `sources` and `environ` watches."""
        return WatchedConfig(
            site=sources.site or DEFAULT_SITE_FILE, machine=sources.machine or DEFAULT_MACHINE_FILE,
            profile=sources.profile, packaged_dir=sources.packaged_dir,
            environ={k: v for k, v in environ.items() if k.startswith(ENV_PREFIX)},
            started_with=frozenset(p for p in (sources.site, sources.machine) if p is not None))

    def sources(self) -> ConfigSources:
        """The layers to read now."""

        def wanted(path: Path) -> Path | None:
            return path if path in self.started_with or path.exists() else None

        return ConfigSources(packaged_dir=self.packaged_dir, site=wanted(self.site),
                             machine=wanted(self.machine), profile=self.profile)

    def request(self) -> CheckRequest:
        """What the check is asked."""
        return CheckRequest(self.sources(), self.environ)


def run_check(request: CheckRequest, timeout_s: float = CHECK_TIMEOUT_S) -> tuple[str, object]:
    """The answer of kiosk/shell/reload_check.py in a fresh interpreter: ("candidate",
    Candidate), ("problems", [line, ...]) or ("changed", None)."""
    try:
        done = subprocess.run([sys.executable, "-m", "kiosk.shell.reload_check"],
                              input=request.to_json().encode(), capture_output=True,
                              timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return ("problems", [f"the configuration could not be checked within {timeout_s:.0f} s"])
    except OSError as err:
        return ("problems", [f"the configuration could not be checked ({err.strerror})"])
    if done.returncode != 0 or not done.stdout:
        return ("problems", [f"the configuration could not be checked (exit status "
                             f"{done.returncode})"])
    # our own child's answer, through our own pipe
    answer: tuple[str, object] = pickle.loads(done.stdout)
    return answer


class _DoneWriting(FileSystemEventHandler):
    """Sets `changed` when a writer is done with one of the watched files."""

    def __init__(self, paths: Callable[[], frozenset[str]], changed: threading.Event) -> None:
        self._paths = paths
        self._changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not isinstance(event, DONE_EVENTS):
            return
        touched = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", ""))}
        if touched & self._paths():
            self._changed.set()


class HotReload:
    """Watches the configuration, checks each change, and applies a valid one on the UI
    thread once no session is open (`apply` returns the sections that wait for a restart)."""

    def __init__(self, watched: WatchedConfig, in_force: Candidate,
                 apply: Callable[[Candidate], tuple[str, ...]], post: Post,
                 session_open: Callable[[], bool],
                 on_status: Callable[[ReloadStatus], None] | None = None,
                 check: Callable[[CheckRequest], tuple[str, object]] = run_check,
                 quiet_s: float = QUIET_S) -> None:
        self._watched = watched
        self._in_force = in_force
        self._apply = apply
        self._post = post
        self._session_open = session_open
        self._on_status = on_status
        self._check = check
        self._quiet_s = quiet_s
        self._lock = threading.Lock()
        self._pending: Candidate | None = None
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._observer: Observer | None = None
        self._thread = threading.Thread(target=self._run, name="config-reload", daemon=True)
        self._paths = self._watched_paths(in_force)
        self.status = ReloadStatus(in_force.version)
        #: how many times the files were read (checked), for tests and the log
        self.checks = 0

    # -- watching ------------------------------------------------------------------------

    def _watched_paths(self, candidate: Candidate) -> frozenset[str]:
        files = [self._watched.site, self._watched.machine]
        places = candidate.settings.places.file
        if places.is_absolute():
            files.append(places_path(places, self._watched.packaged_dir))
        return frozenset(str(p) for p in files)

    def start(self) -> None:
        """Watch the files' directories and start the checking thread."""
        observer = Observer()
        observer.daemon = True
        self._schedule(observer)
        observer.start()
        self._observer = observer
        self._thread.start()

    def _schedule(self, observer: Observer) -> None:
        handler = _DoneWriting(lambda: self._paths, self._changed)
        for directory in sorted({str(Path(p).parent) for p in self._paths}):
            if not Path(directory).is_dir():
                record(EventType.CONFIG_UNWATCHED, reason=Ident("no-directory"))
                continue
            try:
                observer.schedule(handler, directory, recursive=False)
            except OSError as err:
                record(EventType.CONFIG_UNWATCHED, logging.WARNING,
                       reason=Ident(type(err).__name__))

    def stop(self) -> None:
        """Stop watching; a check under way finishes, and nothing more is applied."""
        self._stopping.set()
        self._changed.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():  # a check under way takes half a second
            self._thread.join(timeout=STOP_WAIT_S)

    def changed(self) -> None:
        """Check the files as if a writer had just closed one."""
        self._changed.set()

    def _run(self) -> None:
        while True:
            self._changed.wait()
            # Quiet: no writer done with a file for quiet_s.
            while self._changed.is_set() and not self._stopping.is_set():
                self._changed.clear()
                self._stopping.wait(self._quiet_s)
            if self._stopping.is_set():
                return
            try:
                self._check_now()
            except Exception as err:  # a bug here must not end the watch for good
                record(EventType.CONFIG_REJECTED, logging.ERROR, error=Ident(type(err).__name__))

    # -- checking (the watcher's thread) --------------------------------------------------

    def _check_now(self) -> None:
        self.checks += 1
        kind, value = self._check(self._watched.request())
        if kind == "changed":  # a writer was at it while it was read: once more, when quiet
            self._changed.set()
            return
        if kind == "problems":
            problems = [str(p) for p in value] if isinstance(value, list) else [str(value)]
            self._refused(problems)
            return
        assert isinstance(value, Candidate)
        with self._lock:
            if value.version == self._in_force.version:  # as in force (a change undone)
                self._pending, new = None, False
            elif self._pending is not None and value.version == self._pending.version:
                new = False
            else:
                self._pending, new = value, True
        self._set_status(last_error=None)
        if new:
            record(EventType.CONFIG_PENDING, version=Ident(value.version),
                   session_open=self._session_open())
            self._post(self.apply_if_idle)

    def _refused(self, problems: list[str]) -> None:
        first = error_text(problems[0])
        for problem in problems:
            record(EventType.CONFIG_REJECTED, logging.WARNING, problem=Ident(error_text(problem)),
                   kept=Ident(self.status.version))
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        self._set_status(last_error=first + more)

    def _set_status(self, **changes: object) -> None:
        with self._lock:
            self.status = status = replace(self.status, **changes)
        if self._on_status is not None:
            self._on_status(status)

    # -- applying (the UI thread) ----------------------------------------------------------

    @property
    def pending(self) -> Candidate | None:
        """A valid change waiting for the session to end."""
        return self._pending

    def nudge(self) -> None:
        """The state changed: if a change waits and no session is open, apply it soon (never
        from inside the core's own listener call)."""
        if self._pending is not None and not self._session_open():
            self._post(self.apply_if_idle)

    def apply_if_idle(self) -> None:
        """Apply the waiting change now, unless a session is open (then at its end)."""
        if self._stopping.is_set() or self._session_open():
            return
        with self._lock:
            candidate, self._pending = self._pending, None
        if candidate is None:
            return
        restart = self._apply(candidate)
        paths = self._watched_paths(candidate)
        with self._lock:
            self._in_force = candidate
            moved, self._paths = paths != self._paths, paths
        record(EventType.CONFIG_RELOADED, version=Ident(candidate.version))
        if restart:
            record(EventType.CONFIG_RESTART_PENDING, logging.WARNING,
                   sections=Ident(",".join(restart)))
        self._set_status(version=candidate.version, restart_pending=restart)
        if moved and self._observer is not None:  # another places file
            self._observer.unschedule_all()
            self._schedule(self._observer)

