"""The `grade` command. It only wires the stages; each lives in its own module.

Exit codes (also in the README):
  0  done (for `submit`: a report was produced, whatever the score)
  1  the submission file cannot be read (missing, a link, not UTF-8, too large)
  2  usage error (unknown option, missing argument)
  3  a problem-set spec is invalid (the message names file and field)
  4  the grader itself failed (a bug or a broken reference solution: not the student's fault)
  5  `grade validate` found a problem in the problem set
  6  the isolation level asked for (--isolation strict) is not available here
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from datetime import UTC
from pathlib import Path

import click

from grader.problemset.loader import (
    ProblemSet,
    SpecError,
    find_problem_set,
    load_problem_set,
)
from grader.report.files import write_atomically
from grader.sandbox.runner import SubmissionFileError

EXIT_BAD_SUBMISSION, EXIT_BAD_SPEC, EXIT_GRADER_ERROR, EXIT_VALIDATION_FAILED = 1, 3, 4, 5
EXIT_ISOLATION_UNAVAILABLE = 6
FORMAT_BY_SUFFIX = {".md": "markdown", ".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}


def _fail(message: str, code: int) -> None:
    click.echo(f"grade: {message}", err=True)
    sys.exit(code)


def _problem_dir(course: Path, assignment: str | None, hint_path: Path | None = None) -> Path:
    """The problem set named, or the one a submission's folder names (submissions/<slug>/...)."""
    try:
        if assignment is None and hint_path is not None:
            parent = hint_path.resolve().parent.name
            if (course / "problems" / parent / "assignment.yaml").exists():
                assignment = parent
        return find_problem_set(course, assignment)
    except SpecError as exc:
        _fail(exc.describe(), EXIT_BAD_SPEC)
        raise  # unreachable


def _load(course: Path, assignment: str | None, hint_path: Path | None = None) -> ProblemSet:
    try:
        return load_problem_set(_problem_dir(course, assignment, hint_path), course)
    except SpecError as exc:
        _fail(exc.describe(), EXIT_BAD_SPEC)
        raise  # unreachable


course_option = click.option("--course", type=click.Path(file_okay=False, path_type=Path),
                             default=Path("."), show_default=True,
                             help="Course directory holding problems/ and solutions/.")
assignment_option = click.option("--assignment", "-a", default=None,
                                 help="Assignment name (a folder of problems/); optional when "
                                      "there is only one, or when the file sits in submissions/<name>/.")


isolation_option = click.option(
    "--isolation", "isolation_level", type=click.Choice(["auto", "strict", "user", "process"]), default="auto",
    show_default=True, help="How to confine the submission: strict (Linux, root: sandbox user, "
                            "namespaces, seccomp), user (root: sandbox user and seccomp, no "
                            "namespaces), process, or auto (the strongest available).")


def _sandbox(level: str):
    from grader.sandbox import levels, probe

    try:
        chosen = levels.choose(level)
    except levels.IsolationUnavailable as exc:
        _fail(str(exc), EXIT_ISOLATION_UNAVAILABLE)
    if level == "auto" and chosen.level != "strict" and sys.platform.startswith("linux"):
        problems = probe.strict_problems()
        click.echo(f"grade: note: running the submission at the {chosen.level} level (strict isolation is "
                   f"unavailable: {problems[0]})", err=True)
    return chosen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
def cli() -> None:
    """Grade quantitative problem sets: exact on numbers and formulas, helpful on mistakes."""


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@course_option
@assignment_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default=None,
              help="Report format (default: text, or from the --out file's extension).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file instead of the terminal.")
