"""Starting the child that runs the harness: the staged files, its environment, and the launchers.

A launch stages a copy of the submission and of the harness in a fresh private directory, then
starts the harness either as a fresh interpreter wrapped by the isolation level (`FreshExec`) or
as a child forked by a warm worker (`grader.sandbox.warm`). Both are `Launcher`s of `runner.py`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from grader.sandbox.channel import AnswerChannel
from grader.sandbox.child import harness as harness_module
from grader.sandbox.child import reaping, seccomp
from grader.sandbox.levels import Isolation

HARNESS = Path(harness_module.__file__)


def child_environment(workdir: str, tag: str) -> dict[str, str]:
    return {
        "GRADER_RUN": tag,  # inherited by every descendant, so that none outlives the run
        "PATH": "/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        # Windows' Python cannot start without it (and it is not a secret).
        **({"SYSTEMROOT": os.environ["SYSTEMROOT"]} if "SYSTEMROOT" in os.environ else {}),
    }


def _seccomp_pipe() -> int:
    """A pipe holding the seccomp filter, read by bubblewrap (`--seccomp FD`)."""
    read_end, write_end = os.pipe()
    os.write(write_end, seccomp.compiled())
    os.close(write_end)
    return read_end


@dataclass(frozen=True)
class Stage:
    """The staged copy of a submission and of the harness, in a fresh private directory."""

    root: Path
    submission_dir: Path
    harness: Path

    @classmethod
    def create(cls, source: str, isolation: Isolation) -> Stage:
        root = Path(tempfile.mkdtemp(prefix="grade-run-"))
        submission_dir, grader_dir = root / "submission", root / "grader"
        submission_dir.mkdir()
        grader_dir.mkdir()
        (submission_dir / "answers.py").write_text(source, encoding="utf-8")
        harness = grader_dir / "harness.py"
        shutil.copyfile(HARNESS, harness)
        isolation.share_with_sandbox(root, submission_dir, grader_dir,
                                     submission_dir / "answers.py", harness, writable=submission_dir)
        return cls(root, submission_dir, harness)


class ChildProcess(Protocol):
    """What the session needs of a started child: a Popen, or a warm-forked child (grader/sandbox/warm.py)."""

    pid: int

    def wait(self, timeout: float | None = None) -> int: ...


class Launcher(Protocol):
    def start(self, sandbox: Isolation, stage: Stage, plan: dict[str, Any], channel: AnswerChannel,
              tag: str) -> tuple[ChildProcess, list[IO[bytes]]]:
        """Start the harness on `plan`, answering on `channel` (whose child end is closed here once
        the child has it); return the child and its output streams (stdout and stderr, or one
        merged stream)."""

    def take_notes(self) -> list[str]:
        """Sentences about what happened to the launcher itself (e.g. a worker replaced), once."""


class FreshExec:
    """A new interpreter per launch: `python -I harness.py`, wrapped by the isolation level."""

    def take_notes(self) -> list[str]:
        return []

    def start(self, sandbox: Isolation, stage: Stage, plan: dict[str, Any], channel: AnswerChannel,
              tag: str) -> tuple[ChildProcess, list[IO[bytes]]]:
        seccomp_fd = _seccomp_pipe() if sandbox.level == "strict" else None
        inherited = tuple(fd for fd in (channel.child_fd, seccomp_fd) if fd is not None)
        try:
            with reaping.starting_children():
                process = subprocess.Popen(
                    sandbox.command(stage.harness, stage.submission_dir, channel.argv_word, seccomp_fd),
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    cwd=stage.submission_dir, env=child_environment(str(stage.submission_dir), tag),
                    pass_fds=inherited, **sandbox.popen_options(),
                )
                reaping.register_child(process.pid)
        finally:
            channel.close_child_end()
            if seccomp_fd is not None:
                os.close(seccomp_fd)
        # Started with three pipes, so none of the streams is None.
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        try:
            process.stdin.write(json.dumps(plan).encode())
            process.stdin.close()
        except BrokenPipeError:
            pass
        return process, [process.stdout, process.stderr]


