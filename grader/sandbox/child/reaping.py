"""Nothing a submission starts may outlive its run: the sweeps that make sure of it.

The grader (and each warm worker) makes itself the *subreaper* of what it starts, so that the
orphans of a submission — a daemon, a double fork — re-parent to it instead of to init, where the
sweeps below find them. Each run also carries a unique tag in its environment, which every
descendant inherits. Linux only: elsewhere there is no /proc to walk and nothing here finds
anything (the process level then relies on killing the process group).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")


def become_subreaper() -> None:
    """Orphans of our children re-parent to us instead of init, so the sweeps find them."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/PID/stat after "pid (comm) ": state, ppid, ... (comm may hold spaces and parentheses)."""
    with open(PROC / str(pid) / "stat", "rb") as f:
        stat_line = f.read().decode("ascii", "replace")
    return stat_line[stat_line.rfind(")") + 2:].split()


def parents() -> dict[int, int]:
    """pid → parent pid of every live process, from /proc (empty where there is none)."""
    found: dict[int, int] = {}
    if not PROC.is_dir():
        return found
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        try:
            found[int(entry)] = int(_stat_fields(entry)[1])
        except (OSError, ValueError, IndexError):
            continue
    return found


def descendants(pid: int | None = None) -> list[int]:
    """Every live process below `pid` (default: this one)."""
    pid = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, parent in parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo += children.get(child, [])
    return found


def reap_exited() -> None:
    """Collect every child of ours that has ended (orphans re-parent to us, the subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_and_reap(pid: int) -> None:
    """SIGKILL `pid`, and collect it if it is (or has become, as an orphan) our child."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    for _ in range(50):
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            return  # another process's child: its parent collects it
        time.sleep(0.01)


def _running(pid: int) -> bool:
    try:
        with open(PROC / str(pid) / "stat", "rb") as f:
            stat_line = f.read().decode("ascii", "replace")
    except OSError:
        return False
    return stat_line[stat_line.rfind(")") + 2:][:1] not in ("Z", "X")


def kill_and_wait(pids: list[int], timeout: float = 2.0) -> list[int]:
    """SIGKILL `pids`, then wait until none of them runs any more (gone, or a zombie that runs no
    code): a PID namespace is torn down after its init dies, not at once. Returns those still
    running at the timeout (none, unless the kernel is very slow)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + timeout
    running = [pid for pid in pids if _running(pid)]
    while running and time.monotonic() < deadline:
        time.sleep(0.002)
        reap_exited()
        running = [pid for pid in running if _running(pid)]
    return running


def kill_descendants() -> int:
    """SIGKILL every descendant (several passes: a process may fork while we look), then reap."""
    killed = 0
    for _ in range(10):
        found = descendants()
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.02)
        reap_exited()
    reap_exited()
    return killed


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
    me = os.getpid()
    return [pid for pid, parent in parents().items() if parent == me]


def started_at(pid: int) -> float | None:
    """When `pid` started, in seconds since boot (None if unknown)."""
    try:
        return int(_stat_fields(pid)[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def kill_orphans(started_after: float | None = None) -> int:
    """Kill every child of ours that we did not start: a submission's escaped descendants (even a
    daemon with an empty environment, or a fork chain) re-parent to us as their subreaper.
    `started_after` (seconds since boot: when the run's first process started): a child older cannot
    be one of its descendants — it is the embedding program's own (a browser a test drives, a
    notebook kernel's helper) and is left alone."""
    killed = 0
    quiet_passes = 0
    while quiet_passes < 2 and killed < 100_000:
        with _children_lock:
            live = {pid for pid in _known_children if (PROC / str(pid)).exists()}
            _known_children.intersection_update(live)
            # Newest first, and the whole process group: a fork chain's live link is the newest
            # process, and it keeps its group while the pids move on.
            orphans = sorted((pid for pid in _children_of_ours() if pid not in _known_children
                              and not _older_than_the_run(pid, started_after)), reverse=True)
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


def _older_than_the_run(pid: int, started_after: float | None) -> bool:
    if started_after is None:
        return False
    started = started_at(pid)
    # Strictly earlier: a process started in the same clock tick as the run's first may be the run's.
    return started is not None and started < started_after


def kill_tagged_processes(tag: str) -> int:
    """Kill every process whose environment carries GRADER_RUN=tag; return how many were found.

    The runner kills the process group first; this catches what left the group (setsid, a double
    fork). Each run gets a unique tag in its environment, which its descendants inherit.
    """
    needle = f"GRADER_RUN={tag}".encode() + b"\0"
    killed: list[int] = []
    for _ in range(3):  # a second pass catches what was forked while the first one ran
        found = []
        for entry in os.listdir(PROC) if PROC.is_dir() else ():
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                if needle in (PROC / entry / "environ").read_bytes():
                    os.kill(int(entry), signal.SIGKILL)
                    found.append(int(entry))
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
