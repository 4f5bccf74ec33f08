"""The grading pipeline, readable from one place.

    load specs ─▶ plan ─▶ run submission ∥ run reference ─▶ grade ─▶ report

Each stage is a small function of its own module; this one only wires them. The two runs are
separate child processes started together, so that they overlap each other and the parent's own
imports of the checking libraries.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from grader.checking.cache_guard import guarded_cache
from grader.checking.reference import CACHE_DIR, cached_reference, compute_reference, store_reference
from grader.notebook.answers_file import read_answers
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan, build_plan
from grader.report.results import GradeReport
from grader.sandbox import levels
from grader.sandbox.levels import Isolation
from grader.sandbox.records import RunRecord
from grader.sandbox.runner import Launcher, SubmissionFileError, run_file

log = logging.getLogger(__name__)


def run_submission(plan: RunPlan, submission: Path, sandbox: Isolation | None = None,
                   launcher: Launcher | None = None) -> RunRecord:
    """Run the student's file (a .py, or a notebook's cells) on the plan's requests (inputs only),
    confined by `sandbox`; a notebook's lines are then told as cells."""
    script = read_answers(submission, plan.free_text_names())
    record = run_file(submission, plan.student_requests(), plan.parameters, plan.limits, sandbox, launcher,
                      source=script.source, cells=script.units)
    return script.locate(record)


def grade_submission(problem_set: ProblemSet, submission: Path, show_expected: bool | None = None,
                     sandbox: Isolation | None = None) -> GradeReport:
    """Grade one file. Raises SubmissionFileError if the file cannot be read at all.

    `sandbox` confines the submission (default: the strongest level available here); the trusted
    reference always runs at the process level.
    """
    plan = build_plan(problem_set)
    sandbox = sandbox or levels.choose("auto")
    # Read before the submission starts, and kept as they were while it runs (see cache_guard.py).
    reference = cached_reference(problem_set, plan)
    with guard_for(problem_set, sandbox), ThreadPoolExecutor(max_workers=2) as pool:
        student_future = pool.submit(run_submission, plan, submission, sandbox)
        reference_future = pool.submit(compute_reference, problem_set, plan) if reference is None else None
        from grader.checking.grading import grade_run  # imports sympy while the children work

        # The grader's own failures: every part says so, and the student is never blamed.
        try:
            student = student_future.result()
        except SubmissionFileError:
            raise
        except Exception as exc:
            log.exception("running %s failed", submission.name)
            student = RunRecord(answers={}, grader_error=f"running the submission failed: {exc!r}",
                                 isolation=sandbox.level)
        if reference_future is not None:
            try:
                reference = reference_future.result()
            except Exception as exc:
                log.exception("running the reference solution %s failed", problem_set.reference_path)
                reference = RunRecord(answers={}, grader_error=f"running the reference solution failed: {exc!r}")
    assert reference is not None
    if reference_future is not None:
        store_reference(problem_set, plan, reference)  # after the guard, which would undo it
    return grade_run(problem_set, plan, student, reference, submission.name, show_expected)


def guard_for(problem_set: ProblemSet, sandbox: Isolation) -> AbstractContextManager[None]:
    """At the process level the submission runs as the grader's own user and could rewrite the
    reference cache: undo whatever it changes. Elsewhere the sandbox uid cannot write it."""
    if sandbox.level != "process":
        return nullcontext()
    return guarded_cache(problem_set.course_root / CACHE_DIR)
