"""Bubblewrap: how the strict level builds a fresh child's sandbox, and whether it can here."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import TypedDict

from grader.sandbox.child.confine import python_root
from grader.sandbox.child.limits import SCRATCH_BYTES


class UserSwitch(TypedDict, total=False):
    """The keyword arguments of `subprocess.Popen` that start a child as the sandbox uid."""

    user: int
    group: int | None
    extra_groups: list[int]


BWRAP_SANDBOX = (
    "--unshare-all", "--die-with-parent", "--new-session",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
    "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
    "--proc", "/proc", "--dev", "/dev", "--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp",
)
"""What every strict sandbox is built from (and what `probe` tries out)."""


def command(bwrap: str, python: str, binds: tuple[str, ...], harness: Path, workdir: Path,
            channel: str, seccomp_fd: int) -> list[str]:
    """The argv that runs `harness` on the staged `workdir/answers.py` inside a new sandbox."""
    argv = [
        bwrap, *BWRAP_SANDBOX,
        "--ro-bind", str(harness), "/grader/harness.py",
        "--ro-bind", str(workdir), "/submission",
        "--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
        "--seccomp", str(seccomp_fd),
    ]
    prefix = python_root(python)
    extra = [str(prefix)] if prefix and not str(prefix).startswith("/usr/") else []
    for directory in dict.fromkeys(extra + list(binds)):
        argv[argv.index("--proc"):argv.index("--proc")] = ["--ro-bind", directory, directory]
    return argv + ["--", python, "-I", "/grader/harness.py", channel]


@functools.lru_cache(maxsize=4)
def probe(bwrap: str, uid: int | None, gid: int | None) -> list[str]:
    """Whether bubblewrap can build the sandbox a submission runs in, with the same namespaces and
    mounts: a container's default seccomp profile or disabled user namespaces forbid the namespaces,
    a container that covers parts of /proc forbids mounting a new one, and an old bubblewrap (Ubuntu
    22.04's 0.6) lacks --size. Empty when it can."""
    switch: UserSwitch = {"user": uid, "group": gid, "extra_groups": []} if uid is not None else {}
    try:
        result = subprocess.run([bwrap, *BWRAP_SANDBOX, "--", "/usr/bin/true"],
                                capture_output=True, text=True, timeout=10, **switch)
    except (OSError, subprocess.SubprocessError) as exc:
        return [f"bubblewrap could not be started: {exc}"]
    error = result.stderr.strip()[:200]
    if result.returncode == 0:
        return []
    if "Unknown option" in error:
        return [f"this bubblewrap is too old ({error}): install a newer one (Ubuntu 24.04's or Debian 12's "
                "work; `grade gradescope build` makes setup.sh build one on Ubuntu 22.04)"]
    if "namespace" in error.lower() or "uid map" in error.lower():
        return [f"bubblewrap cannot create namespaces here ({error}); unprivileged user namespaces must be "
                "enabled (kernel.unprivileged_userns_clone=1, and in a container a seccomp profile that "
                "allows them)"]
    return [f"bubblewrap cannot build the sandbox here ({error})"]