@click.option("--show-answers/--hide-answers", default=None,
              help="Show the expected answers (default: the assignment's policy).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@isolation_option
def submit(file: Path, course: Path, assignment: str | None, fmt: str | None, out: Path | None,
           show_answers: bool | None, color: bool | None, isolation_level: str) -> None:
    """Grade FILE (your answers.py) and print a feedback report per question."""
    from grader.handout.public_spec import is_public
    from grader.pipeline import grade_submission
    from grader.report.render import render

    directory = _problem_dir(course, assignment, file)
    if is_public(directory):  # a student bundle: no answers here, only the checks needing none
        from grader.handout.check import check_file

        check_file(file, course, directory.name)
        return
    problem_set = _load(course, assignment, file)
    sandbox = _sandbox(isolation_level)
    try:
        report = grade_submission(problem_set, file, show_expected=show_answers, sandbox=sandbox)
    except SubmissionFileError as exc:
        _fail(f"{exc}", EXIT_BAD_SUBMISSION)
        return
    fmt = fmt or (FORMAT_BY_SUFFIX.get(out.suffix.lower(), "text") if out else "text")
    use_color = color if color is not None else (out is None and fmt == "text" and sys.stdout.isatty())
    text = render(report, fmt, color=use_color)
    if out:
        write_atomically(out, text)
        click.echo(f"Report written to {out} ({report.earned:g} / {report.possible:g} points).")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if report.failed_parts:
        sys.exit(EXIT_GRADER_ERROR)


@cli.command()
@course_option
@assignment_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=Path("answers.py"),
              show_default=True, help="Where to write the starter file.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template(course: Path, assignment: str | None, out: Path, force: bool) -> None:
    """Write a starter answers.py with every answer stubbed and its prompt as a docstring."""
    from grader.handout.starter import render_template

    problem_set = _load(course, assignment, out)
    if out.exists() and not force:
        _fail(f"{out} already exists; it may hold your work. Choose another --out or add --force.",
              EXIT_BAD_SUBMISSION)
    write_atomically(out, render_template(problem_set, out.name))
    parts = sum(len(q.parts) for q in problem_set.questions)
    click.echo(f"Wrote {out}: {parts} answers to fill in for {problem_set.assignment.title}.")
    click.echo(f"Check your work with:  grade submit {out}")


@cli.command()
@course_option
@assignment_option
@click.option("--verbose", "-v", is_flag=True, help="List every check, not only the failures.")
def validate(course: Path, assignment: str | None, verbose: bool) -> None:
    """Check a problem set: specs load, the reference scores 100 %, every mistake is rejected."""
    from grader.checking.validate import validate as run_validation

    problem_set = _load(course, assignment)
    checks = run_validation(problem_set)
    failed = [c for c in checks if not c.ok]
    for check in checks:
        if not check.ok or verbose:
            mark = "ok  " if check.ok else "FAIL"
            click.echo(f"{mark} {check.what}" + (f"\n       {check.detail}" if check.detail else ""))
    click.echo(f"{problem_set.assignment.slug}: {len(checks) - len(failed)} of {len(checks)} checks passed.")
    if failed:
        sys.exit(EXIT_VALIDATION_FAILED)


@cli.command()
@click.argument("question")
@course_option
@assignment_option
@click.option("--show-answers", is_flag=True, help="Also show the model answers and explanations.")
def show(question: str, course: Path, assignment: str | None, show_answers: bool) -> None:
    """Show one QUESTION (such as 2c): its prompt, parts, points and what to define."""
    from grader.handout.show import describe_question

    problem_set = _load(course, assignment)
    try:
        q = problem_set.question(question)
    except KeyError as exc:
        _fail(str(exc.args[0]), EXIT_BAD_SUBMISSION)
        return
    click.echo(describe_question(q, show_answers))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: gradebook, reports, CSVs, dashboard (reused by reruns).")
@course_option
@assignment_option
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default=True,
              help="Submissions graded at the same time.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Roster CSV, to list students who did not submit.")
