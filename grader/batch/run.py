"""`grade batch INPUT --out DIR`: the stages of grading a whole course, wired in one place.

    read input ─▶ reference once ─▶ what changed? ─▶ run & grade the changed (in parallel)
               ─▶ gradebook (SQLite) ─▶ per-student reports, CSVs, dashboard, score changes

A rerun grades only submissions whose file or problem set changed; after a spec or reference fix
every submission is regraded and the score changes are listed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from grader.batch import dashboard, exports, extensions, roster
from grader.batch.executor import Executor, Job, LocalExecutor
from grader.batch.inputs import read_batch_input
from grader.batch.model import (
    BatchInput,
    BatchSubmission,
    InputProblem,
    Override,
    StudentInfo,
    StudentResult,
)
from grader.batch.store import Gradebook
from grader.batch.variants import prepare_variants
from grader.checking import late
from grader.pipeline import guard_for, run_submission
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.problemset.spec import FreeTextChecker
from grader.report.files import write_atomically
from grader.report.render import render
from grader.report.render.html import render_html
from grader.report.results import GradeReport, Outcome
from grader.sandbox.launch import Launcher
from grader.sandbox.levels import Isolation
from grader.sandbox.records import RunRecord
from grader.sandbox.runner import SubmissionFileError


@dataclass(frozen=True)
class ScoreChange:
    student_key: str
    before: float
    after: float
    parts: tuple[tuple[str, float, float], ...]
    """(part, earned before, earned after) for each part that moved."""


@dataclass
class BatchSummary:
    graded: int = 0
    reused: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)
    changes: list[ScoreChange] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    input: BatchInput | None = None
    missing: list[StudentInfo] = field(default_factory=list)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _changes(key: str, before: dict[str, tuple[str, float]], report: GradeReport) -> ScoreChange | None:
    moved = tuple((p.name, before.get(p.name, ("", 0.0))[1], p.earned) for p in report.parts
                  if abs(before.get(p.name, ("", 0.0))[1] - p.earned) > 1e-9)
    if not moved:
        return None
    old_total = sum(earned for _, earned in before.values())
    return ScoreChange(key, old_total, report.earned, moved)


def _free_text_answers(plan: RunPlan, outcome: RunRecord) -> dict[str, str]:
    texts = {}
    for pp in plan.parts:
        if isinstance(pp.part.checker, FreeTextChecker):
            raw = outcome.answer(pp.request_ids[0])
            if isinstance(raw.value, str):
                texts[pp.part.name] = raw.value
    return texts


def _write_student_files(out: Path, submission: BatchSubmission, report: GradeReport) -> None:
    folder = out / "students" / submission.key
    write_atomically(folder / "report.html", render_html(report, back_link="../../summary.html"))
    write_atomically(folder / "report.json", render(report, "json"))


def _report_is_stale(out: Path, key: str, graded_at: str) -> bool:
    """Missing, or older than the grade: a batch stopped between saving a grade and writing its
    report (even by SIGKILL) leaves the previous file's report behind."""
    try:
        written = (out / "students" / key / "report.json").stat().st_mtime
    except OSError:
        return True
    return written < datetime.fromisoformat(graded_at).timestamp()


CHANGES_FILE = "score-changes.csv"


def _write_changes(out: Path, changes: list[ScoreChange]) -> None:
    """`score-changes.csv`: who moved in this run, by how much, on which parts. A run in which no
    score changed removes the file an earlier run left, so that it always describes the last run."""
    path = out / CHANGES_FILE
    if not changes:
        path.unlink(missing_ok=True)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "before", "after", "parts"])
    for c in changes:
        moved = "; ".join(f"{part} {b:g}→{a:g}" for part, b, a in c.parts)
        writer.writerow([exports.safe_text(c.student_key), f"{c.before:g}", f"{c.after:g}", exports.safe_text(moved)])
    write_atomically(path, buffer.getvalue())


def reviewed(report: GradeReport, overrides: dict[str, Override]) -> GradeReport:
    """The report with the TA's reviews in place of the provisional free-text scores."""
    if not overrides:
        return report
    questions = []
    for question in report.questions:
        parts = []
        for part in question.parts:
            override = overrides.get(part.name)
            if override is None:
                parts.append(part)
                continue
            fraction = override.points / part.possible if part.possible else 0.0
            outcome = Outcome.CORRECT if fraction >= 1 else Outcome.PARTIAL if fraction > 0 else Outcome.INCORRECT
            note = f"Reviewed by course staff: {override.points:g} / {part.possible:g}."
            feedback = (note,) + ((f"Comment: {override.comment}",) if override.comment else ())
            parts.append(replace(part, earned=override.points, outcome=outcome, provisional=False,
                                 feedback=feedback + part.feedback))
        questions.append(replace(question, parts=tuple(parts)))
    return replace(report, questions=tuple(questions))


