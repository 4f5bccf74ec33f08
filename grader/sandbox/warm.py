"""The grader's handle on a warm worker (`child/warm_worker.py`): a runner Launcher that asks the
worker to fork a confined child per launch instead of starting a fresh interpreter.

The worker runs from a staged copy of the child-side package (`grader/sandbox/child/`, which
imports only the standard library), in a private directory the sandbox user can read: the grader's
own installation may live where it cannot (a venv under /root).
"""

from __future__ import annotations

import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from grader.sandbox import child as child_package
from grader.sandbox import launch
from grader.sandbox.channel import AnswerChannel
from grader.sandbox.child import reaping
from grader.sandbox.launch import Stage
from grader.sandbox.levels import Isolation

log = logging.getLogger(__name__)


def warm_interpreter(sandbox: Isolation) -> str | None:
    """The interpreter of warm workers for `sandbox`, or None where a fresh interpreter per
    submission is needed: a strict child confines itself, which needs root, and a warm worker
    forks, which Windows cannot."""
    if (sandbox.level == "strict" and sandbox.uid is None) or not hasattr(os, "fork"):
        return None
    return sandbox.python


class WarmWorkerError(RuntimeError):
    """A warm worker could not start, or stopped: the grader's failure, never a student's."""


def stage_child_package(into: Path) -> None:
    """Copy the whole child-side package to `into`/grader/sandbox/child, importable as itself."""
    source = Path(child_package.__file__).parent
    target = into / "grader" / "sandbox" / "child"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for parent in (into / "grader", into / "grader" / "sandbox"):
        (parent / "__init__.py").write_text("")
    for directory, _, files in os.walk(into):
        os.chmod(directory, 0o755)
        for name in files:
            os.chmod(os.path.join(directory, name), 0o644)


class WarmChild:
    """A child forked by a worker, as the runner's session sees it (like a Popen)."""

    def __init__(self, worker: WarmWorker, pid: int):
        self.worker, self.pid = worker, pid
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                reply = self.worker._read(timeout)
            except WarmWorkerError:
                # The worker stopped while its child ran: the child's status went with it. What the
                # child answered is already in; the runner sweeps what it left, and the worker is
                # replaced before its next launch.
                self.worker.notes.append("the grader's worker process stopped while this submission ran (a "
                                         "submission can kill it at the process level); the answers it "
                                         "had sent are kept, and a new worker grades the next ones")
                self.returncode = -signal.SIGKILL
                return self.returncode
            if reply is None:
                raise subprocess.TimeoutExpired("warm child", timeout or 0)
            self.returncode = int(reply.get("status", -1))
        return self.returncode


