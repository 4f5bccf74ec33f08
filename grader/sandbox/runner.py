"""The launcher: run one Python file in a child process and collect its answers as a RunRecord.

The child is `python -I harness.py FD` (`child/harness.py`) in a fresh temporary directory holding
only a copy of the file, with an empty environment and its own process group. The parent sends the plan on
stdin (public inputs only), reads tagged JSON from a dedicated pipe, and enforces the deadlines:
if a top-level statement or one answer hangs or kills the process, the parent kills the whole
group and starts the file again without it, so that one bad answer costs only itself.
"""

from __future__ import annotations

import logging
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.sandbox import leftovers, levels, portability, wire
from grader.sandbox.channel import AnswerChannel
from grader.sandbox.child import reaping
from grader.sandbox.launch import ChildProcess, FreshExec, Launcher, Stage
from grader.sandbox.leases import lease
from grader.sandbox.levels import Isolation
from grader.sandbox.records import AnswerStatus, RawAnswer, RunRecord, StudentProblem
from grader.sandbox.submission_file import (  # re-exported: the runner's callers catch these
    MAX_SUBMISSION_BYTES as MAX_SUBMISSION_BYTES,
)
from grader.sandbox.submission_file import (
    SubmissionFileError as SubmissionFileError,
)
from grader.sandbox.submission_file import (
    read_submission,
)

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 4 << 20
MAX_CHANNEL_BYTES = 64 << 20
MAX_CAPTURED_OUTPUT = 16 << 10
MAX_LAUNCHES = 4


@dataclass(frozen=True)
class Request:
    id: str
    name: str
    args: list[Any] | None = None
    """Positional arguments in tagged JSON, or None to fetch the value (calling a 0-arg function)."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "args": self.args}


@dataclass(frozen=True)
class Limits:
    import_seconds: float = 10.0
    answer_seconds: float = 3.0
    total_seconds: float = 60.0


class _Capture(threading.Thread):
    """Drain one of the child's output pipes, keeping only the first bytes."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.kept = stream, bytearray()

    def run(self) -> None:
        while chunk := self.stream.read(65536):
            if len(self.kept) < MAX_CAPTURED_OUTPUT:
                self.kept += chunk[: MAX_CAPTURED_OUTPUT - len(self.kept)]

    def text(self) -> str:
        return wire.clean_text(self.kept.decode("utf-8", "replace"))


@dataclass
class _Launch:
    """The state of one child process while the parent listens to it."""

    answers: dict[str, RawAnswer] = field(default_factory=dict)
    problems: list[StudentProblem] = field(default_factory=list)
    events: int = 0
    last_event: float = field(default_factory=time.monotonic)
    current_stmt: int | None = None
    current_request: str | None = None
    request_started: float = 0.0
    loaded: bool = False
    done: bool = False


def _raw_answer(message: dict[str, Any], seconds: float, limit: float) -> RawAnswer:
    try:
        if "value" in message:
            return RawAnswer(AnswerStatus.VALUE, wire.decode(message["value"]), seconds=seconds)
        if "noncallable" in message:
            return RawAnswer(AnswerStatus.NONCALLABLE, wire.decode(message["noncallable"]), seconds=seconds)
    except wire.ProtocolError as exc:
        return RawAnswer(AnswerStatus.UNREADABLE, detail=str(exc), seconds=seconds)
    if message.get("missing"):
        return RawAnswer(AnswerStatus.MISSING)
    if message.get("not_implemented"):
        return RawAnswer(AnswerStatus.NOT_IMPLEMENTED, detail=str(message.get("message", ""))[:300])
    if message.get("timed_out"):
        return RawAnswer(AnswerStatus.TIMED_OUT, detail=f"took longer than {limit:g} s", seconds=seconds)
    if "too_large" in message:
        return RawAnswer(AnswerStatus.TOO_LARGE, detail=str(message["too_large"])[:300], seconds=seconds)
    if isinstance(message.get("raised"), dict):
        return RawAnswer(AnswerStatus.RAISED, problem=StudentProblem.from_message(message["raised"]),
                         seconds=seconds)
    return RawAnswer(AnswerStatus.UNREADABLE, detail="the answer message has no known field")


