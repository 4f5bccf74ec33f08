"""The isolation levels, and the one that grading uses here.

Three levels, chosen automatically (the strongest available) or forced with `--isolation`:

* **process** — everywhere: a separate `python -I` process in its own session, an empty
  environment, a fresh working directory holding only a copy of the submission, resource limits
  (address space, CPU seconds, file size, open files, no core dumps), a wall-clock timeout, and a
  sweep that kills every descendant, including daemons that left the process group.
* **user** — Linux as root, where namespaces are forbidden (a container under Docker's default
  seccomp profile): the process level, run as a sandbox uid with a process limit and the seccomp
  filter. File permissions are its boundary.
* **strict** — Linux, as root or where bubblewrap works: additionally new user/PID/network/IPC/
  UTS/mount namespaces, a file-system view holding only the interpreter, its libraries, the staged
  submission and a private scratch directory (`bwrap.py` for a fresh child, `child/confine.py`
  for a warm worker's forked one).

`auto` picks strict where it works, else user, else process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox import bwrap, portability, probe, settings
from grader.sandbox.child import seccomp
from grader.sandbox.child.limits import ResourceLimits, apply_limits

LEVELS = ("strict", "user", "process")  # strongest first


class PopenOptions(bwrap.UserSwitch, total=False):
    """The keyword arguments of `subprocess.Popen` that a level adds to a fresh child's start."""

    start_new_session: bool
    preexec_fn: Callable[[], None]
    creationflags: int


class IsolationUnavailable(Exception):
    """The requested level cannot work here; the message says why and what to do."""


@dataclass(frozen=True)
class Isolation:
    level: str
    python: str
    """The interpreter that runs the harness (for strict and user as root: the sandbox's)."""
    limits: ResourceLimits = field(default_factory=ResourceLimits)
    uid: int | None = None
    """The sandbox uid (strict and user, as root); None keeps the grader's own uid."""
    gid: int | None = None
    bwrap: str | None = None
    binds: tuple[str, ...] = ()
    """Extra directories mounted read-only into the sandbox (the interpreter's prefixes)."""

    # -- fresh exec ---------------------------------------------------------------------------

    def command(self, harness: Path, workdir: Path, channel: str, seccomp_fd: int | None) -> list[str]:
        """The argv that runs `harness` on the staged `workdir/answers.py`; `channel` names the
        answer channel for the harness (a descriptor number, or "connect")."""
        if self.level != "strict":  # the process and user levels: the harness, run directly
            return [self.python, "-I", str(harness), channel]
        assert self.bwrap is not None and seccomp_fd is not None
        return bwrap.command(self.bwrap, self.python, self.binds, harness, workdir, channel, seccomp_fd)

    def submission_path(self, workdir: Path) -> str:
        """Where the child finds the staged submission."""
        return "/submission/answers.py" if self.level == "strict" else str(workdir / "answers.py")

    def popen_options(self) -> PopenOptions:
        if not portability.PROCESS_GROUPS:  # Windows: no sessions, no preexec_fn, no resource limits
            return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        if self.level == "user":
            seccomp.prepared()  # ready before the fork: _preexec only calls prctl
        options: PopenOptions = {"start_new_session": True, "preexec_fn": self._preexec}
        if self.uid is not None:
            options.update({"user": self.uid, "group": self.gid, "extra_groups": []})
        return options

    def _preexec(self) -> None:  # in the child, after the uid change, before exec
        apply_limits(self.limits, own_uid=self.uid is not None)
        if self.level == "user" and seccomp.supported():
            seccomp.load_filter()

    def share_with_sandbox(self, *paths: Path, writable: Path | None = None) -> None:
        """Let the sandbox uid read the staged files (and their directories), nobody else; at the
        user level it may also write in `writable` (its working directory: there is no private /tmp)."""
        if self.uid is None:
            return
        for path in paths:
            os.chown(path, 0, self.gid or 0)
            os.chmod(path, 0o750 if path.is_dir() else 0o640)
        if writable is not None and self.level == "user":
            os.chmod(writable, 0o770)


def _user_level(limits: ResourceLimits) -> Isolation:
    """The submission as the sandbox user, with its limits and the seccomp filter, but in the
    grader's namespaces: where a container forbids namespaces, this still keeps the reference,
    the cache and the results (root's) out of its reach."""
    import pwd  # POSIX only: this level does not run on Windows

    if problems := probe.user_problems():
        raise IsolationUnavailable("the user level is not available here:\n  - " + "\n  - ".join(problems))
    user = pwd.getpwnam(settings.SANDBOX_USER)
    return Isolation("user", str(settings.SANDBOX_PYTHON), limits, user.pw_uid, user.pw_gid)


def _own_prefixes() -> tuple[str, ...]:
    """Directories the grader's own interpreter needs, to mount read-only into an unprivileged sandbox."""
    prefixes = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent}
    return tuple(sorted(str(p) for p in prefixes if not str(p).startswith("/usr")))


def choose(requested: str | None = None, limits: ResourceLimits | None = None) -> Isolation:
    """The isolation to use: `requested` exactly (or an error saying why not), else the strongest."""
    limits = limits or ResourceLimits()
    if requested not in (None, "auto", *LEVELS):
        raise IsolationUnavailable(f"unknown isolation level {requested!r}; choose strict, user, process or auto")
    if requested == "process":
        return Isolation("process", sys.executable, limits)
    if requested == "user":
        return _user_level(limits)
    problems = probe.strict_problems()
    if problems:
        if requested == "strict":
            raise IsolationUnavailable("strict isolation is not available here:\n  - " + "\n  - ".join(problems))
        if not probe.user_problems():
            return _user_level(limits)
        return Isolation("process", sys.executable, limits)
    import pwd  # strict needs Linux: pwd exists there (Windows has none)

    found = shutil.which("bwrap")
    if os.geteuid() != 0:
        return Isolation("strict", sys.executable, limits, bwrap=found, binds=_own_prefixes())
    user = pwd.getpwnam(settings.SANDBOX_USER)
    return Isolation("strict", str(settings.SANDBOX_PYTHON), limits, user.pw_uid, user.pw_gid, found)


def fallback_note(requested: str, chosen: Isolation) -> str | None:
    """For `auto` below strict on Linux: a sentence saying which level runs and why strict cannot."""
    if requested != "auto" or chosen.level == "strict" or not sys.platform.startswith("linux"):
        return None
    problems = probe.strict_problems()
    return (f"running the submission at the {chosen.level} level (strict isolation is unavailable: "
            f"{'; '.join(problems)})") if problems else None
