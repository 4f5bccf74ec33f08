"""Why an isolation level cannot work on this machine: sentences that say what to do."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

from grader.sandbox import bwrap, settings
from grader.sandbox.child import seccomp


def readable_by_others(path: Path) -> str | None:
    """None if every directory on the way to `path` is searchable and `path` readable by others."""
    path = path.absolute()
    for parent in reversed(path.parents):
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            return f"{parent} is not searchable by other users"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"{path} does not exist"
    return None if mode & stat.S_IROTH else f"{path} is not readable by other users"


def _interpreter_problems(python: Path) -> list[str]:
    if not python.exists():
        return [f"there is no sandbox interpreter at {python} (run: grade sandbox setup, or set "
                "GRADER_SANDBOX_PYTHON to a Python with numpy, scipy and sympy that other users can "
                "read; a pyenv Python under /root is not)"]
    unreadable = readable_by_others(python.resolve())
    return [f"the sandbox interpreter cannot be read by the sandbox user: {unreadable}"] if unreadable else []


def user_problems() -> list[str]:
    """Why the user level cannot work here (empty when it can): it needs root, to run the
    submission as the sandbox user, and the sandbox interpreter."""
    import pwd  # POSIX only: this level does not run on Windows

    if not sys.platform.startswith("linux"):
        return [f"the user level needs Linux (this is {sys.platform})"]
    if os.geteuid() != 0:
        return ["the user level needs root, to run the submission as the sandbox user"]
    try:
        pwd.getpwnam(settings.SANDBOX_USER)
    except KeyError:
        return [f"there is no user {settings.SANDBOX_USER!r} (run: grade sandbox setup)"]
    return _interpreter_problems(settings.SANDBOX_PYTHON)


def strict_problems() -> list[str]:
    """Why strict isolation cannot work here (empty when it can).

    As root, strict runs the submission as the sandbox user with the sandbox interpreter. As any
    other user it runs bubblewrap as that user (no uid change, no process limit) with the
    grader's own interpreter, whose prefix is mounted read-only into the sandbox.
    """
    import pwd  # POSIX only: this level does not run on Windows

    if not sys.platform.startswith("linux"):
        return [f"strict isolation needs Linux (this is {sys.platform})"]
    problems = []
    found = shutil.which("bwrap")
    if found is None:
        problems.append("bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)")
    if not seccomp.supported():
        problems.append("the seccomp filter is written for x86-64 Linux")
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(settings.SANDBOX_USER)
        except KeyError:
            problems.append(f"there is no user {settings.SANDBOX_USER!r} (run: grade sandbox setup)")
        problems += _interpreter_problems(settings.SANDBOX_PYTHON)
    if not problems:
        problems += bwrap.probe(found or "bwrap", user.pw_uid if user else None,
                                user.pw_gid if user else None)
    return problems
