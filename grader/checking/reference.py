"""Expected answers: the reference solution run through the same harness as a submission.

The reference runs in its own child process (the grader never imports it). Its answers are cached
under `<course>/.grade-cache/`, keyed by a hash of the specs, the reference file, the run plan and
the Python version, so that grading a second submission does not pay for the reference again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.report.files import write_atomically
from grader.sandbox import wire
from grader.sandbox.records import AnswerStatus, RawAnswer, RunRecord
from grader.sandbox.runner import run_file

CACHE_DIR = ".grade-cache"


class ReferenceFailedError(Exception):
    """The reference solution gives no answer to some request: the course staff's failure, never a
    student's. The message names the reference file, what failed and says to run `grade validate`."""


def _cache_path(problem_set: ProblemSet, plan: RunPlan) -> Path:
    key = f"{problem_set.assignment.slug}-{problem_set.fingerprint}-{plan.fingerprint()}"
    key += f"-py{sys.version_info.major}{sys.version_info.minor}"
    return problem_set.course_root / CACHE_DIR / f"{key}.json"


def _load_cached(path: Path) -> RunRecord | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        answers = {rid: RawAnswer(AnswerStatus.VALUE, wire.decode(v)) for rid, v in data.items()}
    except (OSError, ValueError, wire.ProtocolError):
        return None
    return RunRecord(answers=answers)


def _store(path: Path, outcome: RunRecord) -> None:
    data = {rid: wire.encode(a.value) for rid, a in outcome.answers.items()}
    try:
        write_atomically(path, json.dumps(data))
    except OSError:
        pass  # a read-only course directory only costs speed


def run_reference(problem_set: ProblemSet, plan: RunPlan, use_cache: bool = True) -> RunRecord:
    path = _cache_path(problem_set, plan)
    if use_cache and (cached := _load_cached(path)) is not None:
        return cached
    outcome = run_file(problem_set.reference_path, plan.reference_requests(), plan.parameters,
                       plan.limits)
    complete = all(a.status is AnswerStatus.VALUE for a in outcome.answers.values())
    if use_cache and complete and not outcome.load_problems:
        _store(path, outcome)
    return outcome


def reference_failures(outcome: RunRecord) -> list[str]:
    """Sentences describing every request the reference failed to answer (for course staff)."""
    problems = [f"reference file: {p.summary()}" for p in outcome.load_problems]
    for rid, answer in outcome.answers.items():
        if answer.status is not AnswerStatus.VALUE:
            why = answer.problem.summary() if answer.problem else (answer.detail or answer.status.value)
            problems.append(f"{rid}: {answer.status.value} — {why}")
    return problems
