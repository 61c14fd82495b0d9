"""What an installation is made of, and how it is applied: directories, files and commands,
each compared with what is there before anything is changed, so that a second run changes
nothing and says so.

Paths are those of the installed system (`/etc/kiosk`). With a root folder they land under it
(`DIR/etc/kiosk`), with owners and modes as on a real system: the accounts are those of
`DIR/etc/passwd` and `DIR/etc/group`. Commands that act on the live system (systemctl,
udevadm, lpadmin, apt-get) are then recorded in `DIR/kiosk-provision.commands`, not run; a
command that knows how to act on a folder (systemd-sysusers --root) is run on it.
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: Under a root folder, the commands left for the live system, one a line (shell syntax).
RECORD_NAME = "kiosk-provision.commands"
_PAST = {"create": "created", "update": "updated", "remove": "removed", "change": "changed",
         "run": "ran", "record": "recorded"}


class ProvisionError(Exception):
    """A step that cannot be done; `str()` is one line saying what and why."""


@dataclass(frozen=True)
class Directory:
    """A directory with its owner, group and mode."""

    path: PurePosixPath
    owner: str = "root"
    group: str = "root"
    mode: int = 0o755


@dataclass(frozen=True)
class File:
    """A file with its whole content, owner, group and mode."""

    path: PurePosixPath
    content: bytes
    owner: str = "root"
    group: str = "root"
    mode: int = 0o644


@dataclass(frozen=True)
class Absent:
    """A file that must not be there (left by an earlier installation)."""

    path: PurePosixPath


@dataclass(frozen=True)
class Command:
    """A command, run when a file in `after` (or under a directory in it) changed during this
    run, or when `needed` (a look at the live system) says so. `on_root` is its form for a
    root folder ({root} stands for the folder), when it has one; otherwise it is recorded
    there."""

    argv: tuple[str, ...]
    after: tuple[PurePosixPath, ...] = ()
    needed: Callable[[], bool] | None = None
    on_root: tuple[str, ...] | None = None

    @property
    def line(self) -> str:
        """The command as a shell line."""
        return shlex.join(self.argv)


Step = Directory | File | Absent | Command


@dataclass
class Target:
    """Where and how steps are applied: the live system or a root folder, for real or not."""

    root: Path | None = None
    dry_run: bool = False
    say: Callable[[str], None] = print
    changed: set[PurePosixPath] = field(default_factory=set)
    changes: int = 0

    def real(self, path: PurePosixPath) -> Path:
        """Where a system path is on this machine."""
        if self.root is None:
            return Path(path)
        return self.root / str(path).lstrip("/")

    # -- accounts -------------------------------------------------------------------------

    def _account_file(self, name: str) -> list[list[str]]:
        assert self.root is not None
        path = self.root / "etc" / name
        if not path.is_file():
            return []
        return [line.split(":") for line in path.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]

    def uid(self, user: str) -> int | None:
        """The user's id on the target, None when it has no such user (yet)."""
        if user == "root":
            return 0
        if self.root is None:
            try:
                return pwd.getpwnam(user).pw_uid
            except KeyError:
                return None
        return next((int(f[2]) for f in self._account_file("passwd") if f[0] == user), None)

    def gid(self, group: str) -> int | None:
        """The group's id on the target, None when it has no such group (yet)."""
        if group == "root":
            return 0
        if self.root is None:
            try:
                return grp.getgrnam(group).gr_gid
            except KeyError:
                return None
        return next((int(f[2]) for f in self._account_file("group") if f[0] == group), None)

    def group_name(self, gid: int) -> str | None:
        """The name of a group id on the target."""
        if gid == 0:
            return "root"
        if self.root is None:
            try:
                return grp.getgrgid(gid).gr_name
            except KeyError:
                return None
        return next((f[0] for f in self._account_file("group") if f[2] == str(gid)), None)

    def _ids(self, owner: str, group: str) -> tuple[int, int]:
        uid, gid = self.uid(owner), self.gid(group)
        if uid is None or gid is None:
            raise ProvisionError(f"no account {owner}:{group} on the target (the sysusers step "
                                 "creates the kiosk account first)")
        return uid, gid

    # -- reporting ------------------------------------------------------------------------

    def _did(self, verb: str, what: str, path: PurePosixPath | None = None) -> None:
        self.changes += 1
        if path is not None:
            self.changed.add(path)
        self.say(f"{'would ' + verb if self.dry_run else _PAST[verb]} {what}")

    # -- steps ----------------------------------------------------------------------------

    def apply(self, steps: Sequence[Step]) -> int:
        """Apply every step in order; the number of changes made (or that would be)."""
        for step in steps:
            if isinstance(step, Directory):
                self._directory(step)
            elif isinstance(step, File):
                self._file(step)
            elif isinstance(step, Absent):
                self._absent(step)
            else:
                self._command(step)
        return self.changes

    def _owner_mode(self, real: Path, owner: str, group: str, mode: int,
                    path: PurePosixPath) -> None:
        """Fix owner and mode of something that exists (and was not just made)."""
        info = real.lstat()
        wrong_mode = info.st_mode & 0o7777 != mode
        if self.dry_run:
            if wrong_mode or (self.uid(owner), self.gid(group)) != (info.st_uid, info.st_gid):
                self._did("change", f"owner or mode of {path}", path)
            return
        uid, gid = self._ids(owner, group)
        if (info.st_uid, info.st_gid) != (uid, gid) or wrong_mode:
            os.chown(real, uid, gid, follow_symlinks=False)
            os.chmod(real, mode)
            self._did("change", f"owner or mode of {path} ({owner}:{group} {mode:04o})", path)

    def _directory(self, step: Directory) -> None:
        real = self.real(step.path)
        if real.is_dir():
            self._owner_mode(real, step.owner, step.group, step.mode, step.path)
            return
        if real.exists() or real.is_symlink():
            raise ProvisionError(f"{step.path}: exists and is not a directory")
        if not self.dry_run:
            uid, gid = self._ids(step.owner, step.group)
            real.mkdir(parents=True)
            os.chown(real, uid, gid)
            os.chmod(real, step.mode)
        self._did("create", f"{step.path}/", step.path)

    def _file(self, step: File) -> None:
        real = self.real(step.path)
        if real.is_symlink() or (real.exists() and not real.is_file()):
            raise ProvisionError(f"{step.path}: exists and is not a regular file")
        if real.is_file() and real.read_bytes() == step.content:
            self._owner_mode(real, step.owner, step.group, step.mode, step.path)
            return
        verb = "update" if real.exists() else "create"
        if not self.dry_run:
            uid, gid = self._ids(step.owner, step.group)
            real.parent.mkdir(parents=True, exist_ok=True)
            temporary = real.with_name(f".{real.name}.kiosk-provision")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            try:
                os.write(fd, step.content)
                os.fchown(fd, uid, gid)
                os.fchmod(fd, step.mode)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, real)
        self._did(verb, str(step.path), step.path)

    def _absent(self, step: Absent) -> None:
        real = self.real(step.path)
        if not (real.exists() or real.is_symlink()):
            return
        if not self.dry_run:
            real.unlink()
        self._did("remove", str(step.path), step.path)

    def _command(self, step: Command) -> None:
        triggered = any(path == after or after in path.parents
                        for path in self.changed for after in step.after)
        if self.root is not None:
            self._command_on_root(step, triggered)
            return
        if not triggered and not (step.needed is not None and step.needed()):
            return
        if self.dry_run:
            self._did("run", step.line)
            return
        done = subprocess.run(step.argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
            raise ProvisionError(f"{step.line}: exit status {done.returncode}: {last[0]}")
        self._did("run", step.line)

    def _command_on_root(self, step: Step, triggered: bool) -> None:
        assert isinstance(step, Command) and self.root is not None
        if step.on_root is not None:
            argv = [part.replace("{root}", str(self.root)) for part in step.on_root]
            if self.dry_run:
                self.say(f"would run {shlex.join(argv)}")
                return
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise ProvisionError(f"{shlex.join(argv)}: {done.stderr.strip()}")
            if done.stdout.strip() or done.stderr.strip():
                self._did("run", shlex.join(argv))
            return
        record = self.root / RECORD_NAME
        recorded = record.read_text(encoding="utf-8").splitlines() if record.is_file() else []
        if step.line in recorded or not (triggered or step.needed is not None):
            return
        if not self.dry_run:
            with record.open("a", encoding="utf-8") as out:
                out.write(step.line + "\n")
        self._did("record", f"for the live system: {step.line}")
