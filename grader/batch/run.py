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

from grader.batch import exports, roster
from grader.batch.executor import Executor, Job, LocalExecutor
from grader.batch.inputs import read_batch_input
from grader.batch.model import (
    BatchInput,
    StudentInfo,
)
from grader.batch.outputs import (
    remember_long_format,
    remember_report_formats,
    report_formats,
    reviewed,
    write_outputs,
    write_student_files,
)
from grader.batch.store import Gradebook
from grader.batch.submission_work import SubmissionWork
from grader.batch.variants import prepare_variants
from grader.pipeline import guard_for
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.problemset.spec import FreeTextChecker
from grader.report.files import write_atomically
from grader.report.results import GradeReport
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


def run_batch(problem_set: ProblemSet, input_path: Path, out: Path, sandbox: Isolation,
              executor: Executor | None = None, roster_path: Path | None = None,
              extensions_path: Path | None = None,
              progress: Callable[[int, int, int], None] | None = None,
              student_reports: tuple[str, ...] | None = None, long_csv: str | None = None) -> BatchSummary:
    """Grade every submission of `input_path` into `out`. Safe to interrupt and to rerun.
    `student_reports`: the formats of the per-student reports, `long_csv` how the long table is
    written (outputs.LONG_FORMATS); None: as the last batch into `out` did (HTML, and csv, at first)."""
    started = time.monotonic()
    summary = BatchSummary()
    batch = read_batch_input(input_path, out / ".work")
    summary.input = batch
    summary.total = len(batch.submissions)
    executor = executor or LocalExecutor(jobs=1)
    # Each student's own numbers (assignment.yaml `variation`), with their reference answers.
    emails = {s.id: s.email for s in roster.read_roster(roster_path) if s.email} if roster_path else {}
    variants = prepare_variants(problem_set, batch.submissions, getattr(executor, "jobs", 1), emails)

    fingerprints = {label: f"{problem_set.fingerprint}-{plan.fingerprint()}"
                    for label, plan in variants.plans().items()}

    def spec_hash(key: str) -> str:
        return fingerprints[variants.of_key[key].label]

    with Gradebook(out / "gradebook.sqlite") as book:
        if student_reports is not None:
            remember_report_formats(book, student_reports)
        if long_csv is not None:
            remember_long_format(book, long_csv)
        formats = report_formats(book)
        todo: list[Job] = []
        previous: dict[str, dict[str, tuple[str, float]]] = {}
        hashes: dict[str, str] = {}
        for entry in batch.submissions:
            digest = file_hash(entry.path)
            stored = book.get(entry.key)
            if (stored and stored.file_hash == digest and stored.spec_hash == spec_hash(entry.key)
                    and not stored.report.grader_error):  # the grader's own failure is retried
                summary.reused += 1
                continue
            if stored and stored.file_hash == digest:
                previous[entry.key] = stored.parts  # same file, new specs: a score change
            hashes[entry.key] = digest
            todo.append(Job(entry.key, entry.path, variants.of_key[entry.key].label))
        # The list of submissions goes to the gradebook now and is let go: a MOOC's would be the
        # largest thing held while the class is graded (each result looks its submission up).
        book.save_submissions(batch.submissions)
        problems = list(batch.problems)
        summary.input = replace(batch, submissions=())
        del batch
        work = SubmissionWork(variants.plans(), sandbox)

        done = 0
        # At the process level a submission could rewrite the reference cache: undone at the end.
        with guard_for(problem_set, sandbox):
            try:
                executor.prepare(len(todo))
                # (BatchVariants.grade imports sympy at the first result: most of a second, which the
                # warm workers' own start-up hides, and a rerun with nothing to grade never needs.)
                for job, outcome in executor.run(todo, work):
                    submission = book.submission(job.key)
                    assert submission is not None  # saved above
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
                    if formats:
                        write_student_files(out, submission, reviewed(report, book.overrides(job.key)), formats)
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

        summary.missing = write_outputs(problem_set, out, book, roster_path, extensions_path,
                                        problems, summary.failures, rewrite=set())
    _write_changes(out, summary.changes)
    summary.seconds = time.monotonic() - started
    return summary
