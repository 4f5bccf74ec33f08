"""The grading half of `grade gradescope run`, in a process of its own.

`python -m grader.gradescope.worker JOB.json` loads the problem set, chooses the isolation level,
grades one file with the same pipeline as `grade submit`, and writes the full GradeReport as plain
data to the job's `out` path (a private directory of the supervising process, never
`ROOT/results`). Whatever goes wrong is written there too, as a kind and a message; only the
supervisor turns any of it into results.json. Running apart means the supervisor can enforce the
global deadline by killing this process tree, survives it crashing or being killed for memory, and
never has its own output mixed with anything printed here.

Job fields: `course`, `assignment`, `submission`, `isolation` (auto, strict, user or process), `out`.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path
from typing import Any

from grader.report.files import write_atomically


def _write(out: Path, data: dict[str, Any]) -> None:
    write_atomically(out, json.dumps(data, allow_nan=False))


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """Grade the job's file; return {"kind": ..., ...} (see `main`)."""
    from grader.pipeline import grade_submission
    from grader.problemset.loader import SpecError, find_problem_set, load_problem_set
    from grader.report.serialise import report_to_data
    from grader.sandbox import levels
    from grader.sandbox.runner import SubmissionFileError

    course = Path(job["course"])
    try:
        problem_set = load_problem_set(find_problem_set(course, job.get("assignment")), course)
    except SpecError as exc:
        return {"kind": "spec_error", "message": exc.describe()}
    if problem_set.assignment.policies.variants == "per_student":
        from grader.problemset.variants import for_student

        problem_set = for_student(problem_set, job.get("student"))  # from submission_metadata.json
    level = job.get("isolation") or "auto"
    try:
        sandbox = levels.choose(level)
    except levels.IsolationUnavailable as exc:
        return {"kind": "isolation_unavailable", "message": str(exc)}
    note = levels.fallback_note(level, sandbox) or ""
    try:
        report = grade_submission(problem_set, Path(job["submission"]), sandbox=sandbox)
    except SubmissionFileError as exc:
        return {"kind": "submission_error", "message": str(exc)}
    errors = []
    if report.failed_parts:
        errors = _reference_problems(problem_set)
    return {"kind": "report", "report": report_to_data(report), "isolation_note": note, "errors": errors}


def _reference_problems(problem_set) -> list[str]:
    """Why the reference solution gave no answer (for staff: the report only says it did not)."""
    from grader.checking.reference import reference_failures, run_reference
    from grader.problemset.plan import build_plan

    try:
        outcome = run_reference(problem_set, build_plan(problem_set))
    except Exception as exc:
        return [f"running the reference solution failed: {exc!r}"]
    problems = reference_failures(outcome) + ([outcome.grader_error] if outcome.grader_error else [])
    if outcome.stderr.strip():
        problems.append("the reference solution's stderr:\n" + outcome.stderr.strip()[-4000:])
    return [f"reference solution {problem_set.reference_path}: {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The supervisor copies this process's stderr to the staff-only log.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s: %(name)s: %(message)s")
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    out = Path(job["out"])
    try:
        result = grade_job(job)
    except BaseException as exc:  # the grader's own failure: the supervisor shows it to staff only
        details = traceback.format_exc()
        print(details, file=sys.stderr, flush=True)
        _write(out, {"kind": "crash", "message": f"{type(exc).__name__}: {exc}", "traceback": details})
        return 4
    _write(out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
