"""`grade submit FILE`: a graded report, or in a student bundle the public check's report."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from grader.cli.common import (
    EXIT_BAD_SPEC,
    EXIT_BAD_SUBMISSION,
    EXIT_GRADER_ERROR,
    FORMAT_BY_SUFFIX,
    assignment_option,
    choose_sandbox,
    course_option,
    fail,
    isolation_option,
    load,
    problem_dir,
)
from grader.notebook.answers_file import read_answers
from grader.problemset.loader import ProblemSet, SpecError
from grader.report.files import write_atomically
from grader.sandbox.runner import SubmissionFileError


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@course_option
@assignment_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default=None,
              help="Report format (default: text, or from the --out file's extension).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file instead of the terminal: .txt, .md, .html/.htm or "
                   ".json (any name with --format).")
@click.option("--show-answers/--hide-answers", default=None,
              help="Show the expected answers (default: the assignment's policy).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--only-lost", is_flag=True, help="List only the parts that lost points (the totals stay whole).")
@click.option("--student", default=None, metavar="ID",
              help="Grade against this student's variant (assignment.yaml `variation`); default: the "
                   "document's own numbers.")
@isolation_option
def submit(file: Path, course: Path, assignment: str | None, fmt: str | None, out: Path | None,
           show_answers: bool | None, color: bool | None, only_lost: bool, student: str | None,
           isolation_level: str) -> None:
    """Grade FILE (your answers.py, or your notebook) and print a feedback report per question."""
    from grader.handout.public_spec import is_public

    fmt = _report_format(fmt, out)
    try:  # the file first: "no such file" says more than an assignment that cannot be found
        read_answers(file, free_text=None)
    except SubmissionFileError as exc:
        fail(f"{exc}", EXIT_BAD_SUBMISSION)
    directory = problem_dir(course, assignment, file)
    if is_public(directory):  # a student bundle: no answers here, only the checks needing none
        text, written, failed = _public_check(file, directory, fmt, isolation_level)
    else:
        from grader.problemset.variants import for_student

        problem_set = for_student(load(course, assignment, file), student)
        text, written, failed = _graded(file, problem_set, fmt, out, show_answers, color, isolation_level, only_lost)
    if out:
        try:
            write_atomically(out, text)
        except OSError as exc:
            fail(f"{out}: cannot write the report ({exc.strerror}); choose another --out", 2)
        click.echo(f"Report written to {out} ({written}).")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if failed:
        sys.exit(EXIT_GRADER_ERROR)


def _report_format(fmt: str | None, out: Path | None) -> str:
    """--format, else the format --out's suffix names, else text. An --out suffix that names no
    format (report.pdf) is refused rather than filled with text."""
    if fmt:
        return fmt
    if out is None:
        return "text"
    if out.suffix.lower() not in FORMAT_BY_SUFFIX:
        raise click.BadParameter(
            f"{out}: cannot tell the report format from "
            f"{f'the suffix {out.suffix!r}' if out.suffix else 'a name without a suffix'}; "
            f"name the file with one of {', '.join(FORMAT_BY_SUFFIX)} or give --format "
            f"({', '.join(dict.fromkeys(FORMAT_BY_SUFFIX.values()))}).", param_hint="'--out'")
    return FORMAT_BY_SUFFIX[out.suffix.lower()]


def _graded(file: Path, problem_set: ProblemSet, fmt: str, out: Path | None, show_answers: bool | None,
            color: bool | None, isolation_level: str, only_lost: bool = False) -> tuple[str, str, bool]:
    """The graded report as `fmt`, a summary of it, and whether the grader failed on some part."""
    from grader.pipeline import grade_submission
    from grader.report.render import render

    sandbox = choose_sandbox(isolation_level)
    try:
        report = grade_submission(problem_set, file, show_expected=show_answers, sandbox=sandbox)
    except SubmissionFileError as exc:
        fail(f"{exc}", EXIT_BAD_SUBMISSION)
        raise  # unreachable
    use_color = color if color is not None else (out is None and fmt == "text" and sys.stdout.isatty())
    width = shutil.get_terminal_size().columns if out is None and sys.stdout.isatty() else None
    text = render(report, fmt, color=use_color, only_lost=only_lost, width=width)
    return text, f"{report.earned:g} / {report.possible:g} points", bool(report.failed_parts)


def _public_check(file: Path, directory: Path, fmt: str, isolation_level: str) -> tuple[str, str, bool]:
    """In a student bundle: the public check's report as `fmt` (it has no colours), a summary of it,
    and whether the checker itself failed."""
    from grader.handout.check import check_submission
    from grader.handout.check_report import render_check
    from grader.handout.public_spec import load_public_problem_set

    try:
        public = load_public_problem_set(directory)
    except SpecError as exc:
        fail(exc.describe(), EXIT_BAD_SPEC)
        raise  # unreachable
    sandbox = choose_sandbox(isolation_level)
    try:
        report = check_submission(public, file, sandbox)
    except SubmissionFileError as exc:
        fail(f"{exc}", EXIT_BAD_SUBMISSION)
        raise  # unreachable
    summary = (f"public check: {report.count('ready')} ready, {report.count('not answered')} not answered, "
               f"{report.count('problem')} with a problem; correctness is graded on upload")
    return render_check(report, fmt), summary, bool(report.grader_error)