def _kill_group(process: ChildProcess) -> None:
    """Kill the child and, where there are process groups, everything in its group."""
    try:
        if portability.PROCESS_GROUPS:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            os.kill(process.pid, portability.KILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    process.wait()


class _Session:
    """Launches the child as often as needed and merges what each launch answered."""

    def __init__(self, stage: Stage, requests: Sequence[Request], parameters: dict[str, Any],
                 limits: Limits, isolation: Isolation, launcher: Launcher):
        self.launcher = launcher
        self.requests = list(requests)
        self.request_ids = {r.id for r in self.requests}
        self.parameters = parameters
        self.limits = limits
        self.isolation = isolation
        self.stage = stage
        self.answers: dict[str, RawAnswer] = {}
        self.problems: list[StudentProblem] = []
        self.skipped: dict[int, str] = {}
        self.stdout = self.stderr = ""
        self.launches = 0
        self.started = time.monotonic()
        self.grader_error: str | None = None
        self.ignored: list[str] = []
        self.notes: list[str] = []
        """Messages outside the protocol (only a submission that writes to the channel sends any)."""
        self.cells: Sequence[tuple[int, int]] | None = None
        """A notebook's cells as line ranges of the source (each parsed on its own), or None."""

    def remaining(self) -> list[Request]:
        return [r for r in self.requests if r.id not in self.answers]

    def run(self) -> None:
        while self.launches < MAX_LAUNCHES and (self.remaining() or self.launches == 0):
            if time.monotonic() - self.started > self.limits.total_seconds:
                break
            self.launches += 1
            if not self._launch_once():
                break
        if self.grader_error:
            return  # every answer stays missing: the grader's failure, reported as such
        why = (f"not computed: the file hung or crashed {self.launches} times before this answer"
               if self.launches >= MAX_LAUNCHES else
               f"not computed: the whole file used up its {self.limits.total_seconds:g} s")
        for request in self.remaining():
            self.answers[request.id] = RawAnswer(AnswerStatus.TIMED_OUT, detail=why)

    def _launch_once(self) -> bool:
        """Run the child once; return whether another launch could make progress."""
        channel = AnswerChannel()
        plan = {
            "submission": self.isolation.submission_path(self.stage.submission_dir),
            "parameters": self.parameters,
            "requests": [r.to_json() for r in self.remaining()],
            "skip_lines": sorted(self.skipped),
            "answer_seconds": self.limits.answer_seconds,
            "alarm": portability.ALARM,
            **channel.plan_fields,
        }
        if self.cells is not None:
            plan["cells"] = [list(c) for c in self.cells]
        tag = secrets.token_hex(8)
        try:
            process, outputs = self.launcher.start(self.isolation, self.stage, plan, channel, tag)
        except BaseException:
            channel.close()
            raise
        finally:
            self.notes += self.launcher.take_notes()
        run_began = reaping.started_at(process.pid)  # nothing of the run is older than its first process
        captures = [_Capture(stream) for stream in outputs]
        for c in captures:
            c.start()
        launch = _Launch()
        try:
            reason = self._listen(process, channel, launch)
        finally:  # whatever happened while listening, nothing the submission started survives
            # At strict the child's PID namespace holds everything it started, and dies with it,
            # but asynchronously: note its members now, so as to return only once they are gone.
            members = reaping.descendants(process.pid) if self.isolation.level == "strict" else []
            _kill_group(process)
            if still := reaping.kill_and_wait(members):
                log.warning("processes %s of a strict run were still running after 2 s", still)
            self.notes += self.launcher.take_notes()
            if self.isolation.level != "strict":
                # At strict, the child is pid 1 of its own PID namespace: when it dies, everything
                # it started dies with it, so there is nothing to sweep.
                reaping.kill_tagged_processes(tag)
                reaping.kill_orphans(started_after=run_began)
            channel.close()
        for c in captures:
            c.join(timeout=1)
        self.stdout += captures[0].text()
        self.stderr += captures[-1].text() if len(captures) > 1 else ""
        self.answers.update({k: v for k, v in launch.answers.items() if k not in self.answers})
        if self.launches == 1 or not self.problems:
            self.problems.extend(launch.problems)
        if launch.done:
            return False
        if launch.events == 0 and self.launches == 1:
            # The harness never spoke: the interpreter or the sandbox failed to start, not the student.
            self.grader_error = (f"the submission's process could not be started ({reason}): "
                                 f"{captures[-1].text().strip()[-500:] or 'no error output'}")
            return False
        if reason.startswith("the answers exceeded") and launch.current_request is not None:
            self.answers.setdefault(launch.current_request, RawAnswer(
                AnswerStatus.TOO_LARGE, detail="the answers exceeded the 64 MiB transfer limit"))
            return True
        # The child hung or died: skip what it was doing and let a new launch do the rest.
        if launch.current_request is not None and launch.current_request not in self.answers:
            status = AnswerStatus.TIMED_OUT if reason == "timeout" else AnswerStatus.LOST
            detail = (f"took longer than {self.limits.answer_seconds:g} s" if reason == "timeout"
                      else f"the process ended while computing this answer ({reason})")
            self.answers[launch.current_request] = RawAnswer(status, detail=detail)
            if reason == "timeout":  # the other inputs of an endless function would hang too
                name = next(r.name for r in self.requests if r.id == launch.current_request)
                for r in self.remaining():
                    if r.name == name:
                        self.answers[r.id] = RawAnswer(status, detail="not tried: another input "
                                                       "of the same function timed out")
            return True
        if not launch.loaded and launch.current_stmt is not None:
            why = (f"it ran longer than {self.limits.import_seconds:g} s" if reason == "timeout"
                   else f"it ended the process ({reason})")
            self.skipped[launch.current_stmt] = why
            return True
        return False

    def _listen(self, process: ChildProcess, channel: AnswerChannel, launch: _Launch) -> str:
        """Read events until done, EOF or a deadline; return why listening stopped."""
        selector = selectors.DefaultSelector()
        selector.register(channel, selectors.EVENT_READ)
        buffer = b""
        total = 0
        load_deadline = time.monotonic() + self.limits.import_seconds
        try:
            while not launch.done:
                now = time.monotonic()
                if launch.current_request is not None:
                    deadline = launch.request_started + self.limits.answer_seconds + 1.0
                elif not launch.loaded:
                    deadline = load_deadline
                else:  # between answers the harness only writes: a silent child is stuck
                    deadline = launch.last_event + self.limits.answer_seconds + 1.0
                deadline = min(deadline, self.started + self.limits.total_seconds)
                if now >= deadline:
                    return "timeout"
                if not selector.select(timeout=deadline - now):
                    continue
                chunk = channel.read(1 << 16)
                if not chunk:
                    return _exit_reason(process)
                total += len(chunk)
                if total > MAX_CHANNEL_BYTES:
                    return "the answers exceeded the transfer limit"
                *lines, buffer = (buffer + chunk).split(b"\n")
                for line in lines:
                    self._handle(line, launch)
                    if launch.done:
                        break
                if len(buffer) > MAX_LINE_BYTES:
                    if launch.current_request:
                        launch.answers.setdefault(launch.current_request, RawAnswer(
                            AnswerStatus.TOO_LARGE, detail="the answer is larger than 4 MiB"))
                    return "an answer exceeded the transfer limit"
        finally:
            selector.close()
        return "done"

    def _handle(self, line: bytes, launch: _Launch) -> None:
        """Apply one message. The child may forge any of them, so nothing here trusts a type."""
        try:
            message = wire.loads(line)
        except wire.ProtocolError as exc:
            self.ignored.append(f"a line that is not tagged JSON ({exc})")
            return
        if not isinstance(message, dict):
            self.ignored.append(f"a message that is not an object: {line[:80]!r}")
            return
        try:
            self._apply(message, launch)
        except Exception as exc:  # a malformed message is ignored, never a crash of the grader
            log.debug("ignored a message of the child: %r", message, exc_info=True)
            self.ignored.append(f"{line[:80]!r} ({type(exc).__name__}: {exc})")

    def _apply(self, message: dict[str, Any], launch: _Launch) -> None:
        launch.events += 1
        launch.last_event = time.monotonic()
        event = message.get("event")
        if event == "stmt" and isinstance(message.get("line"), int):
            launch.current_stmt = message["line"]
        elif event == "loaded":
            launch.loaded = True
            launch.current_stmt = None
            for p in message.get("problems", [])[:20]:
                if isinstance(p, dict):
                    launch.problems.append(StudentProblem.from_message(p))
        elif event == "start" and message.get("id") in self.request_ids:
            launch.current_request = message["id"]
            launch.request_started = time.monotonic()
        elif event == "answer" and message.get("id") == launch.current_request:
            seconds = time.monotonic() - launch.request_started
            # The first answer to a request counts; a repeat cannot replace it.
            launch.answers.setdefault(message["id"], _raw_answer(message, seconds, self.limits.answer_seconds))
            launch.current_request = None
        elif event == "done" and launch.loaded:
            launch.done = True


def _exit_reason(process: ChildProcess) -> str:
    try:
        code = process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return "the process closed its answer channel"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def run_file(path: Path, requests: Sequence[Request], parameters: dict[str, Any] | None = None,
             limits: Limits = Limits(), sandbox: Isolation | None = None,
             launcher: Launcher | None = None, source: str | None = None,
             cells: Sequence[tuple[int, int]] | None = None) -> RunRecord:
    """Run `path` (or `source`, the Python made of it, e.g. a notebook's code cells, with `cells`
    their line ranges) in a child process and return every requested answer. Never raises for the
    student's sake; raises SubmissionFileError only when the file itself cannot be read."""
    if source is None:
        source = read_submission(Path(path))
    reaping.become_subreaper()
    started = time.monotonic()
    with lease(sandbox or levels.choose("process")) as leased:
        stage = Stage.create(source, leased)
        try:
            session = _Session(stage, requests, parameters or {}, limits, leased,
                               launcher or FreshExec())
            session.cells = cells
            session.run()
        finally:
            shutil.rmtree(stage.root, ignore_errors=True)
            if leased.level == "user" and leased.uid is not None:
                # No private /tmp at this level: what the run's uid left in shared folders goes.
                if removed := leftovers.remove_files_of(leased.uid):
                    log.info("removed %d file(s) the submission left: %s", len(removed), ", ".join(removed[:5]))
    if session.ignored:
        log.warning("%s: ignored %d message(s) of the submission's process outside the protocol, "
                    "the first: %s", Path(path).name, len(session.ignored), session.ignored[0])
    skipped = tuple((line, why, "") for line, why in sorted(session.skipped.items()))
    return RunRecord(
        answers=dict(session.answers),
        load_problems=tuple(session.problems),
        skipped_statements=skipped,
        launches=session.launches,
        seconds=time.monotonic() - started,
        stdout=session.stdout[:MAX_CAPTURED_OUTPUT],
        stderr=session.stderr[:MAX_CAPTURED_OUTPUT],
        isolation=leased.level,
        grader_error=session.grader_error,
        notes=tuple(dict.fromkeys(session.notes)),
    )
