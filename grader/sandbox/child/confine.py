"""Confinement of a warm worker's forked child, from inside: what bubblewrap does for a fresh one.

The child of `fork_in_new_pid_namespace` is pid 1 of its own PID namespace, so every process the
submission starts dies with it. `confine_forked_child` then gives it new network, IPC, UTS and
mount namespaces, a file-system view holding only /usr, the interpreter's prefix and the staged
submission (read-only) and a private /tmp, no group memberships, the sandbox uid, resource limits
and the seccomp filter — before it touches the submission. Linux and root only.
"""

from __future__ import annotations

import ctypes
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from grader.sandbox.child import seccomp
from grader.sandbox.child.limits import SCRATCH_BYTES, ResourceLimits, apply_limits

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
SYS_PIVOT_ROOT = 155


class Confinable(Protocol):
    """What confining needs to know of an isolation level (`levels.Isolation` has it, and so has
    the plain `Confinement` a warm worker rebuilds from the parent's JSON)."""

    @property
    def python(self) -> str: ...
    @property
    def uid(self) -> int | None: ...
    @property
    def gid(self) -> int | None: ...
    @property
    def limits(self) -> ResourceLimits: ...


@dataclass(frozen=True)
class Confinement:
    python: str
    uid: int | None
    gid: int | None
    limits: ResourceLimits


def python_root(python: str) -> Path | None:
    """The directory tree a venv interpreter needs besides /usr (its prefix)."""
    path = Path(python)
    if (path.parent.parent / "pyvenv.cfg").exists():
        return path.parent.parent
    return None


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc: ctypes.CDLL, source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    def encode(value: str | None) -> bytes | None:
        return value.encode() if value is not None else None

    if libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target} failed")


def _enter_minimal_root(libc: ctypes.CDLL, binds: dict[str, str], new_root: str) -> None:
    """Replace the file-system view by a tmpfs root holding only `binds` (host → sandbox path),
    read-only, plus a private /tmp and the few devices Python uses — what bubblewrap builds.
    `new_root` is an empty directory private to the grader, used only as a mount point."""
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=0755")
    for host, inside in {"/usr": "/usr", **binds}.items():
        target = new_root + inside
        if os.path.isdir(host):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "a").close()
        _mount(libc, host, target, None, MS_BIND | MS_REC)
        _mount(libc, None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
    for link, to in (("lib", "usr/lib"), ("lib64", "usr/lib64"), ("bin", "usr/bin")):
        os.symlink(to, f"{new_root}/{link}")
    os.makedirs(f"{new_root}/dev")
    for device in ("null", "zero", "urandom", "random"):
        open(f"{new_root}/dev/{device}", "a").close()
        _mount(libc, f"/dev/{device}", f"{new_root}/dev/{device}", None, MS_BIND)
    os.makedirs(f"{new_root}/tmp", mode=0o1777)
    _mount(libc, "tmpfs", f"{new_root}/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={SCRATCH_BYTES},mode=1777")
    os.makedirs(f"{new_root}/.old-root")
    if libc.syscall(SYS_PIVOT_ROOT, new_root.encode(), f"{new_root}/.old-root".encode()) != 0:
        raise OSError(ctypes.get_errno(), "pivot_root failed")
    os.chdir("/")
    if libc.umount2(b"/.old-root", MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), "detaching the old root failed")
    os.rmdir("/.old-root")
    os.chdir("/tmp")


def fork_in_new_pid_namespace() -> int:
    """`os.fork()`, with the child as pid 1 of a new PID namespace: when it dies, every process it
    started dies with it. A process cannot enter a new PID namespace itself, only its children can;
    doing it here, in the parent, spares the child a second fork (about 13 ms of a process holding
    numpy, scipy and sympy). Root only; raises OSError if the namespace cannot be made."""
    libc = _libc()
    own = os.open("/proc/self/ns/pid", os.O_RDONLY)
    try:
        if libc.unshare(CLONE_NEWPID) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWPID) failed")
        pid, restored = -1, True
        try:
            pid = os.fork()
        finally:
            if pid != 0:
                # The parent's next children go back to its own namespace (a second unshare would
                # fail, and a plain fork would land in this one), whether or not the fork worked.
                restored = libc.setns(own, CLONE_NEWPID) == 0
        if not restored:
            error = ctypes.get_errno()
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise OSError(error, "setns back to the caller's PID namespace failed")
        return pid
    finally:
        os.close(own)


def confine_forked_child(isolation: Confinable, mount_point: str, binds: dict[str, str] | None = None) -> None:
    """Confine the current process, a child from `fork_in_new_pid_namespace`, before it touches the
    submission.

    `binds` maps host paths to paths inside (read-only); `mount_point` is an empty directory private
    to the grader (e.g. in the run's stage), where the new root is assembled. Must run as root;
    raises OSError if any step fails, so that a child is never left half-confined.
    """
    if os.getpid() != 1:
        raise OSError("confine_forked_child needs a child of fork_in_new_pid_namespace (pid 1 of its own "
                      "PID namespace), so that everything the submission starts dies with it")
    libc = _libc()
    os.setsid()
    flags = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    views = dict(binds or {})
    prefix = python_root(isolation.python)
    if prefix is not None:
        views.setdefault(str(prefix), str(prefix))
    _enter_minimal_root(libc, views, mount_point)
    drop_to(isolation.uid, isolation.gid)
    apply_limits(isolation.limits, own_uid=isolation.uid is not None)
    seccomp.load_filter()


def drop_to(uid: int | None, gid: int | None) -> None:
    """Become the sandbox uid with no supplementary groups (nothing to do without one)."""
    if uid is not None and gid is not None:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