class WarmWorker:
    """One warm interpreter serving one launch at a time; a Launcher for `runner.run_file`."""

    def __init__(self, python: str, startup_seconds: float = 60.0):
        self.python = python
        self.startup_seconds = startup_seconds
        self.notes: list[str] = []
        """What happened to the worker during launches (a replacement), for the run's record."""
        self._spent_libs: list[Path] = []
        self._spawn()

    def _spawn(self) -> None:
        self.lib = Path(tempfile.mkdtemp(prefix="grade-warm-"))
        stage_child_package(self.lib)
        ours, theirs = socket.socketpair()
        code = (f"import sys; sys.path.insert(0, {str(self.lib)!r}); "
                f"from grader.sandbox.child.warm_worker import serve; serve({theirs.fileno()})")
        try:
            with reaping.starting_children():
                self.process = subprocess.Popen([self.python, "-I", "-c", code], pass_fds=(theirs.fileno(),),
                                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.PIPE, start_new_session=True)
                reaping.register_child(self.process.pid)
        except OSError as exc:
            ours.close()
            shutil.rmtree(self.lib, ignore_errors=True)
            raise WarmWorkerError(f"the warm worker could not be started with {self.python}: "
                                  f"{exc.strerror}") from None
        finally:
            theirs.close()
        self.control = ours
        self.buffer = b""
        self.ready = False  # waited for at the first launch, so that several workers start together
        self.sibling_pid: int | None = None  # set on a worker made by `sibling()`: not our child
        self.sibling_pids: list[int] = []  # the siblings forked from this worker, reaped at close

    def alive(self) -> bool:
        """Whether the worker still listens: a stopped one has closed its end of the socket."""
        try:
            readable, _, _ = select.select([self.control], [], [], 0)
            return not readable or bool(self.buffer) or self.control.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            return False

    def _replace(self) -> None:
        """A new worker in place of one that stopped (at the process level a submission runs as the
        worker's own user and can kill it): the next submissions are graded as usual."""
        log.warning("a warm worker had stopped; starting a new one")
        self.control.close()
        if self.sibling_pid is not None:
            reaping.kill_and_reap(self.sibling_pid)
        else:  # its siblings (same process group) serve other slots: only this one is gone
            self.process.poll()
            self._spent_libs.append(self.lib)
        self._spawn()

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def sibling(self) -> WarmWorker:
        """Another worker, forked from this one once it is warm (its libraries already imported):
        for the other slots of a batch, instead of importing everything again."""
        self.wait_ready()
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b'{"sibling": true}'], [theirs.fileno()])
        finally:
            theirs.close()
        reply = self._read(30.0)
        if not reply or "pid" not in reply:
            ours.close()
            raise WarmWorkerError(f"the warm worker did not start a sibling: {reply}")
        self.sibling_pids.append(int(reply["pid"]))
        other = object.__new__(WarmWorker)
        other.python, other.notes, other._spent_libs = self.python, [], []
        other.lib, other.process, other.control, other.buffer = self.lib, self.process, ours, b""
        other.startup_seconds, other.ready, other.sibling_pid = self.startup_seconds, False, int(reply["pid"])
        other.sibling_pids = []
        return other

    def wait_ready(self) -> None:
        """Block until the worker has imported its libraries (a no-op once it has)."""
        if self.ready:
            return
        try:
            reply = self._read(self.startup_seconds)
        except WarmWorkerError:
            reply = None
        if reply != {"ready": True}:
            stderr = ""
            if self.process.poll() is not None:
                assert self.process.stderr is not None  # started with stderr=PIPE
                stderr = self.process.stderr.read().decode(errors="replace")[-500:]
            self.close()
            raise WarmWorkerError(f"the warm worker did not start: {stderr or 'no answer'}")
        self.ready = True

    def _read(self, timeout: float | None) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.control], [], [], timeout)
            if not ready:
                return None
            chunk = self.control.recv(4096)
            if not chunk:
                raise WarmWorkerError("the warm worker stopped")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def start(self, sandbox: Isolation, stage: Stage, plan: dict[str, Any], channel: AnswerChannel,
              tag: str) -> tuple[WarmChild, list[IO[bytes]]]:
        # Warm workers fork, so they exist only where descriptors are inherited (POSIX): a pipe.
        assert channel.child_fd is not None
        answer_fd = channel.child_fd
        if not self.alive():
            self._replace()
        self.wait_ready()
        mount_point = stage.root / "mnt"
        mount_point.mkdir(exist_ok=True)
        request = {
            "plan": plan,
            "isolation": {**asdict(sandbox), "binds": list(sandbox.binds)},
            "submission_dir": str(stage.submission_dir),
            "mount_point": str(mount_point),
            "env": launch.child_environment("/tmp" if sandbox.level == "strict" else str(stage.submission_dir), tag),
        }
        request_path = stage.root / "request.json"
        request_path.write_text(json.dumps(request))
        output_read, output_write = os.pipe()
        try:
            socket.send_fds(self.control, [json.dumps({"request": str(request_path)}).encode()],
                            [answer_fd, output_write])
        finally:
            channel.close_child_end()
            os.close(output_write)
        reply = self._read(30.0)
        if not reply or "pid" not in reply:
            raise WarmWorkerError(f"the warm worker did not start the child: {(reply or {}).get('error', reply)}")
        return WarmChild(self, int(reply["pid"])), [os.fdopen(output_read, "rb")]

    def close(self) -> None:
        # The process goes even if closing the socket fails (or Ctrl-C lands there), and that
        # failure still reaches the caller.
        try:
            self.control.close()
        finally:
            if self.sibling_pid is not None:  # the original worker owns the library
                reaping.kill_and_reap(self.sibling_pid)
            else:
                self._stop_worker()
            for lib in self._spent_libs:
                shutil.rmtree(lib, ignore_errors=True)

    def _stop_worker(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # siblings too: they share its group
        except ProcessLookupError:
            pass
        self.process.wait()
        # Its siblings died with its group; orphaned, they are ours (the subreaper's) to collect.
        for pid in self.sibling_pids:
            reaping.kill_and_reap(pid)
        shutil.rmtree(self.lib, ignore_errors=True)
