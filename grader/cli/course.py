"""`grade batch` and `grade review`: a whole class graded, and its free-text answers reviewed."""

from __future__ import annotations

import os
import sys
from datetime import UTC
from pathlib import Path

import click

from grader.cli.common import (
    EXIT_BAD_SUBMISSION,
    EXIT_GRADER_ERROR,
    EXIT_ISOLATION_UNAVAILABLE,
    assignment_option,
    choose_sandbox,
    course_option,
    fail,
    isolation_option,
    load,
)


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: gradebook, reports, CSVs, dashboard (reused by reruns).")
@course_option
@assignment_option
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default=True,
              help="Submissions graded at the same time (local executor).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Roster CSV, to list students who did not submit.")
@click.option("--extensions", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Per-student extensions CSV (student id, and due or extra_days/extra_hours).")
@click.option("--warm/--fresh", default=True, show_default=True,
              help="Fork each submission's child from a warm worker that already imported numpy, scipy "
                   "and sympy (fast), or start a fresh interpreter per submission (local executor).")
@isolation_option
@click.option("--student-reports", "student_reports", default=None, metavar="FORMATS",
              help="Per-student reports to write under OUT/students/: html (the default at first), json, "
                   "html,json, or none (a large class: the gradebook keeps every report, packed; a rerun with "
                   "--student-reports html writes them without grading again). Remembered for later writes.")
@click.option("--long-csv", "long_csv", type=click.Choice(["csv", "gzip", "none"]), default=None,
              help="The one-row-per-part table: gradebook-long.csv (the default at first), "
                   "gradebook-long.csv.gz (a tenth of the size, for a large class), or none. Remembered.")
@click.option("--executor", "executor_name", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where submissions run: on this machine, or on the workers of a Dask cluster (with "
                   "--scheduler; needs pip install 'grader[dask]'). With dask, --jobs and --warm do not "
                   "apply, each worker checks that it can give the isolation level, and --isolation auto "
                   "means strict.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler's address, e.g. tcp://HOST:8786 (with --executor dask).")
def batch(input_path: Path, out: Path, course: Path, assignment: str | None, jobs: int,
          roster: Path | None, extensions: Path | None, warm: bool, isolation_level: str,
          executor_name: str, scheduler: str | None, student_reports: str | None, long_csv: str | None) -> None:
    """Grade a whole course: INPUT is a folder of .py files or per-student folders, a Gradescope
    "Export Submissions" zip or a Canvas bulk-download zip. Reruns grade only what changed."""
    from tqdm import tqdm

    from grader.batch.dask_executor import ClusterError, DaskExecutor, NoWorkerCanIsolate, isolation_asked
    from grader.batch.executor import Executor, LocalExecutor
    from grader.batch.extensions import ExtensionsError
    from grader.batch.inputs import BatchInputError
    from grader.batch.roster import RosterError
    from grader.batch.run import run_batch
    from grader.checking.reference import ReferenceFailedError
    from grader.sandbox.warm import WarmWorkerError, warm_interpreter

    if executor_name == "dask" and scheduler is None:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://HOST:8786)")
    if executor_name == "local" and scheduler is not None:
        raise click.UsageError("--scheduler applies only with --executor dask")
    problem_set = load(course, assignment)
    executor: Executor
    if scheduler is not None:  # the workers run the submissions: the level is theirs to give, not probed here
        sandbox_config = isolation_asked(isolation_level)
        try:
            executor = DaskExecutor(scheduler, notify=lambda line: click.echo(f"grade: note: {line}", err=True))
        except ClusterError as exc:
            fail(str(exc), EXIT_GRADER_ERROR)
    else:
        sandbox_config = choose_sandbox(isolation_level)
        executor = LocalExecutor(jobs, warm_python=warm_interpreter(sandbox_config) if warm else None)
    bar = tqdm(total=0, unit="submission", dynamic_ncols=True, disable=None)

    def progress(done: int, total: int, failures: int) -> None:
        bar.total = total
        bar.set_postfix(failures=failures)
        bar.update(done - bar.n)

    try:
        summary = run_batch(problem_set, input_path, out, sandbox_config, executor, roster, extensions, progress,
                            _report_formats(student_reports), long_csv)
    except NoWorkerCanIsolate as exc:
        bar.close()
        fail(str(exc), EXIT_ISOLATION_UNAVAILABLE)
    except ClusterError as exc:  # the cluster, not the input: the grader could not run
        bar.close()
        fail(str(exc), EXIT_GRADER_ERROR)
    except ReferenceFailedError as exc:  # the course staff's failure, not an unreadable input
        bar.close()
        fail(str(exc), EXIT_GRADER_ERROR)
    except WarmWorkerError as exc:  # the grader's own failure
        bar.close()
        fail(f"{exc}. Rerun with --fresh (an interpreter per submission), or check `grade sandbox check`.",
             EXIT_GRADER_ERROR)
    except (BatchInputError, RosterError, ExtensionsError, ValueError, OSError) as exc:
        bar.close()
        fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    bar.close()
    click.echo(f"{summary.graded} graded, {summary.reused} unchanged (reused), {summary.total} submissions "
               f"in {summary.seconds:.1f} s at the {sandbox_config.level} level"
               f"{' (on the Dask workers)' if scheduler else ''}.")
    if summary.input and summary.input.problems:
        click.echo(f"{len(summary.input.problems)} input entries could not be used:")
        for problem in summary.input.problems:
            click.echo(f"  - {problem.entry}: {problem.message}")
    for failure in summary.failures:
        click.echo(f"  ! {failure}")
    if summary.missing:
        click.echo(f"{len(summary.missing)} students on the roster did not submit.")
    if summary.changed:
        click.echo(f"{summary.changed} scores changed (see {out / 'score-changes.csv'}):")
        for change in summary.changes:
            click.echo(f"  {change.student_key}: {change.before:g} → {change.after:g} ({change.moved()})")
        if summary.changed > len(summary.changes):
            click.echo(f"  … and {summary.changed - len(summary.changes)} more in score-changes.csv")
    if summary.interrupted:
        click.echo("Interrupted: what was graded is kept; run the same command again to finish.")
        sys.exit(130)
    click.echo(f"Dashboard: {out / 'summary.html'}   Gradebook: {out / 'gradebook.csv'}")


@click.group()
def review() -> None:
    """Review free-text answers: export the pending ones to CSV, import the TA's points."""


@review.command("export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory.")
@click.option("--file", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the review sheet (default: OUT/review.csv; the member sheet and the "
                   "review page go beside it).")
@click.option("--per-student", is_flag=True,
              help="One row per student × part instead of one per group of alike answers.")
@course_option
@assignment_option
def review_export(out: Path, csv_path: Path | None, per_student: bool, course: Path, assignment: str | None) -> None:
    """Write the free-text answers still pending review: one row per group of alike answers (a
    decision applies to the whole group), a sheet of every member and a review page."""
    import tempfile

    from grader.batch.review import export_pending, iter_pending_answers
    from grader.batch.review_groups import export_groups
    from grader.batch.review_spool import PendingSpool, ReviewedIn, gradebook_results
    from grader.batch.store import Gradebook
    from grader.problemset.spec import FreeTextChecker

    problem_set = load(course, assignment)
    csv_path = csv_path or out / "review.csv"
    parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
    # The pending answers are spooled to disk part by part: one part is held at a time, to group it.
    with Gradebook(out / "gradebook.sqlite") as book, tempfile.TemporaryDirectory(prefix="grade-review-") as scratch, \
            PendingSpool(Path(scratch)) as spool:
        spool.extend(iter_pending_answers(parts, gradebook_results(book), ReviewedIn(book)))
        if per_student:
            count = export_pending(spool.rows(), csv_path)
            click.echo(f"{count} answers pending review written to {csv_path}. Fill in `points` (and `comment`), "
                       f"then: grade review import {csv_path} --out {out}")
            return
        members_path = csv_path.with_name(f"{csv_path.stem}-members.csv")
        page_path = csv_path.with_suffix(".html")
        try:
            answers, groups = export_groups(spool.parts(), csv_path, members_path, page_path,
                                            problem_set.assignment.title)
        except RuntimeError as exc:  # scikit-learn is not installed
            fail(f"{exc}; or export one row per answer with --per-student", EXIT_BAD_SUBMISSION)
            return
    click.echo(f"{answers} answers pending review, in {groups} groups of alike answers:\n"
               f"  {csv_path}: one row per group — points and comment apply to every student it lists\n"
               f"  {members_path}: one row per student — points there override the student's group\n"
               f"  {page_path}: every group and answer, to read in a browser\n"
               f"Then: grade review import {csv_path} [{members_path}] --out {out}")


@review.command("stats")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory.")
def review_stats(out: Path) -> None:
    """After a review round: how the provisional free-text scores agreed with the staff's points,
    per part (worst first), to show which rubrics to improve."""
    from grader.batch.review_stats import calibration, calibration_table
    from grader.batch.store import Gradebook

    with Gradebook(out / "gradebook.sqlite") as book:  # one reviewed report at a time
        rows = calibration((stored.report, book.overrides(key)) for key in book.reviewed_keys()
                           if (stored := book.get(key)) is not None)
    click.echo(calibration_table(rows))


@review.command("import")
@click.argument("csv_paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory.")
@click.option("--reviewer", default=lambda: os.environ.get("USER", "staff"), show_default="$USER",
              help="Who reviewed (stored with each override).")
@course_option
@assignment_option
def review_import(csv_paths: tuple[Path, ...], out: Path, reviewer: str, course: Path,
                  assignment: str | None) -> None:
    """Apply the points and comments of filled-in review sheets (the group sheet, the member sheet,
    or both: a student's own row wins over its group's); reports then say "reviewed"."""
    from datetime import datetime

    from grader.batch.outputs import write_outputs
    from grader.batch.review import ReviewImportError, import_reviews
    from grader.batch.store import Gradebook

    problem_set = load(course, assignment)
    try:
        reviews = import_reviews(list(csv_paths), reviewer, datetime.now(UTC))
    except ReviewImportError as exc:
        fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    with Gradebook(out / "gradebook.sqlite") as book:
        known = set(book.keys())
        unknown = sorted({key for key, _, _ in reviews if key not in known})
        if unknown:
            fail(f"{', '.join(map(str, csv_paths))}: students {', '.join(unknown[:5])} are not in {out}'s gradebook; "
                  "check the student_id column", EXIT_BAD_SUBMISSION)
        for key, part, override in reviews:
            book.set_override(key, part, override)
        write_outputs(problem_set, out, book)
    click.echo(f"{len(reviews)} reviews applied; reports, gradebook.csv and summary.html updated.")


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where to write similarity.html and similarity.csv (the batch's output directory, "
                   "whose gradebook holds the free-text answers to compare).")
@click.option("--top", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="How many of the most alike pairs to list.")
@course_option
@assignment_option
def similarity(input_path: Path, out: Path, top: int, course: Path, assignment: str | None) -> None:
    """List the most alike pairs of submissions (code and free text) for staff to look at: a flag,
    never a change of score. INPUT is what `grade batch` graded."""
    from grader.batch.inputs import BatchInputError
    from grader.batch.similarity_report import class_submissions, similar_pairs, write_similarity
    from grader.handout.starter import render_template

    problem_set = load(course, assignment)
    try:
        submissions, problems = class_submissions(input_path, out / "gradebook.sqlite")
    except (BatchInputError, ValueError, OSError) as exc:
        fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    if len(submissions) < 2:
        why = "".join(f"\n  - {problem}" for problem in problems[:20])
        fail(f"{input_path}: {len(submissions)} readable submission(s); a comparison needs two or more{why}",
             EXIT_BAD_SUBMISSION)
    try:
        pairs = similar_pairs(submissions, render_template(problem_set), top)
    except RuntimeError as exc:  # copydetect or scikit-learn is not installed
        fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    out.mkdir(parents=True, exist_ok=True)
    page, sheet = write_similarity(pairs, out, problem_set.assignment.title, len(submissions))
    for problem in problems:
        click.echo(f"  - not compared: {problem}")
    click.echo(f"{len(submissions)} submissions compared. Most alike (a flag for staff, never a score change):")
    for rank, pair in enumerate(pairs[:10], 1):
        parts = f" ({', '.join(m.part for m in pair.prose_matches)})" if pair.prose_matches else ""
        click.echo(f"  {rank:>2}. {pair.first} · {pair.second}: code {pair.code:.0%}, prose {pair.prose:.0%}{parts}")
    click.echo(f"Side by side: {page}   Table: {sheet}")


def _report_formats(value: str | None) -> tuple[str, ...] | None:
    """--student-reports: None (as before), () for none, else the formats asked for, in a fixed order."""
    from grader.batch.outputs import REPORT_FORMATS

    if value is None:
        return None
    asked = {f.strip().lower() for f in value.split(",") if f.strip()}
    if asked == {"none"}:
        return ()
    unknown = asked - set(REPORT_FORMATS)
    if unknown or not asked:
        raise click.BadParameter(f"{value!r}: give html, json, html,json or none", param_hint="--student-reports")
    return tuple(f for f in REPORT_FORMATS if f in asked)