def write_outputs(problem_set: ProblemSet, out: Path, book: Gradebook, roster_path: Path | None = None,
                  extensions_path: Path | None = None, input_problems: list[InputProblem] | None = None,
                  failures: list[str] | None = None, rewrite: set[str] | None = None) -> list[StudentInfo]:
    """Per-student reports, gradebook CSVs and the dashboard, from the gradebook alone (so that a
    review import can write them again). Students' reports are written for the keys in `rewrite`
    (all when None) and wherever they are missing or older than the grade. Returns the roster's
    students who did not submit."""
    granted = extensions.read_extensions(extensions_path) if extensions_path else {}
    submissions = book.submissions()
    results = []
    for submission in submissions:
        stored = book.get(submission.key)
        if stored is None:
            continue
        extension = next((granted[s.id] for s in submission.students if s.id in granted), None)
        overrides = book.overrides(submission.key)
        report = reviewed(stored.report, overrides)
        if rewrite is None or submission.key in rewrite or _report_is_stale(out, submission.key, stored.graded_at):
            _write_student_files(out, submission, report)
        results.append(StudentResult(
            submission, report,
            late.late_result(problem_set.assignment.policies.late, submission.submitted_at, extension,
                             submission.marked_late),
            overrides))
    students = roster.read_roster(roster_path) if roster_path else []
    missing = roster.missing_students(students, submissions) if roster_path else []
    exports.write_gradebook(results, problem_set, out / "gradebook.csv")
    exports.write_long_format(results, out / "gradebook-long.csv")
    write_atomically(out / "summary.html", dashboard.render_summary(
        results, problem_set, missing, input_problems or [], failures or [],
        emails={s.id: s.email for s in students if s.email}))
    return missing


def run_batch(problem_set: ProblemSet, input_path: Path, out: Path, sandbox: Isolation,
              executor: Executor | None = None, roster_path: Path | None = None,
              extensions_path: Path | None = None,
              progress: Callable[[int, int, int], None] | None = None) -> BatchSummary:
    """Grade every submission of `input_path` into `out`. Safe to interrupt and to rerun."""
    started = time.monotonic()
    summary = BatchSummary()
    batch = read_batch_input(input_path, out / ".work")
    summary.input = batch
    summary.total = len(batch.submissions)
    executor = executor or LocalExecutor(jobs=1)
    # Each student's own numbers (assignment.yaml `variation`), with their reference answers.
    emails = {s.id: s.email for s in roster.read_roster(roster_path) if s.email} if roster_path else {}
    variants = prepare_variants(problem_set, batch.submissions, getattr(executor, "jobs", 1), emails)

    def spec_hash(key: str) -> str:
        return f"{problem_set.fingerprint}-{variants.of_key[key].plan.fingerprint()}"

    with Gradebook(out / "gradebook.sqlite") as book:
        todo: list[Job] = []
        previous: dict[str, dict[str, tuple[str, float]]] = {}
        hashes: dict[str, str] = {}
        for submission in batch.submissions:
            hashes[submission.key] = file_hash(submission.path)
            stored = book.get(submission.key)
            if (stored and stored.file_hash == hashes[submission.key] and stored.spec_hash == spec_hash(submission.key)
                    and not stored.report.grader_error):  # the grader's own failure is retried
                summary.reused += 1
                continue
            if stored and stored.file_hash == hashes[submission.key]:
                previous[submission.key] = stored.parts  # same file, new specs: a score change
            todo.append(Job(submission.key, submission.path))
        by_key = {s.key: s for s in batch.submissions}

        def work(job: Job, launcher: Launcher | None) -> RunRecord:
            return run_submission(variants.of_key[job.key].plan, job.path, sandbox, launcher)

        done = 0
        # At the process level a submission could rewrite the reference cache: undone at the end.
        with guard_for(problem_set, sandbox):
            try:
                executor.prepare(len(todo))
                # (BatchVariants.grade imports sympy at the first result: most of a second, which the
                # warm workers' own start-up hides, and a rerun with nothing to grade never needs.)
                for job, outcome in executor.run(todo, work):
                    submission = by_key[job.key]
                    if isinstance(outcome, SubmissionFileError):
                        summary.failures.append(f"{submission.source}: {outcome}")
                        continue
                    if isinstance(outcome, BaseException):
                        outcome = RunRecord(answers={}, grader_error=f"running the submission failed: {outcome!r}",
                                             isolation=sandbox.level)
                    report = variants.grade(job.key, outcome, submission.path.name)
                    book.save(job.key, hashes[job.key], spec_hash(job.key), report, datetime.now(UTC),
                              _free_text_answers(variants.of_key[job.key].plan, outcome))
                    # Written now rather than with the class outputs: this thread is idle while the
                    # children run, so the reports cost the batch no time.
                    _write_student_files(out, submission, reviewed(report, book.overrides(job.key)))
                    if job.key in previous and (change := _changes(job.key, previous[job.key], report)):
                        summary.changes.append(change)
                    if report.grader_error:
                        summary.failures.append(f"{submission.source}: grader error: {report.grader_error}")
                    done += 1
                    summary.graded = done
                    if progress:
                        progress(done, len(todo), len(summary.failures))
            except KeyboardInterrupt:
                summary.interrupted = True
            finally:
                executor.stop()

        book.save_submissions(list(batch.submissions))
        summary.missing = write_outputs(problem_set, out, book, roster_path, extensions_path,
                                        list(batch.problems), summary.failures, rewrite=set())
    _write_changes(out, summary.changes)
    summary.seconds = time.monotonic() - started
    return summary
