"""How a submission's process is confined: the one module both launch paths go through.

Two levels, chosen automatically (the strongest available) or forced with `--isolation`:

* **process** — everywhere: a separate `python -I` process in its own session, an empty
  environment, a fresh working directory holding only a copy of the submission, resource limits
  (address space, CPU seconds, file size, open files, no core dumps), a wall-clock timeout, and a
  sweep that kills every descendant, including daemons that left the process group.
* **strict** — Linux, as root or where bubblewrap works: additionally a dedicated unprivileged uid
  with a process limit, new user/PID/network/IPC/UTS/mount namespaces via bubblewrap, a file-system
  view holding only the interpreter, its libraries, the staged submission and a private scratch
  directory, and a seccomp filter (`seccomp.py`).

The fresh-exec path wraps the child's command (`Isolation.command`, `Isolation.popen_options`).
The warm-fork path (a worker that already imported numpy, scipy and sympy forks one child per
submission) calls `confine_forked_child` in the child before it touches the submission: it unshares
the namespaces with ctypes, drops to the sandbox uid, sets the limits and loads the same filter.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import pwd
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from grader import seccomp

LEVELS = ("strict", "user", "process")  # strongest first
SANDBOX_USER = os.environ.get("GRADER_SANDBOX_USER", "grader-sandbox")
SANDBOX_PYTHON = Path(os.environ.get("GRADER_SANDBOX_PYTHON", "/opt/grader-sandbox/bin/python"))
SANDBOX_PROCESS_LIMIT = 64
SCRATCH_BYTES = 64 << 20  # the sandbox's private /tmp (a tmpfs: host memory, so it is capped)


class IsolationUnavailable(Exception):
    """The requested level cannot work here; the message says why and what to do."""


@dataclass(frozen=True)
class ResourceLimits:
    """Resource limits applied to the child before it runs any student code."""

    address_space: int = 3 << 30
    cpu_seconds: int = 120
    file_size: int = 16 << 20
    open_files: int = 256


BWRAP_SANDBOX = (
    "--unshare-all", "--die-with-parent", "--new-session",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
    "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
    "--proc", "/proc", "--dev", "/dev", "--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp",
)
"""What every strict sandbox is built from (and what `strict_problems` tries out)."""


@dataclass(frozen=True)
class Isolation:
    level: str
    python: str
    """The interpreter that runs the harness (for strict: one the sandbox uid can read)."""
    limits: ResourceLimits = field(default_factory=ResourceLimits)
    uid: int | None = None
    """The sandbox uid (strict as root); None keeps the grader's own uid."""
    gid: int | None = None
    bwrap: str | None = None
    binds: tuple[str, ...] = ()
    """Extra directories mounted read-only into the sandbox (the interpreter's prefixes)."""

    # -- fresh exec ---------------------------------------------------------------------------

    def command(self, harness: Path, workdir: Path, answer_fd: int, seccomp_fd: int | None) -> list[str]:
        """The argv that runs `harness` on the staged `workdir/answers.py`."""
        if self.level != "strict":  # the process and user levels: the harness, run directly
            return [self.python, "-I", str(harness), str(answer_fd)]
        assert self.bwrap is not None and seccomp_fd is not None
        python_root = _python_root(self.python)
        argv = [
            self.bwrap, *BWRAP_SANDBOX,
            "--ro-bind", str(harness), "/grader/harness.py",
            "--ro-bind", str(workdir), "/submission",
            "--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
            "--seccomp", str(seccomp_fd),
        ]
        extra = [str(python_root)] if python_root and not str(python_root).startswith("/usr/") else []
        for directory in dict.fromkeys(extra + list(self.binds)):
            argv[argv.index("--proc"):argv.index("--proc")] = ["--ro-bind", directory, directory]
        return argv + ["--", self.python, "-I", "/grader/harness.py", str(answer_fd)]

    def submission_path(self, workdir: Path) -> str:
        """Where the child finds the staged submission."""
        return "/submission/answers.py" if self.level == "strict" else str(workdir / "answers.py")

    def popen_options(self) -> dict[str, object]:
        if self.level == "user":
            _seccomp_program()  # ready before the fork: _preexec only calls prctl
        options: dict[str, object] = {"start_new_session": True, "preexec_fn": self._preexec}
        if self.uid is not None:
            options.update(user=self.uid, group=self.gid, extra_groups=[])
        return options

    def _preexec(self) -> None:  # in the child, after the uid change, before exec
        apply_limits(self.limits, own_uid=self.uid is not None)
        if self.level == "user" and seccomp_supported():
            load_seccomp_filter()

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


