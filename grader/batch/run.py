"""`grade batch INPUT --out DIR`: the stages of grading a whole course, wired in one place.

    read input ─▶ reference once ─▶ what changed? ─▶ run & grade the changed (in parallel)
               ─▶ gradebook (SQLite) ─▶ per-student reports, CSVs, dashboard, score changes

A rerun grades only submissions whose file or problem set changed; after a spec or reference fix
every submission is regraded and the score changes are listed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from grader.batch import roster
from grader.batch.executor import Executor, Job, LocalExecutor
from grader.batch.inputs import read_batch_input
from grader.batch.model import BatchInput, BatchSubmission, StudentInfo
from grader.batch.outputs import (
    remember_long_format,
    remember_report_formats,
    report_formats,
    reviewed,
    write_outputs,
    write_student_files,
)
from grader.batch.score_changes import ScoreChange, ScoreChanges, score_change
from grader.batch.store import Gradebook, PendingJob
from grader.batch.submission_work import SubmissionWork
from grader.batch.variants import BatchVariants, prepare_variants
from grader.pipeline import guard_for
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.problemset.spec import FreeTextChecker
from grader.sandbox.levels import Isolation
from grader.sandbox.records import RunRecord
from grader.sandbox.runner import SubmissionFileError


@dataclass
class BatchSummary:
    graded: int = 0
    reused: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)
    changed: int = 0
    """How many scores this run moved (all of them are in score-changes.csv)."""
    changes: list[ScoreChange] = field(default_factory=list)
    """The first of them (score_changes.SHOWN), for the command to print."""
    interrupted: bool = False
    seconds: float = 0.0
    input: BatchInput | None = None
    missing: list[StudentInfo] = field(default_factory=list)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _free_text_answers(plan: RunPlan, outcome: RunRecord) -> dict[str, str]:
    texts = {}
    for pp in plan.parts:
        if isinstance(pp.part.checker, FreeTextChecker):
            raw = outcome.answer(pp.request_ids[0])
            if isinstance(raw.value, str):
                texts[pp.part.name] = raw.value
    return texts


def _jobs_to_run(book: Gradebook, submissions: Iterable[BatchSubmission], variants: BatchVariants,
                 spec_hash: Callable[[str], str], summary: BatchSummary) -> Iterator[PendingJob]:
    """The submissions whose file or specs changed since they were graded (the others are counted
    as reused): each with its file's hash and its variant."""
    for entry in submissions:
        digest = file_hash(entry.path)
        label = variants.label_of[entry.key]
        stored = book.state(entry.key)
        same_file = stored is not None and stored.file_hash == digest
        if (stored is not None and same_file and stored.spec_hash == spec_hash(label)
                and not stored.grader_error):  # the grader's own failure is retried
            summary.reused += 1
            continue
        # The same file against new specs: its score change is reported.
        yield PendingJob(entry.key, entry.path, digest, label, rescore=same_file)


