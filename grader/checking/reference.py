"""Expected answers: the reference solution run through the same harness as a submission.

The reference runs in its own child process (the grader never imports it). Its answers are cached
under `<course>/.grade-cache/`, keyed by a hash of the specs, the reference file, the run plan and
the Python version, so that grading a second submission does not pay for the reference again. The
cache is the grader's alone: files 0600 in a 0700 folder, read only when they belong to the grader's
own user and nobody else may write them (`cache_guard.py` undoes what a submission running as that
user could change).
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.report.files import write_atomically
from grader.sandbox import levels, wire
from grader.sandbox.launch import Launcher
from grader.sandbox.records import AnswerStatus, RawAnswer, RunRecord
from grader.sandbox.runner import run_file

log = logging.getLogger(__name__)
CACHE_DIR = ".grade-cache"


class ReferenceFailedError(Exception):
    """The reference solution gives no answer to some request: the course staff's failure, never a
    student's. The message names the reference file, what failed and says to run `grade validate`."""


def _cache_path(problem_set: ProblemSet, plan: RunPlan) -> Path:
    key = f"{problem_set.assignment.slug}-{problem_set.fingerprint}-{plan.fingerprint()}"
    key += f"-py{sys.version_info.major}{sys.version_info.minor}"
    return problem_set.course_root / CACHE_DIR / f"{key}.json"


def _trusted(path: Path) -> bool:
    """Ours, and writable by us alone (a cache another user could write is no evidence)."""
    try:
        info = path.lstat()
        folder = path.parent.lstat()
    except OSError:
        return False
    return all(stat.S_ISREG(i.st_mode) or stat.S_ISDIR(i.st_mode) for i in (info, folder)) and all(
        i.st_uid == os.geteuid() and not i.st_mode & 0o022 for i in (info, folder))


def _load_cached(path: Path) -> RunRecord | None:
    if not _trusted(path):
        return None
    try:  # a cache written before it was kept private (or copied with other modes) becomes private
        path.chmod(0o600)
        path.parent.chmod(0o700)
    except OSError:
        pass
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        answers = {rid: RawAnswer(AnswerStatus.VALUE, wire.decode(v)) for rid, v in data.items()}
    except (OSError, ValueError, wire.ProtocolError):
        return None
    return RunRecord(answers=answers)


def cache_text(outcome: RunRecord) -> str:
    return json.dumps({rid: wire.encode(a.value) for rid, a in outcome.answers.items()})


def store_reference(problem_set: ProblemSet, plan: RunPlan, outcome: RunRecord) -> None:
    """Cache a complete reference run (nothing when some answer is missing)."""
    complete = all(a.status is AnswerStatus.VALUE for a in outcome.answers.values())
    if not complete or outcome.load_problems or outcome.grader_error:
        return
    path = _cache_path(problem_set, plan)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        write_atomically(path, cache_text(outcome), mode=0o600)
    except OSError:
        pass  # a read-only course directory only costs speed


def cached_reference(problem_set: ProblemSet, plan: RunPlan) -> RunRecord | None:
    """The reference's cached answers for this plan, if there are trustworthy ones."""
    return _load_cached(_cache_path(problem_set, plan))


def compute_reference(problem_set: ProblemSet, plan: RunPlan, launcher: Launcher | None = None) -> RunRecord:
    """Run the reference solution (at the process level: it is the course's own, trusted code)."""
    return run_file(problem_set.reference_path, plan.reference_requests(), plan.parameters, plan.limits,
                    levels.choose("process"), launcher)


def run_reference(problem_set: ProblemSet, plan: RunPlan, use_cache: bool = True,
                  launcher: Launcher | None = None) -> RunRecord:
    if use_cache and (cached := cached_reference(problem_set, plan)) is not None:
        return cached
    outcome = compute_reference(problem_set, plan, launcher)
    if use_cache:
        store_reference(problem_set, plan, outcome)
    return outcome


@contextmanager
def reference_launcher() -> Iterator[Launcher | None]:
    """A warm worker for running the reference many times (one run per variant): about 0.25 s a
    run instead of 2 s of imports. None where workers cannot fork (Windows) or do not start: each
    run then starts its own interpreter, only slower. The reference is trusted code, so its worker
    runs at the process level, as the grader's own user."""
    if not hasattr(os, "fork"):
        yield None
        return
    from grader.sandbox.warm import WarmWorker, WarmWorkerError

    try:
        worker = WarmWorker(sys.executable)
        worker.wait_ready()
    except WarmWorkerError as exc:
        log.warning("running the reference without a warm worker: %s", exc)
        yield None
        return
    try:
        yield worker
    finally:
        worker.close()


def reference_failures(outcome: RunRecord) -> list[str]:
    """Sentences describing every request the reference failed to answer (for course staff)."""
    problems = [f"reference file: {p.summary()}" for p in outcome.load_problems]
    for rid, answer in outcome.answers.items():
        if answer.status is not AnswerStatus.VALUE:
            why = answer.problem.summary() if answer.problem else (answer.detail or answer.status.value)
            problems.append(f"{rid}: {answer.status.value} — {why}")
    return problems