def apply_limits(limits: ResourceLimits, own_uid: bool) -> None:
    """Lower this process's limits; `own_uid`: it runs as a dedicated uid, so a process limit binds."""
    settings = [
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_AS, limits.address_space),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_size),
        (resource.RLIMIT_NOFILE, limits.open_files),
    ]
    if own_uid:  # counts every process of the uid: only meaningful for a dedicated sandbox uid
        settings.append((resource.RLIMIT_NPROC, SANDBOX_PROCESS_LIMIT))
    for which, value in settings:
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def _python_root(python: str) -> Path | None:
    """The directory tree a venv interpreter needs besides /usr (its prefix)."""
    path = Path(python)
    if (path.parent.parent / "pyvenv.cfg").exists():
        return path.parent.parent
    return None


def _readable_by_others(path: Path) -> str | None:
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
    unreadable = _readable_by_others(python.resolve())
    return [f"the sandbox interpreter cannot be read by the sandbox user: {unreadable}"] if unreadable else []


def user_problems() -> list[str]:
    """Why the user level cannot work here (empty when it can): it needs root, to run the
    submission as the sandbox user, and the sandbox interpreter."""
    if not sys.platform.startswith("linux"):
        return [f"the user level needs Linux (this is {sys.platform})"]
    if os.geteuid() != 0:
        return ["the user level needs root, to run the submission as the sandbox user"]
    try:
        pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return [f"there is no user {SANDBOX_USER!r} (run: grade sandbox setup)"]
    return _interpreter_problems(SANDBOX_PYTHON)


def _user_level(limits: ResourceLimits) -> Isolation:
    """The submission as the sandbox user, with its limits and the seccomp filter, but in the
    grader's namespaces: where a container forbids namespaces, this still keeps the reference,
    the cache and the results (root's) out of its reach."""
    if problems := user_problems():
        raise IsolationUnavailable("the user level is not available here:\n  - " + "\n  - ".join(problems))
    user = pwd.getpwnam(SANDBOX_USER)
    return Isolation("user", str(SANDBOX_PYTHON), limits, user.pw_uid, user.pw_gid)


def strict_problems() -> list[str]:
    """Why strict isolation cannot work here (empty when it can).

    As root, strict runs the submission as the sandbox user with the sandbox interpreter. As any
    other user it runs bubblewrap as that user (no uid change, no process limit) with the
    grader's own interpreter, whose prefix is mounted read-only into the sandbox.
    """
    if not sys.platform.startswith("linux"):
        return [f"strict isolation needs Linux (this is {sys.platform})"]
    problems = []
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        problems.append("bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)")
    if not seccomp_supported():
        problems.append("the seccomp filter is written for x86-64 Linux")
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(SANDBOX_USER)
        except KeyError:
            problems.append(f"there is no user {SANDBOX_USER!r} (run: grade sandbox setup)")
        problems += _interpreter_problems(SANDBOX_PYTHON)
    if not problems:
        problems += _bwrap_probe(bwrap or "bwrap", user.pw_uid if user else None,
                                 user.pw_gid if user else None)
    return problems


