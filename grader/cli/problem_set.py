"""`grade template`, `grade validate`, `grade show`: a problem set's starter file, its proof, one question."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.cli.common import (
    EXIT_BAD_SUBMISSION,
    EXIT_VALIDATION_FAILED,
    assignment_option,
    course_option,
    fail,
    load,
)
from grader.report.files import write_atomically


@click.command()
@course_option
@assignment_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the starter file  [default: answers.py, or answers.ipynb].")
@click.option("--format", "fmt", type=click.Choice(["py", "ipynb"]), default=None,
              help="A Python file or a Jupyter notebook (default: from --out's extension, else py).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template(course: Path, assignment: str | None, out: Path | None, fmt: str | None, force: bool) -> None:
    """Write a starter answers.py (or answers.ipynb) with every answer stubbed and its prompt."""
    from grader.handout.starter import render_template

    fmt = fmt or ("ipynb" if out is not None and out.suffix.lower() == ".ipynb" else "py")
    out = out or Path(f"answers.{fmt}")
    problem_set = load(course, assignment, out)
    if out.exists() and not force:
        fail(f"{out} already exists; it may hold your work. Choose another --out or add --force.",
              EXIT_BAD_SUBMISSION)
    if fmt == "ipynb":
        from grader.handout.starter_notebook import render_notebook

        write_atomically(out, render_notebook(problem_set, out.name))
    else:
        write_atomically(out, render_template(problem_set, out.name))
    parts = sum(len(q.parts) for q in problem_set.questions)
    click.echo(f"Wrote {out}: {parts} answers to fill in for {problem_set.assignment.title}.")
    click.echo(f"Check your work with:  grade submit {out}")


@click.command()
@course_option
@assignment_option
@click.option("--verbose", "-v", is_flag=True, help="List every check, not only the failures.")
@click.option("--variants", type=click.IntRange(0, 100_000), default=0,
              help="Also check this many students' variants (assignment.yaml `variation`): each must pass "
                   "every check, and a failing variant is named with its parameter values.")
def validate(course: Path, assignment: str | None, verbose: bool, variants: int) -> None:
    """Check a problem set: specs load, the reference scores 100 %, every mistake is rejected."""
    from grader.checking.validate import validate as run_validation
    from grader.checking.validate import validate_variants

    problem_set = load(course, assignment)
    checks = validate_variants(problem_set, variants) if variants else run_validation(problem_set)
    failed = [c for c in checks if not c.ok]
    for check in checks:
        if not check.ok or verbose:
            mark = "ok  " if check.ok else "FAIL"
            click.echo(f"{mark} {check.what}" + (f"\n       {check.detail}" if check.detail else ""))
    click.echo(f"{problem_set.assignment.slug}: {len(checks) - len(failed)} of {len(checks)} checks passed.")
    if failed:
        sys.exit(EXIT_VALIDATION_FAILED)


@click.command()
@click.argument("question")
@course_option
@assignment_option
@click.option("--show-answers", is_flag=True, help="Also show the model answers and explanations.")
@click.option("--color/--no-color", default=None,
              help="Accepted as by `submit`; the question is printed as plain text either way.")
def show(question: str, course: Path, assignment: str | None, show_answers: bool, color: bool | None) -> None:
    """Show one QUESTION (such as 2c): its prompt, parts, points and what to define."""
    from grader.handout.show import describe_question

    problem_set = load(course, assignment)
    try:
        q = problem_set.question(question)
    except KeyError as exc:
        fail(str(exc.args[0]), EXIT_BAD_SUBMISSION)
        return
    click.echo(describe_question(q, show_answers))