def run_batch(problem_set: ProblemSet, input_path: Path, out: Path, sandbox: Isolation,
              executor: Executor | None = None, roster_path: Path | None = None,
              extensions_path: Path | None = None,
              progress: Callable[[int, int, int], None] | None = None,
              student_reports: tuple[str, ...] | None = None, long_csv: str | None = None) -> BatchSummary:
    """Grade every submission of `input_path` into `out`. Safe to interrupt and to rerun.
    `student_reports`: the formats of the per-student reports, `long_csv` how the long table is
    written (outputs.LONG_FORMATS); None: as the last batch into `out` did (HTML, and csv, at first).

    Memory: the list of submissions and the jobs go to the gradebook before grading starts, and
    are read back from it one at a time, so what the grader holds while the class is graded does
    not grow with the class."""
    started = time.monotonic()
    summary = BatchSummary()
    batch = read_batch_input(input_path, out / ".work")
    summary.total = len(batch.submissions)
    executor = executor or LocalExecutor(jobs=1)
    # Each student's own numbers (assignment.yaml `variation`), with their reference answers.
    emails = {s.id: s.email for s in roster.read_roster(roster_path) if s.email} if roster_path else {}
    variants = prepare_variants(problem_set, batch.submissions, getattr(executor, "jobs", 1), emails)
    fingerprints = {label: f"{problem_set.fingerprint}-{plan.fingerprint()}"
                    for label, plan in variants.plans().items()}
    spec_hash = fingerprints.__getitem__

    with Gradebook(out / "gradebook.sqlite") as book:
        if student_reports is not None:
            remember_report_formats(book, student_reports)
        if long_csv is not None:
            remember_long_format(book, long_csv)
        formats = report_formats(book)
        book.save_submissions(batch.submissions)
        to_run = book.set_pending(_jobs_to_run(book, batch.submissions, variants, spec_hash, summary))
        # What only listing the jobs needed is let go: a MOOC's would be the largest thing held
        # while the class is graded.
        summary.input = replace(batch, submissions=())
        del batch
        variants = variants.forget_students()
        work = SubmissionWork(variants.plans(), sandbox)
        changes = ScoreChanges(out)
        grade = _Grading(book, variants, spec_hash, out, formats, sandbox.level, changes, summary)

        def jobs() -> Iterator[Job]:
            for pending in book.iter_pending():
                yield Job(pending.student_key, pending.path, pending.variant)

        # At the process level a submission could rewrite the reference cache: undone at the end.
        with guard_for(problem_set, sandbox):
            try:
                executor.prepare(to_run)
                # (BatchVariants.grade imports sympy at the first result: most of a second, which the
                # warm workers' own start-up hides, and a rerun with nothing to grade never needs.)
                for job, outcome in executor.run(jobs(), work):
                    grade(job, outcome)
                    if progress:
                        progress(summary.graded, to_run, len(summary.failures))
            except KeyboardInterrupt:
                summary.interrupted = True
            except BaseException:
                changes.discard()
                raise
            finally:
                executor.stop()

        try:
            summary.missing = write_outputs(problem_set, out, book, roster_path, extensions_path,
                                            list(summary.input.problems), summary.failures, rewrite=set())
        finally:  # the grades are saved whatever befalls the outputs: so is the list of who moved
            changes.close()
    summary.changed, summary.changes = changes.count, changes.first
    summary.seconds = time.monotonic() - started
    return summary


@dataclass
class _Grading:
    """What grading each run's answers needs, beyond the run: the batch's shared state."""

    book: Gradebook
    variants: BatchVariants
    spec_hash: Callable[[str], str]
    out: Path
    formats: tuple[str, ...]
    level: str
    changes: ScoreChanges
    summary: BatchSummary

    def __call__(self, job: Job, outcome: RunRecord | BaseException) -> None:
        """One run's answers graded against its variant, saved, its report written, its change noted."""
        book, summary = self.book, self.summary
        submission, pending = book.submission(job.key), book.pending(job.key)
        assert submission is not None and pending is not None  # both saved before grading
        if isinstance(outcome, SubmissionFileError):
            summary.failures.append(f"{submission.source}: {outcome}")
            return
        if isinstance(outcome, BaseException):
            outcome = RunRecord(answers={}, grader_error=f"running the submission failed: {outcome!r}",
                                isolation=self.level)
        before = book.get(job.key) if pending.rescore else None
        report = self.variants.grade(job.variant, outcome, submission.path.name)
        book.save(job.key, pending.file_hash, self.spec_hash(job.variant), report, datetime.now(UTC),
                  _free_text_answers(self.variants.by_label[job.variant].plan, outcome))
        # Written now rather than with the class outputs: this thread is idle while the
        # children run, so the reports cost the batch no time.
        if self.formats:
            write_student_files(self.out, submission, reviewed(report, book.overrides(job.key)), self.formats)
        if before is not None and (change := score_change(job.key, before.parts, report)):
            self.changes.add(change)
        if report.grader_error:
            summary.failures.append(f"{submission.source}: grader error: {report.grader_error}")
        summary.graded += 1
