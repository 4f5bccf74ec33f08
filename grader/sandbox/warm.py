"""The grader's handle on a warm worker (`child/warm_worker.py`): a runner Launcher that asks the
worker to fork a confined child per launch instead of starting a fresh interpreter.

The worker runs from a staged copy of the child-side package (`grader/sandbox/child/`, which
imports only the standard library), in a private directory the sandbox user can read: the grader's
own installation may live where it cannot (a venv under /root).
"""

from __future__ import annotations

import json
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
from grader.sandbox.child import reaping
from grader.sandbox.launch import Stage
from grader.sandbox.levels import Isolation


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
            reply = self.worker._read(timeout)
            if reply is None:
                raise subprocess.TimeoutExpired("warm child", timeout or 0)
            self.returncode = int(reply.get("status", -1))
        return self.returncode


class WarmWorker:
    """One warm interpreter serving one launch at a time; a Launcher for `runner.run_file`."""

    def __init__(self, python: str, startup_seconds: float = 60.0):
        self.lib = Path(tempfile.mkdtemp(prefix="grade-warm-"))
        stage_child_package(self.lib)
        ours, theirs = socket.socketpair()
        code = (f"import sys; sys.path.insert(0, {str(self.lib)!r}); "
                f"from grader.sandbox.child.warm_worker import serve; serve({theirs.fileno()})")
        try:
            with reaping.starting_children():
                self.process = subprocess.Popen([python, "-I", "-c", code], pass_fds=(theirs.fileno(),),
                                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.PIPE, start_new_session=True)
                reaping.register_child(self.process.pid)
        except OSError as exc:
            ours.close()
            shutil.rmtree(self.lib, ignore_errors=True)
            raise WarmWorkerError(f"the warm worker could not be started with {python}: {exc.strerror}") from None
        finally:
            theirs.close()
        self.control = ours
        self.buffer = b""
        self.startup_seconds = startup_seconds
        self.ready = False  # waited for at the first launch, so that several workers start together
        self.sibling_pid: int | None = None  # set on a worker made by `sibling()`: not our child

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
        other = object.__new__(WarmWorker)
        other.lib, other.process, other.control, other.buffer = self.lib, self.process, ours, b""
        other.startup_seconds, other.ready, other.sibling_pid = self.startup_seconds, False, int(reply["pid"])
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

    def start(self, sandbox: Isolation, stage: Stage, plan: dict[str, Any], answer_fd: int,
              tag: str) -> tuple[WarmChild, list[IO[bytes]]]:
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
            os.close(answer_fd)
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
            if self.sibling_pid is not None:  # the original worker reaps it, and owns the library
                try:
                    os.kill(self.sibling_pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                self._stop_worker()

    def _stop_worker(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # siblings too: they share its group
        except ProcessLookupError:
            pass
        self.process.wait()
        shutil.rmtree(self.lib, ignore_errors=True)