@functools.lru_cache(maxsize=4)
def _bwrap_probe(bwrap: str, uid: int | None, gid: int | None) -> list[str]:
    """Whether bubblewrap can build the sandbox a submission runs in, with the same namespaces and
    mounts: a container's default seccomp profile or disabled user namespaces forbid the namespaces,
    a container that covers parts of /proc forbids mounting a new one, and an old bubblewrap (Ubuntu
    22.04's 0.6) lacks --size."""
    switch = {"user": uid, "group": gid, "extra_groups": []} if uid is not None else {}
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


def seccomp_supported() -> bool:
    return os.uname().machine in ("x86_64", "amd64")


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
    problems = strict_problems()
    if problems:
        if requested == "strict":
            raise IsolationUnavailable("strict isolation is not available here:\n  - " + "\n  - ".join(problems))
        if not user_problems():
            return _user_level(limits)
        return Isolation("process", sys.executable, limits)
    bwrap = shutil.which("bwrap")
    if os.geteuid() != 0:
        return Isolation("strict", sys.executable, limits, bwrap=bwrap, binds=_own_prefixes())
    user = pwd.getpwnam(SANDBOX_USER)
    return Isolation("strict", str(SANDBOX_PYTHON), limits, user.pw_uid, user.pw_gid, bwrap)


# -- a pool of sandbox uids, so that parallel runs never share one --------------------------------

LOCK_DIR = Path(os.environ.get("GRADER_SANDBOX_LOCKS", "/run/grader-sandbox"))


def sandbox_users() -> list[pwd.struct_passwd]:
    """The sandbox user and its numbered siblings (grader-sandbox-1, -2, ...), created by setup."""
    pool = [u for u in pwd.getpwall()
            if u.pw_name == SANDBOX_USER or re.fullmatch(re.escape(SANDBOX_USER) + r"-\d+", u.pw_name)]
    return sorted(pool, key=lambda u: (len(u.pw_name), u.pw_name))


@contextmanager
def lease(isolation: Isolation) -> Iterator[Isolation]:
    """Hold one sandbox uid of the pool for the duration of a run (other processes and threads
    that lease at the same time get another one, or wait). A no-op without a uid switch."""
    if isolation.uid is None:
        yield isolation
        return
    LOCK_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    users = sandbox_users() or [pwd.getpwuid(isolation.uid)]
    handles = []
    try:
        for blocking, user in [(False, u) for u in users] + [(True, users[0])]:
            handle = open(LOCK_DIR / f"{user.pw_uid}.lock", "a")
            handles.append(handle)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                continue
            yield replace(isolation, uid=user.pw_uid, gid=user.pw_gid)
            return
    finally:
        for handle in handles:
            handle.close()  # closing releases the lock


# -- after a run: nothing the submission started may survive it ---------------------------------

def become_subreaper() -> None:
    """Orphans of our children re-parent to us instead of init, so the sweep below finds them."""
    if sys.platform.startswith("linux"):
        PR_SET_CHILD_SUBREAPER = 36
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


# Children this process started on purpose (runs in other threads, warm workers); any other child
# is an orphan of a submission that re-parented to us (we are a subreaper) and must not survive.
_known_children: set[int] = set()
_children_lock = threading.Lock()


@contextmanager
def starting_children() -> Iterator[None]:
    """Hold while starting a child and registering it, so that a sweep never takes it for an orphan."""
    with _children_lock:
        yield


def register_child(pid: int) -> None:
    _known_children.add(pid)


def _children_of_ours() -> list[int]:
    me, found = str(os.getpid()), []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may contain spaces and parentheses
            fields = stat_line[stat_line.rfind(")") + 2:].split()
            if len(fields) > 1 and fields[1] == me:
                found.append(int(entry.name))
    return found