@click.option("--extensions", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Per-student extensions CSV (student id, and due or extra_days/extra_hours).")
@click.option("--warm/--fresh", default=True, show_default=True,
              help="Fork each submission's child from a warm worker that already imported numpy, scipy "
                   "and sympy (fast), or start a fresh interpreter per submission.")
@isolation_option
def batch(input_path: Path, out: Path, course: Path, assignment: str | None, jobs: int,
          roster: Path | None, extensions: Path | None, warm: bool, isolation_level: str) -> None:
    """Grade a whole course: INPUT is a folder of .py files or per-student folders, a Gradescope
    "Export Submissions" zip or a Canvas bulk-download zip. Reruns grade only what changed."""
    from tqdm import tqdm

    from grader.batch.executor import LocalExecutor
    from grader.batch.extensions import ExtensionsError
    from grader.batch.inputs import BatchInputError
    from grader.batch.roster import RosterError
    from grader.batch.run import run_batch

    problem_set = _load(course, assignment)
    sandbox_config = _sandbox(isolation_level)
    bar = tqdm(total=0, unit="submission", dynamic_ncols=True, disable=None)

    def progress(done: int, total: int, failures: int) -> None:
        bar.total = total
        bar.set_postfix(failures=failures)
        bar.update(done - bar.n)

    try:
        summary = run_batch(problem_set, input_path, out, sandbox_config,
                            LocalExecutor(jobs, warm_python=_warm_python(sandbox_config) if warm else None),
                            roster, extensions, progress)
    except (BatchInputError, RosterError, ExtensionsError, ValueError, OSError, RuntimeError) as exc:
        bar.close()
        _fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    bar.close()
    click.echo(f"{summary.graded} graded, {summary.reused} unchanged (reused), {summary.total} submissions "
               f"in {summary.seconds:.1f} s at the {sandbox_config.level} level.")
    if summary.input and summary.input.problems:
        click.echo(f"{len(summary.input.problems)} input entries could not be used:")
        for problem in summary.input.problems:
            click.echo(f"  - {problem.entry}: {problem.message}")
    for failure in summary.failures:
        click.echo(f"  ! {failure}")
    if summary.missing:
        click.echo(f"{len(summary.missing)} students on the roster did not submit.")
    if summary.changes:
        click.echo(f"{len(summary.changes)} scores changed (see {out / 'score-changes.csv'}):")
        for change in summary.changes:
            moved = ", ".join(f"{part} {b:g}→{a:g}" for part, b, a in change.parts)
            click.echo(f"  {change.student_key}: {change.before:g} → {change.after:g} ({moved})")
    if summary.interrupted:
        click.echo("Interrupted: what was graded is kept; run the same command again to finish.")
        sys.exit(130)
    click.echo(f"Dashboard: {out / 'summary.html'}   Gradebook: {out / 'gradebook.csv'}")


def _warm_python(sandbox) -> str | None:
    """The interpreter of the warm workers; a strict child confines itself, which needs root."""
    if sandbox.level == "strict" and sandbox.uid is None:
        return None
    return sandbox.python


@cli.group()
def review() -> None:
    """Review free-text answers: export the pending ones to CSV, import the TA's points."""


@review.command("export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory.")
@click.option("--file", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the review sheet (default: OUT/review.csv).")
@course_option
@assignment_option
def review_export(out: Path, csv_path: Path | None, course: Path, assignment: str | None) -> None:
    """Write the free-text answers still pending review, one row per student × part."""
    from grader.batch.review import export_pending, pending_answers
    from grader.batch.store import Gradebook
    from grader.problemset.spec import FreeTextChecker

    problem_set = _load(course, assignment)
    csv_path = csv_path or out / "review.csv"
    with Gradebook(out / "gradebook.sqlite") as book:
        rows, overridden = [], set()
        for submission in book.submissions():
            stored = book.get(submission.key)
            if stored is None:
                continue
            overridden |= {(submission.key, part) for part in book.overrides(submission.key)}
            student = submission.students[0]
            rows.append((submission.key, student.name, stored.report, book.answers(submission.key)))
        parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
        count = export_pending(pending_answers(parts, rows, overridden), csv_path)
    click.echo(f"{count} answers pending review written to {csv_path}. Fill in `points` (and `comment`), "
               f"then: grade review import {csv_path} --out {out}")


@review.command("import")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory.")
@click.option("--reviewer", default=lambda: os.environ.get("USER", "staff"), show_default="$USER",
              help="Who reviewed (stored with each override).")
@course_option
@assignment_option
def review_import(csv_path: Path, out: Path, reviewer: str, course: Path, assignment: str | None) -> None:
    """Apply the points and comments of a filled-in review sheet; reports then say "reviewed"."""
    from datetime import datetime

    from grader.batch.review import ReviewImportError, import_reviews
    from grader.batch.run import write_outputs
    from grader.batch.store import Gradebook

    problem_set = _load(course, assignment)
    try:
        reviews = import_reviews(csv_path, reviewer, datetime.now(UTC))
    except ReviewImportError as exc:
        _fail(str(exc), EXIT_BAD_SUBMISSION)
        return
    with Gradebook(out / "gradebook.sqlite") as book:
        known = set(book.keys())
        unknown = sorted({key for key, _, _ in reviews if key not in known})
        if unknown:
            _fail(f"{csv_path}: students {', '.join(unknown[:5])} are not in {out}'s gradebook; "
                  "check the student_id column", EXIT_BAD_SUBMISSION)
        for key, part, override in reviews:
            book.set_override(key, part, override)
        write_outputs(problem_set, out, book)
    click.echo(f"{len(reviews)} reviews applied; reports, gradebook.csv and summary.html updated.")


@cli.group()
def sandbox() -> None:
    """Prepare and inspect strict isolation (sandbox user, bubblewrap, sandbox interpreter)."""


@sandbox.command("check")
def sandbox_check() -> None:
    """Say which isolation level `--isolation auto` chooses here, and why strict is unavailable."""
    from grader.sandbox.setup import check

    level, problems = check()
    click.echo(f"isolation: {level}")
    for problem in problems:
        click.echo(f"  strict is unavailable: {problem}")


@sandbox.command("setup")
@click.option("--users", type=click.IntRange(1, 64), default=2, show_default=True,
              help="How many sandbox uids to create (one per submission graded in parallel).")
def sandbox_setup(users: int) -> None:
    """Create the sandbox users and a sandbox Python with numpy, scipy and sympy (needs root)."""
    from grader.sandbox.setup import check, setup

    try:
        for line in setup(users=users):
            click.echo(line)
    except (PermissionError, OSError, subprocess.CalledProcessError) as exc:
        _fail(f"sandbox setup failed: {exc}", EXIT_ISOLATION_UNAVAILABLE)
    level, problems = check()
    click.echo(f"isolation: {level}")
    for problem in problems:
        click.echo(f"  strict is unavailable: {problem}")


from grader.gradescope.cli import gradescope  # noqa: E402
from grader.handout.cli import bundle  # noqa: E402  (registered after the commands above)

cli.add_command(bundle)
cli.add_command(gradescope)


def main() -> None:
    """Entry point: never a raw traceback for the user."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception:  # the grader's own bug: say so, keep the details for a bug report
        click.echo("grade: internal error — this is a bug in the grader, not in your work.", err=True)
        click.echo(traceback.format_exc(limit=-3), err=True)
        sys.exit(EXIT_GRADER_ERROR)


if __name__ == "__main__":
    main()