def kill_orphans() -> int:
    """Kill every child of ours that we did not start: a submission's escaped descendants (even a
    daemon with an empty environment, or a fork chain) re-parent to us as their subreaper."""
    killed = 0
    quiet_passes = 0
    while quiet_passes < 2 and killed < 100_000:
        with _children_lock:
            live = {pid for pid in _known_children if Path(f"/proc/{pid}").exists()}
            _known_children.intersection_update(live)
            # Newest first, and the whole process group: a fork chain's live link is the newest
            # process, and it keeps its group while the pids move on.
            orphans = sorted((pid for pid in _children_of_ours() if pid not in _known_children), reverse=True)
            for pid in orphans:
                try:
                    group = os.getpgid(pid)
                    if group != os.getpgrp():
                        os.killpg(group, signal.SIGKILL)
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for pid in orphans:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        killed += len(orphans)
        quiet_passes = 0 if orphans else quiet_passes + 1
    return killed


def kill_tagged_processes(tag: str) -> int:
    """Kill every process whose environment carries GRADER_RUN=tag; return how many were found.

    The runner kills the process group first; this catches what left the group (setsid, a double
    fork). Each run gets a unique tag in its environment, which its descendants inherit.
    """
    needle = f"GRADER_RUN={tag}".encode() + b"\0"
    killed: list[int] = []
    for _ in range(3):  # a second pass catches what was forked while the first one ran
        found = []
        for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if needle in (entry / "environ").read_bytes():
                    os.kill(int(entry.name), signal.SIGKILL)
                    found.append(int(entry.name))
            except (OSError, ValueError):
                continue
        killed += found
        if not found:
            break
    for pid in killed:  # orphans re-parented to us (we are their subreaper) must be collected
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    return len(killed)


# -- the warm-fork path ---------------------------------------------------------------------------

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.lru_cache(maxsize=1)
def _seccomp_program() -> tuple[ctypes.CDLL, ctypes.Array, _SockFprog]:
    """libc and the filter program, built once. Built in the parent before a fork: a child forked
    from a process with threads must not load libraries or allocate much before it execs."""
    libc = ctypes.CDLL(None, use_errno=True)
    code = seccomp.compiled()
    buffer = ctypes.create_string_buffer(code, len(code))
    return libc, buffer, _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))


def load_seccomp_filter() -> None:
    """Load the filter into this process (and every process it will start). Irreversible."""
    libc, _, prog = _seccomp_program()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2


def _mount(libc, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda v: v.encode() if v is not None else None  # noqa: E731
    if libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target} failed")


def _enter_minimal_root(libc, binds: dict[str, str], new_root: str) -> None:
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
    if libc.syscall(155, new_root.encode(), f"{new_root}/.old-root".encode()) != 0:  # pivot_root
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
    libc = ctypes.CDLL(None, use_errno=True)
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


def confine_forked_child(isolation: Isolation, mount_point: str, binds: dict[str, str] | None = None) -> None:
    """Confine the current process, a child from `fork_in_new_pid_namespace`, before it touches the
    submission.

    New network, IPC, UTS and mount namespaces, a file-system view of /usr, the interpreter's prefix
    and `binds` only (host path → path inside, read-only), no group memberships, the sandbox uid,
    resource limits, then the seccomp filter. `mount_point` is an empty directory private to the
    grader (e.g. in the run's stage), where the new root is assembled. Must run as root; raises
    OSError if any step fails, so that a child is never left half-confined.
    """
    if os.getpid() != 1:
        raise OSError("confine_forked_child needs a child of fork_in_new_pid_namespace (pid 1 of its own "
                      "PID namespace), so that everything the submission starts dies with it")
    libc = ctypes.CDLL(None, use_errno=True)
    os.setsid()
    flags = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    views = dict(binds or {})
    python_root = _python_root(isolation.python)
    if python_root is not None:
        views.setdefault(str(python_root), str(python_root))
    _enter_minimal_root(libc, views, mount_point)
    if isolation.uid is not None and isolation.gid is not None:
        os.setgroups([])
        os.setgid(isolation.gid)
        os.setuid(isolation.uid)
    apply_limits(isolation.limits, own_uid=isolation.uid is not None)
    load_seccomp_filter()
